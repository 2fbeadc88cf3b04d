"""Tables whose columns are known (columns.py) turned into records.

`read_table` decides, for one table, what it is (a mapping a person gave for its header,
else its header and the heading above it), reads it, or holds it (records.HeldTable) when
it cannot be understood. Kinds:

- tasks (planned, completed, overdue): a TaskRecord per row; group rows "I  Về thể chế"
  give the area, sub-group rows "a) …" a sub-area; the appendix title gives the directive
  ("… THEO THÔNG BÁO SỐ 05-TB/BCĐTW …") and a heading "a) Nhiệm vụ tháng 7/2025" the period;
- per-agency values (appendix 03): a ValueRecord per agency and period column;
- indicator results: an indicator per row, its target (TargetRecord, national) and its
  result (ValueRecord, national, with numerator and denominator when the text gives
  them: "85% (1.200/1.412 hồ sơ)") and the progress word ("Đạt", "Chưa đạt") kept;
- problems: a TaskRecord per row with the problem in notes and the solution as its
  expected output; the agencies come from the lead column or the solution's sentences.
"""

import datetime
import re
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from giamsat.indicators.catalogue import match_indicator
from giamsat.ingest.columns import (
    MEANING_LABELS,
    Columns,
    Meaning,
    TableKind,
    given,
    header_key,
    is_layout,
    read_header,
    signature,
    table_kind,
)
from giamsat.ingest.markup import cell_text
from giamsat.ingest.numbers import NUMBER, number_value, parse_number
from giamsat.ingest.prose.agencies import agencies_in
from giamsat.ingest.prose.quantities import indicator_for, normalised
from giamsat.ingest.prose.toolkit import is_appendix_heading
from giamsat.ingest.records import (
    HeldRow,
    HeldTable,
    ParsedDocument,
    Progress,
    Section,
    SectionKind,
    TargetRecord,
    TaskRecord,
    TaskState,
    ValueKind,
    ValueRecord,
)
from giamsat.ingest.references import find_references
from giamsat.ingest.tables import Row, Table
from giamsat.lib.months import month_end
from giamsat.lib.text import clean, fold
from giamsat.tasks.deadlines import DeadlineKind, parse_deadline


@dataclass(frozen=True)
class Mapping:
    """What a person said a header means: the table's kind and each column's meaning."""

    kind: str  # a TableKind value
    columns: dict[int, str]  # column index → Meaning value
    header: tuple[str, ...] = ()  # the header it was given for


@dataclass
class Context:
    """What the headings above a table say about its rows."""

    title: str = ""  # the appendix title, e.g. "PHỤ LỤC 02: DANH MỤC NHIỆM VỤ QUÁ HẠN …"
    heading: str = ""  # the nearest heading, e.g. "a) Nhiệm vụ tháng 7/2025:"
    as_of: datetime.date | None = None

    @property
    def text(self) -> str:
        return f"{self.title} {self.heading}"


_PERIOD_HEADING = re.compile(r"^(?:[a-zđ]\)\s*)?nhiem vu (?:thang \d{1,2}/\d{4}|thuong xuyen|quy "
                             r"[ivx]+/\d{4})")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")
_SUBGROUP = re.compile(r"^[a-zđ]\)\s")
# A group row that says which directive its tasks are from, folded: "Nhiệm vụ theo Nghị
# quyết 71/NQ-CP", "Nhiệm vụ được giao tại Thông báo 56/TB-VPCP", "Chỉ thị 07/CT-TTg"
# (not an area's name that cites one: "Về vận hành 03 hệ thống: … Nghị quyết số 57-NQ/TW").
# A group row without its "I", "II": a row of nothing but "Nhiệm vụ theo Nghị quyết …" or
# "Về hạ tầng số" (folded).
_UNNUMBERED_GROUP = re.compile(r"^(?:(?:cac )?nhiem vu\s+(?:(?:duoc )?giao\s+)?(?:theo|tai)|"
                               r"ve)\s")
_DIRECTIVE_GROUP = re.compile(r"^(?:cac )?(?:nhiem vu|noi dung)\s+(?:(?:duoc )?giao\s+)?"
                              r"(?:theo|tai)\b|^(?:nghi quyet|chi thi|quyet dinh|thong bao|"
                              r"ke hoach|cong dien|van ban)\b")
HELD_PREVIEW_ROWS = 5  # rows of a held table shown to a person


