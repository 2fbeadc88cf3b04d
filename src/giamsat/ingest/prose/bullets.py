"""Tasks written as lists rather than tables: bullet tasks and proposal lists.

Bullet tasks (`read_bullet_tasks`), the 2025 action plan (corpus 001, "II. NHIỆM VỤ TRIỂN
KHAI")::

    II. NHIỆM VỤ TRIỂN KHAI                      <- section title
     1. Về nhận thức số                          <- area heading ("1." or "(1)")
    - Xây dựng, trình Thủ tướng Chính phủ ...    <- the task title, may wrap
    chương trình tuyên truyền ...
    + Kết quả thực hiện: Quyết định ...          <- labelled fields, each may wrap:
    + Cơ quan chủ trì tổ chức triển khai: ...       expected output, leads,
    + Cơ quan phối hợp:                             coordinators (may be empty or
    + Thời hạn hoàn thành: Tháng 6/2025.            missing), deadline

  A "- " line is a task only when a bulleted label line ("+ Thời hạn: …") follows it:
  the "- " bullets of "I. MỤC TIÊU" are targets and are left to other readers.

Proposal lists (`read_proposal_tasks`), a monthly report (corpus 000, "IV. ĐỀ XUẤT")::

    - Các bộ, ngành, địa phương:                 <- the lead agencies of the items below
    + Xây dựng, ban hành chương trình ...        <- one task per "+" item, with its
    Thời hạn: tháng 5/2025.                         deadline inline
"""

import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from giamsat.ingest.prose.agencies import AGENCY_START, VERB
from giamsat.ingest.prose.toolkit import (
    AREA,
    BARRIER,
    DASH,
    HEADINGS,
    LABEL,
    LETTER,
    NOISE,
    PLUS,
    SECTION,
    TERMINAL,
    TEXT,
    Line,
    Result,
    continues,
    deadline_text,
    heading_name,
    join_wrapped,
    labels,
    names_text,
    quote,
    read_claiming,
    tokenise,
    tokens_raw,
    warn_text,
)
from giamsat.ingest.records import Section, SectionKind, TaskRecord, Warning
from giamsat.lib.text import clean, fold_aligned

DEADLINE_LABEL = r"thoi (?:han|gian)(?: hoan thanh| thuc hien)?|tien do(?: hoan thanh)?"
TASK_LABELS = labels(
    {
        "expected_output": r"ket qua(?: thuc hien| dau ra| du kien)?|san pham(?: dau ra)?",
        "leads": r"(?:co quan|don vi) chu tri(?: to chuc)?(?: trien khai| thuc hien)?"
        r"|chu tri",
        "coordinators": r"(?:co quan|don vi) phoi hop(?: thuc hien| trien khai)?|phoi hop",
        "deadline": DEADLINE_LABEL,
        "notes": r"ghi chu|luu y",
    }
)



@dataclass
class _Task:
    """A "- " block read: a task when `labelled`; `trailing` is text after its end."""

    record: TaskRecord | None
    span: list[Line]
    warnings: list[Warning]
    labelled: bool
    trailing: list[Line]


def read_bullet_tasks(lines: list[str], claimed: set[int],
                      as_of: datetime.date | None = None) -> Result:
    """Tasks written as "- title" followed by "+ label: value" fields (corpus 001)."""
    return read_claiming("read_bullet_tasks", _read_bullets, lines, claimed)


