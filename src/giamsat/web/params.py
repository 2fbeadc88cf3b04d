"""Reading what a page was asked for from its query string, with forgiving defaults."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.lib import dates


def calendar_day(text: str) -> datetime.date | None:
    """ "18/07/2025", "18.7.2025", "18072025" or "2025-07-18" → the date, in any year of the
    calendar; None for anything else (lib/dates.py says every way it is read)."""
    return dates.written_day(text)


def read_day(text: str | None) -> tuple[datetime.date | None, str]:
    """The date a person wrote and "", or None and why it cannot be used ("" when nothing
    was written). A date outside 1900–2199 is a typo (lib/dates.py)."""
    text = (text or "").strip()
    if not text:
        return None, ""
    day = calendar_day(text)
    if day is None:
        return None, _("“%(text)s” is not a date; write it as dd/mm/yyyy.") % {"text": text}
    if not dates.in_range(day):
        return None, _("“%(text)s” is outside the years %(first)s to %(last)s.") % {
            "text": text, "first": dates.FIRST_YEAR, "last": dates.LAST_YEAR}
    return day, ""


def parse_day(text: str | None) -> datetime.date | None:
    """ "18/07/2025" or "2025-07-18", in 1900–2199 → the date; None for anything else."""
    return read_day(text)[0]


def as_of(request, name: str = "ngay") -> tuple[datetime.date, str]:
    """The as-of date the page was asked for (today by default), and what to say when the
    text given cannot be used (the page then shows today)."""
    text = request.GET.get(name, "").strip()
    if not text:
        return timezone.localdate(), ""
    day = calendar_day(text)
    if day is None:
        return timezone.localdate(), _("That date could not be read (write it as "
                                       "dd/mm/yyyy); today is shown instead.")
    if not dates.in_range(day):
        return timezone.localdate(), _(
            "“%(text)s” is outside the years %(first)s to %(last)s; today is shown "
            "instead.") % {"text": text, "first": dates.FIRST_YEAR, "last": dates.LAST_YEAR}
    return day, ""