def read_table(doc: ParsedDocument, table: Table, lines: list[str], claimed: set[int],
               mappings: dict[str, Mapping]) -> None:
    """Read one table into doc's sections, or hold it (see the module doc)."""
    end = table_end(table, lines)
    claimed.update(range(table.line, end + 1))
    for line, message in table.warnings:
        doc.warn(line, message)
    context = _context(lines, table)
    context.as_of = doc.as_of
    key = signature(table.header)
    mapping = mappings.get(key)
    if mapping is not None:
        doc.mapped_tables.append((table.line, key, str(mapping.kind)))
        if mapping.kind == TableKind.SKIP:
            doc.warn(table.line, _("A table was left out, as the standing office decided for "
                                   "this header: %(header)s") % {"header": _header(table)})
            return
        columns, kind = given(mapping.columns, table.header), TableKind(mapping.kind)
    else:
        columns = read_header(table.header)
        # Under an appendix, the text since its title; else only the heading above.
        above = table.title if is_appendix_heading(context.title) else ""
        kind = table_kind(columns, f"{context.text} {above}")
    if kind is None:
        if not is_layout(table.header, [row.cells for row in table.rows]):
            _hold(doc, table, context, columns, key)
        return
    if kind == TableKind.AGENCY_VALUES:
        _read_agency_values(doc, table, columns, context)
    elif kind == TableKind.INDICATOR_RESULTS:
        _read_indicator_results(doc, table, columns, context)
    elif kind == TableKind.PROBLEMS:
        _read_problem_table(doc, table, columns, context)
    else:
        _read_task_table(doc, table, columns, context, kind)


def _header(table: Table) -> str:
    return " | ".join(cell_text(c) for c in table.header)[:200]


def _hold(doc: ParsedDocument, table: Table, context: Context, columns: Columns,
          key: str) -> None:
    known = sorted({str(MEANING_LABELS[m]).lower() for m in columns.meanings.values()})
    if not table.rows:
        return  # a header alone holds no data to lose
    reason = _("the header does not say which column holds the task, the indicator or the "
               "agency (understood: %(known)s)") % {"known": ", ".join(known) or "—"}
    doc.held_tables.append(HeldTable(
        line=table.line, header=list(table.header),
        rows=[HeldRow(row.line, list(row.cells)) for row in table.rows],
        title=_section_title(context, table), reason=reason, signature=key,
        guess={i: str(m) for i, m in columns.meanings.items()},
    ))
    doc.warn(table.line, _("A table of %(rows)s rows was held, not imported, because %(reason)s:"
                           " %(header)s. Say what its columns mean on the import page or "
                           "with giamsat import --map.")
             % {"rows": len(table.rows), "reason": reason, "header": _header(table)})


def table_end(table: Table, lines: list[str]) -> int:
    """The last line of a table: its last row runs up to the next blank line."""
    end = table.rows[-1].line if table.rows else table.line
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def raw_row(row: Row) -> str:
    """A row as the document wrote it, one cell per line, each behind a TAB."""
    return "\n".join("\t" + cell for cell in row.cells)


def _context(lines: list[str], table: Table) -> Context:
    """The appendix title and nearest heading above a table."""
    context = Context()
    for index in range(table.line - 2, -1, -1):
        line = clean(lines[index])
        if not line or lines[index].startswith("\t"):
            continue
        if not context.heading:
            context.heading = line  # the nearest line above: "b) Nhiệm vụ tháng 8/2025:"
        if is_appendix_heading(line):
            block = []
            for following in lines[index:index + 6]:
                if following.startswith("\t") or not clean(following):
                    break
                block.append(clean(following))
                if clean(following).startswith("("):
                    break
            context.title = " ".join(block)
            break
    if not context.title:
        # No appendix: the heading right above the table (a short line, often upper
        # case), not the whole text since the last table, which may be the document's
        # header block and its body ("… đã hoàn thành 8 nhiệm vụ …").
        context.title = nearest_heading(lines, table.line)
    return context


def nearest_heading(lines: list[str], line: int) -> str:
    """The heading lines right above line (1-based): "PHỤ LỤC" / "KẾT QUẢ …" /
    "(Kèm theo …)", "3. Kết quả thực hiện nhiệm vụ:", "Bảng 1. …"; "" when the text right
    above is a paragraph."""
    found: list[str] = []
    for index in range(line - 2, max(line - 12, -1), -1):
        text = clean(lines[index])
        if lines[index].startswith("\t"):
            break
        if not text:
            if found:
                break
            continue
        if not _is_heading(text):
            break
        found.insert(0, text)
        if len(found) == 4:
            break
    return " ".join(found)


