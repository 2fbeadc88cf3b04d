"""Exports of every list (CSV, JSON, XLSX), the downloads of the pages and the API, and the
open-data bundle with its dictionary. Drafts are never exported."""

import csv
import datetime
import io
import json
import zipfile

import pytest
from openpyxl import load_workbook

from giamsat import demo
from giamsat.api.tokens import create_token
from giamsat.exporting import DICTIONARY, ENTITIES, opendata_bundle, render
from giamsat.tasks.models import ReviewState, Update

AS_OF = demo.as_of()  # the live demo runs to today
DAY = f"{AS_OF:%d/%m/%Y}"


@pytest.fixture
def data(db):
    demo.generate(today=AS_OF)


@pytest.mark.parametrize("entity", sorted(ENTITIES))
def test_every_entity_in_every_format(data, entity):
    as_csv = render(entity, "csv", AS_OF)
    rows = list(csv.DictReader(io.StringIO(as_csv.decode("utf-8-sig"))))
    as_json = json.loads(render(entity, "json", AS_OF))
    assert len(rows) == len(as_json) and rows, entity
    assert list(rows[0]) == ENTITIES[entity].fields
    sheet = load_workbook(io.BytesIO(render(entity, "xlsx", AS_OF))).active
    assert [c.value for c in sheet[1]] == ENTITIES[entity].fields
    assert sheet.max_row == len(rows) + 1 and sheet.freeze_panes == "A2"


def test_every_field_has_a_vietnamese_and_english_description():
    for spec in ENTITIES.values():
        for field in spec.fields:
            vi, en = DICTIONARY[field]
            assert vi and en, field


def test_drafts_are_not_exported(data):
    drafts = Update.objects.exclude(review_state=ReviewState.APPROVED)
    assert drafts.exists()
    exported = {row["id"] for row in json.loads(render("updates", "json", AS_OF))}
    assert exported and not exported & set(drafts.values_list("pk", flat=True))


def test_the_opendata_bundle(data, tmp_path):
    names = opendata_bundle(tmp_path / "du-lieu-mo.zip", AS_OF)
    with zipfile.ZipFile(tmp_path / "du-lieu-mo.zip") as bundle:
        assert set(bundle.namelist()) == set(names)
        package = json.loads(bundle.read("datapackage.json"))
        assert {r["name"] for r in package["resources"]} == set(ENTITIES)
        tasks = next(r for r in package["resources"] if r["name"] == "tasks")
        assert tasks["count"] == 22 and tasks["schema"]["fields"][0]["title"] == "Mã định danh"
        dictionary = bundle.read("data-dictionary.csv").decode("utf-8-sig")
        assert "Hạn hoàn thành,Due date" in dictionary
        assert "Dữ liệu mở" in bundle.read("README.txt").decode()


def test_the_pages_and_the_api_download_the_same_rows(data, client, make_user, org):
    client.force_login(make_user("viewer"))
    page = client.get("/nhiem-vu/", {"ngay": DAY, "trang_thai": "overdue"})
    assert "/api/export/tasks.csv?" in page.content.decode()
    response = client.get("/api/export/tasks.csv", {"ngay": DAY,
                                                     "trang_thai": "overdue"})
    assert response["Content-Type"].startswith("text/csv")
    assert response["Content-Disposition"] == f'attachment; filename="tasks-{AS_OF:%Y-%m-%d}.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows and {r["status"] for r in rows} == {"overdue"}
    _token, secret = create_token("Cổng dữ liệu", "viewer")
    by_token = client.__class__(HTTP_AUTHORIZATION=f"Bearer {secret}").get(
        "/api/export/tasks.json", {"ngay": DAY, "trang_thai": "overdue"})
    assert [r["id"] for r in by_token.json()] == [int(r["id"]) for r in rows]
    assert client.__class__().get("/api/export/tasks.json").status_code == 401
    assert client.get("/api/export/secrets.csv").status_code == 404
    xlsx = client.get("/api/export/observations.xlsx", {"chi_tieu":
                                                         "ho-so-truc-tuyen-toan-trinh"})
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    assert {row[0].value for row in sheet.iter_rows(min_row=2)} == {
        "ho-so-truc-tuyen-toan-trinh"}


def test_the_export_command_writes_xlsx_and_the_bundle(data, tmp_path):
    from django.core.management import call_command

    out = io.StringIO()
    call_command("export", "tasks", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"),
                 "--as-of", AS_OF.isoformat(), stdout=out)
    assert load_workbook(tmp_path / "t.xlsx").active.max_row == 23
    call_command("export", "opendata", "-o", str(tmp_path / "open"), stdout=out)
    assert (tmp_path / "open" / "tasks.csv").exists()
    assert datetime.date.today()
