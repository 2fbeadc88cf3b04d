"""Month arithmetic on dates: a period is written as its first day (2025-07-01 = 07/2025)."""

import calendar
import datetime


def month_start(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of day's month."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The first day of the month `months` after (or before) day's month."""
    index = day.year * 12 + day.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def next_month(period: datetime.date) -> datetime.date:
    return add_months(period, 1)


def previous_month(period: datetime.date) -> datetime.date:
    return add_months(period, -1)
