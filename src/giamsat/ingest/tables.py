"""Readers for tables extracted as text: "one cell per line" and "one row per line".

`read_tables` gives the tables of both, in document order.

One cell per line
-----------------
PDF/DOCX exports of the programme's appendices (corpus 004) write a table like this::

    PHỤ LỤC 02:                         <- text above the table: its title
    DANH MỤC NHIỆM VỤ QUÁ HẠN ...
    <TAB>TT                             <- first row: the header
    <TAB>Cơ quan                        <- a cell wraps onto lines without a TAB
    chủ trì
    <TAB>Thời hạn hoàn thành
                                        <- a blank line ends a row
    <TAB>1.
    <TAB>Xây dựng ...
    <TAB>                               <- an empty cell

A text line right after a cell continues that cell; a text line after a blank line is
text between tables, and it ends the table. Appendix headings ("PHỤ LỤC 05:") end a table
even right after a cell, because exports sometimes drop the blank line before them.
A row that stops short of the header's width and is completed exactly by the next row was
cut by a blank line inside a cell (004, task 70 of appendix 01), so the two are joined.
A header repeated after a page break is dropped.

Not handled yet: a table interrupted by page-break text (it becomes two tables, the second
with its first data row as header), and a row continued on the next page without its number.

Cells keep their raw text (without the leading TAB, wrapped lines joined with "\\n");
callers clean() what they compare or display.

One row per line
----------------
PDF extractors write a row per line, cells separated by TABs (see read_row_tables)::

    TT<TAB>Tên nhiệm vụ<TAB>Cơ quan chủ trì<TAB>Thời hạn     <- the header
    I<TAB>Về thể chế<TAB><TAB>                               <- a group row
    1.<TAB>Xây dựng Nghị định<TAB>Bộ Tư pháp<TAB>Tháng 6/2025
    - 12 -                                                   <- page number: skipped
    TT<TAB>Tên nhiệm vụ<TAB>Cơ quan chủ trì<TAB>Thời hạn     <- repeated header: skipped
    <TAB>(tiếp) sửa đổi Luật A<TAB><TAB>                     <- no number: continues row 1.

A header that wraps onto a second line (empty first cell) is joined cell by cell, and a
row of column numbers right under it ("(1) (2) (3)") is dropped. Any other text line ends
the table, so a running page header splits it in two; a group row written without its
numeral ("<TAB>Về thể chế") is taken for the continuation of the row above.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from giamsat.ingest.prose.toolkit import is_appendix_heading, is_page_number
from giamsat.lib.text import clean, fold


@dataclass
class Row:
    cells: list[str]
    line: int  # 1-based line where the row's first cell starts

    def cell(self, index: int | None) -> str:
        """The raw cell at index, "" when the row is short or index is None."""
        if index is None or not 0 <= index < len(self.cells):
            return ""
        return self.cells[index]


@dataclass
class Table:
    header: list[str]
    rows: list[Row]
    line: int  # 1-based line where the header starts
    title: str  # text lines above the table, cleaned and joined with spaces
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


@dataclass
class _Reader:
    tables: list[Table] = field(default_factory=list)
    text: list[str] = field(default_factory=list)  # text lines since the last table
    table: Table | None = None
    row: Row | None = None

    def cell(self, content: str, number: int) -> None:
        if self.table is None:
            self.table = Table(header=[], rows=[], line=number, title=clean(" ".join(self.text)))
            self.tables.append(self.table)
            self.text = []
        if self.row is None:
            self.row = Row(cells=[], line=number)
        self.row.cells.append(content)

    def wrap(self, content: str) -> None:
        assert self.row is not None
        self.row.cells[-1] += "\n" + content

    def end_row(self) -> None:
        if self.row is None or self.table is None:
            return
        header, rows, cells = self.table.header, self.table.rows, self.row.cells
        if not header:
            self.table.header = cells
        elif [clean(c) for c in cells] == [clean(c) for c in header]:
            pass  # a header repeated after a page break is not data
        elif rows and len(rows[-1].cells) + len(cells) == len(header):
            # A blank line inside a cell cut the previous row short: this is its rest.
            rows[-1].cells.extend(cells)
        elif (split := _glued_row(cells, len(header))) is not None:
            # The blank line between two rows is missing: the second begins at its number.
            lines = sum(cell.count("\n") + 1 for cell in cells[:split])
            rows.append(Row(cells=cells[:split], line=self.row.line))
            rows.append(Row(cells=cells[split:], line=self.row.line + lines))
        else:
            rows.append(self.row)
        self.row = None

    def end_table(self) -> None:
        self.end_row()
        self.table = None


_ROW_NUMBER = re.compile(r"^\s*(?:\d{1,3}\.?|[IVXLC]{1,6}\.?)\s*$")


def _glued_row(cells: list[str], width: int) -> int | None:
    """Where a second row starts inside cells too many for one row, if it is clear."""
    if len(cells) <= width:
        return None
    for split in range(width, len(cells) - width - 1, -1):
        if split > 0 and _ROW_NUMBER.match(cells[split]):
            return split
    return None


def read_cell_tables(text: str) -> list[Table]:
    """All cell-per-line tables in text, in document order."""
    reader = _Reader()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if line.startswith("\t"):
            reader.cell(line[1:], number)
        elif not line.strip():
            reader.end_row()
        elif reader.row is not None and not is_appendix_heading(line):
            reader.wrap(line)
        else:
            reader.end_table()
            if is_appendix_heading(line):
                reader.text = []  # the title starts at the nearest heading
            reader.text.append(line)
    reader.end_table()
    return reader.tables


def find_column(header: list[str], *patterns: str) -> int | None:
    """Index of the first header cell that contains one of patterns, else None.

    Matching ignores case, diacritics and line wraps: "thoi han" finds "Thời hạn hoàn
    thành" and "Thời \\nhạn". Patterns are tried in order, so put the most specific first.
    """
    folded = [fold(cell) for cell in header]
    for pattern in patterns:
        key = fold(pattern)
        for index, cell in enumerate(folded):
            if key and key in cell:
                return index
    return None


# --- one row per line -----------------------------------------------------------------

_ROW_NUMBER = re.compile(r"\s*(\d+)\.?\s*")
_COLUMN_NUMBER = re.compile(r"\(?(\d+)\)?")


def _split(line: str) -> list[str]:
    """The cells of a row line, without the empty cells that trail it."""
    cells = line.split("\t")
    while cells and not cells[-1].strip():
        cells.pop()
    return cells


def _starts_row_table(line: str) -> bool:
    # A leading TAB is a cell-per-line table (read_cell_tables) or a continued row.
    return not line.startswith("\t") and sum(1 for c in line.split("\t") if c.strip()) >= 3


def _is_column_numbers(key: list[str]) -> bool:
    """A row "1 2 3 …" or "(1) (2) (3) …" under the header numbers the columns."""
    numbers = [m[1] if (m := _COLUMN_NUMBER.fullmatch(cell)) else "" for cell in key]
    return len(key) >= 3 and numbers == [str(i) for i in range(1, len(key) + 1)]


def _merge(target: list[str], cells: list[str]) -> None:
    """Append each non-empty cell to the same cell of target, on a new line."""
    for index, cell in enumerate(cells):
        if not cell.strip():
            continue
        if index >= len(target):
            target.extend([""] * (index + 1 - len(target)))
        target[index] = f"{target[index]}\n{cell}" if target[index].strip() else cell


class _RowTable:
    """One row-per-line table, read from its header line on."""

    def __init__(self, lines: list[str], start: int, title: str):
        self.lines = lines
        header = _split(lines[start])
        self.table = Table(header=header, rows=[], line=start + 1, title=title)
        self.header_keys = [[clean(cell) for cell in header]]  # each line of the header
        self.skipping: list[list[str]] = []  # the rest of a repeated header
        self.after_header = True
        self.last_number: int | None = None

    def read(self) -> int:
        """Read the rows; return the index of the first line after the table."""
        index = self.table.line
        while index < len(self.lines):
            line = self.lines[index]
            if "\t" in line:
                self.row(_split(line), index + 1)
            elif not is_page_number(line):
                resume = self.resume_at(index)
                if resume is None:
                    break
                index = resume
                continue
            index += 1
        return index

    def resume_at(self, index: int) -> int | None:
        """After blank lines and page numbers, a row line goes on with the table."""
        while index < len(self.lines):
            line = self.lines[index]
            if "\t" in line:
                return index
            if line.strip() and not is_page_number(line):
                return None
            index += 1
        return None

    def row(self, cells: list[str], number: int) -> None:
        key = [clean(cell) for cell in cells]
        if not any(key) or self.skip_header(key):
            return
        if self.after_header and _is_column_numbers(key):
            return
        rows = self.table.rows
        if not key[0] and not rows:  # the header wraps onto a second line
            _merge(self.table.header, cells)
            self.header_keys.append(key)
            return
        self.after_header = False
        cells = self.fit(cells, number)
        if not key[0]:  # no number: the rest of the row above (page break, sub-row)
            _merge(rows[-1].cells, cells)
            return
        self.check_number(cells[0], number)
        rows.append(Row(cells + [""] * (len(self.table.header) - len(cells)), number))

    def skip_header(self, key: list[str]) -> bool:
        """A header repeated after a page break, line by line, is not data."""
        if self.skipping and key == self.skipping[0]:
            self.skipping.pop(0)
            return True
        self.skipping = []
        if key == self.header_keys[0]:
            self.skipping = self.header_keys[1:]
            self.after_header = True
            return True
        return False

    def fit(self, cells: list[str], number: int) -> list[str]:
        """Cells past the header's width are joined into the last cell, with a warning."""
        width = len(self.table.header)
        if len(cells) <= width:
            return cells
        self.table.warnings.append((number, _(
            "The row has %(cells)d cells, the header %(width)d: the extra cells were "
            "joined into the last one.") % {"cells": len(cells), "width": width}))
        extra = " ".join(cell for cell in cells[width - 1:] if cell.strip())
        return [*cells[: width - 1], extra]

    def check_number(self, cell: str, number: int) -> None:
        match = _ROW_NUMBER.fullmatch(cell)
        if not match:
            return  # a group row ("I", "II") or a table without numbers
        value = int(match[1])
        if self.last_number is not None and value > self.last_number + 1:
            self.table.warnings.append((number, _(
                "Row numbers jump from %(before)d to %(after)d: rows may be missing.")
                % {"before": self.last_number, "after": value}))
        self.last_number = value


