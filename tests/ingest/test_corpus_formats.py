"""The real documents in every format they arrive in: each corpus text is written as a
Word document (its tables as Word tables), as an Excel workbook where it is tabular, and
converted by LibreOffice to PDF, .doc and .odt; each is read back (sources.read_document)
and parsed, and must give what the text gives: the same records of each type, in the
same kinds of section, and the same task titles.

The conversions run once per session (LibreOffice once per target format, for all the
files at once); reading a .doc or .odt converts it back once more.
"""

import collections
import subprocess
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.shared import Cm, Pt

from giamsat.ingest.document import parse_document
from giamsat.ingest.prose.toolkit import is_appendix_heading
from giamsat.ingest.records import TaskRecord
from giamsat.ingest.sources import read_document
from giamsat.ingest.tables import Table, read_tables
from giamsat.lib.text import clean
from tests.conftest import CORPUS_DIR

pytestmark = [pytest.mark.corpus, pytest.mark.slow]

# Through LibreOffice: the Word document converted to each; "pdf-justified" is the PDF
# of the same document laid out the other common way (see write_docx).
CONVERTED = ("pdf", "pdf-justified", "doc", "odt")


def _cases() -> list[tuple[str, str]]:
    """(file, format): every file as DOCX and through LibreOffice, as XLSX those with
    tables (a cell-per-line table starts with a TAB line)."""
    cases = []
    for path in sorted(CORPUS_DIR.glob("*.txt")):
        tabular = "\n\t" in path.read_text(encoding="utf-8")
        cases += [(path.name, kind) for kind in ("docx", "xlsx", *CONVERTED)
                  if kind != "xlsx" or tabular]
    return cases or [("(corpus missing)", "docx")]  # corpus_dir says why


# --- text → DOCX, XLSX ---------------------------------------------------------------


def table_span(lines: list[str], table: Table) -> tuple[int, int]:
    """First and last line (1-based) of a cell-per-line table, by read_cell_tables' rules:
    rows of TAB lines, their cells' wrapped lines, blank lines between rows; it ends at a
    text line after a blank line, or at an appendix heading."""
    last, in_row = table.line, False
    start = table.rows[-1].line if table.rows else table.line
    for number in range(start, len(lines) + 1):
        line = lines[number - 1]
        if line.startswith("\t"):
            in_row = True
        elif not line.strip():
            in_row = False
            continue
        elif not in_row or is_appendix_heading(line):
            break
        last = number
    return table.line, last


def blocks(text: str) -> list[tuple[str, object]]:
    """The text as ("text", line) and ("table", Table) in document order."""
    lines = text.splitlines()
    out: list[tuple[str, object]] = []
    index = 0
    for table in read_tables(text):
        start, end = table_span(lines, table)
        out.extend(("text", line) for line in lines[index:start - 1])
        out.append(("table", table))
        index = end
    out.extend(("text", line) for line in lines[index:])
    return out


def table_rows(table: Table) -> list[list[str]]:
    rows = [table.header, *(row.cells for row in table.rows)]
    width = max(len(row) for row in rows)
    return [row + [""] * (width - len(row)) for row in rows]


def write_docx(text: str, target: Path, justified: bool = False) -> None:
    """As a person would write it in Word under Decree 30/2020: Times New Roman 14, A4
    (landscape for a document of tables), paragraphs 6 pt apart, ruled tables whose
    header repeats on every page and whose columns are as wide as their text needs.
    `justified`: the other common layout, 13 pt justified at 1.5 lines with a first-line
    indent and no space between paragraphs."""
    document = docx.Document()
    normal = document.styles["Normal"]
    normal.font.name, normal.font.size = "Times New Roman", Pt(13 if justified else 14)
    normal.paragraph_format.space_after = Pt(0 if justified else 6)
    if justified:
        normal.paragraph_format.line_spacing = 1.5
    parts = blocks(text)
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    if any(kind == "table" for kind, _ in parts):
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21)
    section.left_margin, section.right_margin = Cm(3), Cm(2)
    section.top_margin = section.bottom_margin = Cm(2)
    usable = section.page_width - section.left_margin - section.right_margin
    for kind, value in parts:
        if kind == "text":
            paragraph = document.add_paragraph(value)
            if justified:
                paragraph.alignment = WD_ALIGN_PARAGRAPH.JUSTIFY
                paragraph.paragraph_format.first_line_indent = Cm(1)
        else:
            _word_table(document, table_rows(value), usable)
    document.save(target)


def _word_table(document, rows: list[list[str]], usable: int) -> None:
    width = len(rows[0])
    table = document.add_table(rows=len(rows), cols=width)
    table.style = "Table Grid"
    table.autofit = False
    # Each column fits its longest word; the rest of the width goes by how much text it
    # holds (a title column wide, the number column narrow).
    words = [max([len(word) for row in rows for word in row[c].split()] or [1])
             for c in range(width)]
    least = [Pt(8 * min(length, 16) + 12) for length in words]
    need = [max(3, *(min(len(row[c]), 400) for row in rows)) ** 0.5 for c in range(width)]
    spare = max(usable - sum(least), 0)
    for column, low, share in zip(table.columns, least, need, strict=True):
        column.width = int(low + spare * share / sum(need))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for word_row, cells in zip(table.rows, rows, strict=True):
        for cell, value in zip(word_row.cells, cells, strict=True):
            first, *more = value.split("\n")
            cell.paragraphs[0].text = first
            for line in more:
                cell.add_paragraph(line)


