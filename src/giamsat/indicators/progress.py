"""Progress of an indicator toward its target, and the trend's projection: pure functions.

Dashboards, reports and the API all call these; nothing here touches the database.

The rule (Open SDG, after Statistics Canada; DESIGN.md, "Indicators")
-----------------------------------------------------------------------
Time is in fractional years, ``fractional_year(day) = year + (month − 1 + day /
days_in_month) / 12``, so the last day of a month is a whole number of twelfths
(31/12/2025 → 2026.0, 31/07/2025 → 2025 + 7/12). With the base value y_0 at t_0, the latest
value y_t at t, the target y_T at T and the direction d (+1 higher is better, −1 lower is
better)::

    CAGR_obs = (y_t / y_0) ** (1 / (t − t_0)) − 1        observed growth per year
    CAGR_req = (y_T / y_0) ** (1 / (T − t_0)) − 1        required growth per year
    R        = d · CAGR_obs / |CAGR_req|

* ``ACHIEVED`` when y_t has reached y_T (y_t ≥ y_T for d = +1, y_t ≤ y_T for d = −1,
  compared exactly as Decimals); R is then not computed.
* Otherwise ``ON_TRACK`` when R ≥ 0.95, ``ACCELERATION_NEEDED`` when 0.6 ≤ R < 0.95,
  ``LIMITED_PROGRESS`` when 0 ≤ R < 0.6, ``DETERIORATION`` when R < 0. The boundaries
  belong to the better status: R = 0.95 is on track, R = 0.6 acceleration needed,
  R = 0 limited progress.

Decisions for the cases the rule leaves open
--------------------------------------------
* **Which points.** Points may come unsorted and with several values for one date; the
  last one given for a date wins. The latest point is the one with the greatest date; the
  base is the ``base`` argument if given, else the earliest point.
* **Not enough data** (``NOT_ENOUGH_DATA``) when there is no point, or the latest point is
  not strictly after the base (one point, points all on one date, or a given base on or
  after the latest date). "Achieved" is decided first: a value that has reached the
  target is achieved even when it is the only one, since reaching needs no trend.
* **Linear fallback.** CAGR needs y_0 > 0, y_T > 0 and y_t ≥ 0 (a negative or zero ratio has
  no real fractional power). Otherwise the linear analogue is used, with
  ``method="linear"``: rate_obs = (y_t − y_0)/(t − t_0), rate_req = (y_T − y_0)/(T − t_0),
  R = d · rate_obs / |rate_req|; observed and required growth are then these rates, in the
  indicator's unit per year. The linear R is computed exactly (rational arithmetic).
* **Zero required growth** (y_T = y_0, target not achieved). Then y_t is strictly worse
  than y_0, so the status is ``DETERIORATION`` with R = −∞ (the limit of R as the required
  growth shrinks to 0). The same limit gives R = +∞ (on track) for a change the right way
  and R = 0 (limited progress) for no change; those only arise when y_T ≠ y_0 but the
  required CAGR is too small for floating point, in which case R is the exact linear ratio
  (the first-order limit of the CAGR ratio) and ±∞ only when y_T = y_0 exactly.
  ZeroDivisionError is never raised.
* **Target date not after the base** (T ≤ t_0) and not achieved: the required growth is
  undefined, so ``required_growth`` and ``ratio`` are None and the status follows the sign
  of the observed change alone: ``DETERIORATION`` if it moved the wrong way, otherwise
  ``LIMITED_PROGRESS`` (also when it improved: the date has passed and the target is not
  met, so it is never "on track").
* **Target date between base and latest** (t_0 < T < t): the rule applies unchanged, as in
  Open SDG; a target missed on its date can still come out "on track" if the growth rate
  kept pace. Callers that want "missed" must compare the dates themselves.
* **Sign of R.** The sign of R is that of d · (y_t − y_0), decided exactly; its size is
  computed in floating point. R = +∞ is possible (growth beyond float range over a few
  days), and a negative R too small for a float is reported as the smallest negative float,
  so the status never depends on rounding of the sign. Serialisers must accept ±inf.
* **Floating point.** Inputs are Decimals and are compared exactly; powers are computed in
  float as exp(ln(ratio) / years) − 1 (``math.expm1``, with ln taken from the exact
  rational ratio), and R from logarithms when a growth overflows a float, so R stays
  meaningful (e.g. two equal growths of about e^4283 a year give R ≈ 1).
* **Validation.** ``direction`` must be 1 or −1, values finite Decimals (or ints, converted
  exactly; floats are refused as inexact), dates ``datetime.date`` and not ``datetime``;
  anything else raises TypeError or ValueError. For valid inputs ``assess`` never raises.

Projection
----------
``projection()`` fits an ordinary least squares line through the points (x = fractional
years, y = values; the same de-duplication by date), evaluates it at a day, rounds to 2
decimal places (ROUND_HALF_UP, i.e. halves away from zero) and then clamps to
[lower, upper] when given (percentages pass 0 and 100), so the result is always within the
bounds; a clamped result is the bound (to 2 places when the bound has at most 2). The fit
is done exactly in rational arithmetic, so the rounding is exact. ``will_reach()`` says
whether a projected value meets the target in the indicator's direction.
"""

