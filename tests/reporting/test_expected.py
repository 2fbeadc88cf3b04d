"""Who must report for a month, when it is due, and who has reported."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from giamsat.reporting.expected import (
    expected_organisations,
    reporting_rounds,
    reporting_status,
    waiting_for_review,
)
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.reporting.periods import (
    current_period,
    due_date,
    is_open,
    last_closed_period,
    parse_month_as_written,
    parse_period,
    period_label,
    recent_periods,
)

D = datetime.date


def test_periods_are_months_due_on_the_fifth_of_the_next():
    assert parse_period("2025-07") == D(2025, 7, 1)
    for text in ("2025-13", "tháng 7", "2025-7", " 2025-07", "07/2025", "1899-12", "2200-01"):
        assert parse_period(text) is None, text
    # What a person types in a form; still never "2025-7".
    for text in ("07/2025", "7/2025", " 7/2025 ", "2025-07"):
        assert parse_month_as_written(text) == D(2025, 7, 1), text
    for text in ("2025-7", "13/2025", "7/25", "0/2025"):
        assert parse_month_as_written(text) is None, text
    assert due_date(D(2025, 7, 1)) == D(2025, 8, 5)
    assert due_date(D(2025, 12, 1)) == D(2026, 1, 5)
    assert period_label(D(2025, 7, 1)) == "07/2025"
    assert current_period(D(2025, 8, 5)) == D(2025, 7, 1)  # still the July report
    assert current_period(D(2025, 8, 6)) == D(2025, 8, 1)
    assert is_open(D(2025, 7, 1), D(2025, 8, 5)) and not is_open(D(2025, 7, 1), D(2025, 8, 6))
    assert is_open(D(2025, 7, 1), D(2025, 8, 20), reopened_until=D(2025, 8, 20))
    assert not is_open(D(2025, 9, 1), D(2025, 8, 20))  # a month not begun
    assert recent_periods(D(2025, 8, 20), 3) == [D(2025, 8, 1), D(2025, 7, 1), D(2025, 6, 1)]


def test_the_due_day_is_configurable(settings):
    settings.REPORT_DUE_DAY = 31
    assert due_date(D(2025, 1, 1)) == D(2025, 2, 28)  # no 31 February


@pytest.mark.django_db
def test_expected_agencies_follow_the_restructuring():
    # 22 central agencies from 01/03/2025; 63 provinces in June, 34 in July.
    june = expected_organisations(D(2025, 6, 1))
    july = expected_organisations(D(2025, 7, 1))
    assert june.filter(kind="province").count() == 63
    assert july.filter(kind="province").count() == 34
    assert july.exclude(kind="province").count() == 22
    assert june.count() == 85 and july.count() == 56
    # Before the ministries merged, the former ministries were expected instead.
    assert expected_organisations(D(2025, 1, 1)).filter(
        name="Bộ Thông tin và Truyền thông").exists()


@pytest.mark.django_db
def test_received_on_time_and_missing(org):
    july = D(2025, 7, 1)
    hanoi, hue, police = org("Hà Nội"), org("Huế"), org("Bộ Công an")
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 8, 4, 9)), tick=False):
        Submission.objects.create(organisation=hanoi, period=july, state=SubmissionState.APPROVED,
                                  first_submitted_at=timezone.now(), submitted_at=timezone.now())
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 8, 9, 9)), tick=False):
        Submission.objects.create(organisation=hue, period=july, state=SubmissionState.SUBMITTED,
                                  first_submitted_at=timezone.now(), submitted_at=timezone.now())
    Submission.objects.create(organisation=police, period=july)  # a draft is not a report
    status = reporting_status(july, as_of=D(2025, 8, 31))
    assert (status.expected, status.received, status.on_time, status.approved) == (56, 2, 1, 1)
    missing = {row.organisation.name for row in status.missing}
    assert "Bộ Công an" in missing and "Hà Nội" not in missing and len(missing) == 54
    # Seen from 05/08, Huế's late report had not come in yet.
    assert reporting_status(july, as_of=D(2025, 8, 5)).received == 1
    assert str(status.reporting_rate) == "1/28"
    # Approved on 02/09: a report written as of 31/08 does not count it as approved yet.
    Submission.objects.filter(organisation=hanoi).update(
        reviewed_at=timezone.make_aware(datetime.datetime(2025, 9, 2, 10)))
    assert reporting_status(july, as_of=D(2025, 8, 31)).approved == 0
    assert reporting_status(july, as_of=D(2025, 9, 2)).approved == 1


def test_the_last_closed_period_is_the_latest_whose_due_day_has_passed():
    assert last_closed_period(D(2025, 8, 5)) == D(2025, 6, 1)  # July's is due today
    assert last_closed_period(D(2025, 8, 6)) == D(2025, 7, 1)
    assert last_closed_period(D(2025, 8, 31)) == D(2025, 7, 1)
    assert last_closed_period(D(2026, 1, 3)) == D(2025, 11, 1)
    assert last_closed_period(D(2026, 1, 6)) == D(2025, 12, 1)


def _sent(organisation, period, at, state=SubmissionState.APPROVED):
    return Submission.objects.create(organisation=organisation, period=period, state=state,
                                     first_submitted_at=at, submitted_at=at)


def _at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.mark.django_db
def test_rounds_rate_the_closed_period_and_show_the_open_one(org):
    hanoi, hue = org("Hà Nội"), org("Huế")
    _sent(hanoi, D(2025, 7, 1), _at(2025, 8, 4, 9))
    _sent(hue, D(2025, 7, 1), _at(2025, 8, 7, 9))  # late
    _sent(hanoi, D(2025, 8, 1), _at(2025, 9, 2, 9), SubmissionState.SUBMITTED)
    rounds = reporting_rounds(D(2025, 9, 3))
    assert rounds.closed.period == D(2025, 7, 1) and not rounds.closed.is_open
    assert (rounds.closed.received, rounds.closed.on_time, rounds.closed.expected) == (2, 1, 56)
    assert rounds.open.period == D(2025, 8, 1) and rounds.open.is_open
    assert (rounds.open.received, rounds.open.expected) == (1, 56)
    # The numbers are reporting_status's, whoever asks.
    assert rounds.closed.rows == reporting_status(D(2025, 7, 1), D(2025, 9, 3)).rows
    later = reporting_rounds(D(2025, 9, 6))
    assert later.closed.period == D(2025, 8, 1) and later.closed.received == 1
    assert later.open.period == D(2025, 9, 1) and later.open.received == 0


@pytest.mark.django_db
def test_waiting_reports_are_aged_in_calendar_days_and_flagged(org, settings):
    hanoi, hue, police = org("Hà Nội"), org("Huế"), org("Bộ Công an")
    old = _sent(hanoi, D(2025, 7, 1), _at(2025, 8, 4, 23, 30), SubmissionState.SUBMITTED)
    young = _sent(hue, D(2025, 7, 1), _at(2025, 8, 9, 8), SubmissionState.SUBMITTED)
    _sent(police, D(2025, 7, 1), _at(2025, 8, 1, 8))  # approved: not waiting
    waiting = waiting_for_review(Submission.objects.all(), D(2025, 8, 10))
    assert [(w.submission, w.days, w.overdue) for w in waiting] == [
        (old, 6, True), (young, 1, False)]
    # Exactly the limit is not yet overdue; the limit is a setting.
    assert not waiting_for_review(Submission.objects.all(), D(2025, 8, 9))[0].overdue
    settings.REVIEW_OVERDUE_DAYS = 10
    assert not any(w.overdue for w in waiting_for_review(Submission.objects.all(),
                                                         D(2025, 8, 10)))
    # A report returned and submitted again waits from its last submission.
    old.submitted_at = _at(2025, 8, 8, 10)
    old.save()
    assert waiting_for_review(Submission.objects.filter(pk=old.pk), D(2025, 8, 10))[0].days == 2
