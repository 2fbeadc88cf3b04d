"""One entry point for every format: render(report, "docx" | "xlsx" | "pdf") → bytes.

The renderers (python-docx, openpyxl) are imported when a report is written: a command
or a page that only names the formats does not pay for them.
"""

from giamsat.reports.document import Report

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def render(report: Report, fmt: str) -> bytes:
    from giamsat.reports.excel import render_xlsx
    from giamsat.reports.pdf import docx_to_pdf
    from giamsat.reports.word import render_docx

    if fmt == "docx":
        return render_docx(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "pdf":
        return docx_to_pdf(render_docx(report))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
