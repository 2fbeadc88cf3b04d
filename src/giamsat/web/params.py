"""Reading what a page was asked for from its query string, with forgiving defaults."""

import datetime
import re

from django.utils import timezone

_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_day(text: str | None) -> datetime.date | None:
    """ "18/07/2025" or "2025-07-18" → the date; None for anything else."""
    text = (text or "").strip()
    if not text:
        return None
    match = _DMY.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(text)
    except ValueError:
        return None


def as_of(request, name: str = "ngay") -> tuple[datetime.date, bool]:
    """The as-of date the page was asked for (today by default), and whether the text
    given was unreadable (the page then says so and shows today)."""
    text = request.GET.get(name, "")
    day = parse_day(text)
    return (day or timezone.localdate()), bool(text.strip()) and day is None


def integer(request, name: str) -> int | None:
    try:
        return int(request.GET.get(name, ""))
    except ValueError:
        return None
