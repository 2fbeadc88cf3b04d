import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamsat.reporting.regimes import (
    Cutoff,
    PeriodType,
    calendar_period,
    next_period,
    period_label,
    period_of,
    previous_period,
    window,
)

D = datetime.date
days = st.dates(min_value=D(1901, 1, 1), max_value=D(2198, 12, 31))
period_types = st.sampled_from(list(PeriodType))
cutoffs = st.sampled_from(list(Cutoff))


@pytest.mark.parametrize(("period_type", "period", "start", "end"), [
    (PeriodType.MONTH, D(2025, 4, 1), D(2025, 3, 15), D(2025, 4, 14)),
    (PeriodType.MONTH, D(2025, 1, 1), D(2024, 12, 15), D(2025, 1, 14)),
    (PeriodType.QUARTER, D(2025, 4, 1), D(2025, 3, 15), D(2025, 6, 14)),
    (PeriodType.HALF_YEAR, D(2025, 1, 1), D(2024, 12, 15), D(2025, 6, 14)),
    (PeriodType.HALF_YEAR, D(2025, 7, 1), D(2025, 6, 15), D(2025, 12, 14)),
    (PeriodType.YEAR, D(2025, 1, 1), D(2024, 12, 15), D(2025, 12, 14)),
])
def test_decree_09_windows_are_those_of_the_decree(period_type, period, start, end):
    assert window(period_type, Cutoff.DECREE_09_2019, period) == (start, end)


def test_calendar_quarter_window():
    assert window(PeriodType.QUARTER, Cutoff.CALENDAR, D(2025, 4, 1)) == (D(2025, 4, 1),
                                                                         D(2025, 6, 30))


@pytest.mark.parametrize(("day", "calendar", "decree"), [
    (D(2025, 4, 14), D(2025, 4, 1), D(2025, 4, 1)),
    (D(2025, 4, 15), D(2025, 4, 1), D(2025, 5, 1)),
    (D(2025, 12, 14), D(2025, 12, 1), D(2025, 12, 1)),
    (D(2025, 12, 15), D(2025, 12, 1), D(2026, 1, 1)),
])
def test_the_14th_and_15th_fall_into_different_months_under_decree_09(day, calendar, decree):
    assert period_of(PeriodType.MONTH, Cutoff.CALENDAR, day) == calendar
    assert period_of(PeriodType.MONTH, Cutoff.DECREE_09_2019, day) == decree


def test_an_update_of_15_june_is_second_half_under_decree_09_first_under_calendar():
    day = D(2025, 6, 15)
    assert period_of(PeriodType.HALF_YEAR, Cutoff.CALENDAR, day) == D(2025, 1, 1)
    assert period_of(PeriodType.HALF_YEAR, Cutoff.DECREE_09_2019, day) == D(2025, 7, 1)
    assert period_of(PeriodType.YEAR, Cutoff.DECREE_09_2019, D(2025, 12, 15)) == D(2026, 1, 1)


@given(period_types, cutoffs, days)
def test_consecutive_windows_tile_time(period_type, cutoff, day):
    period = calendar_period(period_type, day)
    _, end = window(period_type, cutoff, period)
    following_start, _ = window(period_type, cutoff, next_period(period_type, period))
    assert following_start == end + datetime.timedelta(days=1)
    assert previous_period(period_type, next_period(period_type, period)) == period


@given(period_types, cutoffs, days)
def test_every_day_lies_in_the_window_of_its_period(period_type, cutoff, day):
    start, end = window(period_type, cutoff, period_of(period_type, cutoff, day))
    assert start <= day <= end


@given(period_types, days)
def test_calendar_period_is_fixed_point(period_type, day):
    period = calendar_period(period_type, day)
    assert calendar_period(period_type, period) == period
    assert period.day == 1


def test_labels():
    assert period_label(PeriodType.MONTH, D(2025, 7, 1)) == "Tháng 07/2025"
    assert period_label(PeriodType.QUARTER, D(2025, 4, 1)) == "Quý II/2025"
    assert period_label(PeriodType.HALF_YEAR, D(2025, 7, 1)) == "6 tháng cuối năm 2025"
    assert period_label(PeriodType.YEAR, D(2025, 1, 1)) == "Năm 2025"
    # The same words as a deadline written for that quarter.
    from giamsat.tasks.deadlines import parse_deadline

    assert parse_deadline("Quý II/2025").due == D(2025, 6, 30)
