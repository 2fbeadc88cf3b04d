"""What an agency may report: one rule for the web grid, the API and the import.

The web grid, the API's bulk write and the import read their input differently (typed
text with a decimal comma, JSON numbers, a document's table), then hand the numbers to
`check_value` and an update to `update_problems`. Both return what is wrong as a list of
`Problem`s, each naming its field, so every caller can say which row and why: the web
beside the input, the API in its error details, the import as a warning with its line.
`reporting.workflow` calls them again before it writes anything, so nothing reaches a
report without passing here.

Values, per indicator unit (indicators.models.Unit):
- a percentage is from 0 to 100; with a numerator and a denominator (both, or neither)
  the rate is computed from them, and a typed rate that disagrees with them is an error
  (45 agrees with 453/1000, since 45,3 written to whole numbers is 45; 40 does not);
- a count is a whole number, not negative; a rank a whole number from 1;
- an amount of money, a speed or a capacity is not negative; an index may be anything;
- every number is kept exactly by every database: at most 11 digits before the decimal
  comma and 4 after it (15 significant digits: SQLite keeps a decimal column as a double,
  exact to 15 digits; PostgreSQL's numeric(20, 4) would hold more).
"""

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils import formats
from django.utils.translation import gettext as _

from giamsat.indicators.models import Unit
from giamsat.ingest.numbers import parse_number
from giamsat.lib.months import month_end
from giamsat.reporting import rules
from giamsat.reporting.models import ReportedValue, ValueKind
from giamsat.reporting.periods import period_label
from giamsat.tasks.models import ReportedStatus

_VALUE_FIELD = ReportedValue._meta.get_field("value")
DECIMAL_PLACES = _VALUE_FIELD.decimal_places  # 4
# 15 significant digits in all: what a double (SQLite's storage) holds exactly. 11 digits
# before the comma: 99.999.999.999, beyond any count or amount the programme reports.
INTEGER_DIGITS = 15 - DECIMAL_PLACES  # 11
_TOO_LARGE = Decimal(10) ** INTEGER_DIGITS
# The "unit" of a rate's numerator and denominator: any amount that is not negative.
COUNTS = "counts"

# No task this system follows was completed before 2000: an earlier completion date is a
# typo ("01/01/0001", "31/12/1899", a year of 1925 for 2025) that the task's status would
# otherwise show as "completed on time". Completion dates run from here to today.
EARLIEST_COMPLETION = datetime.date(2000, 1, 1)

# The longest texts an update and a value keep (the API's schema says the same).
TEXT_LIMITS = {"result": 20000, "evidence": 5000, "difficulties": 20000,
               "proposals": 20000, "note": 2000}


@dataclass(frozen=True)
class Problem:
    field: str  # value, numerator, denominator, note; status, completed_on, result, …
    message: str


@dataclass(frozen=True)
class CleanValue:
    """What is kept: the rate computed from its counts when they are given."""

    value: Decimal | None  # None: nothing reported (an entry to remove)
    numerator: Decimal | None = None
    denominator: Decimal | None = None


def written(number: Decimal) -> str:
    """A number as the user's language writes it, grouped: 4530.5 → "4.530,5" in
    Vietnamese, "4,530.5" in English (Django's vi formats define no NUMBER_GROUPING)."""
    try:
        number = number.quantize(Decimal(1)) if number == number.to_integral_value() \
            else number.normalize()
    except InvalidOperation:  # more digits than any column holds: said as it came
        return str(number)[:40]
    sign, digits = ("-" if number < 0 else ""), f"{abs(number):f}"
    whole, _dot, fraction = digits.partition(".")
    if len(whole) > 40:
        return str(number)[:40]
    grouped = f"{int(whole):,}".replace(",", formats.get_format("THOUSAND_SEPARATOR"))
    return sign + grouped + (formats.get_format("DECIMAL_SEPARATOR") + fraction
                             if fraction else "")


