"""Indicator progress (Open SDG / Statistics Canada rule) and trend projection.

Pure functions, no database. Times are fractional years: the last day of a month is a whole
number of twelfths (31/01/2025 → 2025 + 1/12, 30/04/2025 → 2025 + 4/12, 31/12/2025 → 2026).
"""

import calendar
import datetime
import math
import statistics
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from giamsat.indicators.progress import (
    Assessment,
    Point,
    ProgressStatus,
    _classify,
    assess,
    fractional_year,
    projection,
    will_reach,
)

S = ProgressStatus
HIGHER, LOWER = 1, -1
D = Decimal


def day(text: str) -> datetime.date:
    """A date written the Vietnamese way, dd/mm/yyyy."""
    return datetime.datetime.strptime(text, "%d/%m/%Y").date()


def pt(when: str, value) -> Point:
    return Point(day(when), D(str(value)))


# -- fractional years ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        ("31/12/2025", 2026.0),
        ("31/07/2025", 2025 + 7 / 12),
        ("31/01/2025", 2025 + 1 / 12),
        ("30/04/2025", 2025 + 4 / 12),
        ("28/02/2025", 2025 + 2 / 12),  # not a leap year: 28 days is the whole month
        ("29/02/2024", 2024 + 2 / 12),
        ("14/02/2024", 2024 + (1 + 14 / 29) / 12),
        ("01/01/2025", 2025 + (1 / 31) / 12),
        ("15/06/2025", 2025 + (5 + 15 / 30) / 12),
    ],
)
def test_fractional_year(when, expected):
    assert fractional_year(day(when)) == pytest.approx(expected, abs=1e-12)


def test_last_day_of_december_is_exactly_the_next_year():
    assert fractional_year(datetime.date(2025, 12, 31)) == 2026.0
    assert fractional_year(datetime.date(2024, 12, 31)) == 2025.0


def test_fractional_year_refuses_a_datetime():
    with pytest.raises(TypeError):
        fractional_year(datetime.datetime(2025, 1, 31, 12, 0))


@given(st.dates(), st.dates())
def test_fractional_year_keeps_the_order_of_days(a, b):
    if a < b:
        assert fractional_year(a) < fractional_year(b)


# -- labels ----------------------------------------------------------------------------------


def test_labels_are_the_english_msgids():
    assert {status: str(status.label) for status in S} == {
        S.ACHIEVED: "Target achieved",
        S.ON_TRACK: "On track",
        S.ACCELERATION_NEEDED: "Acceleration needed",
        S.LIMITED_PROGRESS: "Limited progress",
        S.DETERIORATION: "Deterioration",
        S.NOT_ENOUGH_DATA: "Not enough data",
    }
    assert S.ON_TRACK == "on_track"


# -- worked examples, higher is better (a percentage) -----------------------------------------
#
# Base y0 = 20 on 31/01/2025 (t0 = 2025 + 1/12), latest on 30/04/2025 (t = 2025 + 4/12, so
# t − t0 = 1/4), target 70 on 31/12/2025 (T = 2026, so T − t0 = 11/12).
# CAGR_req = (70/20)^(12/11) − 1 = 3.5^(1.090909…) − 1 = e^(1.252763 · 1.090909) − 1
#          = e^1.366650 − 1 = 3.922191 − 1 = 2.922191.

BASE_UP = pt("31/01/2025", 20)
TARGET_UP, TARGET_UP_DATE = D(70), day("31/12/2025")
REQUIRED_UP = 2.922191332815379


def assess_up(latest_value):
    return assess([BASE_UP, pt("30/04/2025", latest_value)], TARGET_UP, TARGET_UP_DATE, HIGHER)


def test_up_achieved():
    # 72 ≥ 70: achieved, R not computed.
    a = assess_up("72")
    assert a.status == S.ACHIEVED
    assert (a.ratio, a.observed_growth, a.required_growth, a.method) == (None, None, None, "")
    assert a.base == BASE_UP and a.latest == pt("30/04/2025", 72)


def test_up_exactly_at_target_is_achieved():
    assert assess_up("70").status == S.ACHIEVED


def test_up_on_track():
    # CAGR_obs = (30/20)^4 − 1 = 1.5^4 − 1 = 5.0625 − 1 = 4.0625; R = 4.0625 / 2.922191 = 1.3902.
    a = assess_up("30")
    assert a.status == S.ON_TRACK
    assert a.method == "cagr"
    assert a.observed_growth == pytest.approx(4.0625, rel=1e-12)
    assert a.required_growth == pytest.approx(REQUIRED_UP, rel=1e-12)
    assert a.ratio == pytest.approx(1.390223820863226, rel=1e-12)


