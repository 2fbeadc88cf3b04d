"""The June 2025 league tables on the corpus are those of appendix 03 of the half-year
report of 18/07/2025 (004): each agency's June value and registered target as the
document gives them, ranked here from the document's own text; the page, the API, the
exports and the quarterly report's rankings appendix give the same ranks."""

import csv
import datetime
import io
import json
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from giamsat.exporting import render
from giamsat.indicators.models import Indicator
from giamsat.orgs.resolve import resolve
from giamsat.rankings.tables import league
from giamsat.reports.builders import quarterly_report

pytestmark = [pytest.mark.corpus, pytest.mark.django_db]

D = datetime.date
JUNE = D(2025, 6, 1)
REPORT_DAY = D(2025, 7, 18)
RATE = "ho-so-truc-tuyen-toan-trinh"


def appendix_rows(text: str, start: str, end: str) -> list[list[str]]:
    """The rows of a table of appendix 03 as the document writes them: one cell per line,
    each starting with a tab, rows apart by a blank line; the header row left out."""
    body = text[text.index(start):]
    body = body[:body.index(end)]
    rows = []
    for block in body.split("\n\n"):
        cells = [line[1:].strip() for line in block.split("\n") if line.startswith("\t")]
        if cells and cells[0].isdigit():
            rows.append(cells)
    return rows


def june_in_the_document(text: str, start: str, end: str) -> dict[str, tuple]:
    """Organisation slug → (June value, June target or None, rank among the table's
    values, equal values sharing a rank), from appendix 03's text."""
    found = {}
    for cells in appendix_rows(text, start, end):
        # TT, name, then target and value for April, May and June, then the note.
        org = resolve(cells[1], D(2025, 6, 30)).organisation
        assert org is not None, cells[1]
        found[org.slug] = (Decimal(cells[7]), Decimal(cells[6]) if cells[6] else None)
    values = [v for v, _t in found.values()]
    return {slug: (v, t, 1 + sum(other > v for other in values))
            for slug, (v, t) in found.items()}


@pytest.fixture(scope="module")
def expected(corpus_text):
    text = corpus_text("004")
    return {"central": june_in_the_document(text, "a) Các bộ, ngành", "b) Các tỉnh"),
            "provinces": june_in_the_document(text, "b) Các tỉnh", "Số liệu của 34 tỉnh")}


@pytest.fixture(scope="module")
def june(imported_corpus, django_db_blocker):
    with django_db_blocker.unblock():
        return league(Indicator.objects.get(code=RATE), JUNE, REPORT_DAY)


def ranks_of(table) -> dict[str, tuple]:
    return {row.agency.slug: (row.value, row.target, row.rank) for row in table.rows}


def test_the_june_league_tables_are_appendix_03s(june, expected):
    assert len(expected["central"]) == 15 and len(expected["provinces"]) == 63
    for bloc in ("central", "provinces"):
        assert ranks_of(june.bloc(bloc)) == expected[bloc], bloc


def test_rows_read_off_the_document(june):
    central, provinces = june.bloc("central"), june.bloc("provinces")
    first = central.rows[0]
    assert (first.agency.name, first.rank, first.value, first.target, first.met) == (
        "Bộ Nội vụ", 1, Decimal("67.44"), Decimal(60), True)
    # May → June: 73,11% → 67,44%.
    assert first.change == Decimal("-5.67") and first.previous_value == Decimal("73.11")
    assert [(r.agency.name, r.rank) for r in central.bottom()] == [
        ("Bộ Văn hóa, Thể thao và Du lịch", 13), ("Bộ Ngoại giao", 14),
        ("Bộ Dân tộc và Tôn giáo", 14)]
    assert [(r.agency.name, r.value) for r in central.top()] == [
        ("Bộ Nội vụ", Decimal("67.44")), ("Bộ Công Thương", Decimal("62.15")),
        ("Bộ Tư pháp", Decimal("60.77"))]
    assert [(r.agency.name, r.value) for r in provinces.top()] == [
        ("Kiên Giang", Decimal("42.25")), ("Hà Nam", Decimal("41.07")),
        ("Bến Tre", Decimal("35.80"))]
    assert [(r.agency.name, r.rank, r.value) for r in provinces.bottom()] == [
        ("Đắk Lắk", 61, Decimal("3.15")), ("Hải Dương", 62, Decimal("2.79")),
        ("Hà Nội", 63, Decimal("0.86"))]
    # June's provinces are the 63 that existed on 30/06/2025.
    assert all(r.agency.valid_to == D(2025, 6, 30) for r in provinces.rows)
    # Bộ Nội vụ alone met its registered target ("Đạt chỉ tiêu đặt ra theo tháng").
    assert [r.agency.name for r in central.rows if r.met] == ["Bộ Nội vụ"]
    assert central.groups["I"] == [first.agency]


