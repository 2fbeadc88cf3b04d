"""Agency reports under a regime other than the monthly one: a quarterly report of the
Decree 09/2019 regime (data from 15/06 to 14/09 for Q3, due 20/10) is written, submitted,
returned, approved; its lateness, reporting rate and reminders follow the regime."""

import datetime
from decimal import Decimal

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation
from giamsat.notify.reminders import period_reminders
from giamsat.orgs.models import Organisation
from giamsat.reporting import rules, workflow
from giamsat.reporting.expected import reporting_rounds
from giamsat.reporting.models import RegimeIndicator, Submission, SubmissionState, ValueKind
from giamsat.tasks.models import Assignment, Role, Task, Update

D = datetime.date
pytestmark = pytest.mark.django_db
Q2 = D(2025, 4, 1)  # Quý II/2025: data 15/03–14/06/2025, due 20/07/2025
Q3 = D(2025, 7, 1)  # Quý III/2025: data 15/06–14/09/2025, due 20/10/2025


def at(day: D, hour: int = 9):
    return time_machine.travel(timezone.make_aware(datetime.datetime(
        day.year, day.month, day.day, hour)), tick=False)


def done(day: D) -> workflow.UpdateInput:
    return workflow.UpdateInput(status="completed", completed_on=day, result="Đã ban hành.",
                                evidence="Kế hoạch số 12/KH-UBND ngày 10/6/2025")


@pytest.fixture
def quarterly(db, org):
    """The quarterly regime, with the provinces reporting the e-commerce sales of the
    quarter (less Tuyên Quang, exempt)."""
    sync_indicators()
    regime = rules.regime("quy")
    rate = Indicator.objects.get(code="doanh-so-thuong-mai-dien-tu")
    rule = RegimeIndicator.objects.create(regime=regime, indicator=rate, kinds="province")
    rule.exempt.add(org("Tuyên Quang"))
    return {"regime": regime, "rate": rate}


@pytest.fixture
def assignment(org):
    task = Task(title="Ban hành kế hoạch số hóa hồ sơ")
    task.set_deadline("Quý III/2025")
    task.save()
    return Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)


def test_the_period_keys_name_the_regime():
    assert rules.resolve("2025-10")[1] == D(2025, 10, 1)
    regime, period = rules.resolve("2025-Q2")
    assert (regime.code, period) == ("quy", Q2)
    assert rules.resolve("2025-H2")[0].code == "6-thang"
    assert rules.resolve("2025-H2")[1] == D(2025, 7, 1)
    assert rules.resolve("2025") == (rules.regime("nam"), D(2025, 1, 1))
    assert rules.resolve("2025-Q2", "quy")[0].code == "quy"
    for bad in ("2025-Q5", "2025-13", "2025-7", "25-Q1", "", "1000"):
        with pytest.raises(rules.UnknownPeriod):
            rules.resolve(bad)
    with pytest.raises(rules.UnknownPeriod):
        rules.resolve("2025-Q2", "thang")  # a monthly regime has no quarters
    with pytest.raises(rules.UnknownPeriod):
        rules.resolve("2025-Q2", "khong-co")
    assert rules.key(rules.regime("quy"), Q2) == "2025-Q2"


