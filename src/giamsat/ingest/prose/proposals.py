"""Proposals written as paragraphs in a report's "ĐỀ XUẤT, KIẾN NGHỊ" part (corpus 000)::

    IV. ĐỀ XUẤT, KIẾN NGHỊ                            <- the part: its heading names it
    (2) Về phát triển dữ liệu số:                      <- area
    Đề xuất Thủ tướng Chính phủ chỉ đạo:
    - Bộ Công an khẩn trương hoàn thiện, phối hợp     <- an agency, its verb: a task for it,
    Văn phòng Chính phủ, … trình Thủ tướng Chính phủ      coordinators after "phối hợp",
    ban hành Chiến lược dữ liệu …. Thời hạn: trước        the deadline inline ("Thời hạn:
    15/5/2025.                                            …", "Hoàn thành trong tháng …")
    - Các bộ, ngành khẩn trương hoàn thiện … các CSDL  <- a paragraph ending in ":" whose
    sau trong tháng 8/2025:                               "+ Agency: action" items are each
    + Bộ Tài chính: Hoàn thiện … Cơ sở dữ liệu …          a task of that agency, due when
    + Bộ Nội vụ: Cơ sở dữ liệu người lao động; …          the paragraph says

A paragraph that names no agency at its start ("Quán triệt, chỉ đạo các bộ, ngành …") asks
the Prime Minister for something; it is reported, not made a task. This reader claims no
line: the lists of agencies named as behind that such paragraphs hold ("… chưa đăng ký chỉ
tiêu (gồm 13 tỉnh …)") are read from the same lines by shortfalls.py.
"""

import datetime
import re

from django.utils.translation import gettext as _

from giamsat.ingest.prose.agencies import agencies_in
from giamsat.ingest.prose.bullets import TASK_LABELS
from giamsat.ingest.prose.toolkit import (
    AREA,
    BARRIER,
    DASH,
    LETTER,
    NOISE,
    PLUS,
    SECTION,
    SUB,
    TERMINAL,
    Line,
    Result,
    deadline_text,
    heading_name,
    inputs,
    join_wrapped,
    quote,
    run_safely,
    tokenise,
    tokens_raw,
)
from giamsat.ingest.records import Section, SectionKind, TaskRecord, Warning
from giamsat.lib.text import clean, fold

_PROPOSALS = re.compile(r"\b(?:de xuat|kien nghi)\b")
_END = re.compile(r"^noi nhan\b")
# "Thời hạn: trước 15/5/2025", "Thời hạn trước 15/5/2025", "Thời gian hoàn thành: tháng
# 4/2025", "Hoàn thành trong tháng 6/2025", "Thời hạn hoàn thành: tháng 5/2025".
_DATE = (r"(?:ngày\s+)?\d{1,2}/\d{1,2}(?:/\d{4})?|tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})?"
         r"|quý\s+[ivx]+(?:/\d{4}|\s+năm\s+\d{4})?|năm\s+\d{4}")
_DEADLINE = re.compile(
    rf"(?:thời (?:hạn|gian)(?: hoàn thành| thực hiện)?\s*:?\s*|hoàn thành\s+)"
    rf"(?P<when>(?:(?:trước|trong|vào|đến hết|đến|hết|chậm nhất)\s+)?(?:{_DATE}))",
    re.IGNORECASE)
# A paragraph's own time frame, for the "+ Agency:" items under it: "… trong tháng 8/2025:".
_WITHIN = re.compile(rf"(?:trước|trong|vào|đến hết|chậm nhất)\s+(?:{_DATE})", re.IGNORECASE)
# What opens a proposal to an agency: "Đề nghị", "Kính đề nghị", "Kiến nghị", "Đề xuất".
_REQUEST = re.compile(r"^(?:kính\s+)?(?:đề nghị|kiến nghị|đề xuất)\s+(?:với\s+)?",
                      re.IGNORECASE)
_ITEM = re.compile(r"^(?P<agency>[^:]{3,120}?)\s*:\s*(?P<action>\S.*)$")


def read_proposal_paragraphs(lines: list[str], claimed: set[int],
                             as_of: datetime.date | None = None) -> Result:
    """Tasks proposed in a report's "Đề xuất, kiến nghị" part (see the module doc)."""
    lines, claimed = inputs(lines, claimed)
    warnings: list[Warning] = []
    found = run_safely("read_proposal_paragraphs", lambda: _read(lines, claimed, warnings),
                       0, warnings)
    return (found or []), warnings