_NUMBERED = re.compile(r"^(?:[IVXLC]+\.|\d{1,2}(?:\.\d{1,2})*\.?\s|[a-zđ]\)|Bảng\s|Biểu\s|"
                       r"PHỤ LỤC|Phụ lục)")


def _is_heading(text: str) -> bool:
    if len(text) > 200:
        return False
    letters = [c for c in text if c.isalpha()]
    upper = bool(letters) and sum(c.isupper() for c in letters) >= 0.8 * len(letters)
    return (upper or text.startswith("(") or text.endswith(":")
            or (_NUMBERED.match(text) is not None and not text.endswith(".")))


def _section_title(context: Context, table: Table) -> str:
    """An appendix title, else the heading right above the table (not the whole text
    above it: that may be the document's own header block)."""
    if is_appendix_heading(context.title):
        return clean(context.title)[:400]
    return clean(context.heading or table.title)[:400]


def _section_directive(context: Context) -> str:
    """The directive an appendix title names: "… THEO THÔNG BÁO SỐ 05-TB/BCĐTW NGÀY …"."""
    references = [r for r in find_references(context.title) if r.kind != "report"]
    return references[0].raw if references else ""


# --- Tasks ---------------------------------------------------------------------------

_SECTION_OF = {TableKind.OVERDUE: SectionKind.OVERDUE_TASKS,
               TableKind.COMPLETED: SectionKind.COMPLETED_TASKS}
_STATE_OF = {TableKind.OVERDUE: TaskState.OVERDUE, TableKind.COMPLETED: TaskState.COMPLETED}


def _read_task_table(doc: ParsedDocument, table: Table, columns: Columns, context: Context,
                     kind: TableKind) -> None:
    state = _STATE_OF.get(kind, TaskState.PLANNED)
    roles = columns.roles()
    if (kind == TableKind.TASKS and "expected_output" not in roles and "result" in roles
            and header_key(table.header[roles["result"]]) == "ket qua"):
        # A plan's bare "Kết quả" is the result expected, not one reported.
        roles["expected_output"] = roles.pop("result")
    if "status" in roles and "deadline" not in roles and _holds_deadlines(table, roles["status"]):
        roles["deadline"] = roles.pop("status")  # a plan's "Tiến độ" is its timetable
    heading = context.heading if context.heading not in context.title else ""
    section = Section(title=clean(f"{context.title} {heading}".strip()),
                      kind=_SECTION_OF.get(kind, SectionKind.TASK_TABLE), line=table.line)
    directive = _section_directive(context)
    period = heading if _PERIOD_HEADING.match(fold(heading)) else ""
    area = group = ""
    # Rows that say how far they are ("Đang triển khai"): each row's own words decide.
    reported = any(row_progress(cell_text(row.cell(roles[role])))
                   for row in table.rows for role in ("status", "result") if role in roles)
    for row in table.rows:
        get = {role: cell_text(row.cell(index)) for role, index in roles.items()}
        number, title = get.get("number", ""), get.get("title", "")
        others = [v for role, v in get.items() if role not in ("number", "title", "area") and v]
        grouping = (_ROMAN_OR_LETTER.match(number) if number
                    else _UNNUMBERED_GROUP.match(fold(title)))
        if title and not others and grouping:
            named = [r for r in find_references(title) if r.kind != "report"
                     ] if _DIRECTIVE_GROUP.match(fold(title)) else []
            if named:  # "I. Nhiệm vụ theo Nghị quyết 71/NQ-CP": the directive, not an area
                area = group = ""
                directive = named[0].raw
            else:
                area = group = title  # a group row: "I  Về thể chế"
                directive = _section_directive(context)
            continue
        if not number and not others and _SUBGROUP.match(title):
            area = f"{group}: {title}"  # a sub-group row: "a) Triển khai Kế hoạch …"
            continue
        if not title:
            if any(cell_text(c) for c in row.cells):
                doc.warn(row.line, _("A row with no task name was not imported: %(text)s")
                         % {"text": " | ".join(cell_text(c) for c in row.cells)[:200]})
            continue
        result = "; ".join(v for v in (get.get("status", ""), get.get("result", "")) if v)
        progress = row_progress(result) or row_progress(get.get("evidence", ""))
        row_state = _row_state(doc, row, state, progress, result, reported)
        section.records.append(TaskRecord(
            title=title, line=row.line, raw=raw_row(row), state=row_state, number=number,
            area=get.get("area") or area, period=period,
            directive=get.get("directive") or directive,
            leads=get.get("leads", ""), coordinators=get.get("coordinators", ""),
            expected_output=get.get("expected_output", ""), deadline=get.get("deadline", ""),
            result=result, evidence=get.get("evidence", ""),
            open_agencies=get.get("open_agencies", ""), notes=_notes(row, columns, table),
            progress=progress or (Progress.UNKNOWN if result and reported else ""),
        ))
    if section.records:
        doc.sections.append(section)


