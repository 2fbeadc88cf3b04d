"""The report's tables as an Excel workbook: one sheet per table, ready to filter.

Each sheet starts with the report's title and the table's own title, then a bold header
row with a fill, frozen below the header, with an autofilter and widths to fit the text.
"""

import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side
from openpyxl.utils import get_column_letter

from giamsat.lib import cells
from giamsat.reports import formats as f
from giamsat.reports.document import Report, Table

HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
GROUP_FILL = PatternFill("solid", fgColor="F2F2F2")
THIN = Side(style="thin", color="999999")
BORDER = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
INVALID = set('[]:*?/\\')
# A body cell's border and wrapping as one named style: setting cell.border and
# cell.alignment hashes both style objects for every cell, which at national scale (60,000
# cells in a half-year report) was most of the workbook's time.
BODY = "Ô bảng báo cáo"


def _body_style() -> NamedStyle:
    return NamedStyle(name=BODY, border=BORDER,
                      alignment=Alignment(wrap_text=True, vertical="top"))


def tables_of(report: Report) -> list[tuple[str, Table]]:
    """(sheet title, table) for every table of the body and the appendices."""
    found = []
    for block in report.blocks:
        if isinstance(block, Table):
            found.append((block.title or block.sheet, block))
    for appendix in report.appendices:
        for table in appendix.tables():
            found.append((f"Phụ lục {appendix.number}: {appendix.title}", table))
    return found


def render_xlsx(report: Report) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    workbook.add_named_style(_body_style())
    used = set()
    for title, table in tables_of(report):
        name = _sheet_name(table.sheet or title, used)
        sheet = workbook.create_sheet(name)
        cells.put(sheet["A1"], f"BÁO CÁO {report.title.upper()}").font = Font(bold=True,
                                                                               size=13)
        cells.put(sheet["A2"], title).font = Font(bold=True)
        cells.put(sheet["A3"], f"{report.issuer} — {f.place_and_date(report.place, report.date)}"
                  ).font = Font(italic=True)
        header_row = 5
        for column, text in enumerate(table.columns, 1):
            cell = cells.put(sheet.cell(header_row, column), text)
            cell.font, cell.fill, cell.border = Font(bold=True), HEADER_FILL, BORDER
            cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        for offset, values in enumerate(table.rows, 1):
            row = header_row + offset
            if offset - 1 in table.group_rows:
                cell = cells.put(sheet.cell(row, 1), values[0])
                cell.font, cell.fill = Font(bold=True), GROUP_FILL
                sheet.merge_cells(start_row=row, start_column=1, end_row=row,
                                  end_column=len(table.columns))
                continue
            for column, text in enumerate(values, 1):
                cell = sheet.cell(row, column)
                cell.style = BODY  # before put(), which may add the quote prefix
                cells.put(cell, _value(text))
        last = header_row + len(table.rows)
        first_free = get_column_letter(3 if len(table.columns) > 2 else 1)
        sheet.freeze_panes = f"{first_free}{header_row + 1}"
        sheet.auto_filter.ref = (f"A{header_row}:{get_column_letter(len(table.columns))}"
                                 f"{max(last, header_row + 1)}")
        for column, name_ in enumerate(table.columns, 1):
            longest = max([len(str(name_))] + [len(str(r[column - 1])) for r in table.rows
                                               if len(r) >= column] or [10])
            sheet.column_dimensions[get_column_letter(column)].width = min(60, max(6, longest
                                                                              * 0.9 + 2))
    if not workbook.sheetnames:
        cells.put(workbook.create_sheet("Báo cáo")["A1"], report.title)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _value(text):
    """Counts stay numbers in Excel; everything else is text as the report writes it."""
    text = str(text)
    return int(text) if text.isdigit() and len(text) < 12 else text


def _sheet_name(title: str, used: set) -> str:
    name = "".join("-" if ch in INVALID else ch for ch in title)[:31].strip() or "Bảng"
    base, n = name, 2
    while name in used:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    used.add(name)
    return name
