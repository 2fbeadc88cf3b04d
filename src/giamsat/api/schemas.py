"""The API's request and response shapes (Pydantic, through django-ninja)."""

import datetime
import re
from decimal import Decimal
from typing import Annotated, Literal

from django.utils.translation import gettext as _
from ninja import Field, Schema
from pydantic import AfterValidator, BeforeValidator, StrictBool, StrictInt
from pydantic_core import PydanticCustomError

from giamsat.lib import dates
from giamsat.lib.ids import MAX_ID
from giamsat.lib.text import holds_nul
from giamsat.reporting import regimes, validation
from giamsat.reporting.periods import KEY_PATTERN, parse_period
from giamsat.reporting.validation import EARLIEST_COMPLETION, TEXT_LIMITS

# Database identifiers: positive, and small enough for every database's integer (lib/ids.py).
Id = Annotated[int, Field(ge=1, le=MAX_ID)]

_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _written_as_iso(value):
    """Only YYYY-MM-DD: Pydantic alone also reads 0 or "20250701" as seconds since 1970."""
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and _ISO_DAY.fullmatch(value):
        return value
    raise PydanticCustomError("date_format", _("Write the date as YYYY-MM-DD."))


def _in_the_years_of_dates(day: datetime.date) -> datetime.date:
    if not dates.in_range(day):
        raise PydanticCustomError("date_range", _("The year must be from %(first)s to "
                                                  "%(last)s.") % {"first": dates.FIRST_YEAR,
                                                                  "last": dates.LAST_YEAR})
    return day


# A date the API reads: YYYY-MM-DD, in 1900–2199 (lib/dates.py, as the pages read dates).
Day = Annotated[datetime.date, BeforeValidator(_written_as_iso),
                AfterValidator(_in_the_years_of_dates),
                Field(description=f"YYYY-MM-DD, in the years {dates.FIRST_YEAR}–"
                                  f"{dates.LAST_YEAR}")]


def _without_nul(text: str) -> str:
    if holds_nul(text):
        raise PydanticCustomError("nul_character", _("Text cannot hold a NUL character "
                                                     "(\\x00)."))
    return text


# Text of a JSON body: no NUL character, which no text field of PostgreSQL can hold.
Text = Annotated[str, AfterValidator(_without_nul)]


def _a_period(text: str) -> datetime.date:
    period = parse_period(text)
    if period is None:
        raise PydanticCustomError("period", _("The period is written YYYY-MM."))
    return period


# A reporting month, written exactly YYYY-MM; the view receives the month's first day.
Period = Annotated[str, Field(pattern=KEY_PATTERN, description="a month, YYYY-MM",
                              examples=["2025-07"]), AfterValidator(_a_period)]


def _a_report_period(text: str) -> str:
    if regimes.parse_key(text) is None:
        raise PydanticCustomError("period", _("The period is written YYYY-MM (a month), "
                                              "YYYY-Qn (a quarter), YYYY-Hn (a half-year) "
                                              "or YYYY (a year)."))
    return text


# An agency report's period under any regime; the view reads the regime from its shape
# (or from `regime`) and receives the key as written.
ReportPeriod = Annotated[str, Field(
    pattern=regimes.KEY_PATTERN,
    description="the report's period: a month YYYY-MM, a quarter YYYY-Qn, a half-year "
                "YYYY-Hn or a year YYYY (the regime of that period type in use, or the "
                "one named by `regime`)",
    examples=["2025-07", "2025-Q2", "2025-H1", "2025"]), AfterValidator(_a_report_period)]

# A reporting regime's code (GET /regimes); the monthly regime by default.
RegimeCode = Annotated[str, Field(min_length=1, max_length=40, pattern=r"^[-a-zA-Z0-9_]+$",
                                  description="a reporting regime's code, as GET /regimes "
                                              "lists them (thang, quy, 6-thang, nam)",
                                  examples=["quy"])]


class ErrorDetail(Schema):
    field: str = ""
    message: str


class ErrorBody(Schema):
    code: str = Field(description="validation_error, unauthorized, forbidden, not_found, "
                                  "conflict, refused, throttled")
    message: str
    details: list[ErrorDetail] = []