def test_the_july_table_ranks_the_34_provinces(imported_corpus):
    july = league(Indicator.objects.get(code=RATE), D(2025, 7, 1), REPORT_DAY)
    provinces = july.bloc("provinces")
    assert len(provinces.rows) == 34 and not july.bloc("central").rows
    assert (provinces.rows[0].agency.name, provinces.rows[0].value) == ("Sơn La",
                                                                         Decimal("30.4"))
    # An Giang took in Kiên Giang on 01/07/2025: without counts, June is not comparable.
    an_giang = next(r for r in provinces.rows if r.agency.name == "An Giang")
    assert an_giang.change is None and an_giang.rank_change is None


def test_the_page_shows_both_tables(imported_corpus, client, make_user, june):
    client.force_login(make_user("viewer"))
    page = client.get("/xep-hang/", {"chi_tieu": RATE, "thang": "06/2025",
                                     "ngay": "18/07/2025"}).content.decode()
    for bloc in ("central", "provinces"):
        table = page[page.index(f'data-bloc="{bloc}"'):]
        table = table[:table.index("</table>")]
        for row in june.bloc(bloc).rows:
            assert f'data-org="{row.agency.slug}" data-rank="{row.rank}"' in table
    assert "Bộ Nội vụ (67,44%), Bộ Công Thương (62,15%), Bộ Tư pháp (60,77%)" in page
    assert "Đắk Lắk (3,15%), Hải Dương (2,79%), Hà Nội (0,86%)" in page
    assert 'data-group="I"' in page and 'data-groups="on-time-central"' in page
    detail = client.get(f"/chi-tieu/{RATE}/", {"thang": "2025-06"}).content.decode()
    assert f"/xep-hang/?chi_tieu={RATE}&amp;thang=2025-06" in detail


def test_the_api_gives_the_same_ranks(imported_corpus, client, make_user, june):
    client.force_login(make_user("viewer"))
    body = client.get(f"/api/v1/rankings/{RATE}", {"period": "2025-06",
                                                   "as_of": "2025-07-18"}).json()
    assert body["period"] == "2025-06-01" and body["previous_period"] == "2025-05-01"
    for bloc in body["blocs"]:
        table = june.bloc(bloc["bloc"])
        assert [(r["organisation"], r["rank"], Decimal(r["value"])) for r in bloc["rows"]] == [
            (row.agency.slug, row.rank, row.value) for row in table.rows]
        assert {g["name"]: g["organisations"] for g in bloc["groups"]} == {
            name: [o.slug for o in orgs] for name, orgs in table.groups.items()}
    groups = client.get("/api/v1/compliance-groups", {"as_of": "2025-07-18"}).json()
    assert [b["bloc"] for b in groups["blocs"]] == ["central", "provinces"]
    science = next(a for a in groups["blocs"][0]["agencies"]
                   if a["organisation"] == "bo-khoa-hoc-va-cong-nghe")
    assert science["due_total"] >= science["due_on_time"] > 0


def test_the_exports_have_the_same_rows(imported_corpus, june):
    filters = {"indicator": RATE, "period": JUNE}
    expected = [(row.agency.slug, str(row.rank)) for table in june.tables
                for row in table.rows]
    rows = list(csv.DictReader(io.StringIO(
        render("rankings", "csv", REPORT_DAY, **filters).decode("utf-8-sig"))))
    assert [(r["organisation_id"], r["rank"]) for r in rows] == expected
    assert rows[0]["value"] == "67.44" and rows[0]["met"] == "True"
    as_json = json.loads(render("rankings", "json", REPORT_DAY, **filters))
    assert [(r["organisation_id"], str(r["rank"])) for r in as_json] == expected
    sheet = load_workbook(io.BytesIO(render("rankings", "xlsx", REPORT_DAY, **filters))).active
    assert sheet.max_row == len(expected) + 1


def test_the_quarterly_report_ranks_the_same(imported_corpus, june):
    report = quarterly_report(2025, 2, as_of=REPORT_DAY, with_charts=False)
    appendix = report.appendix("05")
    central, _groups, provinces = appendix.tables()[:3]
    assert [(r[0], r[2]) for r in central.rows] == [
        (str(row.rank), row.agency.name) for row in june.bloc("central").rows]
    assert [r[2] for r in provinces.rows] == [
        row.agency.name for row in june.bloc("provinces").rows]
    assert central.rows[0][3:6] == ["67,44%", "60%", "Đạt"]
    text = "\n".join(b.text for b in report.blocks if hasattr(b, "text"))
    assert "tại Phụ lục 05." in text
    # The figures are kept with the generated report as JSON.
    assert json.loads(json.dumps(report.figures))["rankings"][RATE]["central"][0] == [
        "bo-noi-vu", 1, "67.4400"]
    assert ("các địa phương cao nhất: Kiên Giang (42,25%), Hà Nam (41,07%), Bến Tre (35,8%); "
            "thấp nhất: Đắk Lắk (3,15%), Hải Dương (2,79%), Hà Nội (0,86%).") in text