def _read_bullets(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    for heading, area, block in _dash_blocks(tokenise(lines, claimed, TASK_LABELS)):
        if isinstance(block, list):  # text between two tasks of one list
            warnings.append(warn_text(block, _("Text between tasks, not read")))
            used.update(token.number for token in block)
            continue
        record = block.record
        assert record is not None
        record.area = heading_name(area) if area else ""
        key = heading.number if heading else 0
        if key not in sections:
            title = clean(heading.text) if heading else ""
            sections[key] = Section(title, SectionKind.BULLET_TASKS, heading.number
                                    if heading else record.line)
        sections[key].records.append(record)
        warnings.extend(block.warnings)
        used.update(token.number for token in block.span)
        used.update(token.number for token in (heading, area) if token)
    return (list(sections.values()), warnings), used


def _dash_blocks(
    tokens: list[Line],
) -> Iterator[tuple[Line | None, Line | None, _Task | list[Line]]]:
    """(section heading, area heading, task or text between tasks), in document order.

    A block runs from a "- " line to the next "- " line or boundary (heading, barrier).
    Text after a task and "- " blocks that are not tasks are reported only when another
    task of the same list follows them: otherwise they belong to whatever comes next.
    """
    heading: Line | None = None
    area: Line | None = None
    block: list[Line] = []
    between: list[list[Line]] = []
    after_task = False
    for token in [*tokens, Line(len(tokens) + 1, "", "", BARRIER)]:
        if token.kind in (DASH, BARRIER) or token.kind in HEADINGS:
            task = _read_task(block) if block else None
            block = []
            if task and task.labelled:
                if after_task:
                    yield from ((heading, area, run) for run in between if run)
                yield heading, area, task
                between, after_task = [task.trailing], True
            elif task and after_task:
                between.append(task.span + task.trailing)
        if token.kind == DASH:
            block = [token]
            continue
        if token.kind in HEADINGS or token.kind == BARRIER:
            between, after_task = [], False
        if token.kind in (SECTION, LETTER):
            heading, area = token, None
        elif token.kind == AREA:
            area = token
        elif block:
            block.append(token)


def _read_task(block: list[Line]) -> _Task:
    """One "- " block: its title, labelled fields, and what could not be placed."""
    dash = block[0]
    parts: dict[str, list[str]] = {"title": [dash.value]}
    warnings: list[Warning] = []
    unknown: list[list[Line]] = []
    current, previous, gap = "title", dash, False
    placed = 0  # index in block of the last line that belongs to the task
    pending: list[Line] = []  # text that belongs to the task only if a field follows
    pending_field: str | None = None
    labelled = False
    for index, token in enumerate(block[1:], start=1):
        if token.kind == NOISE:
            gap = True
            continue
        if token.kind in (LABEL, PLUS):
            _settle(pending, pending_field, parts, unknown, warnings)
            pending, placed = [], index
            if token.kind == LABEL:
                labelled = labelled or bool(token.bullet)
                current = token.field
                if "".join(parts.get(current, [])) and token.value:
                    warnings.append(Warning(token.number, _(
                        "“%(label)s” is given twice; the two were joined.")
                        % {"label": token.text.split(":", 1)[0].lstrip("-+*• ")}))
                parts.setdefault(current, []).append(token.value)
            else:
                current = "unknown"
                unknown.append([token])
        elif pending:
            pending.append(token)
        elif current == "deadline" and "".join(parts["deadline"]) and (
            gap or previous.text.endswith(TERMINAL)
        ):
            # A deadline does not go on into the next sentence.
            pending, pending_field = [token], None
        elif continues(previous.text, gap) or current == "deadline":
            _add(token, current, parts, unknown)
            placed = index
        else:
            pending, pending_field = [token], current
        previous, gap = token, False
    span = block[: placed + 1]
    record = _task_record(dash, span, parts) if labelled else None
    if record:
        warnings.extend(warn_text(run, _("Unknown field, not read")) for run in unknown)
        warnings.extend(_missing(record))
        warnings.sort(key=lambda warning: warning.line)
    return _Task(record, span, warnings, labelled, pending)


def _add(token: Line, current: str, parts: dict[str, list[str]],
         unknown: list[list[Line]]) -> None:
    if current == "unknown":
        unknown[-1].append(token)
    else:
        parts[current].append(token.text)


def _settle(pending: list[Line], target: str | None, parts: dict[str, list[str]],
            unknown: list[list[Line]], warnings: list[Warning]) -> None:
    """Text held back until a field follows it: it continues its field, or is reported."""
    if not pending:
        return
    if target is None:
        warnings.append(warn_text(pending, _("Text after the deadline, not read")))
        return
    for token in pending:
        _add(token, target, parts, unknown)


def _task_record(dash: Line, span: list[Line], parts: dict[str, list[str]]) -> TaskRecord:
    text = {name: join_wrapped(pieces) for name, pieces in parts.items()}
    return TaskRecord(
        title=text["title"],
        line=dash.number,
        raw=tokens_raw(span),
        expected_output=text.get("expected_output", ""),
        leads=names_text(text.get("leads", "")),
        coordinators=names_text(text.get("coordinators", "")),
        deadline=deadline_text(text.get("deadline", "")),
        notes=text.get("notes", ""),
    )


def _missing(record: TaskRecord) -> list[Warning]:
    missing = []
    if not record.leads:
        missing.append(_("Task without a lead agency: %(title)s"))
    if not record.deadline:
        missing.append(_("Task without a deadline: %(title)s"))
    return [Warning(record.line, message % {"title": quote(record.title, 60)})
            for message in missing]


# --- Proposal lists ------------------------------------------------------------------

_INLINE_DEADLINE = re.compile(rf"(?<![a-z])(?:{DEADLINE_LABEL})\s*:\s*")


def read_proposal_tasks(lines: list[str], claimed: set[int],
                        as_of: datetime.date | None = None) -> Result:
    """Tasks listed as "+" items under a "- <lead agencies>:" line (corpus 000)."""
    return read_claiming("read_proposal_tasks", _read_proposals, lines, claimed)


def _read_proposals(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    heading: Line | None = None
    area: Line | None = None
    tokens = tokenise(lines, claimed, TASK_LABELS)
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind in (SECTION, LETTER):
            heading, area = token, None
        elif token.kind == AREA:
            area = token
        elif token.kind == DASH and _agency_header(token.value):
            items, index = _proposal_items(tokens, index + 1)
            records = [_proposal_record(token, item, warnings) for item in items]
            if records:
                key = heading.number if heading else 0
                if key not in sections:
                    sections[key] = Section(clean(heading.text) if heading else "",
                                            SectionKind.BULLET_TASKS,
                                            heading.number if heading else token.number)
                for record in records:
                    record.area = heading_name(area) if area else ""
                sections[key].records.extend(records)
                used.update(t.number for t in [token, *(t for item in items for t in item)])
                used.update(t.number for t in (heading, area) if t)
            continue
        index += 1
    return (list(sections.values()), warnings), used


def _agency_header(text: str) -> bool:
    """ "Các bộ, ngành, địa phương:" names agencies; "Các bộ khẩn trương …:" does not."""
    if not text.endswith(":"):
        return False
    name = text[:-1].strip()
    return bool(AGENCY_START.match(name)) and len(name.split()) <= 15 and not VERB.search(name)


def _proposal_items(tokens: list[Line], index: int) -> tuple[list[list[Line]], int]:
    """The "+" items from index on, each with its wrapped lines; and where they stop."""
    items: list[list[Line]] = []
    previous: Line | None = None
    gap = False
    while index < len(tokens):
        token = tokens[index]
        if token.kind == NOISE:
            gap = True
        elif token.kind == PLUS:
            items.append([token])
        elif (items and previous is not None and token.kind in (TEXT, LABEL)
              and _continues_item(items[-1], previous, token, gap)):
            items[-1].append(token)
        else:
            break
        if token.kind != NOISE:
            previous, gap = token, False
        index += 1
    return items, index


def _continues_item(item: list[Line], previous: Line, token: Line, gap: bool) -> bool:
    """An item ends with the full stop after its deadline, or where a paragraph ends.

    Before its deadline, an item goes on into a "Thời hạn: …" line (000, line 1030).
    """
    if _INLINE_DEADLINE.search(fold_aligned(join_wrapped([t.text for t in item]))):
        return not previous.text.endswith(TERMINAL)
    return token.kind == LABEL or continues(previous.text, gap)


def _proposal_record(header: Line, item: list[Line], warnings: list[Warning]) -> TaskRecord:
    text = join_wrapped([item[0].value] + [token.text for token in item[1:]])
    title, deadline, rest = text, "", ""
    found = _INLINE_DEADLINE.search(fold_aligned(text))
    if found:
        title = text[: found.start()].strip()
        # "Thời hạn: tháng 6/2025. Báo cáo …": the deadline ends with its sentence.
        deadline, _stop, rest = text[found.end():].partition(". ")
    record = TaskRecord(
        title=title,
        line=item[0].number,
        raw=tokens_raw([header, *item]),
        leads=names_text(header.value.rstrip(" :")),
        deadline=deadline_text(deadline),
        notes=clean(rest),
    )
    if not record.deadline:
        warnings.append(Warning(record.line, _("Task without a deadline: %(title)s")
                                % {"title": quote(title, 60)}))
    return record