# How far a row says its task is, in its own words (its status, result or evidence
# column): "Đã hoàn thành (Kế hoạch số 215/KH-UBND ngày 10/11/2025)", "Đã ban hành Quyết
# định …" → done; "Đang triển khai, đạt 75%" → under way; "Chưa triển khai" → not begun.
# "Đang khai thác, vận hành" (a system in use) is none of them: under a heading of tasks
# done it is done.
_NOT_STARTED = re.compile(r"^(?:chua (?:trien khai|thuc hien|bat dau|ban hanh|xay dung|"
                          r"to chuc|co)|khong thuc hien)\b")
_UNDER_WAY = re.compile(r"^(?:dang (?:trien khai|thuc hien|xay dung|hoan thien|trinh|du thao|"
                        r"lay y kien|to chuc|chuan bi|phoi hop|nghien cuu|rasoat|ra soat|"
                        r"tham dinh|thi cong|thuc hien cac thu tuc)|co ban hoan thanh|"
                        r"chua hoan thanh|dang$|dat \d{1,2}(?:[,.]\d+)?\s*%|"
                        r"(?:da )?hoan thanh (?:khoang |duoc )?\d{1,2}(?:[,.]\d+)?\s*%|"
                        r"da dat \d{1,2}(?:[,.]\d+)?\s*%|du kien\b)")
_DONE = re.compile(r"^(?:da hoan thanh|hoan thanh|da ban hanh|da phe duyet|da xong|xong|"
                   r"da thuc hien xong|da trien khai xong|da ky ban hanh|dat 100\s*%)\b")
# "Hoàn thành trong tháng 12/2025": when it is to be done, not that it is.
_WHEN_DUE = re.compile(r"^hoan thanh (?:trong|truoc|vao|cham nhat|den)\b")


def row_progress(text: str) -> str:
    """A Progress value for the words a row reports its task with; "" when they say
    none of them (an evidence document alone, a remark)."""
    folded = fold(clean(text)).lstrip("-+•*: ")
    if not folded:
        return ""
    if _NOT_STARTED.match(folded):
        return Progress.NOT_STARTED
    if _UNDER_WAY.match(folded):
        return Progress.IN_PROGRESS
    if _DONE.match(folded) and not _WHEN_DUE.match(folded):
        return Progress.COMPLETED
    return ""


def _row_state(doc: ParsedDocument, row: Row, state: TaskState, progress: str, result: str,
               reported: bool) -> TaskState:
    """A row is completed when its own words say so; under a heading of tasks done, also
    when they say nothing else (its evidence alone); never when they say it is under way
    or not begun, nor when a table whose rows say how far they are leaves this one's
    words unclear."""
    if progress == Progress.COMPLETED:
        return TaskState.COMPLETED
    if progress:
        if state == TaskState.COMPLETED:
            doc.warn(row.line, _("Listed under a heading of completed tasks, but the row says "
                                 "“%(text)s”: not recorded as completed.")
                     % {"text": result[:200]})
            return TaskState.PLANNED
        return state
    if result and reported and state != TaskState.OVERDUE:
        doc.warn(row.line, _("The result “%(text)s” does not say whether the task is done; "
                             "kept as written, not recorded as completed.")
                 % {"text": result[:200]})
        return TaskState.PLANNED
    return state


def _holds_deadlines(table: Table, index: int) -> bool:
    values = [cell_text(row.cell(index)) for row in table.rows]
    values = [v for v in values if v]
    readable = [v for v in values if parse_deadline(v, None).kind not in (
        DeadlineKind.UNPARSED, DeadlineKind.NONE)]
    return bool(values) and len(readable) >= 0.6 * len(values)


