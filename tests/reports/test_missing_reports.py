"""A period report written before its period has ended names the agencies missing a
report only for a month already due: as of 20/11/2025 the yearly report of 2025 names who
has not sent October's report, never December's (due on 05/01/2026) nor November's."""

import datetime
import re

import pytest
from django.utils import timezone

from giamsat.orgs.models import Organisation
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.reports.builders import quarterly_report, yearly_report

D = datetime.date
pytestmark = pytest.mark.django_db


def _named_months(report) -> set[str]:
    text = "\n".join(b.text for b in report.blocks if hasattr(b, "text"))
    return set(re.findall(r"chưa gửi báo cáo tháng (\d+/\d{4})", text))


def test_the_yearly_report_inside_the_year_names_only_reports_already_due():
    hanoi = Organisation.objects.valid_on(D(2025, 10, 31)).get(name="Hà Nội")
    at = timezone.make_aware(datetime.datetime(2025, 11, 3, 9))
    Submission.objects.create(organisation=hanoi, period=D(2025, 10, 1),
                              state=SubmissionState.SUBMITTED, first_submitted_at=at,
                              submitted_at=at)
    report = yearly_report(2025, as_of=D(2025, 11, 20), with_charts=False)
    assert _named_months(report) == {"10/2025"}
    assert report.figures["missing_reports"] == ("2025-10", 55)  # 56 expected, Hà Nội sent
    # On the due day itself the month is still open: the month before is named.
    on_due_day = yearly_report(2025, as_of=D(2025, 11, 5), with_charts=False)
    assert _named_months(on_due_day) == {"9/2025"}


def test_no_month_of_the_period_due_yet_names_no_one():
    report = yearly_report(2025, as_of=D(2025, 1, 20), with_charts=False)
    assert _named_months(report) == set()
    assert report.figures["missing_reports"] is None
    # Q4 written on 20/11: October is due, November and December are not.
    assert _named_months(quarterly_report(2025, 4, as_of=D(2025, 11, 20),
                                          with_charts=False)) == {"10/2025"}


def test_after_the_year_the_yearly_report_names_december():
    report = yearly_report(2025, as_of=D(2026, 1, 18), with_charts=False)
    assert _named_months(report) == {"12/2025"}
