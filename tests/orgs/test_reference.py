"""The reference data the project carries agrees with the facts in ../shared/reference."""

import csv
import datetime
import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command

from giamsat.orgs.exports import FIELDS
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgEvent, OrgKind
from giamsat.orgs.reference import load_reference

REFERENCE = Path(__file__).resolve().parents[2].parent / "shared" / "reference"
BEFORE = datetime.date(2025, 6, 30)
AFTER = datetime.date(2025, 7, 1)


@pytest.fixture(scope="module")
def reference_dir():
    if not REFERENCE.is_dir():
        pytest.skip(f"the reference facts are missing at {REFERENCE}")
    return REFERENCE


def read(reference_dir, name):
    with open(reference_dir / name, encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_counts_on_key_dates(db):
    central = Organisation.objects.central()
    provinces = Organisation.objects.provinces()
    assert central.valid_on(datetime.date(2025, 3, 1)).count() == 22
    # Before the merger: the 20 that continued, the 9 that ceased; the 2 new ones not yet.
    assert central.valid_on(datetime.date(2025, 2, 28)).count() == 29
    assert provinces.valid_on(BEFORE).count() == 63
    assert provinces.valid_on(AFTER).count() == 34
    assert provinces.valid_on(datetime.date(2024, 12, 31)).filter(name="Thừa Thiên Huế").exists()


def test_central_agencies_match_reference(db, reference_dir):
    rows = read(reference_dir, "central-agencies-2025-03-01.csv")
    expected = {row["name"]: row["kind"] for row in rows}
    central = Organisation.objects.central().valid_on(datetime.date(2025, 3, 1))
    actual = dict(central.values_list("name", "kind"))
    assert actual == expected


def test_every_ceased_body_has_its_successor(db, reference_dir):
    for row in read(reference_dir, "central-agencies-ceased-2025-03-01.csv"):
        body = Organisation.objects.get(name=row["name"])
        assert body.valid_to == datetime.date(2025, 2, 28)
        event = OrgEvent.objects.get(source=body, kind="merge")
        assert event.target.name == row["successor"]
        assert event.effective_date == datetime.date(2025, 3, 1)


def test_provinces_match_reference_codes_and_successors(db, reference_dir):
    new = {row["code"]: row for row in read(reference_dir, "provinces-2025-07-01.csv")}
    for row in read(reference_dir, "provinces-before-2025-07-01.csv"):
        former = Organisation.objects.provinces().valid_on(BEFORE).get(name=row["name"])
        assert former.code == row["code"]
        assert former.admin_type == row["type"]
        (event,) = OrgEvent.objects.filter(source=former)
        assert event.effective_date == AFTER
        assert event.target.code == row["successor_code"]
        assert event.target.name == new[row["successor_code"]]["name"]
    for code, row in new.items():
        current = Organisation.objects.provinces().valid_on(AFTER).get(code=code)
        assert current.name == row["name"]
        formed_from = sorted(e.source.name for e in OrgEvent.objects.filter(target=current))
        assert formed_from == sorted(row["formed_from_old_provinces"].split(";"))


def test_loading_twice_changes_nothing(db):
    before = (Organisation.objects.count(), OrgEvent.objects.count(),
              Organisation.history.count())
    counts = load_reference()
    assert (counts.organisations_created, counts.organisations_updated,
            counts.aliases_created, counts.events_created) == (0, 0, 0, 0)
    assert before == (Organisation.objects.count(), OrgEvent.objects.count(),
                      Organisation.history.count())


def test_local_changes_are_kept_and_facts_restored(db):
    org = Organisation.objects.get(slug="bo-cong-an")
    org.aliases.create(name="C06 Bộ Công an")
    org.name = "Bộ Công An (sửa nhầm)"
    org.save()
    counts = load_reference()
    org.refresh_from_db()
    assert org.name == "Bộ Công an" and counts.organisations_updated == 1
    assert org.aliases.filter(name="C06 Bộ Công an").exists()


def export_json():
    out = StringIO()
    call_command("export", "organisations", "--format", "json", stdout=out)
    return json.loads(out.getvalue())


def test_export_lists_current_and_former_with_successors(db):
    rows = export_json()
    today = datetime.date(2026, 11, 23)

    def valid(row, day):
        return (row["valid_from"] is None or row["valid_from"] <= day.isoformat()) and (
            row["valid_to"] is None or row["valid_to"] >= day.isoformat()
        )

    central = [r for r in rows if r["kind"] in CENTRAL_KINDS and valid(r, today)]
    provinces_now = [r for r in rows if r["kind"] == OrgKind.PROVINCE and valid(r, today)]
    former = [r for r in rows if r["kind"] == OrgKind.PROVINCE and valid(r, BEFORE)]
    assert len(central) == 22 and len(provinces_now) == 34 and len(former) == 63
    for row in former:
        assert row["successors"] and row["succession_date"] == "2025-07-01", row
    ha_giang = next(r for r in former if r["name"] == "Hà Giang")
    assert ha_giang["successors"] == "Tuyên Quang" and ha_giang["code"] == "02"
    tuyen_quang = next(r for r in provinces_now if r["name"] == "Tuyên Quang")
    assert tuyen_quang["predecessors"] == "Hà Giang; Tuyên Quang"
    assert tuyen_quang["predecessor_ids"] == "ha-giang-truoc-2025-07; tuyen-quang-truoc-2025-07"
    assert list(rows[0]) == FIELDS


def test_export_csv_has_a_header_and_every_organisation(db):
    out = StringIO()
    call_command("export", "organisations", "--format", "csv", stdout=out)
    rows = list(csv.DictReader(StringIO(out.getvalue())))
    assert len(rows) == Organisation.objects.count()
    assert {"id", "name", "successors", "succession_date"} <= set(rows[0])
