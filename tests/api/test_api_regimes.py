"""The API's agency reports under every regime: a quarterly report written in bulk by its
period key, a bad regime or period refused in the one error shape, a key bound to its
report's regime."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from giamsat.api.tokens import create_token
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator
from giamsat.reporting.models import Regime, RegimeIndicator, Submission

NOW = timezone.make_aware(datetime.datetime(2025, 9, 20, 10, 0))  # Q3's report is open
QUARTER = "/api/v1/agency-reports/ha-noi/2025-Q3/bulk"
MONTH = "/api/v1/agency-reports/ha-noi/2025-09/bulk"


@pytest.fixture
def api(db, org):
    sync_indicators()
    # The provinces report the quarterly e-commerce sales: Hà Nội owes a quarterly report.
    RegimeIndicator.objects.create(
        regime=Regime.objects.get(code="quy"),
        indicator=Indicator.objects.get(code="doanh-so-thuong-mai-dien-tu"), kinds="province")
    _token, secret = create_token("Hệ thống Hà Nội", "agency_leader", org("Hà Nội"))
    with time_machine.travel(NOW, tick=False):
        yield Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def post(client, url, key="hn-q3"):
    data = {"idempotency_key": key, "values": [{"indicator": "doanh-so-thuong-mai-dien-tu",
                                                "value": "4500"}]}
    return client.post(url, json.dumps(data), content_type="application/json")


def test_a_quarterly_report_is_written_by_its_period_key(api):
    answer = post(api, QUARTER)
    assert answer.status_code == 200, answer.content
    report = Submission.objects.get(pk=answer.json()["agency_report_id"])
    assert (report.regime.code, report.period) == ("quy", datetime.date(2025, 7, 1))
    assert post(api, QUARTER + "?regime=quy", key="hn-q3-b").status_code == 200
    listed = api.get("/api/v1/agency-reports", {"period": "2025-Q3"}).json()
    assert [(r["regime"], r["period_key"], r["period_label"]) for r in listed["items"]] == \
        [("quy", "2025-Q3", "Quý III/2025")]
    assert api.get("/api/v1/agency-reports", {"regime": "quy"}).json()["count"] == 1
    assert api.get("/api/v1/agency-reports", {"regime": "thang"}).json()["count"] == 0


def test_a_key_is_bound_to_its_reports_regime(api):
    assert post(api, QUARTER).status_code == 200
    again = post(api, MONTH)  # the same key, September's monthly report
    assert again.status_code == 409 and again.json()["error"]["code"] == "conflict"
    assert "Quý III/2025" in again.json()["error"]["message"]


@pytest.mark.parametrize("url, field", [
    ("/api/v1/agency-reports/ha-noi/2025-Q5/bulk", "period"),
    ("/api/v1/agency-reports/ha-noi/2025-13/bulk", "period"),
    ("/api/v1/agency-reports/ha-noi/2025-Q3/bulk?regime=khong-co", "regime"),
    ("/api/v1/agency-reports/ha-noi/2025-Q3/bulk?regime=thang", "period"),
])
def test_a_bad_regime_or_period_is_refused_and_writes_nothing(api, url, field):
    answer = post(api, url)
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert any(field in detail["field"] for detail in error["details"]), error
    assert not Submission.objects.exists()
    listed = api.get("/api/v1/agency-reports", {"regime": "khong-co"})
    assert listed.status_code == 400 and listed.json()["error"]["details"][0]["field"] == \
        "regime"


def test_a_quarterly_report_refuses_a_monthly_indicator(api):
    """Its value would be kept under September, replacing the monthly report's."""
    data = {"idempotency_key": "hn-q3-monthly", "values": [
        {"indicator": "ho-so-truc-tuyen-toan-trinh", "value": "45"}]}
    answer = api.post(QUARTER, json.dumps(data), content_type="application/json")
    assert answer.status_code == 400, answer.content
    error = answer.json()["error"]
    assert error["code"] == "validation_error"
    assert error["details"][0]["field"] == "values[0].indicator"
    assert "Tỷ lệ hồ sơ trực tuyến toàn trình" in error["details"][0]["message"]
    assert not Submission.objects.exists()


def test_a_regime_out_of_use_takes_no_report(api):
    Regime.objects.filter(code="quy").update(is_active=False)
    answer = post(api, QUARTER + "?regime=quy")
    assert answer.status_code == 400, answer.content
    assert answer.json()["error"]["details"][0]["field"] == "regime"
    assert post(api, QUARTER, key="hn-q3-b").status_code == 400  # no quarterly regime in use
    assert not Submission.objects.exists()


def test_an_agency_that_owes_no_report_writes_none(api):
    RegimeIndicator.objects.filter(regime__code="quy").update(kinds="ministry")
    answer = post(api, QUARTER)
    assert answer.status_code == 409, answer.content
    assert "Hà Nội" in answer.json()["error"]["message"]
    assert not Submission.objects.exists()
