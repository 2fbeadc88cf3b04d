"""The report as a Word document in the layout of Decree 30/2020/NĐ-CP.

A4, Times New Roman, margins top and bottom 20 mm, left 30 mm, right 15 mm; the header
block (issuing agency left, national motto right, number and place-date on the next
line), "BÁO CÁO" and its summary line, the body at 14 pt justified with a first-line
indent, "Nơi nhận" and the signature block, page numbers centred in the top margin from
page 2, and each appendix on a landscape section with its own heading.
"""

import io
import re

from docx import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

from giamsat.reports import formats as f
from giamsat.reports.document import Chart, Paragraph, Report, Table
from giamsat.reports.word_rows import RowWriter, append_rows

FONT = "Times New Roman"
BODY_PT = 14
TABLE_PT = 12
CELL_SPACE_AFTER_PT = 2
A4 = (Cm(21), Cm(29.7))


def render_docx(report: Report) -> bytes:
    document = Document()
    _styles(document)
    section = document.sections[0]
    _page(section, landscape=False)
    section.different_first_page_header_footer = True  # no number on page 1
    _page_number(section)
    _header_block(document, report)
    _title(document, report)
    for block in report.blocks:
        _block(document, block, portrait=True)
    _signature(document, report)
    for appendix in report.appendices:
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _page(section, landscape=appendix.landscape)
        section.different_first_page_header_footer = False
        _paragraph(document, f"Phụ lục {appendix.number}", bold=True, size=14,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        _paragraph(document, appendix.title.upper(), bold=True, size=14,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)
        for block in appendix.blocks:
            _block(document, block, portrait=not appendix.landscape)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _styles(document) -> None:
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(BODY_PT)
    # Word takes the font of Vietnamese text from the East Asian and complex slots too.
    fonts = normal.element.rPr.rFonts
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), FONT)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15


def _page(section, landscape: bool) -> None:
    width, height = A4
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = (height, width) if landscape else (width, height)
    if landscape:  # the binding edge stays on the left of the portrait pages
        section.top_margin, section.bottom_margin = Cm(3), Cm(1.5)
        section.left_margin, section.right_margin = Cm(2), Cm(2)
    else:
        section.top_margin, section.bottom_margin = Cm(2), Cm(2)
        section.left_margin, section.right_margin = Cm(3), Cm(1.5)
    section.header_distance = Cm(1)


def _page_number(section) -> None:
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run()
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._r.append(element)
    run.font.size = Pt(13)


def _paragraph(container, text: str, *, bold=False, italic=False, size=BODY_PT,
               align=WD_ALIGN_PARAGRAPH.JUSTIFY, indent=True, space_after=6, underline=False):
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.first_line_indent = Cm(1.27) if indent else Cm(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline = bold, italic, underline
    run.font.size = Pt(size)
    return paragraph


def _rule(container, width_cm: float, available_cm: float) -> None:
    """A short solid line, centred: an empty paragraph's bottom border between indents."""
    paragraph = container.add_paragraph()
    fmt = paragraph.paragraph_format
    fmt.left_indent = fmt.right_indent = Cm(max(0.0, (available_cm - width_cm) / 2))
    fmt.space_before, fmt.space_after = Pt(0), Pt(6)
    fmt.first_line_indent = Cm(0)
    fmt.line_spacing = Pt(4)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for key, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"),
                       ("w:color", "000000")):
        bottom.set(qn(key), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)


def _borderless(table) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


HEADER_WIDTHS = (7.2, 9.3)  # the agency's column and the motto's, in centimetres
# Capitals at 13 pt bold: about this many fit on one line of the agency's column.
ISSUER_LINE_CHARS = 22


# Words a clerk starts the second line with: "… / VÀ CÔNG NGHỆ", "ỦY BAN NHÂN DÂN / TỈNH …".
ISSUER_BREAKS = ("VÀ", "TỈNH", "THÀNH")


def issuer_lines(name: str, width: int = ISSUER_LINE_CHARS) -> list[str]:
    """The agency's name on the lines a clerk would break it into: whole when it fits,
    else before the last of ISSUER_BREAKS that leaves both lines short enough, else at
    the space nearest the middle, so that Word never breaks it inside a phrase
    ("… VÀ CÔNG / NGHỆ")."""
    name = " ".join(name.split())
    if len(name) <= width:
        return [name]
    words = name.split(" ")

    def fits(i: int) -> bool:
        return max(len(" ".join(words[:i])), len(" ".join(words[i:]))) <= width

    preferred = [i for i in range(1, len(words)) if words[i].upper() in ISSUER_BREAKS and fits(i)]
    if preferred:
        cut = preferred[-1]
    else:
        half = len(name) / 2
        cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - half))
    return [" ".join(words[:cut]), " ".join(words[cut:])]