def _row_tables(text: str) -> list[tuple[Table, int]]:
    """Row-per-line tables with the number of their last line."""
    lines = (text or "").splitlines()
    found: list[tuple[Table, int]] = []
    title: list[str] = []
    index = 0
    while index < len(lines):
        line = lines[index]
        if _starts_row_table(line):
            reader = _RowTable(lines, index, clean(" ".join(title)))
            index = reader.read()
            found.append((reader.table, index))
            title = []
            continue
        if line.startswith("\t"):
            title = []  # a cell-per-line table: the next title starts after it
        elif line.strip() and not is_page_number(line):
            if is_appendix_heading(line):
                title = []  # the title starts at the nearest heading
            title.append(line)
        index += 1
    return found


def read_row_tables(text: str) -> list[Table]:
    """All row-per-line (TAB-separated) tables in text, in document order.

    A table starts at a line of three or more non-empty cells that does not start with a
    TAB; that line is its header and the text lines above are its title. Rows go on
    while lines hold TABs. Page numbers, a repeated header and blank lines followed by
    more rows do not end it. A row without a number (empty first cell) continues the row
    above, cell by cell: a row cut by a page break, or a sub-row of the task above.
    Numbering gaps and rows wider than the header are recorded in Table.warnings.
    """
    return [table for table, _end in _row_tables(text)]


def read_tables(text: str) -> list[Table]:
    """The tables of both readers, ordered by line.

    A continued row starts with a TAB like a cell-per-line table does; cell tables that
    start inside a row table are such rows, not tables.
    """
    row_tables = _row_tables(text)
    spans = [(table.line, end) for table, end in row_tables]
    cell_tables = [table for table in read_cell_tables(text)
                   if not any(start <= table.line <= end for start, end in spans)]
    return sorted([table for table, _end in row_tables] + cell_tables, key=lambda t: t.line)
