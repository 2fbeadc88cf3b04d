"""Read one document's text into records: `parse_document(path, text)`.

The document is read by several readers, each for one structure, in this order: tables
(one cell per line, or one row per line), problem groups (appendix 07), bullet task lists,
targets, indicator statements, lists of agencies. Each reader claims the lines it used, so
that a later one does not read them again. Headings give meaning to what is under them:

- an appendix title says what its rows are: "DANH MỤC NHIỆM VỤ QUÁ HẠN …" → overdue,
  "… ĐÃ HOÀN THÀNH …" → completed; "… THEO THÔNG BÁO SỐ 05-TB/BCĐTW NGÀY 04/7/2025" → the
  directive of its tasks;
- "a) Nhiệm vụ tháng 7/2025:" → the period; group rows "I  Về thể chế" → the area;
- "(Kèm theo Báo cáo ngày 18 tháng 7 năm 2025 …)" → the document's date.
"""

import datetime
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from giamsat.indicators.catalogue import match_indicator
from giamsat.ingest import prose
from giamsat.ingest.markup import cell_text
from giamsat.ingest.numbers import parse_number
from giamsat.ingest.prose.statements import report_period
from giamsat.ingest.prose.toolkit import is_appendix_heading
from giamsat.ingest.records import (
    ParsedDocument,
    Section,
    SectionKind,
    TaskRecord,
    TaskState,
    ValueKind,
    ValueRecord,
)
from giamsat.ingest.references import find_references
from giamsat.ingest.tables import Row, Table, read_tables
from giamsat.lib.months import month_end
from giamsat.lib.text import clean, fold

# Dates that say when the document was written, most reliable first.
_DATED = [
    re.compile(r"kem theo (?:bao cao|van ban|cong van|ke hoach|quyet dinh)[^()]*?"
               r"ngay (\d{1,2}) thang (\d{1,2}) nam (\d{4})"),
    re.compile(r"(?:ha noi|tp\.? ho chi minh|[a-z ]{2,30}), ngay (\d{1,2}) thang (\d{1,2})"
               r" nam (\d{4})"),
]
_PERIOD_HEADING = re.compile(r"^(?:[a-zđ]\)\s*)?nhiem vu (?:thang \d{1,2}/\d{4}|thuong xuyen|quy "
                             r"[ivx]+/\d{4})")
_ROMAN_OR_LETTER = re.compile(r"^(?:[IVXLC]+|[A-ZĐ])\.?$")
_SUBGROUP = re.compile(r"^[a-zđ]\)\s")


@dataclass
class Context:
    """What the headings above a table say about its rows."""

    title: str = ""  # the appendix title, e.g. "PHỤ LỤC 02: DANH MỤC NHIỆM VỤ QUÁ HẠN …"
    heading: str = ""  # the nearest heading, e.g. "a) Nhiệm vụ tháng 7/2025:"
    as_of: datetime.date | None = None


def parse_document(path: str, text: str, as_of: datetime.date | None = None) -> ParsedDocument:
    """Every record in text; `as_of` overrides the date found in the document."""
    doc = ParsedDocument(path=path, text=text)
    lines = text.splitlines()
    doc.as_of = as_of or document_date(lines)
    claimed: set[int] = set()
    for table in read_tables(text):
        _read_table(doc, table, lines, claimed)
    for reader in prose.READERS:
        _add(doc, *reader(lines, claimed, doc.as_of))
    if not doc.sections:
        _add(doc, *prose.FALLBACK(lines, claimed, doc.as_of))
    doc.sections.sort(key=lambda s: s.line)
    doc.warnings.sort(key=lambda w: w.line)
    return doc


def _add(doc: ParsedDocument, sections, warnings) -> None:
    doc.sections.extend(s for s in sections if s.records)
    doc.warnings.extend(warnings)


def document_date(lines: list[str]) -> datetime.date | None:
    """The day the document speaks of: its own date, else its month's end, else the date
    of the latest document it cites (it was written after them). Dates in the text at
    large are no guide: deadlines lie in the future."""
    folded = [fold(line) for line in lines]
    for pattern in _DATED:
        for line in folded:
            match = pattern.search(line)
            if match and (day := _date(*match.groups())):
                return day
    period = report_period(lines)
    if period:
        return month_end(period)
    cited = [r.date for r in find_references("\n".join(lines)) if r.date]
    return max(cited, default=None)