def _issuer_runs(paragraph, name: str, bold: bool) -> None:
    """The name in one paragraph, its lines separated by line breaks."""
    for number, line in enumerate(issuer_lines(name)):
        if number:
            paragraph.runs[-1].add_break()
        run = paragraph.add_run(line)
        run.bold, run.font.size = bold, Pt(13)


def _header_block(document, report: Report) -> None:
    table = document.add_table(rows=2, cols=2)
    _borderless(table)
    _widths(table, [Cm(w) for w in HEADER_WIDTHS])
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    left, right = table.rows[0].cells
    left.paragraphs[0].text = ""
    center = WD_ALIGN_PARAGRAPH.CENTER
    first = left.paragraphs[0]
    if report.parent:
        first.alignment = center
        _issuer_runs(first, report.parent, bold=False)
        second = _paragraph(left, "", bold=True, size=13, align=center, indent=False,
                            space_after=0)
        _issuer_runs(second, report.issuer, bold=True)
    else:
        first.alignment = center
        _issuer_runs(first, report.issuer, bold=True)
    _rule(left, 2.2, HEADER_WIDTHS[0])
    motto = right.paragraphs[0]
    motto.alignment = center
    run = motto.add_run("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
    run.bold, run.font.size = True, Pt(12)
    _paragraph(right, "Độc lập - Tự do - Hạnh phúc", bold=True, size=13, align=center,
               indent=False, space_after=0)
    _rule(right, 6.3, HEADER_WIDTHS[1])
    number, place = table.rows[1].cells
    number.paragraphs[0].alignment = center
    number.paragraphs[0].add_run(report.number_line).font.size = Pt(13)
    place.paragraphs[0].alignment = center
    run = place.paragraphs[0].add_run(f.place_and_date(report.place, report.date))
    run.italic, run.font.size = True, Pt(13)


def _title(document, report: Report) -> None:
    center = WD_ALIGN_PARAGRAPH.CENTER
    title = _paragraph(document, "BÁO CÁO", bold=True, size=14, align=center, indent=False,
                       space_after=0)
    title.paragraph_format.space_before = Pt(18)
    _paragraph(document, report.title, bold=True, size=14, align=center, indent=False,
               space_after=0)
    _rule(document, 3, 16.5)


def _block(document, block, portrait: bool) -> None:
    if isinstance(block, Paragraph):
        if block.style == "heading1":
            _paragraph(document, block.text, bold=True, indent=True)
        elif block.style == "heading2":
            _paragraph(document, block.text, bold=True, italic=False, indent=True)
        elif block.style == "note":
            _paragraph(document, block.text, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER,
                       indent=False)
        else:
            _paragraph(document, block.text, bold=block.bold, italic=block.italic)
    elif isinstance(block, Table):
        _table(document, block, portrait)
    elif isinstance(block, Chart):
        paragraph = document.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        paragraph.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        _paragraph(document, block.caption, italic=True, size=12,
                   align=WD_ALIGN_PARAGRAPH.CENTER, indent=False)


def _table(document, table: Table, portrait: bool) -> None:
    if table.title:
        _paragraph(document, table.title, bold=True, size=13, align=WD_ALIGN_PARAGRAPH.CENTER,
                   indent=False)
    grid = document.add_table(rows=1, cols=len(table.columns))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    available = 16.5 if portrait else 25.7
    widths = unbroken_widths(table, available)
    widths = [Cm(w) for w in widths]
    _widths(grid, widths)
    centred = [name in ("TT", "STT") for name in table.columns]
    header = grid.rows[0]
    _repeat_header(header)
    for cell, text, width in zip(header.cells, table.columns, widths, strict=True):
        _cell(cell, text, bold=True, center=True)
        cell.width = width
    # The body as XML in one go (word_rows.py): python-docx's calls per row and per cell
    # cost minutes on an appendix of thousands of tasks.
    writer = RowWriter(widths, space_after=Pt(CELL_SPACE_AFTER_PT), size=Pt(TABLE_PT))
    append_rows(grid._tbl, [
        writer.group_row(values[0]) if index in table.group_rows else
        writer.row(values, [centred[column] or _numeric(str(text))
                            for column, text in enumerate(values)])
        for index, values in enumerate(table.rows)])
    document.add_paragraph().paragraph_format.space_after = Pt(0)


# A date ("31/12/2025"), a percentage ("40,1%") or a number is never broken inside a
# cell: its column is made wide enough for the longest of them, at the table's type size.
UNBREAKABLE = re.compile(r"\d{1,2}/\d{1,2}/\d{4}|\d+/\d{4}|[\d.]+(?:,\d+)?\s?%|[\d.,]+")
CM_PER_CHARACTER = 0.21  # a digit of Times New Roman at 11-12 pt, with a little to spare
CELL_PADDING_CM = 0.45


def unbroken_widths(table: Table, available: float) -> list[float]:
    """The columns' widths (cm) scaled to the page, widening any column whose dates or
    percentages would not fit, at the expense of the text columns."""
    widths = table.widths or [available / len(table.columns)] * len(table.columns)
    scale = min(1.0, available / sum(widths))
    widths = [w * scale for w in widths]
    needed = [0.0] * len(widths)
    for row in table.data_rows:
        for column, text in enumerate(row):
            for token in UNBREAKABLE.findall(str(text)):
                needed[column] = max(needed[column],
                                     len(token) * CM_PER_CHARACTER + CELL_PADDING_CM)
    missing = sum(max(0.0, n - w) for n, w in zip(needed, widths, strict=True))
    if missing <= 0:
        return widths
    widths = [max(w, n) for w, n in zip(widths, needed, strict=True)]
    # Take the width from the columns that have text to spare, in proportion.
    spare = [max(0.0, w - max(n, 2.0)) for w, n in zip(widths, needed, strict=True)]
    total = sum(spare)
    if total <= 0:
        return widths
    take = min(missing, total)
    return [w - take * sp / total for w, sp in zip(widths, spare, strict=True)]


def _widths(table, widths) -> None:
    """Column widths as Word and LibreOffice both read them: the grid and every cell."""
    table.autofit = False
    for column, width in zip(table._tbl.tblGrid.gridCol_lst, widths, strict=True):
        column.w = width
    for row in table.rows:
        for cell, width in zip(row.cells, widths, strict=False):
            cell.width = width


def _numeric(text: str) -> bool:
    """A count, a percentage, or a change with its sign ("+0,22", "-5,67")."""
    stripped = text.replace(".", "").replace(",", "").replace("%", "").strip()
    return bool(stripped) and stripped.lstrip("+-").isdigit()


def _cell(cell, text: str, bold=False, center=False) -> None:
    paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER if center else WD_ALIGN_PARAGRAPH.LEFT
    paragraph.paragraph_format.space_after = Pt(CELL_SPACE_AFTER_PT)
    paragraph.paragraph_format.first_line_indent = Cm(0)
    lines = str(text).split("\n")
    for i, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold = bold
        run.font.size = Pt(TABLE_PT)
        if i < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _repeat_header(row) -> None:
    """The header row repeats on every page a long table runs across."""
    properties = row._tr.get_or_add_trPr()
    element = OxmlElement("w:tblHeader")
    element.set(qn("w:val"), "true")
    properties.append(element)


def _signature(document, report: Report) -> None:
    document.add_paragraph()
    table = document.add_table(rows=1, cols=2)
    _borderless(table)
    _widths(table, [Cm(9), Cm(7.5)])
    left, right = table.rows[0].cells
    first = left.paragraphs[0]
    run = first.add_run("Nơi nhận:")
    run.bold, run.italic, run.font.size = True, True, Pt(12)
    lines = [*report.recipients, report.archive]
    for line in lines:
        _paragraph(left, f"- {line}", size=11, align=WD_ALIGN_PARAGRAPH.LEFT, indent=False,
                   space_after=0)
    center = WD_ALIGN_PARAGRAPH.CENTER
    right.paragraphs[0].alignment = center
    run = right.paragraphs[0].add_run(report.signer_title[0])
    run.bold, run.font.size = True, Pt(14)
    for line in report.signer_title[1:]:
        _paragraph(right, line, bold=True, size=14, align=center, indent=False, space_after=0)
    for _ in range(4):
        _paragraph(right, "", size=14, align=center, indent=False, space_after=0)
    _paragraph(right, report.signer_name or "", bold=True, size=14, align=center,
               indent=False)
