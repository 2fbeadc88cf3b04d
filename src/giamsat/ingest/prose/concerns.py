"""What an agency's own monthly report says of itself besides its figures: what holds it
back, what it asks for, and what it will do next month::

    II. KHÓ KHĂN, VƯỚNG MẮC                       <- its items: difficulties it raises
    - Kinh phí cho chuyển đổi số cấp xã … chưa được bố trí đủ.
    III. ĐỀ XUẤT, KIẾN NGHỊ                        <- proposals, the agency asked if named
    - Đề nghị Bộ Tài chính hướng dẫn nguồn kinh phí …
    IV. NHIỆM VỤ THÁNG 12/2025                     <- tasks, led by the unit it names
    1. Hoàn thành số hóa hồ sơ … (Sở Khoa học và Công nghệ chủ trì; thời hạn: tháng 12/2025).

A part runs from its heading ("II. …", or a short upper-case line) to the next heading of
the same kind, a table, "Nơi nhận" or "PHỤ LỤC". Each bullet or numbered item is one
record, with the lines it wraps onto; a paragraph without a bullet is one too. A task
item must say its lead or its deadline in brackets at its end; one that says neither is a
warning with its line. The writer registers difficulties and proposals, and writes the
tasks, only for a report an agency wrote of itself (a ministry, a province): the standing
office's own report is the register's summary, not a source of it.

Lines other readers used are left alone; this reader claims what it read.
"""

import datetime
import re

from django.utils.translation import gettext as _

from giamsat.ingest.prose.agencies import agencies_in
from giamsat.ingest.prose.toolkit import inputs, is_appendix_heading, is_page_number, quote
from giamsat.ingest.records import ConcernRecord, Section, SectionKind, TaskRecord, Warning
from giamsat.lib.text import clean, fold

_DIFFICULTIES = re.compile(r"\b(?:kho khan|vuong mac|ton tai|han che)\b")
_PROPOSALS = re.compile(r"\b(?:de xuat|kien nghi)\b")
_PLAN = re.compile(r"\b(?:nhiem vu|phuong huong|ke hoach)\b.*\b(?:thang \d{1,2}|quy [ivx]+|"
                   r"thoi gian toi|tiep theo|sap toi|nam \d{4})\b")
_PART = re.compile(r"^[IVXLC]{1,5}\.\s+\S")
_ITEM = re.compile(r"^(?:[-–+•*]|\d{1,2}[.)]|[a-zđ]\))\s+")
_END = re.compile(r"^(?:noi nhan|tm\.|kt\.|tl\.)")
# "(Sở Khoa học và Công nghệ chủ trì; thời hạn: tháng 12/2025)" at an item's end.
_BRACKET = re.compile(r"\((?P<inside>[^()]{3,300})\)\s*[.;]?\s*$")
_DEADLINE = re.compile(r"^(?:thời hạn|thời gian|hoàn thành|hạn)(?:\s+hoàn thành)?\s*:?\s*",
                       re.IGNORECASE)
_LEADS = re.compile(r"\s*\bchủ trì\b\s*", re.IGNORECASE)
_COORDINATE = re.compile(r"^\s*phối hợp\s*(?:với)?\s*:?\s*", re.IGNORECASE)
_REQUEST = re.compile(r"^(?:kính\s+)?(?:đề nghị|kiến nghị|đề xuất)\s+(?:với\s+)?",
                      re.IGNORECASE)

DIFFICULTY, PROPOSAL, PLAN, UNREAD = "difficulty", "proposal", "plan", "unread"
# "Về phát triển hạ tầng số", "a) Về công tác chỉ đạo:": a heading of the tasks under it.
_AREA = re.compile(r"^Về\s[^.;]{2,100}$")