def _notes(row: Row, columns: Columns, table: Table) -> str:
    """The notes columns, and the text of columns no meaning was found for ("Người làm:
    Sở Nội vụ"): nothing a row says is dropped."""
    notes = [cell_text(row.cell(i)) for i, m in sorted(columns.meanings.items())
             if m == Meaning.NOTES]
    for index, header in enumerate(table.header):
        if index not in columns.meanings and (value := cell_text(row.cell(index))):
            notes.append(f"{cell_text(header)}: {value}" if cell_text(header) else value)
    return "; ".join(n for n in notes if n)


def _read_problem_table(doc: ParsedDocument, table: Table, columns: Columns,
                        context: Context) -> None:
    roles = columns.roles()
    section = Section(title=clean(context.title or table.title)[:400], kind=SectionKind.PROBLEMS,
                      line=table.line)
    area = ""
    for row in table.rows:
        get = {role: cell_text(row.cell(index)) for role, index in roles.items()}
        problem, solution = get.get("problem", ""), get.get("solution", "")
        title = get.get("title") or problem or solution
        number = get.get("number", "")
        if number and _ROMAN_OR_LETTER.match(number) and title and not (
                solution and problem):
            area = title
            continue
        if not title:
            continue
        leads, coordinators = get.get("leads", ""), get.get("coordinators", "")
        if not leads and solution:
            found_leads, found_coordinators = agencies_in(solution)
            leads, coordinators = "; ".join(found_leads), coordinators or "; ".join(
                found_coordinators)
        section.records.append(TaskRecord(
            title=title, line=row.line, raw=raw_row(row), number=number, area=area,
            directive=get.get("directive") or _section_directive(context), leads=leads,
            coordinators=coordinators, expected_output=solution,
            deadline=get.get("deadline", ""),
            notes="; ".join(n for n in (problem if problem != title else "",
                                        _notes(row, columns, table)) if n),
        ))
    if section.records:
        doc.sections.append(section)


# --- Values per agency (appendix 03) --------------------------------------------------


def _read_agency_values(doc: ParsedDocument, table: Table, columns: Columns,
                        context: Context) -> None:
    agency = columns.index(Meaning.AGENCY)
    if agency is None:
        agency = columns.index(Meaning.LEADS)
    notes = columns.index(Meaning.NOTES)
    year = (context.as_of or datetime.date.today()).year
    indicator = _table_indicator(context, table)
    value_columns = []  # (index, kind, period, observed_on)
    for index, meaning in columns.meanings.items():
        if meaning not in (Meaning.PERIOD_TARGET, Meaning.PERIOD_VALUE, Meaning.TARGET,
                           Meaning.VALUE):
            continue
        kind = ValueKind.TARGET if meaning in (Meaning.PERIOD_TARGET, Meaning.TARGET) \
            else ValueKind.ACTUAL
        known_year, month, day = columns.periods.get(index, (None, None, None))
        if month is None:  # a column without a period: the document's month
            as_of = context.as_of or datetime.date.today()
            value_columns.append((index, kind, as_of.replace(day=1), None))
        elif day is None:
            value_columns.append((index, kind, _month(known_year or year, month), None))
        elif (on := _date(day, month, known_year or year)) is not None:
            value_columns.append((index, kind, on.replace(day=1), on))
    section = Section(title=clean(f"{context.title} {table.title}"[:400]),
                      kind=SectionKind.INDICATOR_TABLE, line=table.line)
    for row in table.rows:
        name = cell_text(row.cell(agency))
        if not name:
            continue
        note = cell_text(row.cell(notes))
        for index, kind, period, observed_on in sorted(value_columns):
            text = cell_text(row.cell(index))
            if not text:
                continue
            result = read_result(text)
            if result.value is None:
                doc.warn(row.line, _("“%(text)s” for %(name)s is not a number.")
                         % {"text": text, "name": name})
                continue
            section.records.append(ValueRecord(
                indicator=indicator, organisation=name, period=period, value=result.value,
                line=row.line, raw=raw_row(row), kind=kind, observed_on=observed_on,
                resolve_on=observed_on or month_end(period), note=note,
                numerator=result.numerator, denominator=result.denominator,
            ))
    if section.records:
        doc.sections.append(section)


