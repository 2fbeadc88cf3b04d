"""The report as PDF: the DOCX converted by LibreOffice running headless.

LibreOffice draws Times New Roman with Liberation Serif (Debian fonts-liberation2,
metric-compatible and complete for Vietnamese). Each conversion gets its own LibreOffice
profile, so that two conversions at once do not block each other.
"""

import shutil
import subprocess
import tempfile
from pathlib import Path

from django.utils.translation import gettext as _

TIMEOUT_SECONDS = 180


class PdfUnavailable(Exception):
    """PDF cannot be made here; str() says why and what to install."""


def soffice() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def docx_to_pdf(docx: bytes) -> bytes:
    program = soffice()
    if program is None:
        raise PdfUnavailable(_("PDF needs LibreOffice: apt-get install libreoffice-writer-nogui "
                               "fonts-liberation2. DOCX and XLSX work without it."))
    with tempfile.TemporaryDirectory(prefix="giamsat-pdf-") as folder:
        work = Path(folder)
        source = work / "report.docx"
        source.write_bytes(docx)
        command = [program, f"-env:UserInstallation=file://{work / 'profile'}", "--headless",
                   "--norestore", "--convert-to", "pdf", "--outdir", str(work), str(source)]
        try:
            result = subprocess.run(command, capture_output=True, text=True,
                                    timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired as error:
            raise PdfUnavailable(_("LibreOffice did not finish the PDF in %(s)s seconds.")
                                 % {"s": TIMEOUT_SECONDS}) from error
        target = work / "report.pdf"
        if result.returncode != 0 or not target.exists():
            raise PdfUnavailable(_("LibreOffice could not make the PDF: %(error)s")
                                 % {"error": (result.stderr or result.stdout).strip()[:500]})
        return target.read_bytes()
