"""Problem groups: difficulties with their solutions, responsible agencies and deadlines.

Problem groups (`read_problem_groups`), appendix 07 of the half-year report (corpus 004)::

    PHỤ LỤC 07:                                  <- section title, with the upper-case
    BÁO CÁO TỔNG HỢP CÁC VẤN ĐỀ ...                 lines below it
    A. Về Thủ tục hành chính                     <- area
    1. Chưa ban hành ... quy trình nội bộ        <- a group: number and title
    Vấn đề:                                      <- notes
    Giải pháp:                                   <- expected_output; the agencies that
    (i) UBND các tỉnh khẩn trương rà soát ...       begin its sentences are the leads,
    + Bộ Tài chính ban hành ...                     those after "phối hợp với" coordinate
    Thời hạn hoàn thành: Tháng 7/2025.           <- deadline

  A numbered line is a group only when a "Vấn đề:" or "Giải pháp:" label follows it, so
  numbered lists elsewhere are not taken. A letter heading followed directly by a
  "Giải pháp:" (004: "H. Về Đường truyền …") is a group without number, titled by it.
"""

import dataclasses
import datetime
import re
from collections.abc import Iterator
from dataclasses import dataclass

from django.utils.translation import gettext as _

from giamsat.ingest.prose.agencies import MARKER, Agencies, agencies_in
from giamsat.ingest.prose.bullets import DEADLINE_LABEL
from giamsat.ingest.prose.toolkit import (
    AREA,
    BARRIER,
    LABEL,
    LETTER,
    NOISE,
    PART_ENDS,
    SECTION,
    TERMINAL,
    TEXT,
    Line,
    Result,
    deadline_text,
    heading_name,
    heading_shape,
    join_wrapped,
    labels,
    quote,
    read_claiming,
    tokenise,
    tokens_raw,
    upper_case,
    warn_text,
)
from giamsat.ingest.records import Section, SectionKind, TaskRecord, Warning
from giamsat.ingest.references import find_references

PROBLEM_LABELS = labels(
    {
        "problem": r"van de|thuc trang|ton tai",
        "solution": r"giai phap(?: de xuat| thao go| khac phuc)?",
        "deadline": DEADLINE_LABEL,
    }
)

@dataclass
class _Group:
    heading: Line
    area: Line | None
    tokens: list[Line]  # the lines after the heading, up to the next group or boundary


def read_problem_groups(lines: list[str], claimed: set[int],
                        as_of: datetime.date | None = None) -> Result:
    """Problem groups with "Vấn đề:", "Giải pháp:" and a deadline (corpus 004, app. 07)."""
    return read_claiming("read_problem_groups", _read_problems, lines, claimed)


def _read_problems(lines: list[str], claimed: set[int]) -> tuple[Result, set[int]]:
    tokens = _opening_headings(tokenise(lines, claimed, PROBLEM_LABELS))
    sections: dict[int, Section] = {}
    warnings: list[Warning] = []
    used: set[int] = set()
    for title_lines, directive, group in _groups(tokens):
        record, span, group_warnings = _read_group(group)
        if record is None:
            continue
        record.directive = directive
        key = title_lines[0].number if title_lines else 0
        if key not in sections:
            title = join_wrapped([token.text for token in title_lines])
            sections[key] = Section(title, SectionKind.PROBLEMS,
                                    title_lines[0].number if title_lines else record.line)
            used.update(token.number for token in title_lines)
        sections[key].records.append(record)
        warnings.extend(group_warnings)
        used.update(token.number for token in span)
        if group.area is not None:
            used.add(group.area.number)
    for key in sections:
        warnings.extend(_not_read(tokens, key, used, warnings))
    return (list(sections.values()), warnings), used


