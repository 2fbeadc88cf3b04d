"""Deadlines as Vietnamese documents write them, and what they mean.

A task's deadline arrives as free text: "Tháng 6/2025", "Quý I/2025", "30/6/2025",
"trước ngày 15/5/2025", "Thường xuyên", "Hằng năm", sometimes inside a longer sentence.
`parse_deadline` keeps that text and adds its meaning: a kind and `due`, the last day on
which the task is still done on time. It never raises: text it cannot read comes back as
UNPARSED with a note, so an importer can keep going and a human can look later.

Choices (the documents do not settle them, so they are made here, once):
- "trước ngày 15/5/2025" is read literally: before the 15th, so due is 14/05/2025.
  "chậm nhất ngày …", "đến (hết) ngày …", "không muộn hơn ngày …" include the day.
  All of these are BEFORE; a bare "30/6/2025" or "ngày 30/6/2025" is DATE.
- "trước tháng 6/2025" (any period after "trước") is BEFORE with due = the day before
  the period starts. "trong", "vào", "hết", "cuối", "đến", "chậm nhất" before a period do
  not change it: "Trong tháng 6/2025" is the month of June.
- Text holding several deadlines ("Tháng 12/2025 và năm 2026") takes the earliest due:
  the first milestone is the one a monitor must not miss. The note names the others.
- A deadline inside a longer text ("Trình Thủ tướng trong tháng 10/2025") is read, and the
  note says so. A trailing "(…)" remark is ignored, also with a note.
- Without a year ("Tháng 6", "trước ngày 15/5") the year of context_date is used (the
  date of the document); without context_date the text is UNPARSED.
- "Thường xuyên" / "Nhiệm vụ thường xuyên" is RECURRING (ongoing, no due date);
  "Hằng năm", "Hằng quý", "Hằng tháng" (also "Hàng …", "Định kỳ hằng …") are YEARLY,
  QUARTERLY and MONTHLY: they repeat on a calendar, so status can be judged per period.
- Two-digit years are 20xx. Years outside 1900–2199 are typos, hence UNPARSED.
- Multi-year ranges ("2025-2026", "giai đoạn 2025-2030") are UNPARSED: no deadline in the
  corpus is written that way, so there is no evidence yet for how to read them.
"""

import calendar
import enum
import re
from dataclasses import dataclass
from datetime import date, timedelta

from giamsat.lib.dates import FIRST_YEAR, LAST_YEAR
from giamsat.lib.months import month_end
from giamsat.lib.text import clean, fold


class DeadlineKind(enum.StrEnum):
    DATE = "date"  # "30/6/2025": due that day
    BEFORE = "before"  # "trước ngày 15/5/2025", "chậm nhất ngày …"
    MONTH = "month"  # "Tháng 6/2025": due the last day of the month
    QUARTER = "quarter"  # "Quý I/2025": due 31/03/2025
    HALF = "half"  # "6 tháng đầu năm 2025": due 30/06/2025
    YEAR = "year"  # "Năm 2025", "2025": due 31/12/2025
    RECURRING = "recurring"  # "Thường xuyên": ongoing, never due
    YEARLY = "yearly"  # "Hằng năm"
    QUARTERLY = "quarterly"  # "Hằng quý"
    MONTHLY = "monthly"  # "Hằng tháng"
    NONE = "none"  # empty cell, "-"
    UNPARSED = "unparsed"  # text we could not read; see note


RECURRING_KINDS = frozenset(
    {DeadlineKind.RECURRING, DeadlineKind.YEARLY, DeadlineKind.QUARTERLY, DeadlineKind.MONTHLY}
)


@dataclass(frozen=True)
class Deadline:
    raw: str  # the text exactly as given
    kind: DeadlineKind
    due: date | None = None  # last day on which the task is done on time
    period_start: date | None = None  # first day of the month / quarter / half / year
    note: str = ""  # what was assumed or ignored, for a human

    @property
    def is_recurring(self) -> bool:
        return self.kind in RECURRING_KINDS


# Outside lib/dates.py's range a year is a typo, not a plan.
MIN_YEAR, MAX_YEAR = FIRST_YEAR, LAST_YEAR
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}
_ROMAN_OF = {number: roman.upper() for roman, number in _ROMAN.items()}

