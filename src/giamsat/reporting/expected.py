"""Who is expected to report for a period, and who has.

Every ministry-level agency, government agency and province that exists on the last day
of the month is expected to report for that month; an organisation that did not exist
then is not expected (so rates never pass 100% when units merge). A report counts as
received once it has been submitted, on time if first submitted by the due day.
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.utils import timezone

from giamsat.lib.months import month_end
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.reporting.periods import due_date

REPORTING_KINDS = (*CENTRAL_KINDS, OrgKind.PROVINCE)


def expected_organisations(period: datetime.date):
    return Organisation.objects.filter(kind__in=REPORTING_KINDS).valid_on(month_end(period))


@dataclass
class ReportingRow:
    organisation: Organisation
    submission: Submission | None
    received: bool
    on_time: bool

    @property
    def state(self) -> str:
        if self.submission is None:
            return "missing"
        return self.submission.state


@dataclass
class ReportingStatus:
    period: datetime.date
    due: datetime.date
    as_of: datetime.date
    rows: list[ReportingRow]

    @property
    def expected(self) -> int:
        return len(self.rows)

    @property
    def received(self) -> int:
        return sum(row.received for row in self.rows)

    @property
    def on_time(self) -> int:
        return sum(row.on_time for row in self.rows)

    @property
    def approved(self) -> int:
        return sum(row.state == SubmissionState.APPROVED for row in self.rows)

    @property
    def missing(self) -> list[ReportingRow]:
        return [row for row in self.rows if not row.received]

    @property
    def reporting_rate(self) -> Fraction | None:
        return Fraction(self.received, self.expected) if self.expected else None

    @property
    def on_time_rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.expected) if self.expected else None


def reporting_status(period: datetime.date, as_of: datetime.date | None = None) -> ReportingStatus:
    """Expected, received and on-time reports for `period`, as known on `as_of`."""
    as_of = as_of or timezone.localdate()
    due = due_date(period)
    submissions = {
        s.organisation_id: s
        for s in Submission.objects.filter(period=period).select_related("organisation")
    }
    rows = []
    for org in expected_organisations(period):
        submission = submissions.get(org.pk)
        first = submission.first_submitted_at if submission else None
        first_day = timezone.localtime(first).date() if first else None
        received = first_day is not None and first_day <= as_of
        rows.append(ReportingRow(org, submission, received,
                                 on_time=received and first_day <= due))
    return ReportingStatus(period, due, as_of, rows)