def read_concerns(lines: list[str], claimed: set[int],
                  as_of: datetime.date | None = None) -> tuple[list[Section], list[Warning]]:
    """Difficulties, proposals and next month's tasks of an agency's report."""
    lines, claimed = inputs(lines, claimed)
    sections: list[Section] = []
    warnings: list[Warning] = []
    part: Section | None = None
    kind = ""
    item: list[int] = []
    area: list[str] = []

    def close_item() -> None:
        if part is not None and item:
            record = _record(kind, lines, item, part.title, area)
            if record is not None:
                part.records.append(record)
            claimed.update(item)
        item.clear()

    for number, line in enumerate(lines, start=1):
        text = clean(line)
        folded = fold(text)
        if line.startswith("\t") or is_appendix_heading(text) or _END.match(folded):
            close_item()
            part = None
            continue
        if not text or is_page_number(text):
            continue
        if _is_part(text):
            close_item()
            kind = _kind(folded)
            area.clear()
            part = Section(text, SectionKind.AGENCY_CONCERNS if kind != PLAN
                           else SectionKind.AGENCY_PLAN, number) if kind else None
            if part is not None:
                sections.append(part)
                claimed.add(number)
            continue
        if part is None or number in claimed:
            close_item()
            continue
        if _ITEM.match(text) or not item:
            close_item()
        item.append(number)
    close_item()
    return [s for s in sections if s.records], warnings


def _is_part(text: str) -> bool:
    """"II. KHÓ KHĂN, VƯỚNG MẮC", "1. NHIỆM VỤ ĐANG THỰC HIỆN", "PHƯƠNG HƯỚNG …"."""
    if _PART.match(text):
        return True
    letters = [c for c in text if c.isalpha()]
    return len(text) <= 160 and len(letters) >= 6 and all(c.isupper() for c in letters)


def _kind(folded: str) -> str:
    if _PLAN.search(folded):
        return PLAN
    if _PROPOSALS.search(folded):
        return PROPOSAL
    if _DIFFICULTIES.search(folded):
        return DIFFICULTY
    return ""


def _record(kind: str, lines: list[str], numbers: list[int], heading: str, area: list[str]):
    raw = "\n".join(lines[n - 1] for n in numbers)
    text = clean(" ".join(clean(lines[n - 1]) for n in numbers))
    text = _ITEM.sub("", text, count=1).strip()
    if not text or (text.startswith("(") and text.endswith(")")):
        return None  # "(Kèm theo Báo cáo …)" under an appendix's title says who wrote it
    if _AREA.match(text):
        area[:] = [text.rstrip(" :")]  # "Về phát triển hạ tầng số": the tasks' area
        return None
    if kind == PLAN:
        return _task(text, numbers[0], raw, heading, area[0] if area else "")
    agency = ""
    if kind == PROPOSAL:
        leads, _coordinators = agencies_in(_REQUEST.sub("", text, count=1))
        agency = leads[0] if leads else ""
    return ConcernRecord(kind=kind, text=text, line=numbers[0], raw=raw, agency=agency,
                         heading=heading)


def _task(text: str, line: int, raw: str, heading: str, area: str):
    """"Hoàn thành … (Sở … chủ trì; thời hạn: tháng 12/2025)." → a task."""
    bracket = _BRACKET.search(text)
    leads, coordinators, deadline = [], [], ""
    if bracket:
        for part in re.split(r"\s*;\s*", bracket["inside"]):
            if _DEADLINE.match(part):
                deadline = _DEADLINE.sub("", part).strip(" .")
            elif _COORDINATE.match(part):
                coordinators.append(_COORDINATE.sub("", part).strip(" ."))
            elif _LEADS.search(part) or agencies_in(f"{part} thực hiện")[0]:
                leads.append(_LEADS.sub(" ", part).strip(" ,."))
    if not (leads or deadline):
        # Said when the part is written (an agency's report), not of every document.
        return ConcernRecord(kind=UNREAD, text=text, line=line, raw=raw, heading=heading,
                             message=_("A task of the report's plan that names neither "
                                       "its lead agency nor its deadline in brackets was "
                                       "not read as a task: %(text)s")
                             % {"text": quote(text, 100)})
    title = text[:bracket.start()].rstrip(" .;,") if bracket else text
    return TaskRecord(title=title, line=line, raw=raw, period=heading, area=area,
                      leads="; ".join(leads), coordinators="; ".join(coordinators),
                      deadline=deadline)
