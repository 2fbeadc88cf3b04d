"""The rankings page on a small database: defaults, what it says of what it cannot use,
and the download links with the page's own choices."""

import datetime
from decimal import Decimal

import pytest

from giamsat.indicators.models import Indicator, Observation, Unit

D = datetime.date


@pytest.fixture
def viewer(client, make_user):
    client.force_login(make_user("viewer"))
    return client


@pytest.fixture
def rate(db, org):
    indicator = Indicator.objects.create(code="ty-le-thu", name="Tỷ lệ thử",
                                         unit=Unit.PERCENT)
    for period, amount in ((D(2025, 5, 1), 20), (D(2025, 6, 1), 30)):
        Observation.objects.create(indicator=indicator, organisation=org("Hà Giang",
                                                                         D(2025, 6, 30)),
                                   period=period, value=Decimal(amount))
    return indicator


def test_the_latest_period_by_default_and_the_menu_entry(viewer, rate):
    page = viewer.get("/xep-hang/", {"ngay": "31/12/2025"}).content.decode()
    assert '<option value="2025-06" selected>06/2025</option>' in page
    assert 'data-org="ha-giang-truoc-2025-07" data-rank="1"' in page
    assert '<span class="rc none"' not in page and "↑" not in page  # one agency: "="
    assert 'aria-current="page">Xếp hạng</a>' in page
    assert "/api/export/rankings.csv?chi_tieu=ty-le-thu&amp;thang=2025-06&amp;ngay=31/12/2025" \
        in page
    # The ministries' table says it has nothing rather than showing an empty table.
    assert page.count("<table class=\"list compact league") == 1


def test_what_the_page_cannot_use_is_said(viewer, rate):
    page = viewer.get("/xep-hang/", {"chi_tieu": "khong-co", "thang": "13/2025"}).content.decode()
    assert "khong-co" in page and "13/2025" in page and 'role="alert"' in page
    assert 'data-org="ha-giang-truoc-2025-07"' in page  # the first indicator, its latest month
    before = viewer.get("/xep-hang/", {"ngay": "01/01/2025"}).content.decode()
    assert 'data-org="ha-giang-truoc-2025-07"' not in before


def test_without_any_agency_value(viewer, db):
    page = viewer.get("/xep-hang/").content.decode()
    assert viewer.get("/xep-hang/").status_code == 200
    assert 'data-groups="target-central"' not in page


def test_the_api_refuses_what_it_cannot_use(viewer, rate):
    assert viewer.get("/api/v1/rankings/khong-co").status_code == 404
    assert viewer.get("/api/v1/rankings/ty-le-thu", {"period": "2025-13"}).status_code == 400
    body = viewer.get("/api/v1/rankings/ty-le-thu", {"as_of": "2025-12-31"}).json()
    assert body["period"] == "2025-06-01"
    provinces = next(b for b in body["blocs"] if b["bloc"] == "provinces")
    assert [(r["organisation"], r["rank"], r["change"]) for r in provinces["rows"]] == [
        ("ha-giang-truoc-2025-07", 1, "10.0000")]
    assert viewer.get("/api/export/rankings.csv", {"chi_tieu": "khong-co"}).status_code == 400
