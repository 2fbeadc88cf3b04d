"""Reader for tables extracted as text with "one cell per line".

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
"""

import re
from dataclasses import dataclass, field

from giamsat.ingest.text import clean, fold


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


# A heading that starts a new part of the document, never the wrap of a cell. Upper or
# title case only: a wrapped sentence may well continue with "phụ lục II Nghị quyết …".
_HEADING = re.compile(r"^\s*(?:PHỤ LỤC|Phụ lục)\s+(?:\d+|[IVXLC]+)\b")


def _is_heading(line: str) -> bool:
    return bool(_HEADING.match(clean(line)))


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
        else:
            rows.append(self.row)
        self.row = None

    def end_table(self) -> None:
        self.end_row()
        self.table = None


def read_cell_tables(text: str) -> list[Table]:
    """All cell-per-line tables in text, in document order."""
    reader = _Reader()
    for number, line in enumerate((text or "").splitlines(), start=1):
        if line.startswith("\t"):
            reader.cell(line[1:], number)
        elif not line.strip():
            reader.end_row()
        elif reader.row is not None and not _is_heading(line):
            reader.wrap(line)
        else:
            reader.end_table()
            if _is_heading(line):
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