def test_up_acceleration_needed():
    # The brief's example: CAGR_obs = (26.08/20)^4 − 1 = 1.304^4 − 1 = 1.700416^2 − 1
    # = 2.891415 − 1 = 1.891415; R = 1.891415 / 2.922191 = 0.6473 → 0.6 ≤ R < 0.95.
    a = assess_up("26.08")
    assert a.status == S.ACCELERATION_NEEDED
    assert a.observed_growth == pytest.approx(1.891414573056, rel=1e-12)
    assert a.ratio == pytest.approx(0.64725897712992, rel=1e-12)


def test_up_limited_progress():
    # CAGR_obs = 1.1^4 − 1 = 0.4641; R = 0.4641 / 2.922191 = 0.1588.
    a = assess_up("22")
    assert a.status == S.LIMITED_PROGRESS
    assert a.ratio == pytest.approx(0.15881916929541495, rel=1e-12)


def test_up_no_change_is_limited_progress_with_r_zero():
    a = assess_up("20")
    assert a.status == S.LIMITED_PROGRESS
    assert a.ratio == 0.0 and math.copysign(1, a.ratio) == 1  # not −0.0


def test_up_deterioration():
    # CAGR_obs = 0.9^4 − 1 = 0.6561 − 1 = −0.3439; R = −0.3439 / 2.922191 = −0.1177.
    a = assess_up("18")
    assert a.status == S.DETERIORATION
    assert a.ratio == pytest.approx(-0.11768565464488947, rel=1e-12)


def test_up_falling_to_zero_is_deterioration_by_cagr():
    # y_t = 0 still has a CAGR: (0/20)^4 − 1 = −1; R = −1 / 2.922191 = −0.3422.
    a = assess_up("0")
    assert (a.status, a.method) == (S.DETERIORATION, "cagr")
    assert a.observed_growth == -1.0
    assert a.ratio == pytest.approx(-1 / REQUIRED_UP, rel=1e-12)


# -- worked examples, lower is better (a rank) ------------------------------------------------
#
# A rank where 1 is best: 80th on 31/12/2023 (t0 = 2024), latest on 31/12/2024 (t = 2025,
# t − t0 = 1), target 50th by 31/12/2025 (T = 2026, T − t0 = 2), d = −1.
# CAGR_req = (50/80)^(1/2) − 1 = √0.625 − 1 = 0.790569 − 1 = −0.209431; |CAGR_req| = 0.209431.

BASE_DOWN = pt("31/12/2023", 80)
TARGET_DOWN, TARGET_DOWN_DATE = D(50), day("31/12/2025")


def assess_down(latest_rank):
    return assess([pt("31/12/2024", latest_rank), BASE_DOWN], TARGET_DOWN, TARGET_DOWN_DATE,
                  LOWER)


def test_down_achieved():
    assert assess_down(48).status == S.ACHIEVED
    assert assess_down(50).status == S.ACHIEVED


def test_down_on_track():
    # CAGR_obs = 62/80 − 1 = −0.225; R = −1 · (−0.225) / 0.209431 = 1.0743.
    a = assess_down(62)
    assert (a.status, a.method) == (S.ON_TRACK, "cagr")
    assert a.observed_growth == pytest.approx(-0.225, rel=1e-12)
    assert a.required_growth == pytest.approx(-0.20943058495790517, rel=1e-12)
    assert a.ratio == pytest.approx(1.0743416490252569, rel=1e-12)


def test_down_acceleration_needed():
    # CAGR_obs = 68/80 − 1 = −0.15; R = 0.15 / 0.209431 = 0.7162.
    a = assess_down(68)
    assert a.status == S.ACCELERATION_NEEDED
    assert a.ratio == pytest.approx(0.7162277660168379, rel=1e-12)


def test_down_limited_progress():
    # CAGR_obs = 76/80 − 1 = −0.05; R = 0.05 / 0.209431 = 0.2387.
    a = assess_down(76)
    assert a.status == S.LIMITED_PROGRESS
    assert a.ratio == pytest.approx(0.2387425886722793, rel=1e-12)


def test_down_deterioration():
    # CAGR_obs = 86/80 − 1 = +0.075, the wrong way; R = −0.075 / 0.209431 = −0.3581.
    a = assess_down(86)
    assert a.status == S.DETERIORATION
    assert a.ratio == pytest.approx(-0.3581138830084190, rel=1e-12)


# -- the programme's April 2025 report ------------------------------------------------------
#
# "Tỷ lệ dân số trưởng thành có chữ ký số: 26,08%" in April 2025; March 2025 was 15.1 million
# certificates, 24.35% of the same adult population (16,171,976 certificates = 26.08%).
# Target: at least 50%, aspiration 70%, by 31/12/2025. The report: "ước đến cuối năm 2025 đạt
# 50% …, rất khó đạt mục tiêu 70%".

SIGNATURES = [pt("30/04/2025", "26.08"), pt("31/03/2025", "24.35")]
END_2025 = day("31/12/2025")


