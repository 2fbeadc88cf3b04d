"""Monthly reporting periods: which month, when it is due, whether it is still open.

A period is a calendar month, written as its first day. The report for a month is due on
day REPORT_DUE_DAY of the following month (GIAMSAT_REPORT_DUE_DAY, default 5); after
that the period is closed for an agency unless the standing office opens it again for
that agency (Submission.reopened_until).
"""

import datetime
import re

from django.conf import settings

from giamsat.lib import dates
from giamsat.lib.months import month_end, month_start, next_month, previous_month

# 2025-07, as URLs, query strings and the API write a period (the API's schema shows it).
KEY_PATTERN = r"^[0-9]{4}-[0-9]{2}$"
_KEY = re.compile(r"([0-9]{4})-([0-9]{2})")
_AS_WRITTEN = re.compile(r"([0-9]{1,2})/([0-9]{4})")  # 07/2025 or 7/2025, as people write it


def parse_period(text: str | None) -> datetime.date | None:
    """Exactly "YYYY-MM" → the month's first day; None for anything else ("2025-7" too:
    a period is never guessed)."""
    match = _KEY.fullmatch(text or "")
    return _month(match[1], match[2]) if match else None


def parse_month_as_written(text: str | None) -> datetime.date | None:
    """What a person types in a form: "07/2025", "7/2025" or exactly "2025-07"."""
    text = (text or "").strip()
    match = _AS_WRITTEN.fullmatch(text)
    return _month(match[2], match[1]) if match else parse_period(text)


def _month(year: str, month: str) -> datetime.date | None:
    if not 1 <= int(month) <= 12 or not dates.year_in_range(int(year)):
        return None
    return datetime.date(int(year), int(month), 1)


def period_key(period: datetime.date) -> str:
    return f"{period:%Y-%m}"


def period_label(period: datetime.date) -> str:
    return f"{period:%m/%Y}"


def due_date(period: datetime.date) -> datetime.date:
    following = next_month(period)
    return following.replace(day=min(settings.REPORT_DUE_DAY, month_end(following).day))


def current_period(today: datetime.date) -> datetime.date:
    """The month agencies are reporting on today: last month until its due day."""
    last = previous_month(today)
    return last if today <= due_date(last) else month_start(today)


def last_closed_period(today: datetime.date) -> datetime.date:
    """The latest month whose due day has passed: its reporting rate is final enough to
    judge agencies by (the open period's is still growing)."""
    last = previous_month(month_start(today))
    return last if due_date(last) < today else previous_month(last)


def is_open(period: datetime.date, today: datetime.date,
            reopened_until: datetime.date | None = None) -> bool:
    """Whether a report for `period` may still be written or submitted on `today`."""
    if today < period:
        return False  # a month that has not begun cannot be reported on
    return today <= due_date(period) or (reopened_until is not None and today <= reopened_until)


def recent_periods(today: datetime.date, count: int = 12) -> list[datetime.date]:
    periods, period = [], month_start(today)
    for _ in range(count):
        periods.append(period)
        period = previous_month(period)
    return periods
