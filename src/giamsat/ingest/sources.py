"""From a file to the text the parsers read.

Accepted (SOURCE_FORMATS):

- UTF-8 text (``.txt``, ``.md``, no extension, any other name): text extracted from
  PDF or DOCX files, kept exactly as written but for a BOM and Windows/Mac line ends.
  UTF-16 with a BOM is read too.
- Word ``.docx``: paragraphs one per line, tables in the "one cell per line" format of
  `tables.read_cell_tables`, in document order. A text box's paragraphs follow the
  paragraph it is anchored in (inside a cell: further lines of the cell). A footnote
  follows the paragraph that refers to it (a table's, the table), as "1 Các cơ quan …",
  numbered 1, 2, … in the order of the references, as Word shows them; endnotes come at
  the end of the text numbered i, ii, …, as Word prints them. The reference marks
  themselves are left out of the text, so that "90,5%¹" stays the number 90,5%.
- Excel ``.xlsx``/``.xlsm``: every visible sheet, its title, the text rows above a table,
  then the table in the same cell-per-line format. A header merged over two or three
  rows is one row (so too in Word); the header block beside "CỘNG HÒA XÃ HỘI CHỦ NGHĨA
  VIỆT NAM" and the signature block under the table are text.
- PDF with a text layer (pdfplumber): ruled tables cell per line, the other lines of a
  page in reading order joined back into paragraphs, a blank line where the page leaves
  an empty line's space; a table going on at the top of the next page is one table (its
  repeated header dropped, a row cut by the page break joined). Page numbers and
  running headers and footers are left out. A scan (no text) or a PDF that needs a
  password is refused. Borderless tables come out as lines of text, and a page in two
  columns is read line by line across both.
- Word 97-2003 ``.doc``, OpenDocument ``.odt``, ``.rtf`` (and ``.xls``/``.ods``):
  converted by LibreOffice headless (a private profile per run, a time limit) to
  .docx/.xlsx, then read as those. Without LibreOffice they are refused with what to do.

Limits, checked before the work (settings, see settings.py): the lines of the text
(``GIAMSAT_IMPORT_MAX_LINES``), what a .docx/.xlsx inflates to, from its zip directory
(``…_MAX_UNZIPPED_MB``, ``…_MAX_XML_MB``, and a compression ratio only bombs reach), the
cells of a sheet's table, the pages of a PDF (``…_MAX_PDF_PAGES``).

Everything else (PowerPoint, .xlsb, zip, …) raises `UnreadableDocument`
with a message for a person: which file (its name, never the server's path), what is
wrong, what to do.
"""

import codecs
import collections
import contextlib
import datetime
import itertools
import os
import re
import shutil
import signal
import subprocess
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

from giamsat.lib.text import fold

# python-docx and openpyxl are imported inside the functions that read those formats:
# openpyxl pulls in numpy (~0.25 s) and every command that imports the ingest package
# (`giamsat import --help` too) must start in well under a second.

SOURCE_FORMATS = {
    "text": "UTF-8 text (.txt, .md, …), e.g. text extracted from PDF or DOCX",
    "docx": "Word document (.docx)",
    "xlsx": "Excel workbook (.xlsx, .xlsm)",
    "pdf": "PDF with a text layer (.pdf; a scan needs OCR first)",
    "converted": "Word 97-2003 .doc, OpenDocument .odt/.ods, RTF, Excel 97-2003 .xls "
                 "(converted by LibreOffice)",
}
_DOCX = {".docx"}
_XLSX = {".xlsx", ".xlsm"}
_PDF = {".pdf"}
# Converted by LibreOffice to the format read after it, named for the messages.
_CONVERTED = {
    ".doc": ("docx", "Word 97-2003 (.doc)"), ".odt": ("docx", "OpenDocument (.odt)"),
    ".rtf": ("docx", "RTF (.rtf)"), ".xls": ("xlsx", "Excel 97-2003 (.xls)"),
    ".ods": ("xlsx", "OpenDocument (.ods)"),
}
# Formats people will try; named so that the message can say what to do instead.
_REFUSED = {
    ".xlsb": "Excel binary (.xlsb)", ".ppt": "PowerPoint", ".pptx": "PowerPoint",
    ".zip": "ZIP",
}
# What a text file must not begin with: it is one of the refused formats renamed.
_OLE = b"\xd0\xcf\x11\xe0"  # the container of .doc/.xls, and of password-protected .docx
_PDF_MAGIC = b"%PDF-"
_ZIP = b"PK\x03\x04"  # .docx and .xlsx are zip packages
# A few stray control characters happen in exported text; this share of them is binary.
_CONTROL_SHARE = 0.02
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


class UnreadableDocument(Exception):
    """A file import cannot turn into text; str() is the message to show a person."""

    def __init__(self, path: str | Path, reason: str):
        super().__init__(str(path), reason)  # both in args, so that it pickles (huey)
        self.path = str(path)
        self.reason = reason
        # The file's name only: the message reaches people who must not see server paths.
        self.message = _("Cannot read %(path)s: %(reason)s") % {"path": Path(path).name,
                                                                "reason": reason}

    def __str__(self) -> str:
        return self.message


def read_document(path: str | Path) -> str:
    """The text of the document at path, as the parsers read it (see the module doc)."""
    path = Path(path)
    if not path.exists():
        raise UnreadableDocument(path, _("no such file."))
    if path.is_dir():
        raise UnreadableDocument(path, _("this is a folder, not a file."))
    suffix = path.suffix.lower()
    if suffix in _REFUSED:
        raise UnreadableDocument(path, _unsupported(_REFUSED[suffix]))
    if suffix in _DOCX:
        text = _docx_text(path)
    elif suffix in _XLSX:
        text = _xlsx_text(path)
    elif suffix in _PDF:
        text = _pdf_text(path)
    elif suffix in _CONVERTED:
        text = _converted_text(path, *_CONVERTED[suffix])
    else:
        text = _plain_text(path)
    text = text.replace("\r\n", "\n").replace("\r", "\n")  # DOCX/XLSX text may hold them
    if not text.strip():
        raise UnreadableDocument(path, _("the file holds no text."))
    _check_lines(path, text.count("\n") + (not text.endswith("\n")))
    return text