def test_digital_signatures_against_the_aspiration_of_70():
    # t − t0 = 1/12, T − t0 = 9/12.
    # CAGR_obs = (26.08/24.35)^12 − 1 = 1.071047^12 − 1 = 2.278786 − 1 = 1.278786;
    # CAGR_req = (70/24.35)^(4/3) − 1 = 2.874743^1.333333 − 1 = 4.087572 − 1 = 3.087572;
    # R = 1.278786 / 3.087572 = 0.4142 → limited progress.
    a = assess(SIGNATURES, D(70), END_2025, HIGHER)
    assert a.status == S.LIMITED_PROGRESS
    assert a.base == SIGNATURES[1] and a.latest == SIGNATURES[0]
    assert a.observed_growth == pytest.approx(1.2787855564055261, rel=1e-12)
    assert a.required_growth == pytest.approx(3.0875721605620632, rel=1e-12)
    assert a.ratio == pytest.approx(0.4141718767708850, rel=1e-12)


def test_digital_signatures_against_the_minimum_of_50():
    # CAGR_req = (50/24.35)^(4/3) − 1 = 2.053388^1.333333 − 1 = 1.609925;
    # R = 1.278786 / 1.609925 = 0.7943 → acceleration needed.
    a = assess(SIGNATURES, D(50), END_2025, HIGHER)
    assert a.status == S.ACCELERATION_NEEDED
    assert a.ratio == pytest.approx(0.7943136733070505, rel=1e-12)


def test_digital_signatures_projection_to_the_end_of_2025():
    # By hand: slope = (26.08 − 24.35) / (1/12) = 20.76 points a year; from 30/04 to 31/12 is
    # 8/12 of a year, so 26.08 + 20.76 · 8/12 = 26.08 + 13.84 = 39.92.
    projected = projection(SIGNATURES, END_2025, lower=D(0), upper=D(100))
    assert projected == D("39.92")
    assert str(projected) == "39.92"

    # Independently, with the standard library's least squares on floats.
    xs = [fractional_year(p.when) for p in SIGNATURES]
    ys = [float(p.value) for p in SIGNATURES]
    slope, intercept = statistics.linear_regression(xs, ys)
    by_statistics = D(repr(slope * fractional_year(END_2025) + intercept))
    assert by_statistics.quantize(D("0.01"), rounding=ROUND_HALF_UP) == projected

    # The straight trend reaches neither the report's 50% nor the 70% aspiration.
    assert will_reach(projected, D(50), HIGHER) is False
    assert will_reach(projected, D(70), HIGHER) is False


def test_projection_of_a_longer_series_matches_statistics():
    # A made-up monthly series (last days of months); OLS exactly vs statistics on floats.
    # By hand, in months from 31/01: x̄ = 2, ȳ = 24.176, Sxx = 10,
    # Sxy = (−2)(−4.076) + (−1)(−1.776) + 0 + (1)(1.904) + (2)(3.774) = 19.38, slope = 1.938
    # a month; 31/12 is 9 months after x̄: 24.176 + 9 · 1.938 = 41.618 → 41.62.
    series = [pt("31/01/2025", "20.10"), pt("28/02/2025", "22.40"), pt("31/03/2025", "24.35"),
              pt("30/04/2025", "26.08"), pt("31/05/2025", "27.95")]
    xs = [fractional_year(p.when) for p in series]
    ys = [float(p.value) for p in series]
    slope, intercept = statistics.linear_regression(xs, ys)
    expected = D(repr(slope * 2026.0 + intercept)).quantize(D("0.01"), rounding=ROUND_HALF_UP)
    assert projection(series, END_2025) == expected == D("41.62")


# -- boundaries -----------------------------------------------------------------------------


def test_classifier_boundaries_are_inclusive_as_written():
    assert _classify(math.inf) == S.ON_TRACK
    assert _classify(0.95) == S.ON_TRACK
    assert _classify(math.nextafter(0.95, 0)) == S.ACCELERATION_NEEDED
    assert _classify(0.6) == S.ACCELERATION_NEEDED
    assert _classify(math.nextafter(0.6, 0)) == S.LIMITED_PROGRESS
    assert _classify(0.0) == S.LIMITED_PROGRESS
    assert _classify(-0.0) == S.LIMITED_PROGRESS
    assert _classify(-math.ulp(0.0)) == S.DETERIORATION
    assert _classify(-math.inf) == S.DETERIORATION
    with pytest.raises(ValueError):
        _classify(math.nan)


# Linear, so exact: y0 = 0 on 31/12/2024 (t0 = 2025), latest on 30/06/2025 (t − t0 = 1/2),
# target 100 on 31/12/2025 (T − t0 = 1): R = (y_t / (1/2)) / (100 / 1) = y_t / 50.