def _date(day: str, month: str, year: str) -> datetime.date | None:
    try:
        return datetime.date(int(year), int(month), int(day))
    except ValueError:
        return None


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
        context.title = table.title
    return context


# Header cells → what the column holds. The first rule that matches a cell wins, and a
# role is given to one column only: "Kết quả dự kiến" before the bare "Kết quả".
_COLUMN_RULES = [
    ("number", ("tt", "stt", "so tt")),
    ("open_agencies", ("chua hoan thanh",)),
    ("directive", ("van ban giao",)),
    ("leads", ("chu tri",)),
    ("coordinators", ("phoi hop",)),
    ("expected_output", ("ket qua du kien", "san pham")),
    ("result", ("ket qua thuc hien", "tinh hinh thuc hien", "trang thai")),
    ("deadline", ("thoi han", "thoi gian hoan thanh", "thoi gian")),
    ("evidence", ("mo ta", "minh chung", "van ban")),
    ("notes", ("ghi chu", "luu y")),
    ("title", ("ten nhiem vu", "nhiem vu", "noi dung", "ten van de")),
    ("expected_output", ("ket qua",)),
]
_EXACT_ONLY = {"tt", "stt", "so tt"}


def columns_of(header: list[str]) -> dict[str, int]:
    roles: dict[str, int] = {}
    for index, cell in enumerate(header):
        key = " ".join(fold(cell).replace(".", " ").split())
        for role, patterns in _COLUMN_RULES:
            if role in roles:
                continue
            if any(key == p if p in _EXACT_ONLY else p in key for p in patterns):
                roles[role] = index
                break
    return roles


def _read_table(doc: ParsedDocument, table: Table, lines: list[str], claimed: set[int]) -> None:
    end = _table_end(table, lines)
    claimed.update(range(table.line, end + 1))
    for line, message in table.warnings:
        doc.warn(line, message)
    context = _context(lines, table)
    context.as_of = doc.as_of
    columns = columns_of(table.header)
    if _is_indicator_table(table.header):
        _read_indicator_table(doc, table, context, lines)
    elif "title" in columns:
        _read_task_table(doc, table, columns, context, lines)
    else:
        doc.unread_tables.append((table.line, len(table.rows)))
        doc.warn(table.line, _("A table with no recognisable header was skipped: %(header)s")
                 % {"header": " | ".join(cell_text(c) for c in table.header)[:200]})


def _table_end(table: Table, lines: list[str]) -> int:
    """The last line of a table: its last row runs up to the next blank line."""
    end = table.rows[-1].line if table.rows else table.line
    while end < len(lines) and lines[end].strip():
        end += 1
    return end


def _raw(row: Row) -> str:
    """A row as the document wrote it, one cell per line, each behind a TAB."""
    return "\n".join("\t" + cell for cell in row.cells)


def _state(context: Context) -> TaskState:
    title = fold(context.title + " " + context.heading)
    if "qua han" in title:
        return TaskState.OVERDUE
    if "da hoan thanh" in title:
        return TaskState.COMPLETED
    return TaskState.PLANNED


def _section_directive(context: Context) -> str:
    """The directive an appendix title names: "… THEO THÔNG BÁO SỐ 05-TB/BCĐTW NGÀY …"."""
    references = [r for r in find_references(context.title) if r.kind != "report"]
    return references[0].raw if references else ""


