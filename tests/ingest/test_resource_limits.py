"""What reading one document may cost: bombs are refused before the work, quickly, with a
message that says why and names the file only (never the server's path)."""

import os
import subprocess
import sys
import time
import tracemalloc
import zipfile

import docx
import openpyxl
import pytest
from django.utils import translation

from giamsat.ingest.sources import UnreadableDocument, read_document

# Generous: each refusal takes milliseconds; the machine is shared.
SECONDS = 5


def _refused(path, *fragments: str) -> UnreadableDocument:
    started = time.monotonic()
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert time.monotonic() - started < SECONDS
    message = str(error.value)
    assert path.name in message and str(path.parent) not in message
    for fragment in fragments:
        assert fragment in message
    return error.value


def _rezip(source, target, replace: dict[str, object]) -> None:
    """Copy a package, writing the members in replace from a bytes-chunk iterator."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for info in old.infolist():
            if info.filename in replace:
                member = zipfile.ZipInfo(info.filename)
                member.compress_type = zipfile.ZIP_DEFLATED
                with new.open(member, "w") as out:
                    for chunk in replace[info.filename]:
                        out.write(chunk)
            else:
                new.writestr(info, old.read(info.filename), zipfile.ZIP_DEFLATED)


def _document_xml(megabytes: int):
    """A valid document.xml of that many megabytes of identical paragraphs."""
    yield (b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
           b'<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
           b'main"><w:body>')
    paragraph = b"<w:p><w:r><w:t>B\xc3\xa1o c\xc3\xa1o</w:t></w:r></w:p>" * 30_000
    for _ in range(megabytes * 2**20 // len(paragraph) + 1):
        yield paragraph
    yield b"</w:body></w:document>"


@pytest.fixture
def small_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("Báo cáo tháng 4")
    path = tmp_path / "small.docx"
    document.save(path)
    return path


def test_a_docx_inflating_to_100_mb_of_xml_is_refused_at_once(tmp_path, small_docx):
    """The incident: 331 KB inflating to 103 MB of XML took 180 s and 2.3 GB."""
    bomb = tmp_path / "bao-cao.docx"
    _rezip(small_docx, bomb, {"word/document.xml": _document_xml(103)})
    assert bomb.stat().st_size < 2 * 2**20
    error = _refused(bomb, "zip bomb")
    assert "MB" in error.reason


def test_a_member_inflating_hundreds_of_times_is_refused_below_the_size_limits(
        tmp_path, small_docx):
    bomb = tmp_path / "ratio.docx"
    _rezip(small_docx, bomb, {"word/document.xml": _document_xml(8)})  # under 40 MB
    _refused(bomb, "word/document.xml", "zip bomb")


def test_the_unzipped_limits_follow_the_settings(tmp_path, small_docx, settings):
    settings.IMPORT_MAX_XML_MB = 1
    big = tmp_path / "lon.docx"
    with zipfile.ZipFile(small_docx) as old, zipfile.ZipFile(big, "w") as new:
        for info in old.infolist():
            new.writestr(info, old.read(info.filename), zipfile.ZIP_DEFLATED)
        new.writestr("customXml/item9.xml", b"<a/>" * 400_000)  # 1.5 MB, ratio is low:
    _refused(big, "GIAMSAT_IMPORT_MAX_XML_MB")  # the XML limit, not the ratio
    settings.IMPORT_MAX_XML_MB = 40
    assert read_document(big) == "Báo cáo tháng 4\n"


def test_an_ordinary_docx_and_xlsx_pass_the_zip_checks(small_docx, tmp_path):
    assert read_document(small_docx) == "Báo cáo tháng 4\n"


def test_an_xlsx_with_one_cell_at_the_last_address_is_read_in_bounded_memory(tmp_path):
    """The incident: a 4.8 KB file with one cell at XFD1048576 used 3 GB (MemoryError)."""
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "Bảng tỷ lệ"
    workbook.active["XFD1048576"] = "cuối"
    path = tmp_path / "xa.xlsx"
    workbook.save(path)
    assert path.stat().st_size < 10_000
    tracemalloc.start()
    started = time.monotonic()
    try:
        text = read_document(path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < SECONDS
    assert peak < 50 * 2**20
    assert text == "Sheet\n\nBảng tỷ lệ\ncuối\n"


def test_formatted_empty_cells_cost_nothing(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["TT", "Tỉnh", "Tỷ lệ"])
    sheet.append([1, "Hà Nội", 50])
    for row in range(1, 3001):  # a formatted column at the sheet's far edge
        sheet.cell(row=row, column=16_384).number_format = "0.00%"
    path = tmp_path / "dinh-dang.xlsx"
    workbook.save(path)
    started = time.monotonic()
    text = read_document(path)
    assert time.monotonic() - started < SECONDS
    assert text == "Sheet\n\n\n\tTT\n\tTỉnh\n\tTỷ lệ\n\n\t1\n\tHà Nội\n\t50\n\n"


def test_a_table_wider_than_the_line_limit_is_refused_before_it_is_built(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in range(1, 21):  # 20 rows from column A to XFD: 327,680 cells
        sheet.cell(row=row, column=1, value=row)
        sheet.cell(row=row, column=16_384, value="x")
    path = tmp_path / "rong.xlsx"
    workbook.save(path)
    _refused(path, "20 rows", "16,384 columns", "200,000")


def test_too_many_lines_are_refused_with_the_count_and_the_limit(tmp_path, settings):
    path = tmp_path / "dai.txt"
    path.write_text("Dòng\n" * 200_001, encoding="utf-8")
    _refused(path, "200,001 lines", "200,000", "GIAMSAT_IMPORT_MAX_LINES")
    settings.IMPORT_MAX_LINES = 300_000
    assert read_document(path).count("\n") == 200_001


def test_numbers_in_messages_are_written_the_vietnamese_way(tmp_path):
    path = tmp_path / "dai.txt"
    path.write_text("Dòng\n" * 200_001, encoding="utf-8")
    with translation.override("vi"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "200.001" in str(error.value) and "200.000" in str(error.value)


def test_the_line_limit_applies_to_docx_text_too(tmp_path, settings):
    settings.IMPORT_MAX_LINES = 50
    document = docx.Document()
    for number in range(60):
        document.add_paragraph(f"Đoạn {number}")
    path = tmp_path / "dai.docx"
    document.save(path)
    _refused(path, "60 lines", "50")


def test_the_ingest_package_imports_no_document_library():
    """python-docx, openpyxl (numpy) and pdfplumber load when a file of theirs is read:
    every command that imports the ingest package must start in well under a second."""
    code = ("import sys, django; django.setup(); import giamsat.ingest.write, "
            "giamsat.ingest.uploads; print(sorted(m for m in ('docx', 'openpyxl', 'numpy', "
            "'pdfplumber', 'pdfminer') if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.settings"},
                            check=True, timeout=60)
    assert result.stdout.strip() == "[]"