def write_xlsx(text: str, target: Path) -> None:
    """One sheet, stacked as a person lays out appendices in Excel: each text line in
    column A, each table under its title, an empty row after it. A row with no value
    cannot be told from the empty row that ends a table, so such rows are left out."""
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Phụ lục"
    row = 1
    for kind, value in blocks(text):
        if kind == "text":
            if value.strip():
                _put(sheet, row, 1, value.strip())
                row += 1
            continue
        for cells in table_rows(value):
            if any(cell.strip() for cell in cells):
                for column, cell in enumerate(cells, start=1):
                    _put(sheet, row, column, cell)
                row += 1
        row += 1  # the empty row that ends the table
    workbook.save(target)


def _put(sheet, row: int, column: int, value: str) -> None:
    if value:
        cell = sheet.cell(row=row, column=column, value=value)
        cell.data_type = "s"  # text as written, never a formula or a number


# --- the conversions, once per session -------------------------------------------------


def _libreoffice(sources: list[Path], target: str, folder: Path) -> None:
    """One LibreOffice run converting every source (a private profile, a time limit)."""
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", target, "--outdir",
                    str(folder), *map(str, sources)],
                   check=True, capture_output=True, timeout=300)


@pytest.fixture(scope="session")
def converted(corpus_dir, tmp_path_factory) -> dict[tuple[str, str], Path]:
    """(corpus file name, format) → the document in that format."""
    import shutil

    folder = tmp_path_factory.mktemp("corpus-formats")
    found: dict[tuple[str, str], Path] = {}
    (folder / "justified").mkdir()
    for path in sorted(corpus_dir.glob("*.txt")):
        text = unicodedata.normalize("NFC", path.read_text(encoding="utf-8"))
        found[path.name, "docx"] = folder / f"{path.stem}.docx"
        write_docx(text, found[path.name, "docx"])
        write_docx(text, folder / "justified" / f"{path.stem}.docx", justified=True)
        if read_tables(text):
            found[path.name, "xlsx"] = folder / f"{path.stem}.xlsx"
            write_xlsx(text, found[path.name, "xlsx"])
    if shutil.which("soffice"):
        names = [name for name, kind in found if kind == "docx"]
        for kind in CONVERTED:
            target = kind.split("-")[0]
            source = folder / "justified" if kind == "pdf-justified" else folder
            _libreoffice([source / f"{Path(n).stem}.docx" for n in names], target, folder / kind)
            for name in names:
                found[name, kind] = folder / kind / f"{Path(name).stem}.{target}"
    return found


@pytest.fixture(scope="session")
def text_summary(corpus_dir):
    cache: dict[str, tuple] = {}

    def get(name: str):
        if name not in cache:
            path = corpus_dir / name
            cache[name] = summary(path, read_document(path), None)
        return cache[name]

    return get


def summary(path: Path, text: str, as_of):
    parsed = parse_document(str(path), text, as_of)
    records = collections.Counter(type(record).__name__ for record in parsed.records())
    by_section = collections.Counter(section.kind.value for section in parsed.sections
                                     for _record in section.records)
    sections = collections.Counter(section.kind.value for section in parsed.sections)
    titles = collections.Counter(clean(task.title) for task in parsed.records(TaskRecord))
    return parsed.as_of, records, by_section, sections, titles


# --- the test ----------------------------------------------------------------------------


@pytest.mark.parametrize(("name", "kind"), _cases())
def test_every_format_reads_to_the_same_records(converted, text_summary, name, kind):
    if (name, kind) not in converted:
        pytest.skip(f"{name} as {kind}: LibreOffice (soffice) is not installed")
    as_of, records, by_section, sections, titles = text_summary(name)
    path = converted[name, kind]
    _as_of, got_records, got_by_section, got_sections, got_titles = summary(
        path, read_document(path), as_of)
    assert got_records == records
    assert got_by_section == by_section
    assert got_sections == sections
    assert got_titles == titles


def test_the_words_version_of_a_table_is_the_tables_own_rows(corpus_text, tmp_path):
    """The converter itself: a Word table per text table, with the same header and rows."""
    text = corpus_text("004")
    write_docx(text, tmp_path / "004.docx")
    tables = read_tables(text)
    again = read_tables(read_document(tmp_path / "004.docx"))
    assert len(again) == len(tables) == 15
    for original, copy in zip(tables, again, strict=True):
        assert [clean(c) for c in copy.header] == [clean(c) for c in original.header]
        assert len(copy.rows) == len(original.rows)