@pytest.mark.parametrize(
    ("latest", "ratio", "status"),
    [
        ("47.50", 0.95, S.ON_TRACK),  # 47.5 / 50 = 0.95 exactly
        ("47.49", 0.9498, S.ACCELERATION_NEEDED),
        ("30", 0.6, S.ACCELERATION_NEEDED),  # 30 / 50 = 0.6 exactly
        ("29.99", 0.5998, S.LIMITED_PROGRESS),
        ("0", 0.0, S.LIMITED_PROGRESS),  # no change: R = 0
        ("-0.01", -0.0002, S.DETERIORATION),
    ],
)
def test_boundaries_through_assess(latest, ratio, status):
    points = [pt("31/12/2024", 0), pt("30/06/2025", latest)]
    a = assess(points, D(100), END_2025, HIGHER)
    assert (a.status, a.method) == (status, "linear")
    assert a.ratio == ratio  # exact: computed in rational arithmetic


# -- the linear fallback --------------------------------------------------------------------


def test_linear_when_the_base_is_zero():
    # y0 = 0 has no CAGR. rate_obs = (12 − 0) / (1/2) = 24 a year; rate_req = 100 / 1 = 100;
    # R = 24 / 100 = 0.24.
    a = assess([pt("31/12/2024", 0), pt("30/06/2025", 12)], D(100), END_2025, HIGHER)
    assert (a.status, a.method) == (S.LIMITED_PROGRESS, "linear")
    assert (a.observed_growth, a.required_growth, a.ratio) == (24.0, 100.0, 0.24)


def test_linear_when_values_are_negative():
    # A balance from −10 toward +5: rate_obs = 6 / (1/2) = 12; rate_req = 15 / 1 = 15;
    # R = 12 / 15 = 0.8.
    a = assess([pt("31/12/2024", -10), pt("30/06/2025", -4)], D(5), END_2025, HIGHER)
    assert (a.status, a.method, a.ratio) == (S.ACCELERATION_NEEDED, "linear", 0.8)
    assert (a.observed_growth, a.required_growth) == (12.0, 15.0)


def test_linear_lower_is_better_toward_a_negative_target():
    # From 2 toward −2, lower is better: rate_obs = −1 / (1/2) = −2; rate_req = −4 / 1 = −4;
    # R = −1 · (−2) / 4 = 0.5.
    a = assess([pt("31/12/2024", 2), pt("30/06/2025", 1)], D(-2), END_2025, LOWER)
    assert (a.status, a.method, a.ratio) == (S.LIMITED_PROGRESS, "linear", 0.5)


def test_linear_when_the_target_is_zero():
    # A lower-is-better count toward 0: (10 → 4) is −6 / (1/2) = −12 a year; required −10;
    # R = 12 / 10 = 1.2.
    a = assess([pt("31/12/2024", 10), pt("30/06/2025", 4)], D(0), END_2025, LOWER)
    assert (a.status, a.method, a.ratio) == (S.ON_TRACK, "linear", 1.2)


def test_linear_when_the_latest_value_is_negative():
    # y0 = 10 > 0 but y_t = −1 < 0: CAGR is undefined. rate_obs = −11 / (1/2) = −22;
    # rate_req = 10 / 1 = 10; R = −2.2.
    a = assess([pt("31/12/2024", 10), pt("30/06/2025", -1)], D(20), END_2025, HIGHER)
    assert (a.status, a.method, a.ratio) == (S.DETERIORATION, "linear", -2.2)


# -- not enough data ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "points",
    [
        [],
        [pt("30/04/2025", "26.08")],
        [pt("30/04/2025", "26.08"), pt("30/04/2025", "24.35")],
    ],
)
def test_not_enough_data(points):
    a = assess(points, D(70), END_2025, HIGHER)
    assert a.status == S.NOT_ENOUGH_DATA
    assert (a.ratio, a.observed_growth, a.required_growth, a.method) == (None, None, None, "")
    assert (a.target, a.target_date) == (D(70), END_2025)


def test_one_value_at_the_target_is_achieved():
    a = assess([pt("30/04/2025", "80"), pt("30/04/2025", "90")], D(70), END_2025, HIGHER)
    assert a.status == S.ACHIEVED and a.latest.value == D(90)


def test_not_enough_data_keeps_what_it_found():
    a = assess([], D(70), END_2025, HIGHER)
    assert (a.base, a.latest) == (None, None)
    only = pt("30/04/2025", "26.08")
    a = assess([only], D(70), END_2025, HIGHER)
    assert (a.base, a.latest) == (only, only)


def test_a_given_base_on_or_after_the_latest_point_is_not_enough_data():
    latest = pt("30/04/2025", "26.08")
    for base in (pt("30/04/2025", "20"), pt("31/05/2025", "20")):
        a = assess([latest], D(70), END_2025, HIGHER, base=base)
        assert a.status == S.NOT_ENOUGH_DATA
        assert (a.base, a.latest) == (base, latest)
    assert assess([], D(70), END_2025, HIGHER, base=latest).status == S.NOT_ENOUGH_DATA


