"""The years a date of giamsat may fall in: 1900 to 2199.

Anything outside is a typo ("01/01/0001", "31/12/9999"), never a deadline, an as-of date or
a period, and the month and week arithmetic of the pages would run off the calendar
there. The deadline parser, the periods, the pages' dates and the API's dates all use
this one range.
"""

import datetime
import re

FIRST_YEAR, LAST_YEAR = 1900, 2199


def year_in_range(year: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR


def in_range(day: datetime.date) -> bool:
    return year_in_range(day.year)


# A day as people type it, on a keyboard or a phone's keypad: 27/11/2026, 7/1/2026,
# 27.11.2026, 27-11-2026, 27,11,2026 (the decimal key of a Vietnamese iPhone keypad) or the
# eight digits 27112026; and the ISO 2026-11-27 a date picker gives.
_WRITTEN = re.compile(r"(\d{1,2})\s*([/.,-])\s*(\d{1,2})\s*\2\s*(\d{4})")
_DIGITS = re.compile(r"(\d{2})(\d{2})(\d{4})")
_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")

# What a form says to type (a phone keypad has digits and one separator, not always "/").
WRITTEN_PATTERN = r"\s*(\d{1,2}[\/.,\-]\d{1,2}[\/.,\-]\d{4}|\d{8}|\d{4}-\d{2}-\d{2})\s*"


def written_day(text: str | None) -> datetime.date | None:
    """The calendar day in `text` written one of the ways above, in any year; None for
    anything else (including a day no calendar has, 31/02)."""
    text = (text or "").strip()
    try:
        if match := _WRITTEN.fullmatch(text):
            day, _sep, month, year = match.groups()
            return datetime.date(int(year), int(month), int(day))
        if match := _DIGITS.fullmatch(text):
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        if match := _ISO.fullmatch(text):
            year, month, day = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
    except ValueError:
        return None
    return None
