"""Table rows written as XML at once (word_rows.py) are the XML python-docx's own calls
write: cell by cell, with add_row(), merge(), cell.width and the runs of word._cell."""

from docx import Document
from docx.shared import Cm
from lxml import etree

from giamsat.reports import word
from giamsat.reports.document import Table

ROWS = [["1", "Một dòng", "31/12/2025", "40,1%"],
        ["Tháng 7/2025", "", "", ""],
        ["2", " lề hai bên ", "", "+0,22"],
        ["3", "hai\ndòng\n", "a\tb\rc", "R&D <b> \"x\""],
        ["4", "Bộ Văn hóa, Thể thao và Du lịch", "—", "12.345"]]
TABLE = Table(["TT", "Tên nhiệm vụ", "Thời hạn", "Tỷ lệ"], ROWS, widths=[1.2, 10, 3, 2.5],
              group_rows={1})


def _by_python_docx(document, table: Table) -> None:
    """What word._table did before the rows were written as XML."""
    grid = document.add_table(rows=1, cols=len(table.columns))
    widths = [Cm(w) for w in word.unbroken_widths(table, 25.7)]
    word._widths(grid, widths)
    centred = [name in ("TT", "STT") for name in table.columns]
    for cell, text, width in zip(grid.rows[0].cells, table.columns, widths, strict=True):
        word._cell(cell, text, bold=True, center=True)
        cell.width = width
    for index, values in enumerate(table.rows):
        row = grid.add_row()
        if index in table.group_rows:
            word._cell(row.cells[0].merge(row.cells[-1]), values[0], bold=True)
            continue
        for column, (cell, text, width) in enumerate(zip(row.cells, values, widths,
                                                         strict=True)):
            word._cell(cell, text, center=centred[column] or word._numeric(text))
            cell.width = width


def _rows_xml(document) -> list[bytes]:
    (tbl,) = document.element.body.iterchildren("{*}tbl")
    return [etree.tostring(tr) for tr in tbl.iterchildren("{*}tr")]


def test_rows_written_at_once_are_those_python_docx_writes():
    slow, fast = Document(), Document()
    _by_python_docx(slow, TABLE)
    word._table(fast, TABLE, portrait=False)
    expected = _rows_xml(slow)
    assert len(expected) == len(ROWS) + 1
    # The header row is python-docx's in both; word._table adds its repeat flag.
    assert _rows_xml(fast)[1:] == expected[1:]