def _read_task_table(doc, table: Table, columns: dict[str, int], context: Context, lines):
    state = _state(context)
    kind = {TaskState.OVERDUE: SectionKind.OVERDUE_TASKS,
            TaskState.COMPLETED: SectionKind.COMPLETED_TASKS}.get(state, SectionKind.TASK_TABLE)
    heading = context.heading if context.heading != context.title else ""
    section = Section(title=clean(f"{context.title} {heading}".strip()), kind=kind,
                      line=table.line)
    directive = _section_directive(context)
    period = heading if _PERIOD_HEADING.match(fold(heading)) else ""
    area = group = ""
    for row in table.rows:
        get = {role: cell_text(row.cell(index)) for role, index in columns.items()}
        number, title = get.get("number", ""), get.get("title", "")
        others = [v for role, v in get.items() if role not in ("number", "title") and v]
        if number and _ROMAN_OR_LETTER.match(number) and title and not others:
            area = group = title  # a group row: "I  Về thể chế"
            continue
        if not number and not others and _SUBGROUP.match(title):
            area = f"{group}: {title}"  # a sub-group row: "a) Triển khai Kế hoạch …"
            continue
        if not title:
            if any(cell_text(c) for c in row.cells):
                doc.warn(row.line, _("A row with no task name was not imported: %(text)s")
                         % {"text": " | ".join(cell_text(c) for c in row.cells)[:200]})
            continue
        result = get.get("result", "")
        row_state = state
        if fold(result).startswith("da hoan thanh"):
            row_state = TaskState.COMPLETED
        section.records.append(TaskRecord(
            title=title, line=row.line, raw=_raw(row), state=row_state, number=number,
            area=area, period=period, directive=get.get("directive") or directive,
            leads=get.get("leads", ""), coordinators=get.get("coordinators", ""),
            expected_output=get.get("expected_output", ""), deadline=get.get("deadline", ""),
            result=result, evidence=get.get("evidence", ""),
            open_agencies=get.get("open_agencies", ""), notes=get.get("notes", ""),
        ))
    if section.records:
        doc.sections.append(section)


# Indicator tables: an agency column and columns "Đặt chỉ tiêu tháng 4" (the agency's
# registered target) and "Tỷ lệ đạt được tháng 4" / "… đến 09/7" (what it achieved).
_TARGET_COLUMN = re.compile(r"(?:dat|dang ky) chi tieu (?:thang )?(\d{1,2})(?:/(\d{4}))?")
_ACTUAL_COLUMN = re.compile(r"(?:ty le|ti le|ket qua)[^/]*?(?:thang (\d{1,2})(?:/(\d{4}))?"
                            r"|den (?:ngay )?(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)")
_AGENCY_COLUMN = ("ten bo", "tinh", "don vi", "co quan", "bo/nganh", "dia phuong")


def _is_indicator_table(header: list[str]) -> bool:
    folded = [fold(c) for c in header]
    return (any(_TARGET_COLUMN.search(c) or _ACTUAL_COLUMN.search(c) for c in folded)
            and any(any(a in c for a in _AGENCY_COLUMN) for c in folded))


def _read_indicator_table(doc: ParsedDocument, table: Table, context: Context, lines):
    folded = [fold(c) for c in table.header]
    agency = next(i for i, c in enumerate(folded) if any(a in c for a in _AGENCY_COLUMN))
    notes = next((i for i, c in enumerate(folded) if "ghi chu" in c), None)
    year = (context.as_of or datetime.date.today()).year
    indicator = _table_indicator(context, table)
    value_columns = []  # (index, kind, period, observed_on)
    for index, cell in enumerate(folded):
        if match := _TARGET_COLUMN.search(cell):
            month, y = int(match[1]), int(match[2] or year)
            value_columns.append((index, ValueKind.TARGET, _month(y, month), None))
        elif match := _ACTUAL_COLUMN.search(cell):
            if match[1]:
                value_columns.append((index, ValueKind.ACTUAL,
                                      _month(int(match[2] or year), int(match[1])), None))
            else:
                day = _date(match[3], match[4], match[5] or str(year))
                if day:
                    value_columns.append((index, ValueKind.ACTUAL, day.replace(day=1), day))
    section = Section(title=clean(f"{context.title} {table.title}"[:400]),
                      kind=SectionKind.INDICATOR_TABLE, line=table.line)
    for row in table.rows:
        name = cell_text(row.cell(agency))
        if not name:
            continue
        note = cell_text(row.cell(notes))
        for index, kind, period, observed_on in value_columns:
            text = cell_text(row.cell(index))
            if not text:
                continue
            value = parse_number(text)
            if value is None:
                doc.warn(row.line, _("“%(text)s” for %(name)s is not a number.")
                         % {"text": text, "name": name})
                continue
            section.records.append(ValueRecord(
                indicator=indicator, organisation=name, period=period, value=value,
                line=row.line, raw=_raw(row), kind=kind, observed_on=observed_on,
                resolve_on=observed_on or month_end(period), note=note,
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