def _read(lines: list[str], claimed: set[int], warnings: list[Warning]) -> list[Section]:
    sections: list[Section] = []
    section: Section | None = None
    area = ""
    # Headings are read whoever claimed them (the proposal lists of bullets.py claim the
    # heading of their part); a paragraph another reader used is left to it.
    for item in _items(tokenise(lines, set(), TASK_LABELS)):
        if isinstance(item, Line):  # a heading
            if item.kind == SECTION:
                inside = bool(_PROPOSALS.search(fold(item.text)))
                section = Section(clean(item.text), SectionKind.BULLET_TASKS, item.number) \
                    if inside else None
                if section is not None:
                    sections.append(section)
                area = ""
            elif section is not None:
                area = heading_name(item)
            continue
        if section is None:
            continue
        dash, plus_items = item
        if any(t.number in claimed for t in [*dash, *(t for i in plus_items for t in i)]):
            continue
        section.records.extend(_records(dash, plus_items, area, warnings))
    return [s for s in sections if s.records]


def _items(tokens: list[Line]):
    """Headings, and each "- " paragraph with its "+" items, in document order."""
    current: list[Line] | None = None
    items: list[list[Line]] = []
    for token in [*tokens, Line(len(tokens) + 1, "", "", BARRIER)]:
        if token.kind == NOISE:
            continue
        ends = token.kind in (DASH, BARRIER, SECTION, LETTER, AREA, SUB) or (
            token.kind != PLUS and _END.match(fold(token.text)))
        if ends and current is not None:
            yield current, items
            current, items = None, []
        if token.kind in (SECTION, LETTER, AREA, SUB):
            yield token
        elif token.kind != PLUS and _END.match(fold(token.text)):
            yield Line(token.number, token.raw, token.text, SECTION)  # "Nơi nhận:" ends it
        elif token.kind == DASH:
            current = [token]
        elif current is not None and token.kind == PLUS:
            items.append([token])
        elif current is not None and items and token.kind != BARRIER:
            items[-1].append(token)
        elif current is not None and token.kind != BARRIER:
            current.append(token)


def _records(dash: list[Line], plus_items: list[list[Line]], area: str,
             warnings: list[Warning]) -> list[TaskRecord]:
    text = join_wrapped([dash[0].value] + [t.text for t in dash[1:]])
    # "Đề nghị Bộ Tài chính hướng dẫn …", "Kiến nghị Bộ Công an …": the agency asked to act.
    asked = _REQUEST.sub("", text, count=1)
    leads, coordinators = agencies_in(asked)
    if plus_items and text.endswith(":"):
        when = _WITHIN.search(text)
        return [record for item in plus_items
                if (record := _item_record(dash, item, when[0] if when else "", text, area))]
    if not leads or not asked.startswith(leads[0][:3]):
        warnings.append(Warning(dash[0].number, _(
            "A proposal that names no agency to act was not read as a task: %(text)s")
            % {"text": quote(text, 100)}))
        return []
    found = _deadline(text)
    if found is None:
        warnings.append(Warning(dash[0].number, _(
            "A proposal without a deadline was not read as a task: %(text)s")
            % {"text": quote(text, 100)}))
        return []
    title, deadline, rest = found
    return [TaskRecord(title=title, line=dash[0].number, raw=tokens_raw(dash), area=area,
                       leads="; ".join(leads), coordinators="; ".join(coordinators),
                       deadline=deadline, notes=rest)]


def _deadline(text: str) -> tuple[str, str, str] | None:
    """(text before the deadline, the deadline, what follows its sentence)."""
    match = _DEADLINE.search(text)
    if match is None:
        return None
    title = text[:match.start()].rstrip(" .;,")
    after = text[match.end():]
    end = re.search(r"[.;](?:\s|$)|$", after)
    return title, deadline_text(match["when"]), clean(after[end.end():]).lstrip("”\" ")


def _item_record(dash: list[Line], item: list[Line], when: str, parent: str,
                 area: str) -> TaskRecord | None:
    text = join_wrapped([item[0].value] + [t.text for t in item[1:]])
    match = _ITEM.match(text)
    if match is None or not agencies_in(f"{match['agency']} thực hiện")[0]:
        return None
    action = match["action"].rstrip(" ;")
    found = _deadline(action)
    title, deadline = (found[0], found[1]) if found else (action, deadline_text(when))
    if title.endswith(TERMINAL):
        title = title.rstrip(".")
    return TaskRecord(title=title, line=item[0].number, raw=tokens_raw([*dash, *item]),
                      area=area, leads=clean(match["agency"]), deadline=deadline,
                      notes=parent)