def read_amount(text: str | None) -> tuple[Decimal | None, str]:
    """A number typed the Vietnamese way ("45,3", "4.530", "1.250,5"), or why it is not
    one; (None, "") for nothing typed."""
    text = (text or "").strip()
    if not text:
        return None, ""
    number = parse_number(text)
    if number is None:
        return None, _("“%(text)s” is not a number; write it as 45,3 or 4.530.") % {
            "text": text[:40]}
    return number, ""


def digits_problems(amount: Decimal, field: str = "value") -> list[Problem]:
    """Whether a number is kept exactly: at most INTEGER_DIGITS (11) digits before the
    decimal comma and 4 after (the API's schema asks this of every number it reads)."""
    if not isinstance(amount, Decimal) or not amount.is_finite():
        return [Problem(field, _("That is not a number."))]
    if abs(amount) >= _TOO_LARGE:
        return [Problem(field, _("%(value)s is too large: at most %(digits)s digits before "
                                 "the decimal comma.") % {
            "value": written(amount), "digits": INTEGER_DIGITS})]
    if amount != amount.quantize(Decimal(1).scaleb(-DECIMAL_PLACES), rounding=ROUND_HALF_UP):
        return [Problem(field, _("%(value)s has more than %(places)s digits after the "
                                 "decimal comma.") % {"value": written(amount),
                                                     "places": DECIMAL_PLACES})]
    return []


def amount_problems(unit: str, amount: Decimal, field: str = "value") -> list[Problem]:
    """What is wrong with one number of an indicator in `unit`: [] when nothing."""
    def refused(message: str) -> list[Problem]:
        return [Problem(field, message % {"value": written(amount)})]

    problems = digits_problems(amount, field)
    if problems:
        return problems
    whole = amount == amount.to_integral_value()
    if unit == Unit.PERCENT and field == "value" and not Decimal(0) <= amount <= Decimal(100):
        return refused(_("%(value)s is not a percentage between 0 and 100."))
    if unit == Unit.RANK and not (whole and amount >= 1):
        return refused(_("%(value)s is not a rank: a rank is a whole number from 1."))
    if unit == Unit.COUNT and not (whole and amount >= 0):
        return refused(_("%(value)s is not a count: a count is a whole number, not "
                         "negative."))
    if unit != Unit.INDEX and amount < 0:
        return refused(_("%(value)s cannot be negative."))
    return []


def fits_column(*numbers: Decimal | None) -> bool:
    """Whether every number given fits a value column (numeric(20, 4)), once rounded to
    its 4 decimal places."""
    return all(n is None or (n.is_finite() and abs(n) < _TOO_LARGE) for n in numbers)


def _rate(numerator: Decimal, denominator: Decimal, places: int) -> Decimal:
    return (numerator * 100 / denominator).quantize(Decimal(1).scaleb(-places),
                                                    rounding=ROUND_HALF_UP)