# --- limits: what reading one document may cost, checked before the work ----------------


def _limit(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def _count(number: int) -> str:
    """200,000 in English, 200.000 in Vietnamese (Django's vi formats define no
    NUMBER_GROUPING, so number_format would not group at all)."""
    from django.utils.formats import get_format

    return f"{number:,}".replace(",", get_format("THOUSAND_SEPARATOR"))


def _check_lines(path: Path, lines: int) -> None:
    limit = _limit("IMPORT_MAX_LINES", 200_000)
    if lines > limit:
        raise UnreadableDocument(path, _(
            "its text has %(lines)s lines; an import reads at most %(limit)s "
            "(GIAMSAT_IMPORT_MAX_LINES). Split the document into smaller files.")
            % {"lines": _count(lines), "limit": _count(limit)})


# A member that inflates this many times is a zip bomb: deflated Office XML shrinks 5-50
# times. Members under _RATIO_FLOOR are left alone (tiny repetitive parts shrink more).
_MAX_RATIO = 200
_RATIO_FLOOR = 1 << 20
_MAX_MEMBERS = 10_000
# Pictures and embedded files, which python-docx and openpyxl keep as bytes; any other
# part may be parsed as XML (a part's name need not end in .xml), so it counts as XML.
_MEDIA_PARTS = (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".emf", ".wmf",
                ".wdp", ".svg", ".bin", ".ole", ".mp3", ".mp4", ".wav", ".avi", ".ttf",
                ".odttf", ".fntdata")


def _check_zip(path: Path) -> None:
    """Refuse a package that would inflate beyond the limits, from its zip directory
    alone: python-docx and openpyxl hold the XML they parse in memory (a 331 KB .docx
    inflating to 103 MB of XML took 180 s and 2.3 GB). zipfile never inflates a member
    beyond the size its directory declares, so the declared sizes are a bound."""
    try:
        with zipfile.ZipFile(path) as package:
            members = package.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        return  # not a zip, or damaged: the reader says so in its own words
    if len(members) > _MAX_MEMBERS:
        raise UnreadableDocument(path, _(
            "the package holds %(count)s parts, more than %(limit)s; it is not an ordinary "
            "document.") % {"count": _count(len(members)), "limit": _count(_MAX_MEMBERS)})
    total = sum(member.file_size for member in members)
    xml = sum(m.file_size for m in members if not m.filename.lower().endswith(_MEDIA_PARTS))
    for size, setting, default in ((total, "IMPORT_MAX_UNZIPPED_MB", 200),
                                   (xml, "IMPORT_MAX_XML_MB", 40)):
        if size > _limit(setting, default) * 2**20:
            raise UnreadableDocument(path, _(
                "unpacked, it would take %(size)s MB, more than the %(limit)s MB an import "
                "reads (GIAMSAT_%(setting)s). It may be a zip bomb; otherwise split the "
                "document.") % {"size": _count(round(size / 2**20)), "setting": setting,
                                "limit": _limit(setting, default)})
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > _RATIO_FLOOR and ratio > _MAX_RATIO:
            raise UnreadableDocument(path, _(
                "its part %(part)s inflates %(ratio)s times (%(size)s MB), as only a zip "
                "bomb does; it is not read.") % {
                    "part": member.filename, "ratio": _count(round(ratio)),
                    "size": _count(round(member.file_size / 2**20))})


def _unsupported(kind: str) -> str:
    return _("%(kind)s files cannot be imported. Accepted: UTF-8 text, Word .docx and "
             ".doc, Excel .xlsx and .xls, OpenDocument, RTF and PDF.") % {"kind": kind}


def _read_bytes(path: Path, size: int = -1) -> bytes:
    try:
        with path.open("rb") as file:
            return file.read(size)
    except OSError as error:
        raise UnreadableDocument(path, error.strerror or str(error)) from error


# --- text ---------------------------------------------------------------------------


def _plain_text(path: Path) -> str:
    data = _read_bytes(path)
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        text = _decode(path, data, "utf-16")
    else:
        if data.startswith(_OLE):
            raise UnreadableDocument(path, _(
                "this is a Word or Excel 97-2003 file under another name. Give it the "
                "extension .doc or .xls."))
        if data.startswith(_PDF_MAGIC):
            raise UnreadableDocument(path, _(
                "this is a PDF under another name. Give it the extension .pdf."))
        if data.startswith(_ZIP):
            raise UnreadableDocument(path, _(
                "this is a zip package, perhaps a .docx or .xlsx under another name. "
                "Give it its right extension."))
        if b"\x00" in data:
            raise UnreadableDocument(path, _binary())
        text = _decode(path, data, "utf-8-sig")
    if len(_CONTROL.findall(text)) > _CONTROL_SHARE * len(text):
        raise UnreadableDocument(path, _binary())
    return text


def _binary() -> str:
    return _("this is not a text file (it holds binary data). Accepted: UTF-8 text, "
             "Word .docx and .doc, Excel .xlsx and .xls, OpenDocument, RTF and PDF.")


def _decode(path: Path, data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as error:
        if len(_CONTROL.findall(data.decode("latin-1"))) > _CONTROL_SHARE * len(data):
            raise UnreadableDocument(path, _binary()) from error
        line = data[: error.start].count(b"\n") + 1
        raise UnreadableDocument(path, _(
            "the text is not UTF-8 (line %(line)d), perhaps an old TCVN3, VNI or "
            "Windows-1258 file. Open it and save it again as UTF-8.") % {"line": line},
        ) from error


# --- shared by the readers -----------------------------------------------------------


def _text_lines(text: str) -> list[str]:
    """Lines of a paragraph: a leading TAB would make read_cell_tables take it for a cell."""
    return [line.lstrip("\t") for line in text.split("\n")]


def _table_lines(rows: Iterable[list[str]]) -> Iterator[str]:
    """Rows in the cell-per-line format of read_cell_tables, with a blank line before."""
    yield ""
    for row in rows:
        for cell in row:
            # Inside a cell a TAB would start a new cell and a blank line end the row.
            lines = [line for line in cell.replace("\t", " ").split("\n") if line.strip()]
            yield "\t" + (lines[0] if lines else "")
            yield from lines[1:]
        yield ""


# What python-docx and openpyxl raise on a damaged or mislabelled file (lxml's
# XMLSyntaxError is a SyntaxError; openpyxl raises TypeError on unexpected values;
# zipfile raises NotImplementedError and RuntimeError on encrypted members), with the
# libraries' own exceptions added by _docx_errors() and _xlsx_errors().
_CORRUPT = (zipfile.BadZipFile, zlib.error, EOFError, KeyError, ValueError, TypeError,
            AttributeError, SyntaxError, OSError, NotImplementedError, RuntimeError)


def _docx_errors() -> tuple[type[BaseException], ...]:
    from docx.opc.exceptions import OpcError

    return (*_CORRUPT, OpcError)


def _xlsx_errors() -> tuple[type[BaseException], ...]:
    from openpyxl.utils.exceptions import InvalidFileException

    return (*_CORRUPT, InvalidFileException)


def _check_package(path: Path) -> None:
    """A .docx/.xlsx that is an OLE container: the zip libraries would only say "not a zip".
    Then the zip limits, before any library opens it."""
    if _read_bytes(path, len(_OLE)) == _OLE:
        raise UnreadableDocument(path, _(
            "the file is in the old Word/Excel 97-2003 format, or protected by a password. "
            "Save it as .docx or .xlsx without a password."))
    _check_zip(path)


# --- DOCX ----------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"  # docx.oxml.ns.qn("w:")
_P, _TBL, _R, _SDT, _SDT_CONTENT = (f"{_W}{t}" for t in ("p", "tbl", "r", "sdt", "sdtContent"))
# Run containers whose text is visible; deleted text (w:del, w:moveFrom) is left out.
_RUN_CONTAINERS = {f"{_W}{t}" for t in ("hyperlink", "ins", "moveTo", "smartTag",
                                       "fldSimple", "customXml", "sdt", "sdtContent")}


_TXBX = f"{_W}txbxContent"
# A shape is written twice, as DrawingML (mc:Choice) and as VML for old readers.
_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
_NOTE_KINDS = {  # relationship type of the part → (kind, the reference in the text)
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/footnotes":
        ("footnote", f"{_W}footnoteReference"),
    "http://schemas.openxmlformats.org/officeDocument/2006/relationships/endnotes":
        ("endnote", f"{_W}endnoteReference"),
}
_NOTE_REFERENCES = {reference for _kind, reference in _NOTE_KINDS.values()}
_ID, _TYPE = f"{_W}id", f"{_W}type"


def _docx_text(path: Path) -> str:
    _check_package(path)
    import docx  # lazily: see the imports at the top

    try:
        document = docx.Document(str(path))
        notes = _DocxNotes(document)
    except _docx_errors() as error:
        raise UnreadableDocument(path, _(
            "this is not a Word .docx document, or it is damaged (%(error)s). Open it in "
            "Word and save it again as .docx.") % {"error": error}) from error
    lines = list(_docx_blocks(document.element.body, notes))
    return "\n".join([*lines, *notes.endnote_lines()]) + "\n"


class _DocxNotes:
    """Footnotes and endnotes: their text by id, and the number Word shows for each
    (1, 2, … for footnotes and i, ii, … for endnotes, Word's defaults, in the order the
    text refers to them)."""

    def __init__(self, document):
        from docx.oxml.parser import parse_xml

        self.text: dict[tuple[str, str], list[str]] = {}
        for relationship in document.part.rels.values():
            if relationship.is_external or relationship.reltype not in _NOTE_KINDS:
                continue
            kind, _reference = _NOTE_KINDS[relationship.reltype]
            for note in parse_xml(relationship.target_part.blob).iterchildren(f"{_W}{kind}"):
                if note.get(_TYPE) in (None, "normal"):  # not the separator lines
                    lines = [_paragraph_text(p).strip() for p in note.iter(_P)]
                    self.text[kind, note.get(_ID)] = [line for line in lines if line]
        self.numbers: dict[tuple[str, str], str] = {}
        for kind, reference in _NOTE_KINDS.values():
            for count, element in enumerate(document.element.body.iter(reference), start=1):
                self.numbers.setdefault((kind, element.get(_ID)),
                                        str(count) if kind == "footnote" else _roman(count))
        self.shown: set[tuple[str, str]] = set()
        self.endnotes: list[tuple[str, str]] = []

    def after(self, element) -> Iterator[str]:
        """Footnotes referred to inside element, not shown yet; endnotes wait for the end."""
        for reference in element.iter(*_NOTE_REFERENCES):
            kind = "footnote" if reference.tag.endswith("footnoteReference") else "endnote"
            key = (kind, reference.get(_ID))
            if key in self.shown or key not in self.text:
                continue
            self.shown.add(key)
            if kind == "endnote":
                self.endnotes.append(key)
            else:
                yield from self.lines(key)

    def lines(self, key: tuple[str, str]) -> list[str]:
        first, *rest = self.text[key] or [""]
        return [f"{self.numbers.get(key, '')} {first}".strip(), *rest]

    def endnote_lines(self) -> list[str]:
        return [line for key in self.endnotes for line in self.lines(key)]


def _roman(number: int) -> str:
    numerals = [(1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"),
                (50, "l"), (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")]
    out = ""
    for value, numeral in numerals:
        count, number = divmod(number, value)
        out += numeral * count
    return out


def _docx_blocks(parent, notes: _DocxNotes) -> Iterator[str]:
    """Lines of the paragraphs and tables under parent (body, cell, text box), in
    document order: a paragraph, then the text boxes anchored in it, then its
    footnotes; a table, then the footnotes of its cells."""
    for child in parent.iterchildren():
        if child.tag == _P:
            yield from _text_lines(_paragraph_text(child))
            for box in _text_boxes(child):
                yield from _docx_blocks(box, notes)
            yield from notes.after(child)
        elif child.tag == _TBL:
            yield from _table_lines(_docx_rows(child))
            yield from notes.after(child)
        elif child.tag == _SDT:  # a content control: its content is ordinary text
            content = child.find(_SDT_CONTENT)
            if content is not None:
                yield from _docx_blocks(content, notes)


def _text_boxes(paragraph) -> list:
    """The text boxes anchored in a paragraph, each once (not its VML copy), not those
    inside another box (read with that box)."""
    boxes = []
    for box in paragraph.iter(_TXBX):
        ancestor = box.getparent()
        while ancestor is not None and ancestor is not paragraph:
            if ancestor.tag in (_TXBX, _FALLBACK):
                break
            ancestor = ancestor.getparent()
        else:
            boxes.append(box)
    return boxes


def _paragraph_text(element) -> str:
    """The visible text of a paragraph; python-docx's .text skips tracked insertions."""
    parts = []
    for child in element.iterchildren():
        if child.tag == _R:
            parts.append(child.text)  # CT_R.text: w:t, w:tab → \t, w:br → \n, …
        elif child.tag in _RUN_CONTAINERS:
            parts.append(_paragraph_text(child))
    return "".join(parts)


def _docx_rows(table) -> Iterator[list[str]]:
    """Cells per layout-grid position: a merged cell once, then empty cells. A header of
    two or three rows, as merged cells make it ("Kết quả thực hiện" over "Tháng 11/2025 |
    Lũy kế", "STT" merged down over both), is one row: each column the words above it."""
    rows, spread, merged_down = [], [], []
    for tr in table.tr_lst:
        cells = [""] * tr.grid_before
        over = [""] * tr.grid_before  # the text standing over each grid column
        down = False
        for tc in tr.tc_lst:
            continued = tc.vMerge == "continue"  # under a vertically merged cell
            text = "" if continued else _cell_text(tc)
            down = down or continued
            cells.append(text)
            cells.extend([""] * (tc.grid_span - 1))
            over.extend([text] * tc.grid_span)
        rows.append(cells + [""] * tr.grid_after)
        spread.append(over + [""] * tr.grid_after)
        merged_down.append(down)
    depth = 1
    while depth < min(len(rows), _MAX_HEADER_ROWS) and merged_down[depth]:
        depth += 1
    if depth > 1 and len({len(row) for row in spread[:depth]}) == 1:
        header = [" ".join(part for part in column if part.strip())
                  for column in zip(*spread[:depth], strict=True)]
        rows = [header, *rows[depth:]]
    yield from rows


def _cell_text(tc) -> str:
    lines = []
    for child in tc.iterchildren():
        if child.tag == _P:
            lines.append(_paragraph_text(child))
            lines.extend(_cell_text(box) for box in _text_boxes(child))
        elif child.tag == _TBL:  # a nested table: one line per row
            lines.extend(" | ".join(c for c in row if c.strip()) for row in _docx_rows(child))
        elif child.tag == _SDT and (content := child.find(_SDT_CONTENT)) is not None:
            lines.append(_cell_text(content))
    return "\n".join(lines)


# --- XLSX ----------------------------------------------------------------------------


def _xlsx_text(path: Path) -> str:
    _check_package(path)
    import openpyxl  # lazily: see the imports at the top

    try:
        # Read-only: rows are streamed from the sheet's XML instead of built as objects.
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except _xlsx_errors() as error:
        raise UnreadableDocument(path, _(
            "this is not an Excel .xlsx workbook, or it is damaged (%(error)s). Open it in "
            "Excel and save it again as .xlsx.") % {"error": error}) from error
    lines = []
    try:
        for sheet in workbook.worksheets:
            if sheet.sheet_state == "visible":
                lines.extend(_sheet_lines(path, sheet))
    except _xlsx_errors() as error:
        raise UnreadableDocument(path, _(
            "this is not an Excel .xlsx workbook, or it is damaged (%(error)s). Open it in "
            "Excel and save it again as .xlsx.") % {"error": error}) from error
    finally:
        workbook.close()
    return "\n".join(lines) + "\n"


Row = dict[int, str]  # a sheet's row: the text of its non-empty cells by column number


def _sheet_rows(sheet) -> tuple[list[Row], list[int], list[tuple[int, int, int, int]]]:
    """The rows that hold a value, with one empty row wherever empty rows were; the
    sheet's row number of each (0 for the empty ones); the merged ranges, as (first row,
    first column, last row, last column).

    The sheet's XML is parsed row by row and only cells with a value are kept, so that
    neither its declared dimension (one cell at XFD1048576 makes openpyxl's iter_rows
    fill a billion cells) nor formatted empty cells cost anything. (openpyxl's own
    streaming parser, as ReadOnlyWorksheet._cells_by_row uses it, without the filling.)
    """
    from openpyxl.cell.read_only import ReadOnlyCell
    from openpyxl.utils.cell import range_boundaries
    from openpyxl.worksheet._reader import WorkSheetParser

    workbook = sheet.parent
    rows: list[Row] = []
    numbers: list[int] = []
    last = 0
    with sheet._get_source() as source:
        parser = WorkSheetParser(source, sheet._shared_strings, data_only=True,
                                 epoch=workbook.epoch, date_formats=workbook._date_formats,
                                 timedelta_formats=workbook._timedelta_formats)
        for index, cells in parser.parse():
            row = {cell["column"]: text for cell in cells if cell["value"] is not None
                   if (text := _cell_value(ReadOnlyCell(sheet, **cell))).strip()}
            if not row:
                continue
            if index > last + 1 and rows:
                rows.append({})
                numbers.append(0)
            rows.append(row)
            numbers.append(index)
            last = index
        merged = []
        for cell_range in getattr(parser.merged_cells, "mergeCell", None) or []:
            with contextlib.suppress(ValueError, TypeError):
                low_column, low_row, high_column, high_row = range_boundaries(cell_range.ref)
                merged.append((low_row, low_column, high_row, high_column))
    return rows, numbers, merged


def _sheet_lines(path: Path, sheet) -> list[str]:
    rows, numbers, merged = _sheet_rows(sheet)
    if not rows:
        return []
    lines = [sheet.title, ""]
    for indices, is_table in _blocks(rows):
        block = [rows[index] for index in indices]
        if is_table:
            block = _merged_header(block, [numbers[index] for index in indices], merged)
            lines.extend(_table_lines(_table_cells(path, sheet, block)))
        else:
            lines.extend(line for row in block for _column, value in sorted(row.items())
                         for line in _text_lines(value))
    return lines


_MAX_HEADER_ROWS = 3


def _merged_header(block: list[Row], numbers: list[int],
                   merged: list[tuple[int, int, int, int]]) -> list[Row]:
    """A header of two or three rows, as Excel's merged cells make it ("Kết quả thực hiện"
    over "Tháng 11/2025 | Lũy kế", "STT" merged down over both), as one row: each column
    the words of the cells above it, top first ("Kết quả thực hiện Tháng 11/2025"). Only
    when a cell of the first row is merged down: otherwise the second row is data."""
    first = numbers[0] if numbers else 0
    down = [high_row for low_row, _low_column, high_row, _high_column in merged
            if low_row == first and high_row > low_row]
    if not first or not down:
        return block
    depth = min(max(down) - first + 1, _MAX_HEADER_ROWS, len(block))
    if numbers[:depth] != list(range(first, first + depth)):
        return block  # an empty row inside: not one header
    header: Row = {}
    for offset in range(depth):
        row = dict(block[offset])
        # A cell merged across columns stands over each of them.
        for low_row, low_column, _high_row, high_column in merged:
            if low_row == first + offset and low_column in row:
                for column in range(low_column + 1, high_column + 1):
                    row.setdefault(column, row[low_column])
        for column, text in row.items():
            header[column] = f"{header[column]} {text}" if column in header else text
    return [header, *block[depth:]]


def _blocks(rows: list[Row]) -> Iterator[tuple[list[int], bool]]:
    """Runs of text rows and of table rows, as the indices of their rows: a table starts
    at a row of two or more values and runs to the next empty row; rows of one value
    outside it are text, and so are the header block's (the issuer beside "CỘNG HÒA XÃ
    HỘI CHỦ NGHĨA VIỆT NAM"). The signature block under a table ("NGƯỜI LẬP BIỂU … THỦ
    TRƯỞNG ĐƠN VỊ", "(Ký, ghi rõ họ tên)", "Ninh Bình, ngày 20 tháng 11 năm 2025"), with
    or without an empty row before it, is text to the end of the sheet, not rows."""
    block: list[int] = []
    in_table = signed = tabled = False
    for index, row in enumerate(rows):
        filled = len(row)
        tabled = tabled or in_table  # the place and date above a table are its header's
        signed = signed or (tabled and any(_SIGNATURE.match(fold(v)) for v in row.values()))
        if signed and in_table:
            if block:
                yield block, True
            block, in_table = [], False
        elif not signed and (filled == 0 if in_table else filled >= 2 and not (
                not tabled and any(_HEADER_BLOCK.search(fold(v)) for v in row.values()))):
            if block:
                yield block, in_table
            block, in_table = [], not in_table
        if filled or in_table:
            block.append(index)
    if block:
        yield block, in_table


# The first words of a signature block's cells, folded.
# The header block above the table, the issuer beside the national motto ("UBND TỈNH
# NINH BÌNH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SỞ … | Độc lập - Tự do - Hạnh phúc"):
# text, so that the issuer is read as a document's header block, not as a table's header.
_HEADER_BLOCK = re.compile(r"cong hoa xa hoi chu nghia|doc lap\s*-\s*tu do|^\s*so\s*:")
# The place and date is the whole cell, a place's name without digits: a product cell
# "Công văn số 12/UBND, ngày 5 tháng 3 năm 2025" is data.
_SIGNATURE = re.compile(r"\s*(?:nguoi lap bieu|nguoi lap\b|nguoi tong hop|thu truong don vi|"
                        r"thu truong co quan|(?:kt|tm|tl|q)\.\s|noi nhan\b|"
                        r"\(ky(?:,| ten| ghi| va| duyet)|"
                        r"[^,()\d]{2,30}, ngay\s+\S+\s+thang\s+\S+\s+nam\s+\d{4}\s*$)")


def _table_cells(path: Path, sheet, rows: list[Row]) -> list[list[str]]:
    """The table's rows as lists from its first to its last used column (a formatted
    empty cell does not widen it), refused when its cells alone exceed the line limit."""
    first = min(min(row) for row in rows if row)
    last = max(max(row) for row in rows if row)
    width, limit = last + 1 - first, _limit("IMPORT_MAX_LINES", 200_000)
    if width * len(rows) > limit:
        raise UnreadableDocument(path, _(
            "its sheet “%(sheet)s” holds a table of %(rows)s rows and %(columns)s columns, "
            "more cells than the %(limit)s lines an import reads (GIAMSAT_IMPORT_MAX_LINES)."
        ) % {"sheet": sheet.title, "rows": _count(len(rows)), "columns": _count(width),
             "limit": _count(limit)})
    return [[row.get(column, "") for column in range(first, last + 1)] for row in rows]


_QUOTED = re.compile(r'"[^"]*"|\\.')  # literal text in a number format: 0.0"%" shows a %


def _cell_value(cell) -> str:
    value = cell.value
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int | float):
        if "%" in _QUOTED.sub("", cell.number_format or ""):
            value *= 100
        return _number(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, datetime.time):
        return value.strftime("%H:%M")
    return str(value)


def _number(value: int | float) -> str:
    """49.79 rather than 49.790000000000006; 81400 rather than 81400.0; never 1e-05."""
    if isinstance(value, int):
        return str(value)
    if value.is_integer():
        return str(int(value))
    return format(Decimal(format(value, ".15g")), "f")


# --- PDF -----------------------------------------------------------------------------
#
# pdfplumber (MIT; pdfminer.six underneath) gives characters with their positions and
# finds ruled tables. A page becomes its tables (cell per line) and its other lines in
# reading order, top to bottom; lines are joined back into paragraphs (_Layout); a table
# that runs on at the top of the next page with the same columns is one table: its
# repeated header is dropped, and a first row that is the rest of the row the page break
# cut (_is_cut) is joined to it.


@dataclass
class _PdfLine:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    first_word: float  # width of its first word: would it have fitted on the line above?
    page: int
    page_width: float
    in_margin: bool  # in the top or bottom eighth of the page, where page numbers are


@dataclass
class _PdfTable:
    rows: list[list[str]]
    columns: list[float]  # left edges of the columns, to recognise it on the next page
    page: int
    first: bool  # the first thing on its page
    last: bool  # the last thing on its page


_MAX_STROKES = 5_000
_BULLET = re.compile(r"^(?:[-+•–*]\s|\(?[a-zđ]\)\s|\d{1,2}(?:\.\d{1,2})*[.)]\s)")


def _pdf_text(path: Path) -> str:
    import pdfplumber  # lazily: see the imports at the top

    try:
        pdf = pdfplumber.open(path, unicode_norm="NFC")
    except Exception as error:  # pdfplumber wraps every pdfminer error in one type
        raise UnreadableDocument(path, _pdf_refusal(error)) from error
    with pdf:
        _check_pages(path, pdf)
        pages, chars = [], 0
        try:
            for page in pdf.pages:
                chars += len(page.chars)
                pages.append(_page_items(page, len(pages)))
                page.close()  # pdfplumber caches every object of a page otherwise
        except Exception as error:
            raise UnreadableDocument(path, _pdf_refusal(error)) from error
    if not chars:
        raise UnreadableDocument(path, _(
            "the PDF holds no text, only images: it is a scan. It needs OCR (text "
            "recognition) first, or the original .docx."))
    return "\n".join(_pdf_lines(pages)) + "\n"


def _pdf_refusal(error: Exception) -> str:
    from pdfminer.pdfdocument import PDFPasswordIncorrect

    cause = error.args[0] if error.args and isinstance(error.args[0], Exception) else error
    if isinstance(cause, PDFPasswordIncorrect):
        return _("the PDF is protected by a password. Open it and save it again without "
                 "the password, or send the original .docx.")
    if "encrypt" in type(cause).__name__.lower() or "encrypt" in str(cause).lower():
        return _("the PDF is encrypted in a way that cannot be read (%(error)s). Save it "
                 "again without protection, or send the original .docx.") % {"error": cause}
    return _("this is not a PDF, or it is damaged (%(error)s). Save it again as PDF, or "
             "send the original .docx.") % {"error": cause}


def _check_pages(path: Path, pdf) -> None:
    """The page limit, from the page tree's own count before any page is read."""
    from pdfminer.pdftypes import resolve1

    limit = _limit("IMPORT_MAX_PDF_PAGES", 500)
    try:
        count = int(resolve1(resolve1(pdf.doc.catalog["Pages"])["Count"]))
    except Exception:  # no usable count: pdfplumber will list the pages itself
        count = len(pdf.pages)
    if count > limit:
        raise UnreadableDocument(path, _(
            "the PDF has %(pages)s pages; an import reads at most %(limit)s "
            "(GIAMSAT_IMPORT_MAX_PDF_PAGES). Split the document into smaller files.")
            % {"pages": _count(count), "limit": _count(limit)})


def _page_items(page, number: int) -> list:
    """The page's tables and lines outside them, top to bottom."""
    # A chart or map of thousands of strokes is no table, and would take minutes to try.
    strokes = len(page.lines) + len(page.rects)
    tables = [] if strokes > _MAX_STROKES else [
        table for table in page.find_tables() if len(table.columns) >= 2]
    boxes = [table.bbox for table in tables]

    def outside(obj) -> bool:
        if obj.get("object_type") != "char":
            return True
        x, y = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(x0 <= x <= x1 and top <= y <= bottom for x0, top, x1, bottom in boxes)

    text = page.filter(outside) if boxes else page
    margin = page.height / 8
    items: list[tuple[float, object]] = []
    for line in text.extract_text_lines(return_chars=True, strip=True):
        if not line["text"].strip():
            continue
        items.append((line["top"], _PdfLine(
            text=line["text"], x0=line["x0"], x1=line["x1"], top=line["top"],
            bottom=line["bottom"], first_word=_first_word(line["chars"]) - line["x0"],
            page=number, page_width=page.width,
            in_margin=line["bottom"] < margin or line["top"] > page.height - margin)))
    for table in tables:
        rows = [[_join_wrapped((cell or "").split("\n")) for cell in row]
                for row in table.extract()]
        columns = [round(cell.bbox[0], 1) for cell in table.columns]
        items.append((table.bbox[1], _PdfTable(rows, columns, number, False, False)))
    items.sort(key=lambda item: item[0])
    return [item for _top, item in items]


def _without_furniture(pages: list[list]) -> list[list]:
    """Pages without their page numbers and running headers and footers (the same text
    first or last on a third of the pages or more, at least 3), so that a table or a
    paragraph is seen to go on from one page to the next; then which table is the
    first or last thing on its page."""
    from giamsat.lib.text import clean as clean_text

    def furniture(items: list) -> list[str]:
        ends = [items[0], items[-1]] if items else []
        return [clean_text(item.text) for item in ends
                if isinstance(item, _PdfLine) and item.in_margin]

    counts = collections.Counter(text for items in pages for text in set(furniture(items)))
    running = {text for text, count in counts.items()
               if count >= 3 and count * 3 >= len(pages)}
    kept = []
    for items in pages:
        ends = {id(item) for item in (items[:1] + items[-1:])}
        items = [item for item in items if not (
            isinstance(item, _PdfLine) and item.in_margin
            and (_is_page_number(item.text)
                 or (id(item) in ends and clean_text(item.text) in running)))]
        for table, at in ((items[:1], "first"), (items[-1:], "last")):
            if table and isinstance(table[0], _PdfTable):
                setattr(table[0], at, True)
        kept.append(items)
    return kept


def _first_word(chars: list[dict]) -> float:
    """Where the first word of a line ends (a space, or a gap between characters)."""
    end = chars[0]["x1"] if chars else 0.0
    for previous, char in itertools.pairwise(chars):
        if char["text"].isspace() or char["x0"] - previous["x1"] > 1.5:
            break
        end = char["x1"]
    return end


def _pdf_lines(pages: list[list]) -> Iterator[str]:
    """Paragraphs one per line, a blank line where the page has an empty paragraph's
    space, tables cell per line; a table continued on the next page joined."""
    pages = _without_furniture(pages)
    lines = [item for items in pages for item in items if isinstance(item, _PdfLine)]
    layout = _Layout(lines)
    paragraph: list[str] = []
    previous: _PdfLine | None = None
    table: _PdfTable | None = None
    for item in (item for items in pages for item in items):
        if isinstance(item, _PdfTable):
            if paragraph:
                yield _paragraph(paragraph)
                paragraph = []
            if table is not None and _continues(table, item):
                _join_tables(table, item)
            else:
                if table is not None:
                    yield from _table_lines(table.rows)
                table = item
            previous = None
            continue
        if table is not None:
            yield from _table_lines(table.rows)
            table = None
        if previous is None or layout.new_paragraph(previous, item):
            if paragraph:
                yield _paragraph(paragraph)
            if previous is not None and layout.blank_between(previous, item):
                yield ""
            paragraph = []
        paragraph.append(_text_lines(item.text)[0])
        previous = item
    if paragraph:
        yield _paragraph(paragraph)
    if table is not None:
        yield from _table_lines(table.rows)


def _paragraph(lines: list[str]) -> str:
    return _join_wrapped(lines).replace("\n", " ")


def _is_page_number(text: str) -> bool:
    from giamsat.ingest.prose.toolkit import is_page_number

    return is_page_number(text)


class _Layout:
    """What a paragraph break looks like in this document, measured on its lines."""

    def __init__(self, lines: list[_PdfLine]):
        # The right edge of the text, per page width (portrait and landscape pages).
        self.right: dict[int, float] = {}
        for line in lines:
            width = round(line.page_width)
            self.right[width] = max(self.right.get(width, 0.0), line.x1)
        gaps = sorted(b.top - a.bottom for a, b in itertools.pairwise(lines)
                      if a.page == b.page and b.top >= a.bottom - 1)
        # Justified text: a line that goes on in the next one reaches the right edge, so
        # a line short of it ends its paragraph. Ragged text seldom reaches the edge.
        at_edge = sum(line.x1 >= self.right[round(line.page_width)] - 1 for line in lines)
        self.justified = len(lines) >= 10 and at_edge >= 0.3 * len(lines)
        heights = sorted(line.bottom - line.top for line in lines) or [10.0]
        self.height = heights[len(heights) // 2]
        # The gap between the lines of one paragraph is the smallest common one: a gap
        # clearly wider is paragraph spacing, one wider by a line is an empty paragraph.
        inside = _smallest_common(gaps)
        self.paragraph_gap = inside + 0.25 * self.height
        self.blank_gap = inside + 0.9 * self.height
        # Paragraphs set apart by empty ones on the page are so across a page break too.
        breaks = [self.blank_between(a, b) for a, b in itertools.pairwise(lines)
                  if a.page == b.page and self.new_paragraph(a, b)]
        self.blank_style = len(breaks) >= 4 and sum(breaks) * 2 >= len(breaks)

    def new_paragraph(self, previous: _PdfLine, line: _PdfLine) -> bool:
        if previous.page == line.page and line.top - previous.bottom > self.paragraph_gap:
            return True
        if _BULLET.match(line.text):
            return True
        right = self.right.get(round(previous.page_width), previous.x1)
        if self.justified:
            return previous.x1 < right - 2
        # The line above ended early although this line's first word would have fitted.
        space = 0.3 * self.height
        return previous.x1 + space + line.first_word < right - 1

    def blank_between(self, previous: _PdfLine, line: _PdfLine) -> bool:
        if previous.page != line.page:
            return self.blank_style
        return line.top - previous.bottom > self.blank_gap


def _smallest_common(gaps: list[float], tolerance: float = 1.0, count: int = 3) -> float:
    """The smallest gap that occurs at least `count` times (within `tolerance`) in sorted
    gaps: a stray superscript or overlap is not the document's line spacing."""
    for index, gap in enumerate(gaps):
        if index + count <= len(gaps) and gaps[index + count - 1] - gap <= tolerance:
            return gap
    return gaps[0] if gaps else 0.0


def _continues(table: _PdfTable, following: _PdfTable) -> bool:
    """The same table going on at the top of the next page: same columns."""
    return (table.last and following.first and following.page == table.page + 1
            and len(table.columns) == len(following.columns)
            and all(abs(a - b) < 3 for a, b in zip(table.columns, following.columns,
                                                    strict=True)))


def _join_tables(table: _PdfTable, following: _PdfTable) -> None:
    rows = following.rows
    # The header repeated on the new page (one row or several).
    repeated = 0
    while (repeated < len(rows) and repeated < len(table.rows)
           and _same_row(rows[repeated], table.rows[repeated])):
        repeated += 1
    rows = rows[repeated:]
    others = [*table.rows[repeated or 1:], *rows[1:]]  # neither header nor the candidate
    if rows and table.rows and _is_cut(table.rows[-1], rows[0], others):
        cut, rest = table.rows[-1], rows.pop(0)
        for index, cell in enumerate(rest):
            if cell.strip() and index < len(cut):
                cut[index] = _join_wrapped([cut[index], cell]) if cut[index].strip() else cell
    table.rows.extend(rows)
    table.page, table.last = following.page, following.last


def _is_cut(cut: list[str], rest: list[str], others: list[list[str]]) -> bool:
    """Is rest, the first row on a page, the rest of the row the page break cut (the row
    above it, `cut`)? `others` are the table's other rows, to learn what its rows are like.

    Not when rest has a number of its own; yes when every other row has one, when a cell
    was broken after a hyphen, or when half its cells or more go on in lower case, mid-
    sentence. Otherwise, in a table whose rows have no numbers (tasks under numbered
    group rows), a new row fills the columns that nearly every such row fills (the task,
    its lead agency, its deadline): when rest leaves one of them empty, the short cell
    ended above and rest is the cut row going on. Too few rows to tell: cut when it
    goes on in the one column the row above filled.
    """
    if rest[0].strip():
        return False
    if all(row[0].strip() for row in others):
        return True
    pairs = [(above.strip(), below.strip()) for above, below in zip(cut, rest, strict=False)
             if above.strip() and below.strip()]
    if any(_BROKEN_AT_HYPHEN.search(above) for above, _below in pairs):
        return True
    letters = [below[0] for _above, below in pairs if below[0].isalpha()]
    if letters and sum(letter.islower() for letter in letters) * 2 >= len(letters):
        return True  # half its cells or more go on mid-sentence
    filled = {index for index, cell in enumerate(rest) if cell.strip()}
    typical = _typical_columns([row for row in others if not row[0].strip()])
    if len(typical) >= 2:
        return not typical <= filled
    return len(filled) == 1 and len(pairs) == 1


def _typical_columns(rows: list[list[str]]) -> set[int]:
    """The columns filled in nearly every one of rows (at least 3 of them)."""
    if len(rows) < 3:
        return set()
    counts = collections.Counter(i for row in rows for i, cell in enumerate(row) if cell.strip())
    return {index for index, count in counts.items() if count >= 0.9 * len(rows)}


# A line that ends in a hyphen inside a word ("57-" / "NQ/TW"): the layout broke it there.
_BROKEN_AT_HYPHEN = re.compile(r"\w-$")


def _join_wrapped(lines: list[str]) -> str:
    """Lines of a cell, one per line, but those the layout broke after a hyphen."""
    joined: list[str] = []
    for line in lines:
        if joined and _BROKEN_AT_HYPHEN.search(joined[-1]) and line[:1].isalnum():
            joined[-1] += line
        else:
            joined.append(line)
    return "\n".join(joined)


def _same_row(a: list[str], b: list[str]) -> bool:
    return [" ".join(c.split()) for c in a] == [" ".join(c.split()) for c in b]


# --- formats LibreOffice converts ----------------------------------------------------


def _soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def _converted_text(path: Path, target: str, kind: str) -> str:
    """Convert with LibreOffice headless to .docx/.xlsx, then read that like any other.
    Each conversion has its own LibreOffice profile, so that conversions at once (the
    web page's jobs, the command line) do not wait for or break each other."""
    _check_converted(path, kind)
    program = _soffice()
    if program is None:
        raise UnreadableDocument(path, _no_libreoffice(kind))
    with tempfile.TemporaryDirectory(prefix="giamsat-convert-") as folder:
        work = Path(folder)
        # A plain name: LibreOffice names its output after its input.
        source = work / f"document{path.suffix.lower()}"
        try:
            shutil.copyfile(path, source)
        except OSError as error:
            raise UnreadableDocument(path, error.strerror or str(error)) from error
        output = _run_soffice(path, program, work, source, target, kind)
        try:
            return _docx_text(output) if target == "docx" else _xlsx_text(output)
        except UnreadableDocument as error:  # about the converted copy: say it of the file
            raise UnreadableDocument(path, error.reason) from error


def _no_libreoffice(kind: str) -> str:
    return _("%(kind)s files are read by converting them with LibreOffice, which is not "
             "installed here (apt-get install libreoffice-writer-nogui "
             "libreoffice-calc-nogui). Or open the file and save it as .docx or .xlsx."
             ) % {"kind": kind}


_RTF = b"{\\rtf"
# What each converted format begins with (a .doc is often RTF under that name). A file
# LibreOffice does not recognise it opens as plain text, so anything else is refused.
_CONVERTED_MAGIC = {".doc": (_OLE, _RTF), ".xls": (_OLE,), ".rtf": (_RTF,),
                    ".odt": (_ZIP,), ".ods": (_ZIP,)}
# A compound file is at least its header, one allocation sector and one directory sector.
_OLE_MINIMUM = 3 * 512


def _check_converted(path: Path, kind: str) -> None:
    head = _read_bytes(path, _OLE_MINIMUM)
    magic = next((m for m in _CONVERTED_MAGIC[path.suffix.lower()] if head.startswith(m)), None)
    if magic is None or (magic == _OLE and len(head) < _OLE_MINIMUM):
        raise UnreadableDocument(path, _(
            "this is not a %(kind)s file, or it is damaged. Open it and save it as .docx or "
            ".xlsx.") % {"kind": kind})


def _run_soffice(path: Path, program: str, work: Path, source: Path, target: str,
                 kind: str) -> Path:
    timeout = _limit("IMPORT_CONVERT_TIMEOUT", 120)
    command = [program, f"-env:UserInstallation={(work / 'profile').as_uri()}", "--headless",
               "--norestore", "--nolockcheck", "--convert-to", target,
               "--outdir", str(work / "out"), str(source)]
    # A session of its own, so that a timeout ends LibreOffice and every process it started.
    process = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, start_new_session=True)
    try:
        log, _unused = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as error:
        with contextlib.suppress(ProcessLookupError):  # it ended by itself meanwhile
            os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise UnreadableDocument(path, _(
            "LibreOffice did not finish converting it in %(seconds)s seconds "
            "(GIAMSAT_IMPORT_CONVERT_TIMEOUT). Open it and save it as .docx or .xlsx.")
            % {"seconds": timeout}) from error
    output = work / "out" / f"{source.stem}.{target}"
    if b"no export filter" in log:  # Writer without Calc, or the other way round
        raise UnreadableDocument(path, _no_libreoffice(kind))
    if process.returncode != 0 or not output.exists():
        # LibreOffice's own words, without its warnings (javaldx, …) or our folder.
        said = [line for line in log.decode("utf-8", "replace").splitlines()
                if line.strip() and not line.startswith("Warning:")]
        detail = " ".join(said).replace(str(work), "")[-300:]
        raise UnreadableDocument(path, _(
            "LibreOffice could not convert this %(kind)s file: it may be damaged or "
            "protected by a password (%(detail)s). Open it and save it as .docx or .xlsx.")
            % {"kind": kind, "detail": detail or process.returncode})
    return output