import calendar
import datetime
import math
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

ON_TRACK_MIN = 0.95
ACCELERATION_MIN = 0.6


class ProgressStatus(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    ACCELERATION_NEEDED = "acceleration_needed"
    LIMITED_PROGRESS = "limited_progress"
    DETERIORATION = "deterioration"
    NOT_ENOUGH_DATA = "not_enough_data"

    @property
    def label(self) -> str:
        return PROGRESS_LABELS[self]


PROGRESS_LABELS = {
    ProgressStatus.ACHIEVED: _("Target achieved"),
    ProgressStatus.ON_TRACK: _("On track"),
    ProgressStatus.ACCELERATION_NEEDED: _("Acceleration needed"),
    ProgressStatus.LIMITED_PROGRESS: _("Limited progress"),
    ProgressStatus.DETERIORATION: _("Deterioration"),
    ProgressStatus.NOT_ENOUGH_DATA: _("Not enough data"),
}


def _as_decimal(value, what: str) -> Decimal:
    """A finite Decimal from a Decimal or an int; floats and the rest are refused."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"{what} must be a Decimal (or an int), not {type(value).__name__}")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{what} must be finite, not {value}")
    return value


def _check_date(day, what: str) -> None:
    if isinstance(day, datetime.datetime) or not isinstance(day, datetime.date):
        raise TypeError(f"{what} must be a datetime.date, not {type(day).__name__}")


def _check_direction(direction) -> int:
    if isinstance(direction, bool) or direction not in (1, -1):
        raise ValueError(f"direction must be 1 (higher is better) or -1, not {direction!r}")
    return int(direction)


@dataclass(frozen=True)
class Point:
    when: datetime.date  # the day the value is for (e.g. the last day of its month)
    value: Decimal

    def __post_init__(self):
        _check_date(self.when, "Point.when")
        object.__setattr__(self, "value", _as_decimal(self.value, "Point.value"))


def _year_fraction(day: datetime.date) -> Fraction:
    days_in_month = calendar.monthrange(day.year, day.month)[1]
    return day.year + (day.month - 1 + Fraction(day.day, days_in_month)) / 12


def fractional_year(day: datetime.date) -> float:
    """year + (month − 1 + day / days_in_month) / 12.

    So 31/12/2025 → 2026.0 and 31/07/2025 → 2025 + 7/12 (correctly rounded to a float).
    """
    _check_date(day, "day")
    return float(_year_fraction(day))


@dataclass(frozen=True)
class Assessment:
    status: ProgressStatus
    ratio: float | None  # R, None when achieved or not enough data (or T ≤ t_0)
    observed_growth: float | None  # CAGR_obs (or the linear rate), per year
    required_growth: float | None  # CAGR_req (or linear), per year
    method: str  # "cagr" or "linear", or "" when not computed
    base: Point | None
    latest: Point | None
    target: Decimal
    target_date: datetime.date


def _by_date(points: list[Point]) -> list[Point]:
    """One point per date (the last given wins), sorted by date."""
    last: dict[datetime.date, Point] = {}
    for point in points:
        if not isinstance(point, Point):
            raise TypeError(f"points must be Point, not {type(point).__name__}")
        last[point.when] = point
    return [last[day] for day in sorted(last)]


def _float(q: Fraction) -> float:
    """The nearest float, ±inf beyond the float range."""
    try:
        return float(q)
    except OverflowError:
        return math.copysign(math.inf, q)


def _exp(x: float) -> float:
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def _expm1(x: float) -> float:
    try:
        return math.expm1(x)
    except OverflowError:
        return math.inf


def _log_ratio(x: Fraction, y: Fraction) -> float:
    """ln(x / y) for x ≥ 0, y > 0, accurate to float precision (−inf when x = 0)."""
    if x == 0:
        return -math.inf
    r = x / y
    if abs(r - 1) <= Fraction(1, 2):
        return math.log1p(_float(r - 1))  # keeps tiny changes that log(r) would lose
    return math.log(r.numerator) - math.log(r.denominator)  # math.log takes big ints


def _log_abs_expm1(x: float) -> float:
    """ln |e^x − 1| for x ≠ 0, without overflow."""
    if x > 0:
        return x + math.log(-math.expm1(-x))
    return math.log(-math.expm1(x))  # x < 0, including −inf (ln 1 = 0)


def _growth_quotient(a: float, b: float) -> float:
    """(e^a − 1) / |e^b − 1| for b ≠ 0, also when the growths overflow a float."""
    if a == 0:
        return 0.0
    num, den = _expm1(a), abs(_expm1(b))
    if math.isfinite(num) and math.isfinite(den):
        return num / den  # float division saturates to inf, never raises
    return math.copysign(_exp(_log_abs_expm1(a) - _log_abs_expm1(b)), a)


def _sign(x) -> int:
    return (x > 0) - (x < 0)


def _signed(ratio: float, sign: int) -> float:
    """`ratio` with the exactly known sign of the observed change."""
    if sign == 0:
        return 0.0
    if sign < 0:
        return ratio if ratio < 0 else -math.ulp(0.0)
    return max(ratio, 0.0)  # also turns −0.0 into 0.0


def _classify(ratio: float) -> ProgressStatus:
    """The status for R (target not achieved): thresholds 0.95 / 0.6 / 0, inclusive."""
    if math.isnan(ratio):
        raise ValueError("R is not a number")
    if ratio >= ON_TRACK_MIN:
        return ProgressStatus.ON_TRACK
    if ratio >= ACCELERATION_MIN:
        return ProgressStatus.ACCELERATION_NEEDED
    if ratio >= 0:
        return ProgressStatus.LIMITED_PROGRESS
    return ProgressStatus.DETERIORATION


def _reached(value: Decimal, target: Decimal, direction: int) -> bool:
    return value >= target if direction > 0 else value <= target


def assess(points: list[Point], target: Decimal, target_date: datetime.date, direction: int,
           base: Point | None = None) -> Assessment:
    """Progress of `points` toward `target` by `target_date`.
    latest = the last point by date; base = `base` if given else the earliest point.
    Points may come unsorted and with duplicates by date (keep the last given for a date).

    See the module docstring for the rule and its edge cases.
    """
    target = _as_decimal(target, "target")
    _check_date(target_date, "target_date")
    d = _check_direction(direction)
    if base is not None and not isinstance(base, Point):
        raise TypeError(f"base must be a Point or None, not {type(base).__name__}")
    ordered = _by_date(points)
    latest = ordered[-1] if ordered else None
    if base is None and ordered:
        base = ordered[0]

    def result(status, ratio=None, observed=None, required=None, method=""):
        return Assessment(status, ratio, observed, required, method, base, latest, target,
                          target_date)

    # A value that has reached the target is achieved, however few values there are.
    if latest is not None and _reached(latest.value, target, d):
        return result(ProgressStatus.ACHIEVED)
    if latest is None or base is None or latest.when <= base.when:
        return result(ProgressStatus.NOT_ENOUGH_DATA)

    y0, yt, y_target = Fraction(base.value), Fraction(latest.value), Fraction(target)
    t0 = _year_fraction(base.when)
    dt = _year_fraction(latest.when) - t0  # > 0
    big_t = _year_fraction(target_date) - t0  # T − t_0, may be ≤ 0
    sign = d * _sign(yt - y0)  # +1 moving the right way, −1 the wrong way, 0 not moving

    def linear_ratio() -> float:
        if y_target == y0:
            return math.copysign(math.inf, sign) if sign else 0.0
        return _float(d * (yt - y0) * big_t / (abs(y_target - y0) * dt))

    if y0 > 0 and y_target > 0 and yt >= 0:
        method = "cagr"
        a = _log_ratio(yt, y0) / _float(dt)  # ln(1 + CAGR_obs)
        observed = _expm1(a)
        if big_t <= 0:
            return result(_past_due(sign), None, observed, None, method)
        b = _log_ratio(y_target, y0) / _float(big_t)  # ln(1 + CAGR_req)
        required = _expm1(b)
        ratio = linear_ratio() if b == 0 else d * _growth_quotient(a, b)
    else:
        method = "linear"
        observed = _float((yt - y0) / dt)
        if big_t <= 0:
            return result(_past_due(sign), None, observed, None, method)
        required = _float((y_target - y0) / big_t)
        ratio = linear_ratio()
    ratio = _signed(ratio, sign)
    return result(_classify(ratio), ratio, observed, required, method)


def _past_due(sign: int) -> ProgressStatus:
    """Status when the target date is not after the base and the target is not met."""
    return ProgressStatus.DETERIORATION if sign < 0 else ProgressStatus.LIMITED_PROGRESS


def _round_half_up(q: Fraction) -> Decimal:
    """`q` to 2 decimal places, halves away from zero, exactly."""
    hundredths = abs(q) * 100
    n = math.floor(hundredths + Fraction(1, 2))
    negative = q < 0 and n != 0
    return Decimal((int(negative), Decimal(n).as_tuple().digits, -2))


def _bound(bound: Decimal) -> Decimal:
    """A bound as a result: to 2 places when that is exact, else as given."""
    rounded = _round_half_up(Fraction(bound))
    return rounded if rounded == bound else bound


def projection(points: list[Point], on: datetime.date, lower: Decimal | None = None,
               upper: Decimal | None = None) -> Decimal | None:
    """The value the trend reaches on `on`: ordinary least squares line through the points
    (x = fractional years), evaluated at `on`, clamped to [lower, upper] when given (percentages
    pass 0 and 100); rounded to 2 decimal places (ROUND_HALF_UP). None with fewer than two
    distinct dates.

    Rounding comes before clamping, so the result always lies within the bounds.
    """
    _check_date(on, "on")
    lower = None if lower is None else _as_decimal(lower, "lower")
    upper = None if upper is None else _as_decimal(upper, "upper")
    if lower is not None and upper is not None and lower > upper:
        raise ValueError(f"lower ({lower}) is above upper ({upper})")
    ordered = _by_date(points)
    if len(ordered) < 2:
        return None
    xs = [_year_fraction(p.when) for p in ordered]
    ys = [Fraction(p.value) for p in ordered]
    x_mean = sum(xs) / len(xs)
    y_mean = sum(ys) / len(ys)
    sxx = sum((x - x_mean) ** 2 for x in xs)  # > 0: the dates are distinct
    sxy = sum((x - x_mean) * (y - y_mean) for x, y in zip(xs, ys, strict=True))
    value = _round_half_up(y_mean + sxy / sxx * (_year_fraction(on) - x_mean))
    if lower is not None and value < lower:
        return _bound(lower)
    if upper is not None and value > upper:
        return _bound(upper)
    return value


def will_reach(projected: Decimal | None, target: Decimal, direction: int) -> bool | None:
    """Whether a projected value meets the target (None when there is no projection)."""
    d = _check_direction(direction)
    target = _as_decimal(target, "target")
    if projected is None:
        return None
    return _reached(_as_decimal(projected, "projected"), target, d)