def _table_indicator(context: Context, table: Table) -> str:
    """The indicator a table reports: named by its title, or by the appendix title."""
    for text in (table.title, context.heading, context.title):
        code = match_indicator(text) if text else None
        if code:
            return code
    for text in (table.title, context.title):
        # "BÁO CÁO SỐ LIỆU HỒ SƠ TRỰC TUYẾN TOÀN TRÌNH": the words after "số liệu".
        match = re.search(r"so lieu (.+?)(?:\(|$)", fold(text))
        if match and (code := match_indicator(match[1])):
            return code
    return clean(context.title or table.title)[:300]


def _month(year: int, month: int) -> datetime.date:
    return datetime.date(year, max(1, min(12, month)), 1)


def _date(day: int, month: int, year: int) -> datetime.date | None:
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


# --- Results written as text: "Đạt 85% (1.200/1.412 hồ sơ)" ----------------------------

_PERCENT = re.compile(rf"(?P<num>{NUMBER})\s*%")
_FRACTION = re.compile(rf"(?<![\d/])(?P<top>{NUMBER})\s*/\s*(?P<bottom>{NUMBER})(?![\d/])")
_ANY_NUMBER = re.compile(rf"(?<![\w/])(?P<num>{NUMBER})(?![\w/])")
# A progress word at the start of a result: kept, it is what the document judged.
_PROGRESS = re.compile(r"^(?:chưa đạt|không đạt|đạt|vượt|hoàn thành|chưa hoàn thành|"
                       r"đang thực hiện|đang triển khai|cơ bản hoàn thành|đã hoàn thành)\b",
                       re.IGNORECASE)
_YEAR_IN = re.compile(r"\b(20\d\d|21\d\d)\b")


@dataclass
class Result:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    percent: bool = False
    words: str = ""  # the progress word, as written


def read_result(text: str) -> Result:
    """The value in a result cell: a percentage, a count, a fraction, or a bare number."""
    text = clean(text)
    found = Result()
    if progress := _PROGRESS.match(text):
        found.words = progress[0]
    plain = parse_number(text)
    if plain is not None:
        found.value, found.percent = plain, text.rstrip().endswith("%")
        return found
    if fraction := _FRACTION.search(text):
        top, bottom = number_value(fraction["top"]), number_value(fraction["bottom"])
        if top is not None and bottom:
            found.numerator, found.denominator = normalised(top), normalised(bottom)
    if percent := _PERCENT.search(text):
        found.value, found.percent = number_value(percent["num"]), True
    elif found.numerator is not None:
        found.value = normalised(round(found.numerator / found.denominator * 100, 2))
        found.percent = True
    elif number := _ANY_NUMBER.search(_FRACTION.sub(" ", text)):
        found.value = number_value(number["num"])
    if found.value is not None:
        found.value = normalised(found.value)
    return found