class Error(Schema):
    """Every error of the API has this one shape."""

    error: ErrorBody


class OrganisationOut(Schema):
    slug: str
    name: str
    short_name: str
    kind: str
    admin_type: str = Field(description="tỉnh, thành phố trực thuộc trung ương, xã, phường, "
                                        "đặc khu; empty for other bodies")
    code: str = Field(description="the General Statistics Office's code of a province (2 "
                                  "digits) or commune (5 digits); empty for other bodies")
    parent: str | None = Field(description="slug of the organisation it is under (a "
                                           "commune's province)")
    valid_from: datetime.date | None
    valid_to: datetime.date | None
    predecessors: list[str] = Field(description="slugs of the organisations it carries "
                                                "forward")
    successors: list[str] = Field(description="slugs of the organisations that carry it "
                                              "forward today (empty while it exists)")


class DirectiveOut(Schema):
    id: int
    kind: str
    number: str
    issued_on: datetime.date | None
    title: str


class TaskOut(Schema):
    id: int
    title: str
    directive_id: int | None
    area: str = Field(description="the heading the document gave it, as written")
    programme_area: str | None = Field(description="code of its area in the programme's "
                                                   "catalogue")
    expected_output: str
    deadline_text: str
    deadline_kind: str
    due_date: datetime.date | None
    status: str = Field(description="as of the as_of date: completed_on_time, "
                                    "completed_late, in_progress, overdue, recurring, "
                                    "not_started, unassigned (no lead agency), undated "
                                    "(no deadline), completed_undated")
    leads: int
    leads_done: int
    lead_organisations: list[str]


class AssignmentOut(Schema):
    id: int
    task_id: int
    organisation: str = Field(description="organisation slug")
    role: str
    named_as: str
    completed_on: datetime.date | None
    evidence: str
    status: str


class ShortfallOut(Schema):
    """An agency a document named as not having done something ("Còn N cơ quan chưa …")."""
    id: int
    organisation: str
    named_as: str
    statement: str
    indicator: str | None
    task_id: int | None
    document: str
    line: int
    as_of: datetime.date | None


class UpdateOut(Schema):
    id: int
    assignment_id: int
    task_id: int
    organisation: str
    period: datetime.date
    status: str
    completed_on: datetime.date | None
    result: str
    evidence: str
    difficulties: str
    proposals: str
    review_state: str
    review_comment: str
    agency_report_id: int | None


class IndicatorOut(Schema):
    code: str
    name: str
    unit: str
    direction: int
    frequency: str
    accumulation: str
    area: str
    proposed: bool


class IndicatorCardOut(Schema):
    code: str
    organisation: str
    as_of: datetime.date
    latest_value: Decimal | None
    latest_period: datetime.date | None
    previous_value: Decimal | None
    target: Decimal | None
    target_date: datetime.date | None
    status: str
    projected: Decimal | None
    reaches_target: bool | None


class RegimeOut(Schema):
    """A reporting regime: its period, data cut-off, due day and reminders."""
    code: str
    name: str
    period_type: str = Field(description="month, quarter, half_year, year")
    cutoff: str = Field(description="calendar, or decree_09_2019 (the 15th before to the 14th)")
    due_day: int
    remind_days_before: list[int]
    legal_basis: str
    window_start: datetime.date | None = Field(description="the window of `period`, if asked")
    window_end: datetime.date | None
    due_date: datetime.date | None


class BlocOut(Schema):
    """The ministries' or the provinces' bloc for a month: the document's own figure when
    one gave it, else the members' (numerators over denominators)."""
    bloc: str = Field(description="slug: khoi-bo-nganh, khoi-dia-phuong")
    name: str
    period: datetime.date
    value: Decimal | None
    source: str = Field(description="document, members, or empty when neither gives one")
    members: int = Field(description="organisations of the bloc at the end of the month")
    reported: int = Field(description="members with a value for the month")
    members_value: Decimal | None = Field(description="the figure computed from the members")
    target: Decimal | None
    target_date: datetime.date | None