def test_a_quarterly_report_from_draft_to_approval(quarterly, assignment, roles, org):
    regime, hanoi = quarterly["regime"], org("Hà Nội")
    reporter, leader, office = (roles["agency_reporter"], roles["agency_leader"],
                                roles["standing_office"])
    # Not before its data begin (15/06/2025).
    with pytest.raises(workflow.WorkflowError, match="15/06/2025"):
        workflow.start_report(hanoi, Q3, reporter, today=D(2025, 6, 14), regime=regime)
    report = workflow.start_report(hanoi, Q3, reporter, today=D(2025, 9, 16), regime=regime)
    assert report.regime == regime and str(report) == "Hà Nội — Quý III/2025"
    assert report.period_key == "2025-Q3"
    # The monthly report for July is another report.
    july = workflow.start_report(hanoi, Q3, reporter, today=D(2025, 8, 2))
    assert july.pk != report.pk and july.regime.code == "thang"
    assert Submission.objects.filter(organisation=hanoi, period=Q3).count() == 2
    # Completed on the 15th of September: after the quarter's data, the next report's.
    with pytest.raises(workflow.WorkflowError, match="14/09/2025"):
        workflow.save_update(report, assignment, done(D(2025, 9, 15)), 0, reporter,
                             today=D(2025, 9, 20))
    workflow.save_update(report, assignment, done(D(2025, 9, 14)), 0, reporter,
                         today=D(2025, 9, 20))
    workflow.save_values(report, [workflow.ValueInput(quarterly["rate"].pk, ValueKind.VALUE,
                                                      Decimal(4500), 0, "4500")],
                         reporter, today=D(2025, 9, 20))
    report.refresh_from_db()
    with at(D(2025, 10, 18)):
        workflow.submit(report, leader, report.version, today=D(2025, 10, 18))
    report.refresh_from_db()
    workflow.return_report(report, office, report.version, "Bổ sung văn bản.")
    report.refresh_from_db()
    assert report.state == SubmissionState.RETURNED
    with at(D(2025, 10, 20)):
        workflow.submit(report, leader, report.version, today=D(2025, 10, 20))
    report.refresh_from_db()
    workflow.approve(report, office, report.version)
    assignment.refresh_from_db()
    assert assignment.completed_on == D(2025, 9, 14)
    # The value is taken on the quarter's last day of data, kept under September.
    observation = Observation.objects.get(indicator=quarterly["rate"], organisation=hanoi)
    assert (observation.period, observation.observed_on) == (D(2025, 9, 1), D(2025, 9, 14))
    assert "Quý III/2025" in observation.source
    # On time: first submitted by 20/10; the period closes after it.
    rounds = reporting_rounds(D(2025, 10, 25), regime)
    assert rounds.closed.period == Q3 and rounds.closed.due == D(2025, 10, 20)
    assert rounds.closed.on_time == rounds.closed.received == 1
    with pytest.raises(workflow.WorkflowError, match="20/10/2025"):
        workflow.start_report(org("Tuyên Quang"), Q3, roles["other_reporter"],
                              today=D(2025, 10, 21), regime=regime)


def test_a_report_first_sent_after_the_due_day_is_late(quarterly, roles, org, make_user):
    regime, hue = quarterly["regime"], org("Huế")
    reporter = make_user("agency_leader", "hue")
    workflow.reopen(hue, Q3, roles["standing_office"], D(2025, 10, 31), "Mất điện",
                    today=D(2025, 10, 22), regime=regime)
    report = Submission.objects.get(organisation=hue, regime=regime, period=Q3)
    workflow.save_values(report, [workflow.ValueInput(quarterly["rate"].pk, ValueKind.VALUE,
                                                      Decimal(3000), 0, "3000")],
                         reporter, today=D(2025, 10, 23))
    report.refresh_from_db()
    with at(D(2025, 10, 23)):
        workflow.submit(report, reporter, report.version, today=D(2025, 10, 23))
    status = reporting_rounds(D(2025, 10, 25), regime).closed
    assert status.received == 1 and status.on_time == 0


def test_updates_on_the_14th_and_15th_fall_in_different_quarters(assignment):
    regime = rules.regime("quy")
    on_14 = Update.objects.create(assignment=assignment, period=Q2, status="completed",
                                  completed_on=D(2025, 6, 14))
    on_15 = Update.objects.create(assignment=assignment, period=D(2025, 7, 1),
                                  status="completed", completed_on=D(2025, 6, 15))
    assert set(rules.updates_in(regime, Q2, Update.objects.all())) == {on_14}
    assert set(rules.updates_in(regime, D(2025, 7, 1), Update.objects.all())) == {on_15}
    assert rules.period_of(regime, D(2025, 6, 15)) == D(2025, 7, 1)
    assert rules.due_date(regime, Q2) == D(2025, 7, 20)


def test_the_rate_of_each_regime_counts_its_own_agencies(quarterly, roles, org):
    regime = quarterly["regime"]
    report = workflow.start_report(org("Hà Nội"), Q3, roles["agency_reporter"],
                                   today=D(2025, 9, 20), regime=regime)
    workflow.save_values(report, [workflow.ValueInput(quarterly["rate"].pk, ValueKind.VALUE,
                                                      Decimal(4500), 0, "4500")],
                         roles["agency_reporter"], today=D(2025, 9, 20))
    report.refresh_from_db()
    with at(D(2025, 10, 1)):
        workflow.submit(report, roles["agency_leader"], report.version, today=D(2025, 10, 1))
    quarter = reporting_rounds(D(2025, 10, 25), regime)
    # The 34 provinces of 30/09/2025, less Tuyên Quang; no ministry reports this regime.
    assert quarter.closed.expected == 33 and quarter.closed.received == 1
    assert not any(row.organisation.kind != "province" for row in quarter.closed.rows)
    assert quarter.open.period == D(2025, 10, 1)  # Q4: data from 15/09
    # The monthly round is as it was: September, every reporting agency, no quarterly one.
    month = reporting_rounds(D(2025, 10, 25))
    assert month.closed.period == D(2025, 9, 1) and month.closed.expected == 56
    assert month.closed.received == 0
    # The half-year regime names no indicators: nobody owes it a report yet.
    assert reporting_rounds(D(2025, 10, 25), rules.regime("6-thang")).closed.expected == 0