# The patterns run on fold(text): lower case, no diacritics, đ→d ("Quý" → "quy").
# Words that may stand before a deadline; only "truoc" (before) changes its meaning, and
# "cham nhat" / "den" / "khong muon hon" / "han chot" make a day an inclusive limit.
# They are looked up just before each expression (not inside the patterns: a long run of
# such words would make every pattern rescan it from each word, quadratic in the length).
_START = r"(?<![a-z0-9])"  # expressions start and end at word boundaries
_LEAD = re.compile(
    rf"{_START}(?:(?:hoan thanh|thuc hien|truoc|cham nhat(?: la)?|khong muon hon"
    r"|han chot(?: la)?|den|het|cuoi|trong|vao)\s+)+$"
)
_LEAD_REACH = 60  # characters before an expression where its lead words may start
_END = r"(?![a-z0-9])"
_SEP = r"\s*[/.-]\s*"
_NO_MORE = r"(?!\d)(?!\s*[/.-]\s*\d)"  # "6/2025" is not "6/20" followed by "25"

_EXPRESSIONS = {
    # "30/6/2025", "ngày 15/5 năm 2025", "ngày 31 tháng 3 năm 2025"; not "6-7/2025" in
    # "tháng 6-7/2025"
    "day": rf"{_START}(?<!thang )(?<!quy )(?P<ngay>ngay\s+)?(?P<d>\d{{1,2}})"
    rf"(?:{_SEP}(?P<m>\d{{1,2}})(?:{_SEP}(?P<y>\d+)|\s+nam\s+(?P<y_nam>\d+))?"
    rf"|\s+thang\s+(?P<m_long>\d{{1,2}})(?:{_SEP}(?P<y_sep>\d+)|\s+nam\s+(?P<y_long>\d+))?)"
    rf"{_NO_MORE}",
    # "Tháng 6/2025", "tháng 02/2025", "tháng 6 năm 2025", "Tháng 6"
    "month": rf"{_START}thang\s+(?P<m>\d{{1,2}})"
    rf"(?:{_SEP}(?P<y>\d+)|\s+nam\s+(?P<y_long>\d+))?{_NO_MORE}",
    # "Quý I/2025", "Quý 3 năm 2025", "quý IV"
    "quarter": rf"{_START}quy\s+(?P<q>iv|i{{1,3}}|\d{{1,2}}){_END}"
    rf"(?:{_SEP}(?P<y>\d+)|\s+(?:nam\s+)?(?P<y_long>\d{{4,}}))?{_NO_MORE}",
    # "6 tháng đầu năm 2025", "06 tháng cuối năm", "nửa đầu năm 2025"
    "half": rf"{_START}(?:0?6\s+thang|nua)\s+(?P<h>dau|cuoi)\s+nam"
    rf"(?:\s+(?P<y>\d+))?{_NO_MORE}",
    # "Năm 2025", "trong năm 2025" (not "Việt Nam 2025")
    "year": rf"{_START}(?<!viet )nam\s+(?P<y>\d{{4,}}){_NO_MORE}",
    # Bare numbers are deadlines only where the text starts with them: "6/2025", "2025"
    # in a deadline cell, but not "173/2025" inside "Nghị định số 173/2025/NĐ-CP".
    "bare_month": rf"^(?P<m>\d{{1,2}})\s*/\s*(?P<y>\d{{4}}){_NO_MORE}",
    "bare_year": rf"^(?P<y>\d{{4}}){_NO_MORE}",
}
_PATTERNS = {name: re.compile(pattern) for name, pattern in _EXPRESSIONS.items()}

_RECURRING = re.compile(
    r"(?<![a-z])(?:nhiem vu\s+|dinh ky\s+)?(?P<word>thuong xuyen|hang nam|hang quy|hang thang)"
    r"(?![a-z])"
)
_RECURRING_KIND = {
    "thuong xuyen": DeadlineKind.RECURRING,
    "hang nam": DeadlineKind.YEARLY,
    "hang quy": DeadlineKind.QUARTERLY,
    "hang thang": DeadlineKind.MONTHLY,
}
_STRAY = " .,;:!?*+-/…\"'“”‘’"  # punctuation left at either end of a cell
_REMARK = re.compile(r"^(?P<head>.*\S)\s*\([^()]*\)$")
_RANGE = re.compile(r"(?<!\d)\d{4}\s*-\s*\d{4}(?!\d)")


class _Unreadable(ValueError):
    """Looks like a deadline but means nothing: "Tháng 13/2025", "31/2/2025"."""

    span: tuple[int, int] = (0, 0)  # where in the key


class _NoYear(_Unreadable):
    """A deadline without a year, and no context date to take it from."""


@dataclass(frozen=True)
class _Found:
    kind: DeadlineKind
    due: date
    period_start: date | None
    notes: tuple[str, ...]
    span: tuple[int, int]


def parse_deadline(text: str, context_date: date | None = None) -> Deadline:
    """Read a deadline; never raises (unreadable text is UNPARSED with a note)."""
    raw = text if isinstance(text, str) else ("" if text is None else str(text))
    try:
        return _parse(raw, context_date)
    except Exception as error:  # a safety net: one odd cell must not stop an import
        return Deadline(raw, DeadlineKind.UNPARSED, note=f"internal error: {error!r}")


