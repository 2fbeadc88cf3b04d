"""Reporting regimes (chế độ báo cáo): period types and their data cut-off windows.

A period is written as the first day of its first calendar month (Q2/2025 = 2025-04-01).
Its data window is either the calendar period itself, or the Decree 09/2019/NĐ-CP window,
which ends on the 14th of the period's last month and begins on the 15th of the month
before the period (monthly 15/03 → 14/04; Q2 15/03 → 14/06; H1 15/12 → 14/06; year
15/12 → 14/12). These are plain functions so the report, page and API read one rule.
"""

import datetime
import re
from enum import StrEnum

from giamsat.lib import dates
from giamsat.lib.months import add_months, month_end

# The Decree 09/2019 window ends on this day of the period's last month.
DECREE_09_LAST_DAY = 14


class PeriodType(StrEnum):
    MONTH = "month"
    QUARTER = "quarter"
    HALF_YEAR = "half_year"
    YEAR = "year"


class Cutoff(StrEnum):
    CALENDAR = "calendar"
    DECREE_09_2019 = "decree_09_2019"


MONTHS_IN = {PeriodType.MONTH: 1, PeriodType.QUARTER: 3, PeriodType.HALF_YEAR: 6,
             PeriodType.YEAR: 12}


def calendar_period(period_type: PeriodType, day: datetime.date) -> datetime.date:
    """The first day of the calendar period (month, quarter, half, year) holding `day`."""
    length = MONTHS_IN[PeriodType(period_type)]
    first_month = (day.month - 1) // length * length + 1
    return datetime.date(day.year, first_month, 1)


def next_period(period_type: PeriodType, period: datetime.date) -> datetime.date:
    return add_months(period, MONTHS_IN[PeriodType(period_type)])


def previous_period(period_type: PeriodType, period: datetime.date) -> datetime.date:
    return add_months(period, -MONTHS_IN[PeriodType(period_type)])


def window(period_type: PeriodType, cutoff: Cutoff,
           period: datetime.date) -> tuple[datetime.date, datetime.date]:
    """The first and last day (inclusive) of the data that belongs to `period`."""
    period = calendar_period(period_type, period)
    last_month = add_months(period, MONTHS_IN[PeriodType(period_type)] - 1)
    if Cutoff(cutoff) == Cutoff.CALENDAR:
        return period, month_end(last_month)
    return (add_months(period, -1).replace(day=DECREE_09_LAST_DAY + 1),
            last_month.replace(day=DECREE_09_LAST_DAY))


def period_of(period_type: PeriodType, cutoff: Cutoff, day: datetime.date) -> datetime.date:
    """The period whose window holds `day`: under Decree 09/2019 a day after the 14th
    already counts for the next month's period."""
    if Cutoff(cutoff) == Cutoff.DECREE_09_2019 and day.day > DECREE_09_LAST_DAY:
        day = add_months(day, 1)
    return calendar_period(period_type, day)


ROMAN = ("I", "II", "III", "IV")


def period_label(period_type: PeriodType, period: datetime.date) -> str:
    """Tháng 07/2025, Quý III/2025, 6 tháng cuối năm 2025, Năm 2025: as the programme's
    documents write periods, and as deadlines are written (tasks/deadlines.py)."""
    period_type = PeriodType(period_type)
    if period_type == PeriodType.MONTH:
        return f"Tháng {period:%m/%Y}"
    if period_type == PeriodType.QUARTER:
        return f"Quý {ROMAN[(period.month - 1) // 3]}/{period.year}"
    if period_type == PeriodType.HALF_YEAR:
        half = "đầu" if period.month <= 6 else "cuối"
        return f"6 tháng {half} năm {period.year}"
    return f"Năm {period.year}"


# How URLs and the API write a period: 2025-07 (a month), 2025-Q2, 2025-H1, 2025. Each
# period type has its own shape, so the key alone says which kind of period it is.
KEY_PATTERN = r"^[0-9]{4}(-[0-9]{2}|-Q[1-4]|-H[12])?$"
_KEY = re.compile(r"([0-9]{4})(?:-([0-9]{2})|-Q([1-4])|-H([12]))?")


def period_key(period_type: PeriodType, period: datetime.date) -> str:
    period_type = PeriodType(period_type)
    if period_type == PeriodType.MONTH:
        return f"{period:%Y-%m}"
    if period_type == PeriodType.QUARTER:
        return f"{period.year}-Q{(period.month - 1) // 3 + 1}"
    if period_type == PeriodType.HALF_YEAR:
        return f"{period.year}-H{1 if period.month <= 6 else 2}"
    return f"{period.year}"


def parse_key(text: str | None) -> tuple[PeriodType, datetime.date] | None:
    """"2025-Q2" → (quarter, 2025-04-01); None for anything not written exactly so."""
    match = _KEY.fullmatch(text or "")
    if match is None:
        return None
    year, month, quarter, half = match.groups()
    if not dates.year_in_range(int(year)):
        return None
    if month is not None:
        if not 1 <= int(month) <= 12:
            return None
        return PeriodType.MONTH, datetime.date(int(year), int(month), 1)
    if quarter is not None:
        return PeriodType.QUARTER, datetime.date(int(year), int(quarter) * 3 - 2, 1)
    if half is not None:
        return PeriodType.HALF_YEAR, datetime.date(int(year), 1 if half == "1" else 7, 1)
    return PeriodType.YEAR, datetime.date(int(year), 1, 1)
