"""Stored reporting regimes decide which days' data belong to a period (the Decree
09/2019 window ends on the 14th), when the report is due, and who must report."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation
from giamsat.orgs.models import Organisation
from giamsat.reporting import rules
from giamsat.reporting.models import Regime, RegimeIndicator
from giamsat.tasks.models import Assignment, Role, Task, Update

D = datetime.date
pytestmark = pytest.mark.django_db


def test_the_regimes_are_data():
    assert set(Regime.objects.values_list("code", flat=True)) == {"thang", "quy", "6-thang",
                                                                   "nam"}
    quarter = rules.regime("quy")
    assert rules.window(quarter, D(2025, 4, 1)) == (D(2025, 3, 15), D(2025, 6, 14))
    assert rules.due_date(quarter, D(2025, 4, 1)) == D(2025, 7, 20)
    assert rules.window(rules.regime(), D(2025, 4, 1)) == (D(2025, 4, 1), D(2025, 4, 30))
    assert rules.reminder_days(quarter) == [7, 1]


@pytest.fixture
def rate(db):
    sync_indicators()
    return Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")


def test_the_14th_and_the_15th_fall_in_different_periods(rate):
    hanoi = Organisation.objects.get(slug="ha-noi")

    def taken(day, period):
        return Observation.objects.create(indicator=rate, organisation=hanoi, period=period,
                                          value=Decimal(40), observed_on=day, source="report")

    on_14 = taken(D(2025, 9, 14), D(2025, 9, 1))
    on_15 = taken(D(2025, 9, 15), D(2025, 10, 1))
    decree = Regime.objects.create(code="thang-nd09", name="Tháng (NĐ 09)", period_type="month",
                                   cutoff="decree_09_2019", due_day=20)
    calendar = rules.regime()
    rows = Observation.objects.all()
    assert set(rules.observations_in(decree, D(2025, 9, 1), rows)) == {on_14}
    assert set(rules.observations_in(decree, D(2025, 10, 1), rows)) == {on_15}
    assert set(rules.observations_in(calendar, D(2025, 9, 1), rows)) == {on_14, on_15}
    assert rules.period_of(decree, D(2025, 9, 15)) == D(2025, 10, 1)
    assert rules.period_of(calendar, D(2025, 9, 15)) == D(2025, 9, 1)
    # A value without a day of its own counts on its month's last day.
    undated = Observation.objects.create(indicator=rate, organisation=hanoi,
                                         period=D(2025, 8, 1), value=Decimal(39),
                                         source="report")
    assert undated in rules.observations_in(decree, D(2025, 9, 1), Observation.objects.all())
    # Updates: by completion day, else by the day they were sent.
    task = Task.objects.create(title="Số hóa hồ sơ")
    assignment = Assignment.objects.create(task=task, organisation=hanoi, role=Role.LEAD)
    done_14 = Update.objects.create(assignment=assignment, period=D(2025, 9, 1),
                                    status="completed", completed_on=D(2025, 9, 14))
    sent_15 = Update.objects.create(assignment=assignment, period=D(2025, 9, 1),
                                    status="in_progress", submitted_at=timezone.make_aware(
                                        datetime.datetime(2025, 9, 15, 9)))
    updates = Update.objects.all()
    assert set(rules.updates_in(decree, D(2025, 9, 1), updates)) == {done_14}
    assert set(rules.updates_in(decree, D(2025, 10, 1), updates)) == {sent_15}
    assert set(rules.updates_in(calendar, D(2025, 9, 1), updates)) == {done_14, sent_15}


def test_who_must_report_an_indicator_is_the_regimes_rule(rate):
    everyone = rules.expected_for(rate, D(2025, 9, 1))
    assert everyone.filter(kind="government-agency").exists()
    rule = RegimeIndicator.objects.create(regime=rules.regime(), indicator=rate,
                                          kinds="ministry,ministerial-agency,province")
    rule.exempt.add(Organisation.objects.get(slug="van-phong-chinh-phu"))
    expected = rules.expected_for(rate, D(2025, 9, 1))
    assert not expected.filter(kind="government-agency").exists()
    assert not expected.filter(slug="van-phong-chinh-phu").exists()
    assert expected.filter(slug="ha-noi").exists() and expected.count() == (
        everyone.count() - everyone.filter(kind="government-agency").count() - 1)


def test_the_api_lists_the_regimes_with_a_periods_window(client, make_user):
    client.force_login(make_user("viewer"))
    found = {r["code"]: r for r in client.get("/api/v1/regimes",
                                              {"period": "2025-05-20"}).json()}
    assert found["quy"]["window_start"] == "2025-03-15"
    assert found["quy"]["window_end"] == "2025-06-14"
    assert found["quy"]["due_date"] == "2025-07-20"
    assert found["thang"]["window_end"] == "2025-05-31"


def test_the_api_takes_the_regimes_period_holding_the_day(client, make_user):
    """20/06/2025 is after Q2's data end (14/06, Decree 09): it lies in Q3's window."""
    client.force_login(make_user("viewer"))
    found = {r["code"]: r for r in client.get("/api/v1/regimes",
                                              {"period": "2025-06-20"}).json()}
    assert (found["quy"]["window_start"], found["quy"]["window_end"],
            found["quy"]["due_date"]) == ("2025-06-15", "2025-09-14", "2025-10-20")
    assert found["6-thang"]["window_start"] == "2025-06-15"
    assert found["thang"]["window_start"] == "2025-06-01"