def _parse(raw: str, context_date: date | None) -> Deadline:
    key, shown = _normalise(raw)
    if not key:
        return Deadline(raw, DeadlineKind.NONE)
    notes: list[str] = []
    remark = _REMARK.match(key)
    if remark:  # "Tháng 6/2025 (đã lùi từ tháng 3)": the remark is not the deadline
        head = len(remark["head"].rstrip(_STRAY))
        notes.append(f"remark ignored: {shown[remark.end('head'):].strip()}")
        key, shown = key[:head], shown[:head]

    def result(kind: DeadlineKind, found: _Found | None = None) -> Deadline:
        if found is None:
            return Deadline(raw, kind, note="; ".join(notes))
        note = "; ".join([*found.notes, *notes])
        return Deadline(raw, kind, found.due, found.period_start, note)

    recurring = _RECURRING.match(key)
    if recurring and recurring.end() == len(key):
        return result(_RECURRING_KIND[recurring["word"]])
    found, errors = _find(key, context_date)
    for item in [*found, *errors]:
        if item.span == (0, len(key)):  # the whole text is one deadline
            if isinstance(item, _Found):
                return result(item.kind, item)
            return Deadline(raw, DeadlineKind.UNPARSED, note=str(item))

    # From here on the deadline, if any, sits inside a longer text.
    if recurring:  # "Hằng tháng báo cáo Thường trực Ban Chỉ đạo": starts with a rhythm
        notes.insert(0, f"{shown[: recurring.end()]!r} read from a longer text")
        return result(_RECURRING_KIND[recurring["word"]])
    invalid = [error for error in errors if not isinstance(error, _NoYear)]
    if invalid or (errors and not found):  # a date that does not exist needs a human
        note = "; ".join(dict.fromkeys(map(str, errors)))
        return Deadline(raw, DeadlineKind.UNPARSED, note=note)
    if found:
        chosen = min(found, key=lambda item: (item.due, item.span))
        start, end = chosen.span
        notes.insert(0, f"{shown[start:end]!r} read from a longer text")
        others = [repr(shown[a:b]) for a, b in (item.span for item in found if item is not chosen)]
        if others:
            notes.insert(1, f"earliest of several deadlines; also {', '.join(others)}")
        return result(chosen.kind, chosen)
    anywhere = _RECURRING.search(key)
    if anywhere:
        notes.insert(0, f"{shown[anywhere.start():anywhere.end()]!r} read from a longer text")
        return result(_RECURRING_KIND[anywhere["word"]])
    if _RANGE.search(key):
        return Deadline(raw, DeadlineKind.UNPARSED, note="a range of years is not read")
    return Deadline(raw, DeadlineKind.UNPARSED, note="no deadline found")


def _normalise(raw: str) -> tuple[str, str]:
    """(key to match, cleaned text of the same length to quote in notes)."""
    shown = clean(raw)
    key = fold(shown)
    if len(key) != len(shown):  # rare letters change length when folded: quote the key
        shown = key
    left = len(key) - len(key.lstrip(_STRAY))
    key = key.strip(_STRAY)
    return key, shown[left : left + len(key)]


def _find(key: str, context_date: date | None) -> tuple[list[_Found], list[_Unreadable]]:
    """Deadline expressions in key, without overlaps, leftmost and longest first."""
    candidates = [
        (name, match) for name, pattern in _PATTERNS.items() for match in pattern.finditer(key)
    ]
    candidates.sort(key=lambda item: (item[1].start(), -item[1].end()))
    found: list[_Found] = []
    errors: list[_Unreadable] = []
    taken_until = 0
    for name, match in candidates:
        lead = _LEAD.search(key, max(taken_until, match.start() - _LEAD_REACH), match.start())
        span = (lead.start() if lead else match.start(), match.end())
        if match.start() < taken_until or not _anchored(name, match, lead, span, len(key)):
            continue
        taken_until = match.end()
        try:
            found.append(_meaning(name, match, lead[0].split() if lead else [], span, context_date))
        except _Unreadable as error:
            error.span = span
            errors.append(error)
    return found, errors


def _anchored(
    name: str, match: re.Match[str], lead: re.Match[str] | None, span: tuple[int, int], size: int
) -> bool:
    """A bare "1/3" inside a sentence may be a fraction; a cell that is only "15/5" is not."""
    if name != "day" or span == (0, size):
        return True
    year = match["y"] or match["y_nam"] or match["y_sep"] or match["y_long"] or ""
    return bool(match["ngay"] or lead or len(year) == 4)