# -- choosing the points ----------------------------------------------------------------------


def test_unsorted_points_and_duplicates_keep_the_last_given_for_a_date():
    points = [
        pt("30/04/2025", "99"),  # replaced below
        pt("31/01/2025", "25"),  # replaced below: the base is 20
        pt("28/02/2025", "21"),
        pt("31/01/2025", "20"),
        pt("30/04/2025", "26.08"),
    ]
    a = assess(points, TARGET_UP, TARGET_UP_DATE, HIGHER)
    assert a.base == pt("31/01/2025", "20") and a.latest == pt("30/04/2025", "26.08")
    assert a == assess_up("26.08")


def test_a_given_base_replaces_the_earliest_point():
    # The base from the programme's start rather than the first point in the list.
    points = [pt("31/03/2025", "24.35"), pt("30/04/2025", "26.08")]
    base = pt("31/01/2025", "20")
    a = assess(points, TARGET_UP, TARGET_UP_DATE, HIGHER, base=base)
    assert a.base == base
    assert a.ratio == assess_up("26.08").ratio


# -- zero required growth and past target dates --------------------------------------------


def test_target_equal_to_base_and_latest_worse_is_deterioration():
    # CAGR_req = (50/50)^(1/1) − 1 = 0; y_t = 45 < 50 is the wrong way: R = −∞.
    a = assess([pt("31/12/2024", 50), pt("30/06/2025", 45)], D(50), END_2025, HIGHER)
    assert (a.status, a.method) == (S.DETERIORATION, "cagr")
    assert a.required_growth == 0.0 and a.ratio == -math.inf

    a = assess([pt("31/12/2024", 50), pt("30/06/2025", 55)], D(50), END_2025, LOWER)
    assert a.status == S.DETERIORATION and a.ratio == -math.inf


def test_target_equal_to_base_linear_is_deterioration_too():
    a = assess([pt("31/12/2024", 0), pt("30/06/2025", "-1")], D(0), END_2025, HIGHER)
    assert (a.status, a.method, a.ratio, a.required_growth) == (
        S.DETERIORATION, "linear", -math.inf, 0.0)


def test_a_required_growth_too_small_for_floats_uses_its_linear_limit():
    # y_T / y_0 − 1 = 10^-400 underflows a float, though y_T ≠ y_0. R is then the exact
    # linear ratio: (0.5·10^-400 / (1/2)) / (10^-400 / 1) = 1 → on track.
    # (Written as strings: Decimal arithmetic would round 1 + 10^-400 to 1.)
    one_and_tiny = D("1." + "0" * 399 + "1")
    one_and_half_tiny = D("1." + "0" * 400 + "5")
    points = [pt("31/12/2024", 1), Point(day("30/06/2025"), one_and_half_tiny)]
    a = assess(points, one_and_tiny, END_2025, HIGHER)
    assert (a.status, a.method, a.ratio) == (S.ON_TRACK, "cagr", 1.0)
    # Not moving at all, with the same tiny required growth: R = 0, limited progress.
    a = assess([pt("31/12/2024", 1), pt("30/06/2025", 1)], one_and_tiny, END_2025, HIGHER)
    assert (a.status, a.ratio) == (S.LIMITED_PROGRESS, 0.0)


def test_a_tiny_fall_is_still_deterioration():
    # The change is far below float precision, yet the wrong way: R keeps its sign.
    just_below_one = D("0." + "9" * 400)  # 1 − 10^-400
    a = assess([pt("31/12/2024", 1), Point(day("30/06/2025"), just_below_one)], D(2), END_2025,
               HIGHER)
    assert a.status == S.DETERIORATION and a.ratio < 0


@pytest.mark.parametrize(
    ("latest", "direction", "status"),
    [
        ("60", HIGHER, S.LIMITED_PROGRESS),  # improving, but the date has passed
        ("50", HIGHER, S.LIMITED_PROGRESS),  # no change
        ("40", HIGHER, S.DETERIORATION),
        ("40", LOWER, S.LIMITED_PROGRESS),
        ("60", LOWER, S.DETERIORATION),
    ],
)
def test_target_date_not_after_the_base(latest, direction, status):
    target = D(70) if direction == HIGHER else D(30)
    for target_date in (day("30/06/2024"), day("31/12/2024")):  # before, and on, the base date
        a = assess([pt("31/12/2024", 50), pt("30/06/2025", latest)], target, target_date,
                   direction)
        assert a.status == status
        assert a.ratio is None and a.required_growth is None
        assert a.method == "cagr" and a.observed_growth is not None


def test_target_date_not_after_the_base_but_achieved():
    a = assess([pt("31/12/2024", 50), pt("30/06/2025", 75)], D(70), day("30/06/2024"), HIGHER)
    assert a.status == S.ACHIEVED