class RollupOut(Schema):
    indicator: str
    organisation: str = Field(description="slug of the province")
    period: datetime.date
    communes: int = Field(description="communes of the province at the end of the month")
    reported: int = Field(description="communes with a value for the month")
    value: Decimal | None = Field(description="a rate: the numerators added up over the "
                                              "denominators added up, in percent; an amount: "
                                              "the values added up; null for a rank or index")
    numerator: Decimal | None
    denominator: Decimal | None
    without_counts: list[str] = Field(description="slugs of communes that gave a rate "
                                                  "without its numerator and denominator "
                                                  "(not counted)")
    complete: bool


class TargetOut(Schema):
    id: int
    indicator: str
    organisation: str
    period_start: datetime.date | None
    period_end: datetime.date
    minimum: Decimal | None
    aspiration: Decimal | None
    source: str


class ObservationOut(Schema):
    id: int
    indicator: str
    organisation: str
    period: datetime.date
    observed_on: datetime.date | None
    value: Decimal
    numerator: Decimal | None
    denominator: Decimal | None
    source: str


class AgencyReportOut(Schema):
    id: int
    organisation: str
    regime: str = Field(description="the reporting regime's code (GET /regimes)")
    period: datetime.date = Field(description="the first day of the period's first month")
    period_key: str = Field(description="2025-07, 2025-Q2, 2025-H1 or 2025, as the report's "
                                        "URL writes it")
    period_label: str = Field(description="Tháng 07/2025, Quý II/2025, 6 tháng đầu năm "
                                          "2025, Năm 2025")
    state: str
    version: int
    submitted_at: datetime.datetime | None
    first_submitted_at: datetime.datetime | None
    reviewed_at: datetime.datetime | None
    review_comment: str


class GeneratedReportOut(Schema):
    id: int
    kind: str
    period: datetime.date
    as_of: datetime.date
    format: str
    state: str
    created_at: datetime.datetime
    download_url: str | None


class SummaryOut(Schema):
    """The dashboard's task figures for a date, from the same functions."""

    as_of: datetime.date
    total: int
    due_total: int
    due_completed: int
    due_on_time: int
    due_late: int
    overdue: int
    recurring: int
    undated: int = Field(description="tasks with no deadline set, done or not")
    unassigned: int = Field(description="tasks with no lead agency yet")
    not_yet_due: int
    completed_early: int


# Rankings -----------------------------------------------------------------------------------

class GroupOut(Schema):
    name: str = Field(description="the group's name, e.g. I")
    minimum: Decimal = Field(description="the lowest score (%) of the group")
    organisations: list[str] = Field(description="slugs, best first")


class RankingRowOut(Schema):
    organisation: str = Field(description="organisation slug")
    name: str
    rank: int | None = Field(description="equal values share a rank; none without a value")
    rank_change: int | None = Field(description="places climbed since the previous period "
                                                "(negative: fell); none when not ranked "
                                                "then or now")
    previous_rank: int | None
    value: Decimal | None
    target: Decimal | None = Field(description="the target the agency registered for the "
                                               "period")
    met: bool | None
    change: Decimal | None = Field(description="value − previous value")
    previous_value: Decimal | None = Field(description="a merged agency's is computed from "
                                                       "its predecessors' counts")
    previous_from: list[str] = Field(description="slugs of the former agencies the previous "
                                                 "value comes from, when not the agency's own")
    target_share: Decimal | None = Field(description="value as a percentage of the target")
    group: str | None


class BlocRankingOut(Schema):
    bloc: Literal["central", "provinces"]
    rows: list[RankingRowOut] = Field(description="best first; agencies without a value last")
    groups: list[GroupOut] = Field(description="by value against the registered target")


class RankingOut(Schema):
    indicator: str
    period: datetime.date | None = Field(description="first day of the period ranked; none "
                                                     "when no agency value is known yet")
    previous_period: datetime.date | None
    as_of: datetime.date
    higher_is_better: bool
    blocs: list[BlocRankingOut]


class OnTimeLineOut(Schema):
    organisation: str
    name: str
    due_total: int = Field(description="lead assignments due by the as_of date")
    due_on_time: int = Field(description="of them, completed by their deadline")
    due_completed: int
    on_time_share: Decimal = Field(description="due_on_time / due_total, in percent")
    group: str | None