def _read_indicator_results(doc: ParsedDocument, table: Table, columns: Columns,
                            context: Context) -> None:
    roles = columns.roles()
    name_column = roles.get("indicator", roles.get("title"))
    as_of = context.as_of or datetime.date.today()
    year = _target_year(table.header[roles["target"]] if "target" in roles else "",
                        context.text, as_of)
    section = Section(title=_section_title(context, table),
                      kind=SectionKind.INDICATOR_RESULTS, line=table.line)
    proposed: set[str] = set()
    area = ""
    period = _table_month(columns, table, year) or as_of.replace(day=1)
    month_column = _month_column(columns)
    cumulative = roles.get("result") if month_column is not None and _CUMULATIVE.search(
        fold(table.header[roles["result"]])) else None
    if cumulative is not None:
        # "Kết quả thực hiện: Tháng 11/2025 | Lũy kế": the month's column is the value.
        roles = {role: index for role, index in roles.items() if role != "result"}
        roles["value"] = month_column
    elif month_column is not None and not {"value", "result"} & roles.keys():
        roles["value"] = month_column  # "Kết quả tháng 11/2025" the only result column
    for row in table.rows:
        get = {role: cell_text(row.cell(index)) for role, index in roles.items()}
        name = cell_text(row.cell(name_column))
        number = get.get("number", "")
        others = [v for role, v in get.items() if role not in ("number", "indicator", "title")
                  and v]
        if not name:
            continue
        if number and _ROMAN_OR_LETTER.match(number) and not others:
            area = name
            continue
        raw = raw_row(row)
        target = read_result(get.get("target", ""))
        result_text = get.get("value") or get.get("result", "")
        result = read_result(result_text)
        # "45,2%", "%" in "Đơn vị tính", or a rate by its name ("Tỷ lệ …": a number typed
        # in a cell formatted as a percentage comes without its "%").
        unit = "percent" if (target.percent or result.percent
                             or get.get("unit", "").strip() == "%"
                             or fold(name).startswith(("ty le ", "ti le "))) else ""
        indicator, unit = indicator_for(name, unit or "count", row.line, raw, section, proposed)
        words = get.get("status") or result.words
        lead = get.get("leads", "")
        if target.value is not None:
            minimum, aspiration = _levels(get.get("target", ""), target.value)
            section.records.append(TargetRecord(
                indicator=indicator, period_end=datetime.date(year, 12, 31), line=row.line,
                raw=raw, minimum=minimum, aspiration=aspiration, unit=unit, lead=lead,
                of_issuer=True))
        if result.value is not None:
            so_far = cell_text(row.cell(cumulative)) if cumulative is not None else ""
            note = "; ".join(part for part in (words, result_text if words != result_text
                                                else "", area, _notes(row, columns, table),
                                                f"{table.header[cumulative]}: {so_far}"
                                                if so_far else "")
                             if part)
            section.records.append(ValueRecord(
                indicator=indicator, organisation="", period=period,
                value=result.value, line=row.line, raw=raw, observed_on=as_of,
                resolve_on=as_of, note=note[:2000], numerator=result.numerator,
                denominator=result.denominator, lead=lead, of_issuer=True))
        elif cumulative is not None and (so_far := cell_text(row.cell(cumulative))):
            doc.warn(row.line, _("“%(name)s”: only the cumulative figure “%(text)s” is given, "
                                 "not the month's; it was not stored as the month's value.")
                     % {"name": name[:120], "text": so_far[:120]})
        elif result_text or words:
            doc.warn(row.line, _("“%(name)s”: the result “%(text)s” gives no number; the "
                                 "progress word was not stored as a value.")
                     % {"name": name[:120], "text": (result_text or words)[:120]})
    if section.records:
        doc.sections.append(section)


_CUMULATIVE = re.compile(r"\b(?:luy ke|cong don|tich luy)\b")
# "BIỂU SỐ LIỆU CHUYỂN ĐỔI SỐ THÁNG 10/2025", "tháng 10 năm 2025" in a sheet's title.
# Only a table's own title ("Biểu", "Bảng", "số liệu" … "tháng"): a report's "Kết quả thực
# hiện … tháng 8 năm 2025" above its table leaves the values in the document's month.
_TITLE_MONTH = re.compile(r"\b(?:bieu|bang|so lieu)\b[^()]{0,80}?\bthang (\d{1,2})"
                          r"(?:/| nam )(\d{4})\b")


def _month_column(columns: Columns) -> int | None:
    """The first column a header gives a month of its values ("Kết quả thực hiện Tháng
    11/2025")."""
    return next((index for index, meaning in sorted(columns.meanings.items())
                 if meaning == Meaning.PERIOD_VALUE and index in columns.periods), None)


def _table_month(columns: Columns, table: Table, year: int) -> datetime.date | None:
    """The month a table's values are for: its value column's ("Tháng 10/2025"), else its
    title's ("BIỂU SỐ LIỆU … THÁNG 10/2025": a workbook's sheet per month); None: the
    document's month."""
    index = _month_column(columns)
    if index is not None:
        known_year, month, _day = columns.periods[index]
        return _month(known_year or year, month)
    found = _TITLE_MONTH.findall(fold(table.title or ""))
    if found:
        month, known_year = found[-1]
        return _month(int(known_year), int(month))
    return None


def _target_year(header: str, heading: str, as_of: datetime.date) -> int:
    """The year a target column is for: "Mục tiêu năm 2025", the heading's year, else the
    document's year."""
    for text in (header, heading):
        if match := _YEAR_IN.search(text):
            return int(match[1])
    return as_of.year


def _levels(text: str, value: Decimal) -> tuple[Decimal | None, Decimal | None]:
    """(minimum, aspiration) of "Tối thiểu 50%, phấn đấu 70%"; a single value is the minimum."""
    numbers = [normalised(v) for m in _ANY_NUMBER.finditer(text)
               if (v := number_value(m["num"])) is not None]
    if len(numbers) >= 2 and "phan dau" in fold(text):
        return numbers[0], numbers[1]
    return value, None