def test_a_target_date_between_base_and_latest_follows_the_rule_unchanged():
    # Documented behaviour, not a judgement: 10 → 19 over 2 years (CAGR_obs = √1.9 − 1 =
    # 0.378) against 10 → 20 due after 1 year (CAGR_req = 1): R = 0.378, limited progress.
    a = assess([pt("31/12/2023", 10), pt("31/12/2025", 19)], D(20), day("31/12/2024"), HIGHER)
    assert a.status == S.LIMITED_PROGRESS
    assert a.ratio == pytest.approx(math.sqrt(1.9) - 1, rel=1e-12)
    # 10 → 19.9 over 1 month more than a year: CAGR_obs = 1.99^(12/13) − 1 = 0.888,
    # R = 0.888 ≥ 0.6 although the target date has passed unmet.
    a = assess([pt("31/12/2023", 10), pt("31/01/2025", "19.9")], D(20), day("31/12/2024"),
               HIGHER)
    assert a.status == S.ACCELERATION_NEEDED
    assert a.ratio == pytest.approx(1.99 ** (12 / 13) - 1, rel=1e-12)


# -- floating point extremes ----------------------------------------------------------------


def test_growths_beyond_float_range_still_give_a_ratio():
    # 0.01 → 1000 in one day and 0.01 → 10^8 in two: per year both growths are about
    # e^4283 (float overflow), yet they are equal, so R = 1 → on track.
    points = [pt("01/01/2025", "0.01"), pt("02/01/2025", "1000")]
    a = assess(points, D("1e8"), day("03/01/2025"), HIGHER)
    assert a.status == S.ON_TRACK
    assert a.observed_growth == math.inf and a.required_growth == math.inf
    assert a.ratio == pytest.approx(1.0, rel=1e-9)
    # A target twice as far in log terms: R = e^(4283 − 8566) → 0, limited progress.
    a = assess(points, D("1e13"), day("03/01/2025"), HIGHER)
    assert a.status == S.LIMITED_PROGRESS and a.ratio == 0.0
    # A far smaller required growth (0.01 → 10^9 over a year): R overflows to +inf, on track.
    a = assess(points, D("1e9"), day("31/12/2025"), HIGHER)
    assert a.status == S.ON_TRACK and a.ratio == math.inf


def test_falling_to_zero_against_an_overflowing_required_growth():
    a = assess([pt("01/01/2025", "0.01"), pt("02/01/2025", "0")], D("1e8"), day("03/01/2025"),
               HIGHER)
    assert a.status == S.DETERIORATION and a.ratio < 0


# -- validation -----------------------------------------------------------------------------


def test_bad_inputs_are_refused():
    good = [pt("31/01/2025", 20), pt("30/04/2025", 22)]
    with pytest.raises(ValueError):
        assess(good, D(70), END_2025, 0)
    with pytest.raises(ValueError):
        assess(good, D(70), END_2025, 2)
    with pytest.raises(TypeError):
        assess(good, 70.0, END_2025, HIGHER)
    with pytest.raises(ValueError):
        assess(good, D("NaN"), END_2025, HIGHER)
    with pytest.raises(TypeError):
        assess(good, D(70), datetime.datetime(2025, 12, 31), HIGHER)
    with pytest.raises(TypeError):
        Point(day("31/01/2025"), 20.5)
    with pytest.raises(ValueError):
        Point(day("31/01/2025"), D("Infinity"))
    with pytest.raises(TypeError):
        Point(datetime.datetime(2025, 1, 31), D(1))
    with pytest.raises(ValueError):
        projection(good, END_2025, lower=D(100), upper=D(0))
    with pytest.raises(ValueError):
        will_reach(D(1), D(1), 0)


def test_ints_are_taken_exactly():
    assert Point(day("31/01/2025"), 20) == pt("31/01/2025", "20")
    assert assess([pt("31/01/2025", 20), pt("30/04/2025", 30)], 70, END_2025, 1) == assess_up(30)


# -- projection ----------------------------------------------------------------------------


def test_projection_needs_two_distinct_dates():
    assert projection([], END_2025) is None
    assert projection([pt("30/04/2025", 1)], END_2025) is None
    assert projection([pt("30/04/2025", 1), pt("30/04/2025", 2)], END_2025) is None


def test_projection_rounds_half_up():
    # Through (2025, 0) and (2026, 1) (31/12/2024 and 31/12/2025): on 30/06/2025 (2025.5) the
    # line gives 0.5; with values 0 and 0.01 it gives 0.005 → 0.01 (half up), and with 0 and
    # −0.01 it gives −0.005 → −0.01 (half away from zero).
    a, b, mid = day("31/12/2024"), day("31/12/2025"), day("30/06/2025")
    assert projection([Point(a, D(0)), Point(b, D(1))], mid) == D("0.50")
    assert projection([Point(a, D(0)), Point(b, D("0.01"))], mid) == D("0.01")
    assert projection([Point(a, D(0)), Point(b, D("-0.01"))], mid) == D("-0.01")
    assert projection([Point(a, D(0)), Point(b, D("0.0099"))], mid) == D("0.00")
    assert str(projection([Point(a, D(0)), Point(b, D(0))], mid)) == "0.00"


