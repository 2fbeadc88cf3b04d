"""One entry point for every format: render(report, "docx" | "xlsx" | "pdf") → bytes."""

from giamsat.reports.document import Report
from giamsat.reports.excel import render_xlsx
from giamsat.reports.pdf import docx_to_pdf
from giamsat.reports.word import render_docx

FORMATS = {
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",
             "docx"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "pdf": ("application/pdf", "pdf"),
}


def render(report: Report, fmt: str) -> bytes:
    if fmt == "docx":
        return render_docx(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "pdf":
        return docx_to_pdf(render_docx(report))
    raise ValueError(f"unknown format {fmt!r}; one of {', '.join(FORMATS)}")