class BlocGroupsOut(Schema):
    bloc: Literal["central", "provinces"]
    agencies: list[OnTimeLineOut] = Field(description="highest share first")
    groups: list[GroupOut]


class ComplianceOut(Schema):
    as_of: datetime.date
    blocs: list[BlocGroupsOut]


# The bulk write --------------------------------------------------------------------------

# In a JSON body types are strict: "758" is not the number 758, nor "yes" true. (Query
# strings are all text, so there Id and bool read their text.)
BodyId = Annotated[StrictInt, Field(ge=1, le=MAX_ID)]


class UpdateIn(Schema):
    assignment_id: BodyId
    status: Literal["not_started", "in_progress", "completed"]
    completed_on: Day | None = Field(None, description=(
        f"when status is completed: from {EARLIEST_COMPLETION.isoformat()} to today, and not "
        "after the month reported on"))
    result: Text = Field("", max_length=TEXT_LIMITS["result"])
    evidence: Text = Field("", max_length=TEXT_LIMITS["evidence"])
    difficulties: Text = Field("", max_length=TEXT_LIMITS["difficulties"])
    proposals: Text = Field("", max_length=TEXT_LIMITS["proposals"])


def _an_amount(number: Decimal) -> Decimal:
    problems = validation.digits_problems(number)
    if problems:
        raise PydanticCustomError("amount", problems[0].message)
    return number


# What the database keeps: 20 digits, 4 of them after the decimal point; said as the web
# grid says it (reporting/validation.py), which then checks the indicator's unit.
Amount = Annotated[Decimal, AfterValidator(_an_amount), Field(
    description=f"at most {validation.INTEGER_DIGITS} digits before the decimal point and "
                f"{validation.DECIMAL_PLACES} after")]


class ValueIn(Schema):
    indicator: Text = Field(description="indicator code", max_length=80)
    value: Amount | None = Field(None, description="omit to compute from numerator and "
                                                   "denominator")
    numerator: Amount | None = None
    denominator: Amount | None = None
    note: Text = Field("", max_length=TEXT_LIMITS["note"])


class TargetIn(Schema):
    indicator: Text = Field(max_length=80)
    value: Amount = Field(description="the target the agency registers for the month")


class ResponsibilityOut(Schema):
    organisation: str
    action: str
    resolved_on: datetime.date | None
    resolution: str


class DifficultyOut(Schema):
    """An item of the register of difficulties and proposals (vướng mắc, kiến nghị)."""
    id: int
    state: str = Field(description="raised, accepted, handling, resolved, declined, merged")
    problem: str
    solution: str
    area: str
    raised_by: str | None = Field(description="organisation slug; null: the standing office")
    raised_on: datetime.date
    raised_for: datetime.date | None = Field(description="the month of the agency's report")
    deadline_text: str
    deadline_due: datetime.date | None
    resolved_on: datetime.date | None
    resolution: str
    decline_reason: str
    merged_into: int | None
    responsibilities: list[ResponsibilityOut]


class DifficultyIn(Schema):
    problem: Text = Field(min_length=1, max_length=10000)
    solution: Text = Field("", max_length=10000)
    period: Period | None = Field(None, description="the month of the report it belongs to")


class DoneIn(Schema):
    resolution: Text = Field(min_length=1, max_length=10000)
    on: Day | None = Field(None, description="when it was done; today when omitted")


class BulkIn(Schema):
    idempotency_key: Text = Field(min_length=1, max_length=200,
                                  description="chosen by the client; the same key with the "
                                              "same body does the work once, for one "
                                              "report (organisation and period)")
    updates: list[UpdateIn] = Field([], max_length=5000)
    values: list[ValueIn] = Field([], max_length=5000)
    targets: list[TargetIn] = Field([], max_length=5000)
    submit: StrictBool = Field(False, description="submit the report afterwards (leaders only)")


class BulkOut(Schema):
    agency_report_id: int
    state: str
    version: int
    updates_saved: int
    values_saved: int
    replayed: bool = Field(description="true when this key was already done: nothing was "
                                       "changed this time")