def check_value(unit: str, value: Decimal | None, numerator: Decimal | None = None,
                denominator: Decimal | None = None, kind: str = ValueKind.VALUE,
                note: str = "") -> tuple[CleanValue, list[Problem]]:
    """The value to keep for an indicator in `unit`, and what is wrong ([] when nothing).

    A registered target is one number; an achieved value may come with the numerator and
    denominator of its rate, and is then computed from them when not typed."""
    problems: list[Problem] = []
    counts = numerator is not None or denominator is not None
    if kind == ValueKind.TARGET and counts:
        problems.append(Problem("numerator", _("A registered target is one number, without "
                                               "numerator and denominator.")))
        counts = False
    if counts and unit != Unit.PERCENT:
        problems.append(Problem("numerator", _("A numerator and a denominator are given only "
                                               "for a rate (percent).")))
        counts = False
    if counts:
        for name, number in (("numerator", numerator), ("denominator", denominator)):
            if number is None:
                problems.append(Problem(name, _("Give both the numerator and the denominator, "
                                                "or neither.")))
            else:
                problems += amount_problems(COUNTS, number, name)
    if note and len(note) > TEXT_LIMITS["note"]:
        problems.append(Problem("note", _("The note is longer than %(n)s characters.")
                                % {"n": TEXT_LIMITS["note"]}))
    if value is not None:
        problems += amount_problems(unit, value)
    if problems:
        return CleanValue(value, numerator, denominator), problems
    if counts:
        if denominator == 0:
            return CleanValue(value, numerator, denominator), [
                Problem("denominator", _("The denominator cannot be 0."))]
        if numerator > denominator:
            return CleanValue(value, numerator, denominator), [Problem("numerator", _(
                "The numerator %(numerator)s is larger than the denominator "
                "%(denominator)s: the rate would be above 100%%.") % {
                "numerator": written(numerator), "denominator": written(denominator)})]
        places = max(2, -value.as_tuple().exponent if value is not None else 0)
        rate = _rate(numerator, denominator, min(places, DECIMAL_PLACES))
        if value is not None:
            typed_places = max(0, -value.as_tuple().exponent)
            if _rate(numerator, denominator, typed_places) != value:
                return CleanValue(value, numerator, denominator), [Problem("value", _(
                    "%(value)s does not match the numerator and denominator: "
                    "%(numerator)s / %(denominator)s is %(rate)s%%.") % {
                    "value": written(value), "numerator": written(numerator),
                    "denominator": written(denominator), "rate": written(rate)})]
        return CleanValue(rate, numerator, denominator), []
    if value is None and note.strip():
        return CleanValue(None), [Problem("value", _("A note needs a value: write the value "
                                                     "or clear the note."))]
    return CleanValue(value), []


# Updates of assignments --------------------------------------------------------------

def update_problems(status: str, completed_on: datetime.date | None, evidence: str,
                    period: datetime.date, today: datetime.date,
                    texts: dict[str, str] | None = None, regime=None) -> list[Problem]:
    """What is wrong with an assignment's update for `period` of `regime` (monthly by
    default), written on `today`."""
    problems = [Problem(name, _("The text is longer than %(n)s characters.")
                        % {"n": TEXT_LIMITS[name]})
                for name, text in (texts or {}).items()
                if name in TEXT_LIMITS and len(text or "") > TEXT_LIMITS[name]]
    if status not in ReportedStatus.values:
        return [*problems, Problem("status", _("Choose a status for the assignment."))]
    if status == ReportedStatus.COMPLETED:
        problem = completion_date_problem(completed_on, period, today, regime)
        if problem:
            problems.append(problem)
        if not (evidence or "").strip():
            problems.append(Problem("evidence", _(
                "Name the evidence for a completed assignment, e.g. “Quyết định số "
                "1169/QĐ-TTg ngày 16/6/2025”.")))
    return problems


def completion_date_problem(day: datetime.date | None, period: datetime.date,
                            today: datetime.date, regime=None) -> Problem | None:
    """From EARLIEST_COMPLETION to today, and not after the last day of the period's data
    (the month's last day; under Decree 09/2019 the 14th: the 15th is the next report's)."""
    def refused(message: str) -> Problem:
        return Problem("completed_on", message)

    if day is None:
        return refused(_("A completed assignment needs its completion date."))
    if regime is not None:
        last_day, label = rules.window(regime, period)[1], rules.label(regime, period)
    else:
        last_day, label = month_end(period), period_label(period)
    said = {"date": day.strftime("%d/%m/%Y"), "period": label,
            "earliest": EARLIEST_COMPLETION.strftime("%d/%m/%Y"),
            "last": last_day.strftime("%d/%m/%Y")}
    if day < EARLIEST_COMPLETION:
        return refused(_("The completion date %(date)s is before %(earliest)s: check the "
                         "date written.") % said)
    if day > today:
        return refused(_("The completion date %(date)s is in the future.") % said)
    if day > last_day and last_day == month_end(period):
        return refused(_("The completion date %(date)s is after the reporting period "
                         "%(period)s; report it in that month's report.") % said)
    if day > last_day:
        return refused(_("The completion date %(date)s is after %(last)s, the last day of "
                         "the reporting period %(period)s; report it in the next period's "
                         "report.") % said)
    return None