def _meaning(
    name: str,
    match: re.Match[str],
    lead: list[str],
    span: tuple[int, int],
    context_date: date | None,
) -> _Found:
    groups = match.groupdict()
    notes: list[str] = []
    year = _year(groups, context_date, notes)

    def found(kind: DeadlineKind, due: date, start: date | None = None) -> _Found:
        return _Found(kind, due, start, tuple(notes), span)

    if name == "day":
        named = _date(year, int(groups["m"] or groups["m_long"]), int(groups["d"]))
        if "truoc" in lead:
            notes.append(f"'trước' read literally: {_dmy(named)} itself is late")
            return found(DeadlineKind.BEFORE, _day_before(named))
        if {"cham", "den", "het", "muon", "chot"}.intersection(lead):  # the day is included
            return found(DeadlineKind.BEFORE, named)
        return found(DeadlineKind.DATE, named)

    if name in ("month", "bare_month"):
        kind, (start, due) = DeadlineKind.MONTH, _month(year, int(groups["m"]))
    elif name == "quarter":
        quarter = _ROMAN.get(groups["q"]) or int(groups["q"])
        if not 1 <= quarter <= 4:
            raise _Unreadable(f"there is no quarter {quarter}")
        kind = DeadlineKind.QUARTER
        start, due = _date(year, 3 * quarter - 2, 1), _month(year, 3 * quarter)[1]
    elif name == "half":
        first = groups["h"] == "dau"
        kind = DeadlineKind.HALF
        start = _date(year, 1 if first else 7, 1)
        due = _date(year, 6, 30) if first else _date(year, 12, 31)
    else:  # year, bare_year
        kind, start, due = DeadlineKind.YEAR, _date(year, 1, 1), _date(year, 12, 31)
    if "truoc" in lead:  # "trước tháng 6/2025": done by the end of May
        notes.append(f"'trước' read literally: {_dmy(start)} itself is late")
        return found(DeadlineKind.BEFORE, _day_before(start))
    return found(kind, due, start)


def _year(groups: dict[str, str | None], context_date: date | None, notes: list[str]) -> int:
    text = next((value for name, value in groups.items() if name[0] == "y" and value), None)
    if text is None:
        if context_date is None:
            raise _NoYear("no year, and no context date to take it from")
        year = context_date.year
        notes.append(f"year {year} taken from the context date")
    elif len(text) not in (2, 4):  # also keeps int() away from a thousand digits
        raise _Unreadable(f"{text!r} is not a year")
    elif len(text) == 2:
        year = 2000 + int(text)
        notes.append(f"two-digit year read as {year}")
    else:
        year = int(text)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise _Unreadable(f"year {year} is outside {MIN_YEAR}-{MAX_YEAR}")
    return year


def _date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise _Unreadable(f"there is no month {month}")
    if not 1 <= day <= calendar.monthrange(year, month)[1]:
        raise _Unreadable(f"there is no day {day} in {month:02d}/{year}")
    return date(year, month, day)


def _month(year: int, month: int) -> tuple[date, date]:
    first = _date(year, month, 1)
    return first, month_end(first)


def _day_before(day: date) -> date:
    return day - timedelta(days=1)  # years are >= MIN_YEAR, so this never underflows


_FIXED_TEXT = {
    DeadlineKind.RECURRING: "Thường xuyên",
    DeadlineKind.YEARLY: "Hằng năm",
    DeadlineKind.QUARTERLY: "Hằng quý",
    DeadlineKind.MONTHLY: "Hằng tháng",
    DeadlineKind.NONE: "",
}


def format_deadline(deadline: Deadline) -> str:
    """Canonical Vietnamese text; parse_deadline() of it gives the same kind and dates."""
    kind, due = deadline.kind, deadline.due
    if kind in _FIXED_TEXT:
        return _FIXED_TEXT[kind]
    if due is None or kind == DeadlineKind.UNPARSED:
        return clean(deadline.raw)
    if kind == DeadlineKind.DATE:
        return _dmy(due)
    if kind == DeadlineKind.BEFORE:
        if due == date.max:
            return f"Chậm nhất ngày {_dmy(due)}"
        return f"Trước ngày {_dmy(due + timedelta(days=1))}"
    if kind == DeadlineKind.MONTH:
        return f"Tháng {due.month}/{due.year}"
    if kind == DeadlineKind.QUARTER:
        return f"Quý {_ROMAN_OF[(due.month + 2) // 3]}/{due.year}"
    if kind == DeadlineKind.HALF:
        return f"6 tháng {'đầu' if due.month <= 6 else 'cuối'} năm {due.year}"
    return f"Năm {due.year}"


def _dmy(day: date) -> str:
    return f"{day.day:02d}/{day.month:02d}/{day.year}"