def _not_read(tokens: list[Line], section_line: int, used: set[int],
              warnings: list[Warning]) -> list[Warning]:
    """Nothing of a problem-group appendix is lost silently: each run of its lines that no
    group read and no warning names is named by one. Its opening sentences ("Qua tổng hợp
    …", read for the directive they cite) are the text before its first heading or label.
    The appendix runs from its title to the next appendix or table."""
    warned = {warning.line for warning in warnings}
    found, run, opening = [], [], True
    for token in tokens[section_line:]:  # tokens[n - 1] is line n: after the title line
        if token.kind in (SECTION, BARRIER):
            break
        if token.kind == NOISE:
            continue
        if opening and token.kind == TEXT and heading_shape(token.text) is None:
            continue  # the title's lines below it, "(Kèm theo …)", the opening sentences
        opening = False
        if token.number in used:
            if run:
                found.append(run)
                run = []
            continue
        run.append(token)
    if run:
        found.append(run)
    return [warn_text(run, _("Not read as part of a problem group"))
            for run in found if run[0].number not in warned]


def _opening_headings(tokens: list[Line]) -> list[Line]:
    """The first "A. …" and "1. …" of an appendix are headings even where the line above
    does not end as a sentence does (which the tokeniser asks, against wrapped sentences):
    a title in sentence case ("Các vấn đề vướng mắc và giải pháp tháo gỡ", as a Word
    document with a capitals style holds it), or an opening "… như sau" without its colon.
    Only before the appendix's first group, and only with a "Vấn đề:" or "Giải pháp:"
    below them."""
    tokens = list(tokens)
    opening = False
    for index, token in enumerate(tokens):
        if token.kind == SECTION:
            opening = True
        elif not opening or token.kind == NOISE:
            continue
        elif token.kind == TEXT and (shape := heading_shape(token.text)) and \
                shape[0] in (LETTER, AREA) and _labelled_part(tokens, index):
            kind, mark, value = shape
            tokens[index] = dataclasses.replace(token, kind=kind, mark=mark, value=value)
            opening = kind == LETTER  # its first group may follow
        elif token.kind != TEXT:
            opening = False
    return tokens


def _groups(tokens: list[Line]) -> Iterator[tuple[list[Line], str, _Group]]:
    """(section title lines, the section's directive, group) for each numbered or lettered
    part of a section. The directive is the first document the section's opening text
    cites ("Thực hiện … tại văn bản số 336/TB-VPCP ngày 30/6/2025 …")."""
    title: list[Line] = []
    area: Line | None = None
    group: _Group | None = None
    directive = ""
    for index, token in enumerate(tokens):
        starts_group = token.kind == LETTER or (
            token.kind == AREA and _labelled_part(tokens, index))
        if (token.kind in (SECTION, BARRIER) or starts_group) and group is not None:
            yield title, directive, group
            group = None
        if token.kind == SECTION:
            title, area, directive = _section_title(tokens, index), None, ""
        elif token.kind == TEXT and group is None and not directive:
            cited = [r for r in find_references(token.text) if r.kind != "report"]
            directive = cited[0].raw if cited else ""
        elif token.kind == BARRIER:
            area = None
        elif token.kind == LETTER:
            area = token
            group = _Group(token, None, [])
        elif starts_group:
            group = _Group(token, area, [])
        elif group is not None:
            group.tokens.append(token)
    if group is not None:
        yield title, directive, group


def _labelled_part(tokens: list[Line], index: int) -> bool:
    """Whether a "Vấn đề:" or "Giải pháp:" label follows before the next heading."""
    for token in tokens[index + 1:]:
        if token.kind == LABEL and token.field in ("problem", "solution"):
            return True
        if token.kind in (SECTION, LETTER, BARRIER) or (
            token.kind == AREA and token.mark.isdigit()
        ):
            return False
    return False


def _section_title(tokens: list[Line], index: int) -> list[Line]:
    """ "PHỤ LỤC 07:" and the upper-case lines right below it."""
    title = [tokens[index]]
    for token in tokens[index + 1:]:
        if token.kind == NOISE:
            continue
        if token.kind not in (TEXT, SECTION) or not upper_case(token.text):
            break
        title.append(token)
    return title