def test_projection_is_clamped():
    rising = [pt("31/12/2024", 80), pt("31/12/2025", 95)]
    assert projection(rising, day("31/12/2027"), lower=D(0), upper=D(100)) == D("100")
    assert str(projection(rising, day("31/12/2027"), lower=D(0), upper=D(100))) == "100.00"
    assert projection(rising, day("31/12/2027")) == D("125.00")  # no bounds: no clamp
    falling = [pt("31/12/2024", 10), pt("31/12/2025", 4)]
    assert projection(falling, day("31/12/2027"), lower=D(0), upper=D(100)) == D("0.00")
    assert projection(falling, day("31/12/2027"), upper=D(100)) == D("-8.00")
    # A bound with more than 2 places is returned as it is, so the result stays within it.
    assert projection(rising, day("31/12/2027"), upper=D("99.995")) == D("99.995")


def test_projection_backwards_and_with_duplicates():
    points = [pt("31/12/2025", 30), pt("31/12/2024", 99), pt("31/12/2024", 20)]
    assert projection(points, day("31/12/2023")) == D("10.00")


def test_will_reach():
    assert will_reach(None, D(50), HIGHER) is None
    assert will_reach(D("50.00"), D(50), HIGHER) is True
    assert will_reach(D("49.99"), D(50), HIGHER) is False
    assert will_reach(D("30.00"), D(30), LOWER) is True
    assert will_reach(D("30.01"), D(30), LOWER) is False


# -- properties ----------------------------------------------------------------------------

DATES = st.dates(min_value=datetime.date(2020, 1, 1), max_value=datetime.date(2030, 12, 31))
VALUES = st.one_of(
    st.decimals(min_value=-1000, max_value=1000, places=2),
    st.sampled_from([D(0), D("0.01"), D("-0.01"), D(100), D("1e6"), D("0.0001")]),
)
POINTS = st.builds(Point, DATES, VALUES)
DIRECTIONS = st.sampled_from([HIGHER, LOWER])
RANK = {S.DETERIORATION: 0, S.LIMITED_PROGRESS: 1, S.ACCELERATION_NEEDED: 2, S.ON_TRACK: 3,
        S.ACHIEVED: 4}


def two_dated(draw_dates):
    """Two distinct dates, earlier first."""
    a, b = draw_dates
    assume(a != b)
    return min(a, b), max(a, b)


@settings(max_examples=500)
@given(st.lists(POINTS, max_size=6), VALUES, DATES, DIRECTIONS, st.none() | POINTS)
@example([pt("01/01/2025", "0.01"), pt("02/01/2025", "1e6")], D("1e6"), day("03/01/2025"),
         HIGHER, None)
@example([pt("01/01/2025", "0.0001"), pt("02/01/2025", "1e6")], D("0.01"), day("02/01/2025"),
         LOWER, None)
def test_assess_never_raises_and_is_consistent(points, target, target_date, direction, base):
    a = assess(points, target, target_date, direction, base=base)
    assert isinstance(a, Assessment) and a.status in S
    assert a.method in ("cagr", "linear", "")
    if a.status in (S.ACHIEVED, S.NOT_ENOUGH_DATA):
        assert (a.ratio, a.observed_growth, a.required_growth, a.method) == (None, None, None, "")
        return
    assert a.method in ("cagr", "linear")
    assert a.observed_growth is not None and not math.isnan(a.observed_growth)
    if a.ratio is None:  # the target date is not after the base
        assert target_date <= a.base.when and a.required_growth is None
        assert a.status in (S.LIMITED_PROGRESS, S.DETERIORATION)
    else:
        assert not math.isnan(a.ratio) and not math.isnan(a.required_growth)
        assert a.status == _classify(a.ratio)
        wrong_way = direction * (a.latest.value - a.base.value) < 0
        assert (a.status == S.DETERIORATION) == wrong_way


@given(st.lists(POINTS, min_size=2, max_size=6), DIRECTIONS, DATES)
def test_reaching_the_target_is_achieved(points, direction, target_date):
    dates = {p.when for p in points}
    assume(len(dates) >= 2)
    latest = [p for p in points if p.when == max(dates)][-1]
    # Any target the latest value has reached (≤ it for higher-is-better, ≥ for lower).
    for slack in (D(0), D("0.01"), D(50)):
        target = latest.value - direction * slack
        assert assess(points, target, target_date, direction).status == S.ACHIEVED


@settings(max_examples=500)
@given(VALUES, VALUES, VALUES, VALUES, DIRECTIONS, st.tuples(DATES, DATES), DATES)
@example(D(20), D(-1), D(0), D(70), HIGHER, (day("31/01/2025"), day("30/04/2025")),
         day("31/12/2025"))