def test_quarterly_reminders_fire_on_the_regimes_days(quarterly, org):
    hanoi = org("Hà Nội")

    def found(day):
        return {r.rule: r for r in period_reminders(day) if r.key.startswith("period:quy:")
                and r.organisation_id == hanoi.pk}

    opened = found(D(2025, 9, 15))  # Q3's data end on the 14th: its report is open
    assert set(opened) == {"period_open"}
    assert "quý III/2025" in opened["period_open"].text and "20/10/2025" in \
        opened["period_open"].text
    assert "period_closing" not in found(D(2025, 10, 12))
    week = found(D(2025, 10, 13))["period_closing"]  # 7 days before
    assert week.key.startswith("period:quy:2025-Q3:closing:")
    assert found(D(2025, 10, 18))["period_closing"].key == week.key  # claimed once
    last = found(D(2025, 10, 19))["period_closing"]  # 1 day before: its own window
    assert last.key.startswith("period:quy:2025-Q3:closing-1:")
    missing = found(D(2025, 10, 21))
    assert set(missing) == {"not_reported"} and "quý III/2025" in missing["not_reported"].text
    # Tuyên Quang is exempt; the half-year regime reminds nobody.
    exempt = org("Tuyên Quang")
    assert not [r for r in period_reminders(D(2025, 10, 21))
                if r.key.startswith("period:quy:") and r.organisation_id == exempt.pk]
    assert not [r for r in period_reminders(D(2025, 10, 21))
                if r.key.startswith("period:6-thang:")]


def test_a_non_monthly_regime_does_not_take_a_monthly_indicator(quarterly, roles, org):
    """A quarterly value of a monthly indicator would be kept under the quarter's last
    month, where the monthly report's approved value is: refused in the rule and in the
    report, so that June's 40 is never overwritten by Q2's 30."""
    dossiers = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    rule = RegimeIndicator(regime=quarterly["regime"], indicator=dossiers, kinds="province")
    with pytest.raises(ValidationError) as refused:
        rule.full_clean()
    assert dossiers.name in str(refused.value)
    half_year = RegimeIndicator(regime=rules.regime("6-thang"), indicator=dossiers,
                                kinds="province")
    with pytest.raises(ValidationError):
        half_year.full_clean()
    RegimeIndicator(regime=rules.regime("6-thang"), indicator=quarterly["rate"],
                    kinds="province").full_clean()  # a quarterly indicator: taken
    RegimeIndicator(regime=rules.regime("thang"), indicator=dossiers,
                    kinds="province").full_clean()
    # The report refuses a value for it, and writes nothing.
    hanoi, reporter = org("Hà Nội"), roles["agency_reporter"]
    report = workflow.start_report(hanoi, Q3, reporter, today=D(2025, 9, 20),
                                   regime=quarterly["regime"])
    with pytest.raises(workflow.ValuesRefused, match=dossiers.name):
        workflow.save_values(report, [workflow.ValueInput(dossiers.pk, ValueKind.VALUE,
                                                          Decimal(30), 0, "30")],
                             reporter, today=D(2025, 9, 20))
    assert not report.values.exists()


def test_only_an_agency_that_owes_the_period_starts_its_report(quarterly, roles, org,
                                                               make_user):
    # Tuyên Quang is exempt from the regime's only indicator: it owes no quarterly report.
    with pytest.raises(workflow.WorkflowError, match="Tuyên Quang"):
        workflow.start_report(org("Tuyên Quang"), Q3, roles["other_reporter"],
                              today=D(2025, 9, 20), regime=quarterly["regime"])
    # Nor does a ministry; the monthly report is everybody's, as always.
    ministry = Organisation.objects.filter(kind="ministry").valid_on(D(2025, 9, 30)).first()
    with pytest.raises(workflow.WorkflowError, match=ministry.name):
        workflow.start_report(ministry, Q3, make_user("agency_reporter", ministry.slug),
                              today=D(2025, 9, 20), regime=quarterly["regime"])
    assert workflow.start_report(org("Tuyên Quang"), D(2025, 9, 1), roles["other_reporter"],
                                 today=D(2025, 9, 20)).regime.code == "thang"
    assert not Submission.objects.filter(regime=quarterly["regime"]).exists()


def test_a_regime_out_of_use_is_not_resolved_by_its_code(quarterly):
    quarterly["regime"].is_active = False
    quarterly["regime"].save()
    with pytest.raises(rules.UnknownPeriod, match="quy"):
        rules.resolve("2025-Q3", "quy")
    assert rules.resolve("2025-09", "thang")[0].code == "thang"