def _read_group(group: _Group) -> tuple[TaskRecord | None, list[Line], list[Warning]]:
    """A group's record, the lines it used and its warnings; None when it has no labels."""
    heading, numbered = group.heading, group.heading.kind == AREA
    parts: dict[str, list[str]] = {"title": [heading.value] if numbered else [],
                                   "problem": [], "solution": [], "deadline": []}
    paragraphs: list[list[str]] = []  # the solution, for the agencies that begin them
    strays: list[list[Line]] = []
    current = "title" if numbered else "problem"  # a letter heading's text describes it
    previous, gap, labelled, placed = heading, False, False, 0
    for index, token in enumerate(group.tokens, start=1):
        if token.kind == NOISE:
            gap = True
            continue
        placed = index
        if token.kind == LABEL:
            labelled = labelled or token.field in ("problem", "solution")
            current = token.field
            if token.value:
                parts[current].append(token.value)
                if current == "solution":
                    paragraphs.append([token.value])
        elif current == "stray" or (current == "deadline" and parts["deadline"] and (
            gap or previous.text.endswith(TERMINAL)
        )):
            if current != "stray":  # a deadline does not go on into the next sentence
                current = "stray"
                strays.append([])
            strays[-1].append(token)
        elif current == "title" and (gap or previous.text.endswith(PART_ENDS)):
            current = "problem"  # text under the title without "Vấn đề:" describes it
            parts[current].append(token.text)
        elif current == "solution":
            if paragraphs and not _new_paragraph(previous.text, token.text):
                paragraphs[-1].append(token.text)
            else:
                paragraphs.append([token.text])
            parts[current].append(token.text)
        else:
            parts[current].append(token.text)
        previous, gap = token, False
    if not labelled:
        return None, [], []
    span = [heading, *group.tokens[:placed]]
    record = _group_record(group, parts, paragraphs, span)
    warnings = [warn_text(run, _("Text after the deadline, not read")) for run in strays]
    warnings.extend(_group_missing(record, bool(parts["solution"])))
    return record, span, warnings


def _new_paragraph(previous: str, text: str) -> bool:
    """Whether a solution line starts a sentence (and so may name a lead agency)."""
    if MARKER.match(text):
        return True
    if previous.endswith((".", ";", ":", "!", "?")):
        return True
    if text[:1].islower():
        return False
    # "… phối hợp với" / "Bộ Tài chính …" is one sentence cut by the line end.
    return not re.search(r"(?:,|\s(?:với|và|hoặc|của|cho|tại|theo|các|là|gồm))$", previous)


def _group_record(group: _Group, parts: dict[str, list[str]], paragraphs: list[list[str]],
                  span: list[Line]) -> TaskRecord:
    heading = group.heading
    agencies = Agencies()
    actions = []  # each agency's own part of the solution
    for paragraph in paragraphs:
        text = join_wrapped(paragraph)
        leads, coordinators = agencies_in(text)
        agencies.add(leads, coordinators)
        if leads:
            actions.append(("; ".join(leads), MARKER.sub("", text, count=1).strip()))
    numbered = heading.kind == AREA
    return TaskRecord(
        title=join_wrapped(parts["title"]) if numbered else heading_name(heading),
        line=heading.number,
        raw=tokens_raw(span),
        number=f"{heading.mark}." if numbered else "",
        area=heading_name(group.area or heading),
        leads="; ".join(agencies.leads),
        coordinators="; ".join(agencies.coordinators),
        expected_output=join_wrapped(parts["solution"]),
        deadline=deadline_text(join_wrapped(parts["deadline"])),
        notes=join_wrapped(parts["problem"]),
        actions=actions,
    )


def _group_missing(record: TaskRecord, has_solution: bool) -> list[Warning]:
    missing = []
    if not has_solution:
        missing.append(_("Group without a solution: %(title)s"))
    elif not record.leads:
        missing.append(_("No agency found at the start of a solution sentence: %(title)s"))
    if not record.deadline:
        missing.append(_("Group without a deadline: %(title)s"))
    return [Warning(record.line, message % {"title": quote(record.title, 60)})
            for message in missing]