def test_a_better_latest_value_never_gives_a_worse_status(
    y0, v1, v2, target, direction, dates, target_date
):
    t0, t = two_dated(dates)
    # For higher-is-better the larger value is better; for lower-is-better the smaller.
    worse, better = sorted([v1, v2], reverse=direction < 0)
    base = Point(t0, y0)
    status_worse = assess([base, Point(t, worse)], target, target_date, direction).status
    status_better = assess([base, Point(t, better)], target, target_date, direction).status
    assert RANK[status_worse] <= RANK[status_better]


@given(st.lists(POINTS, max_size=6, unique_by=lambda p: p.when), VALUES, DATES, DIRECTIONS,
       st.randoms())
def test_the_order_of_the_points_does_not_matter(points, target, target_date, direction, rnd):
    shuffled = list(points)
    rnd.shuffle(shuffled)
    assert assess(shuffled, target, target_date, direction) == assess(
        points, target, target_date, direction)
    assert projection(shuffled, target_date) == projection(points, target_date)


@given(st.decimals(min_value=D("0.01"), max_value=1000, places=2),
       st.decimals(min_value=D("0.01"), max_value=1000, places=2),
       st.decimals(min_value=D("0.01"), max_value=1000, places=2),
       DIRECTIONS, st.tuples(DATES, DATES), DATES)
def test_cagr_agrees_with_the_formula_in_floats(y0, yt, target, direction, dates, target_date):
    t0, t = two_dated(dates)
    assume(target_date > t0)
    a = assess([Point(t0, y0), Point(t, yt)], target, target_date, direction)
    assume(a.status != S.ACHIEVED)
    dt = fractional_year(t) - fractional_year(t0)
    big_t = fractional_year(target_date) - fractional_year(t0)
    try:
        observed = (float(yt) / float(y0)) ** (1 / dt) - 1
        required = (float(target) / float(y0)) ** (1 / big_t) - 1
        expected = direction * observed / abs(required)
    except (OverflowError, ZeroDivisionError):
        assume(False)
    assume(math.isfinite(expected) and abs(required) > 1e-9)
    assert a.method == "cagr"
    assert a.ratio == pytest.approx(expected, rel=1e-6, abs=1e-12)


@given(st.lists(POINTS, max_size=8), DATES,
       st.decimals(min_value=-100, max_value=100, places=2),
       st.decimals(min_value=0, max_value=200, places=2))
def test_projection_stays_within_the_bounds(points, on, lower, width):
    upper = lower + width
    projected = projection(points, on, lower=lower, upper=upper)
    if projected is not None:
        assert lower <= projected <= upper
        unclamped = projection(points, on)
        assert projected == min(max(unclamped, lower), upper)


def exact_year(d: datetime.date) -> Fraction:
    """The documented formula, exactly: year + (month − 1 + day / days_in_month) / 12."""
    return d.year + (d.month - 1 + Fraction(d.day, calendar.monthrange(d.year, d.month)[1])) / 12


def round_half_up(q: Fraction) -> Decimal:
    with localcontext(prec=200):
        return (D(q.numerator) / D(q.denominator)).quantize(D("0.01"), ROUND_HALF_UP)


@given(POINTS, POINTS, DATES)
@example(pt("31/12/2024", 0), pt("31/12/2025", "0.01"), day("30/06/2025"))  # a tie: 0.005
def test_projection_through_two_points_is_the_straight_line(p1, p2, on):
    assume(p1.when != p2.when)
    x1, x2, x = exact_year(p1.when), exact_year(p2.when), exact_year(on)
    y1, y2 = Fraction(p1.value), Fraction(p2.value)
    line = y1 + (y2 - y1) * (x - x1) / (x2 - x1)
    assert projection([p1, p2], on) == round_half_up(line)


@given(st.lists(POINTS, min_size=2, max_size=8), DATES)
def test_projection_agrees_with_statistics(points, on):
    projected = projection(points, on)
    assume(projected is not None)
    dedup = {p.when: p for p in points}
    xs = [fractional_year(d) for d in dedup]
    ys = [float(p.value) for p in dedup.values()]
    slope, intercept = statistics.linear_regression(xs, ys)
    expected = slope * fractional_year(on) + intercept
    scale = max(1.0, *(abs(y) for y in ys))
    assert abs(float(projected) - expected) <= 0.005 + 1e-6 * scale


@given(st.decimals(min_value=-1000, max_value=1000, places=2), VALUES, DIRECTIONS)
def test_will_reach_agrees_with_achieved(projected, target, direction):
    reached = will_reach(projected, target, direction)
    points = [Point(datetime.date(2025, 1, 31), D(1)), Point(datetime.date(2025, 4, 30), projected)]
    assert reached == (assess(points, target, END_2025, direction).status == S.ACHIEVED)

