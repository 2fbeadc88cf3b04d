"""Tasks a directive gives in running prose (corpus 003, a notice retold as news).

    Văn phòng Chính phủ vừa có Thông báo số 56/TB-VPCP ngày 23/02/2025 kết luận …

    Bộ Công an chủ trì, phối hợp với các cơ quan liên quan khẩn trương hoàn thiện Luật
    Bảo vệ dữ liệu cá nhân để trình Quốc hội … tại Kỳ họp thứ 9 vào tháng 5 năm 2025; …

A paragraph that begins with an agency and its verb is a task given to that agency; the
deadline is the first time phrase in it ("hoàn thành trước ngày 31 tháng 3 năm 2025",
"vào tháng 5 năm 2025"); the directive is the one the document opens with. Prose that
begins with an agency is also how reports tell what agencies *did*, so this reader is
only used on a document in which no other structure was found.
"""

import datetime
import re

from giamsat.ingest.prose.agencies import agencies_in
from giamsat.ingest.prose.toolkit import Result, inputs
from giamsat.ingest.records import Section, SectionKind, TaskRecord
from giamsat.ingest.references import find_references
from giamsat.lib.text import clean

_OPENING_LINES = 12  # the directive a text retells is named in its first sentences
_DIRECTIVE_KINDS = ("notice", "decision", "directive", "resolution", "plan", "conclusion",
                    "letter", "programme")
_DATE = (r"ngày \d{1,2}(?:/\d{1,2}/\d{4}| tháng \d{1,2} năm \d{4})"
         r"|tháng \d{1,2}(?:/\d{4}| năm \d{4})|quý [IV]+(?:/\d{4}| năm \d{4})|năm \d{4}")
# "hoàn thành trước ngày 31 tháng 3 năm 2025", "vào tháng 5 năm 2025", and a meeting at which
# the work is due: "tại phiên họp tháng 3 năm 2025".
_DEADLINE = re.compile(
    rf"(?:(?:hoàn thành|xong)\s+)?(?:trước|trong|vào|đến hết|đến|hết|chậm nhất)\s+(?:{_DATE})"
    rf"|tại (?:phiên họp|kỳ họp|hội nghị)(?: thường kỳ| thường niên)? (?:{_DATE})",
    re.IGNORECASE,
)
_TITLE_LIMIT = 600


def read_directive_paragraphs(lines: list[str], claimed: set[int],
                              as_of: datetime.date | None = None) -> Result:
    """Tasks in the paragraphs of a text that retells a directive (see the module doc)."""
    lines, claimed = inputs(lines, claimed)
    directive = _opening_directive(lines)
    if not directive:
        return [], []
    section = Section(title=directive, kind=SectionKind.TASK_TABLE, line=0)
    for start, paragraph in _paragraphs(lines, claimed):
        text = clean(" ".join(line for _number, line in paragraph))
        leads, coordinators = agencies_in(text)
        if not leads or not text.startswith(leads[0][:3]):
            continue
        deadline = _DEADLINE.search(text)
        section.records.append(TaskRecord(
            title=text if len(text) <= _TITLE_LIMIT else text[:_TITLE_LIMIT - 1] + "…",
            line=start, raw="\n".join(line for _number, line in paragraph),
            directive=directive, leads="; ".join(leads), coordinators="; ".join(coordinators),
            deadline=deadline[0] if deadline else "", notes=text if len(text) > _TITLE_LIMIT
            else "",
        ))
        claimed.update(number for number, _line in paragraph)
    if not section.records:
        return [], []
    section.line = section.records[0].line
    return [section], []


def _opening_directive(lines: list[str]) -> str:
    opening = " ".join(clean(line) for line in lines[:_OPENING_LINES * 3] if clean(line))
    for reference in find_references(" ".join(opening.split()[:_OPENING_LINES * 15])):
        if reference.kind in _DIRECTIVE_KINDS:
            return reference.raw
    return ""


def _paragraphs(lines: list[str], claimed: set[int]):
    """(first line number, [(number, line)…]) for each run of text lines."""
    paragraph: list[tuple[int, str]] = []
    for number, line in enumerate(lines, start=1):
        if number in claimed or line.startswith("\t") or not line.strip():
            if paragraph:
                yield paragraph[0][0], paragraph
            paragraph = []
        else:
            paragraph.append((number, line))
    if paragraph:
        yield paragraph[0][0], paragraph
