"""Who is expected to report for a period, and who has.

Every ministry-level agency, government agency and province that exists on the last day
of the month is expected to report for that month; an organisation that did not exist
then is not expected (so rates never pass 100% when units merge). A report counts as
received once it has been submitted, on time if first submitted by the due day.

What a page shows is `reporting_rounds`: the rate of the latest period whose due day has
passed, and beside it the open period's reports so far (for the open one, 0/56 early in
the round says nothing about anyone).
"""

import datetime
from dataclasses import dataclass
from fractions import Fraction

from django.conf import settings
from django.utils import timezone

from giamsat.lib.months import month_end
from giamsat.orgs.models import Organisation
from giamsat.reporting import rules
from giamsat.reporting.models import Regime, Submission, SubmissionState
from giamsat.reporting.rules import REPORTING_KINDS


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

    def approved_by(self, day: datetime.date) -> bool:
        """Received and approved on or before `day`: a report approved since was not yet
        approved then (one with no review time recorded counts as approved)."""
        reviewed = self.submission.reviewed_at if self.submission else None
        return (self.received and self.state == SubmissionState.APPROVED
                and (reviewed is None or timezone.localtime(reviewed).date() <= day))


@dataclass
class ReportingStatus:
    period: datetime.date
    due: datetime.date
    as_of: datetime.date
    rows: list[ReportingRow]
    regime: Regime | None = None

    @property
    def label(self) -> str:
        """Quý II/2025; for the monthly regime 07/2025, as pages always wrote it."""
        return rules.label(self.regime, self.period) if self.regime else \
            f"{self.period:%m/%Y}"

    @property
    def key(self) -> str:
        return rules.key(self.regime, self.period) if self.regime else f"{self.period:%Y-%m}"

    @property
    def is_open(self) -> bool:
        """Whether reports for the period are still due (its due day has not passed)."""
        return self.as_of <= self.due

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
        return sum(row.approved_by(self.as_of) for row in self.rows)

    @property
    def missing(self) -> list[ReportingRow]:
        return [row for row in self.rows if not row.received]

    @property
    def reporting_rate(self) -> Fraction | None:
        return Fraction(self.received, self.expected) if self.expected else None

    @property
    def on_time_rate(self) -> Fraction | None:
        return Fraction(self.on_time, self.expected) if self.expected else None


def reporting_status(period: datetime.date, as_of: datetime.date | None = None,
                     regime: Regime | None = None) -> ReportingStatus:
    """Expected, received and on-time reports for `period` of `regime` (the monthly one
    by default), as known on `as_of`. Who is expected is the regime's (rules.must_report)."""
    as_of = as_of or timezone.localdate()
    regime = regime or rules.regime()
    due = rules.due_date(regime, period)
    submissions = {
        s.organisation_id: s
        for s in Submission.objects.filter(regime=regime, period=period)
        .select_related("organisation", "regime")
    }
    rows = []
    for org in rules.must_report(regime, period):
        submission = submissions.get(org.pk)
        first = submission.first_submitted_at if submission else None
        first_day = timezone.localtime(first).date() if first else None
        received = first_day is not None and first_day <= as_of
        rows.append(ReportingRow(org, submission, received,
                                 on_time=received and first_day <= due))
    return ReportingStatus(period, due, as_of, rows, regime)


@dataclass
class ReportingRounds:
    closed: ReportingStatus  # the latest period whose due day has passed
    open: ReportingStatus  # the period agencies are reporting on now ("đang mở")


def reporting_rounds(as_of: datetime.date | None = None,
                     regime: Regime | None = None) -> ReportingRounds:
    """The reporting rate to judge by on `as_of`, and the open round beside it, for
    `regime` (the monthly one by default)."""
    as_of = as_of or timezone.localdate()
    regime = regime or rules.regime()
    return ReportingRounds(
        reporting_status(rules.last_closed_period(regime, as_of), as_of, regime),
        reporting_status(rules.current_period(regime, as_of), as_of, regime))


def other_rounds(as_of: datetime.date | None = None) -> list[ReportingRounds]:
    """The rounds of every active regime but the monthly one that some agency must report
    under (shown beside it)."""
    rounds = [reporting_rounds(as_of, regime) for regime in rules.active_regimes()
              if regime.code != rules.MONTHLY]
    return [r for r in rounds if r.closed.expected or r.open.expected]


@dataclass
class Waiting:
    """A submitted report in the review queue: how many days it has waited since it was
    (last) submitted, and whether that is longer than REVIEW_OVERDUE_DAYS."""

    submission: Submission
    days: int
    overdue: bool


def waiting_for_review(submissions, today: datetime.date | None = None) -> list[Waiting]:
    """The submitted reports among `submissions`, oldest first, with their age on
    `today` in calendar days."""
    today = today or timezone.localdate()
    limit = settings.REVIEW_OVERDUE_DAYS
    waiting = []
    for submission in (submissions.filter(state=SubmissionState.SUBMITTED)
                       .order_by("submitted_at", "pk")):
        sent = submission.submitted_at or submission.first_submitted_at
        days = (today - timezone.localdate(sent)).days if sent else 0
        waiting.append(Waiting(submission, days, days > limit))
    return waiting
