"""PDF, DOCX text boxes and notes, and the formats LibreOffice converts: small documents
built here, read to the cell-per-line text the parsers read (sources.py)."""

import shutil
import subprocess
import time
import zlib
from pathlib import Path
from xml.sax.saxutils import escape

import docx
import openpyxl
import pytest
from django.utils import translation

from giamsat.ingest.sources import UnreadableDocument, read_document
from giamsat.ingest.tables import read_cell_tables

# --- a PDF written by hand: Helvetica text and ruled cells, nothing else ---------------


def _text(x: float, y: float, text: str, size: int = 11) -> bytes:
    escaped = text.replace("\\", "\\\\").replace("(", "\\(").replace(")", "\\)")
    return f"BT /F1 {size} Tf {x} {y} Td ({escaped}) Tj ET\n".encode("latin-1")


def _grid(x: float, top: float, widths: list[float], rows: list[list[str]],
          height: float = 20) -> bytes:
    """A ruled table: every cell a rectangle, its text inside."""
    out = b""
    for index, row in enumerate(rows):
        y = top - (index + 1) * height
        left = x
        for width, cell in zip(widths, row, strict=True):
            out += f"{left} {y} {width} {height} re S\n".encode()
            if cell:
                out += _text(left + 4, y + 6, cell)
            left += width
    return out


def build_pdf(pages: list[bytes], *, encrypt: bool = False, count: int | None = None,
              compress: bool = True) -> bytes:
    """A PDF of A4 pages with these content streams; `count` lies about the page count."""
    objects: list[bytes] = [b"", b"", b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica "
                                      b"/Encoding /WinAnsiEncoding >>"]
    kids = []
    for content in pages:
        data = zlib.compress(content) if compress else content
        stream = (f"<< /Length {len(data)}" + (" /Filter /FlateDecode" if compress else "")
                  + " >>\nstream\n").encode() + data + b"\nendstream"
        objects.append(stream)
        objects.append(f"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources "
                       f"<< /Font << /F1 3 0 R >> >> /Contents {len(objects)} 0 R >>".encode())
        kids.append(f"{len(objects)} 0 R")
    objects[0] = b"<< /Type /Catalog /Pages 2 0 R >>"
    objects[1] = (f"<< /Type /Pages /Kids [{' '.join(kids)}] /Count "
                  f"{count if count is not None else len(pages)} >>").encode()
    out = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    out += b"".join(f"{offset:010d} 00000 n \n".encode() for offset in offsets)
    trailer = f"<< /Size {len(objects) + 1} /Root 1 0 R"
    if encrypt:  # the standard handler, RC4 40-bit; the empty password does not open it
        trailer += (" /Encrypt << /Filter /Standard /V 1 /R 2 /P -44 /O <" + "ab" * 32
                    + "> /U <" + "cd" * 32 + "> >> /ID [<" + "01" * 16 + "> <" + "01" * 16
                    + ">]")
    out += f"trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n".encode()
    return out


HEADER = ["TT", "Ten nhiem vu", "Thoi han"]
WIDTHS = [40, 300, 120]


@pytest.fixture
def report_pdf(tmp_path):
    """Two pages: a heading, a paragraph over two lines, a table cut by the page break
    (header repeated, the cut row going on without its number), a note after it."""
    first = (_text(60, 778, "PHU LUC 02")
             + _text(60, 760, "Bo Khoa hoc va Cong nghe bao cao ket qua thuc hien nhiem vu "
                              "chuyen doi so")
             + _text(60, 746, "trong thang 4 nam 2025.")
             + _grid(60, 720, WIDTHS, [HEADER, ["1.", "Xay dung Nghi dinh", "Thang 6/2025"],
                                       ["2.", "Lap co so du lieu", "Quy I/2025"]]))
    second = (_grid(60, 800, WIDTHS, [HEADER, ["", "giai doan 2", ""],
                                      ["3.", "Ket noi du lieu", "Thuong xuyen"]])
              + _text(60, 720, "Ghi chu: so lieu den ngay 09/7/2025.")
              + _text(290, 40, "- 2 -"))  # the page number
    path = tmp_path / "phu-luc.pdf"
    path.write_bytes(build_pdf([first, second]))
    return path


def test_a_pdf_reads_to_paragraphs_and_one_cell_per_line_table(report_pdf):
    assert read_document(report_pdf) == (
        "PHU LUC 02\n"
        "Bo Khoa hoc va Cong nghe bao cao ket qua thuc hien nhiem vu chuyen doi so trong "
        "thang 4 nam 2025.\n"
        "\n\tTT\n\tTen nhiem vu\n\tThoi han\n"
        "\n\t1.\n\tXay dung Nghi dinh\n\tThang 6/2025\n"
        "\n\t2.\n\tLap co so du lieu\ngiai doan 2\n\tQuy I/2025\n"  # the cut row, joined
        "\n\t3.\n\tKet noi du lieu\n\tThuong xuyen\n"
        "\n"
        "Ghi chu: so lieu den ngay 09/7/2025.\n")


def test_the_pdf_table_is_one_table_for_the_parsers(report_pdf):
    (table,) = read_cell_tables(read_document(report_pdf))
    assert table.title == "PHU LUC 02 Bo Khoa hoc va Cong nghe bao cao ket qua thuc hien " \
                          "nhiem vu chuyen doi so trong thang 4 nam 2025."
    assert table.header == HEADER
    assert [row.cells[0] for row in table.rows] == ["1.", "2.", "3."]


def test_a_scanned_pdf_is_refused_as_needing_ocr(tmp_path):
    image = b"q 500 0 0 700 40 70 cm BI /W 2 /H 2 /CS /G /BPC 8 ID \x00\xff\xff\x00 EI Q\n"
    path = tmp_path / "ban-scan.pdf"
    path.write_bytes(build_pdf([image, image]))
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "holds no text" in error.value.reason and "OCR" in error.value.reason
    assert "ban-scan.pdf" in str(error.value) and str(tmp_path) not in str(error.value)


def test_an_empty_pdf_page_is_refused_too(tmp_path):
    path = tmp_path / "trang-trang.pdf"
    path.write_bytes(build_pdf([b""]))
    with translation.override("en"), pytest.raises(UnreadableDocument, match="OCR"):
        read_document(path)


def test_a_pdf_that_needs_a_password_is_refused(tmp_path):
    path = tmp_path / "mat-khau.pdf"
    path.write_bytes(build_pdf([_text(60, 790, "Mat")], encrypt=True, compress=False))
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "password" in error.value.reason


@pytest.mark.parametrize("data", [b"%PDF-1.4", b"%PDF-1.7\n1 0 obj << /Type /Catalog", b""])
def test_a_damaged_pdf_is_refused(tmp_path, data):
    path = tmp_path / "hong.pdf"
    path.write_bytes(data)
    with pytest.raises(UnreadableDocument, match=r"hong\.pdf"):
        read_document(path)


def test_the_pdf_page_limit_is_checked_before_the_pages_are_read(tmp_path, settings):
    path = tmp_path / "dai.pdf"
    path.write_bytes(build_pdf([_text(60, 790, word) for word in ("Mot", "Hai", "Ba")]))
    settings.IMPORT_MAX_PDF_PAGES = 2
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "3 pages" in error.value.reason and "2" in error.value.reason
    settings.IMPORT_MAX_PDF_PAGES = 500
    assert read_document(path).split() == ["Mot", "Hai", "Ba"]


def test_running_headers_and_page_numbers_are_left_out(tmp_path):
    pages = [_text(60, 810, "BAO CAO THANG 4/2025") + _text(60, 700, body) + _text(290, 30, str(n))
             for n, body in enumerate(["Mot", "Hai", "Ba"], start=1)]
    path = tmp_path / "dau-trang.pdf"
    path.write_bytes(build_pdf(pages))
    assert read_document(path).split() == ["Mot", "Hai", "Ba"]


def test_a_pdf_claiming_a_million_pages_is_refused_at_once(tmp_path):
    path = tmp_path / "trieu-trang.pdf"
    path.write_bytes(build_pdf([_text(60, 790, "Trang")], count=1_000_000))
    started = time.monotonic()
    with translation.override("en"), pytest.raises(UnreadableDocument, match="1,000,000 pages"):
        read_document(path)
    assert time.monotonic() - started < 5


# --- formats LibreOffice converts ------------------------------------------------------

needs_soffice = pytest.mark.skipif(not shutil.which("soffice"),
                                   reason="LibreOffice (soffice) is not installed")


def _soffice_convert(source, target: str, folder) -> Path:
    subprocess.run(["soffice", f"-env:UserInstallation={(folder / 'profile').as_uri()}",
                    "--headless", "--norestore", "--convert-to", target, "--outdir",
                    str(folder), str(source)], check=True, capture_output=True, timeout=120)
    return folder / f"{source.stem}.{target}"


@pytest.fixture
def plan_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("KẾ HOẠCH")
    table = document.add_table(rows=2, cols=3)
    for cell, text in zip(table.rows[0].cells, ["TT", "Nhiệm vụ", "Thời hạn"], strict=True):
        cell.text = text
    for cell, text in zip(table.rows[1].cells, ["1.", "Xây dựng Nghị định", "Tháng 6/2025"],
                          strict=True):
        cell.text = text
    document.add_paragraph("Ghi chú.")
    path = tmp_path / "ke-hoach.docx"
    document.save(path)
    return path


@pytest.mark.slow
@needs_soffice
@pytest.mark.parametrize("target", ["doc", "odt", "rtf"])
def test_doc_odt_and_rtf_read_like_the_docx(tmp_path, plan_docx, target):
    converted = _soffice_convert(plan_docx, target, tmp_path / "out")
    assert read_document(converted) == read_document(plan_docx) == (
        "KẾ HOẠCH\n\n\tTT\n\tNhiệm vụ\n\tThời hạn\n\n\t1.\n\tXây dựng Nghị định\n"
        "\tTháng 6/2025\n\nGhi chú.\n")


@pytest.mark.slow
@pytest.mark.skipif(not shutil.which("soffice") or not Path(
    "/usr/lib/libreoffice/program/libscfiltlo.so").exists(),
    reason="LibreOffice Calc is not installed")
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_xls_and_ods_read_like_the_xlsx(tmp_path, target):
    workbook = openpyxl.Workbook()
    workbook.active.title = "PL03"
    workbook.active.append(["Tỉnh", "Tỷ lệ"])
    workbook.active.append(["Hà Nội", 49.5])
    source = tmp_path / "ty-le.xlsx"
    workbook.save(source)
    converted = _soffice_convert(source, target, tmp_path / "out")
    assert read_document(converted) == read_document(source) == (
        "PL03\n\n\n\tTỉnh\n\tTỷ lệ\n\n\tHà Nội\n\t49.5\n\n")


OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048
RTF = b"{\\rtf1\\ansi K\\'ea ho\\'e1ch\\par}"
OLD_FORMATS = {"cu.doc": OLE, "rtf-ten-doc.doc": RTF, "van-ban.odt": b"PK\x03\x04" + OLE,
               "thu.rtf": RTF, "bang.xls": OLE, "bang.ods": b"PK\x03\x04" + OLE}


@pytest.mark.parametrize("name", sorted(OLD_FORMATS))
def test_without_libreoffice_the_old_formats_are_refused_with_what_to_do(
        tmp_path, monkeypatch, name):
    monkeypatch.setattr(shutil, "which", lambda program, *args, **kwargs: None)
    path = tmp_path / name
    path.write_bytes(OLD_FORMATS[name])
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "LibreOffice" in error.value.reason and "apt-get install" in error.value.reason
    assert ".docx" in error.value.reason and name in str(error.value)


@pytest.mark.parametrize(("name", "data"), [
    ("tin-nhan.doc", b"<html><body>Kh\xc3\xb4ng ph\xe1\xba\xa3i Word</body></html>"),
    ("ngan.doc", OLE[:8]),  # the signature alone: LibreOffice would read it as text
    ("bang.ods", b"{\\rtf1}"),
])
def test_a_file_that_is_not_what_its_name_says_is_refused_before_conversion(tmp_path, name,
                                                                            data):
    path = tmp_path / name
    path.write_bytes(data)
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "is not a" in error.value.reason and name in str(error.value)


@pytest.mark.slow
@needs_soffice
def test_a_damaged_doc_is_refused_without_the_servers_paths(tmp_path):
    path = tmp_path / "hong.doc"
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 2048)
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert "hong.doc" in str(error.value) and "/tmp" not in str(error.value)
    assert "could not convert" in error.value.reason


@needs_soffice
def test_a_conversion_past_its_time_is_ended(tmp_path, settings):
    settings.IMPORT_CONVERT_TIMEOUT = 0
    doc = tmp_path / "cham.rtf"
    doc.write_bytes(RTF)
    started = time.monotonic()
    with translation.override("en"), pytest.raises(UnreadableDocument) as error:
        read_document(doc)
    assert "did not finish" in error.value.reason
    assert time.monotonic() - started < 5


# --- DOCX: text boxes, footnotes and endnotes ------------------------------------------

W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NAMESPACES = (f'xmlns:w="{W}" '
              'xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" '
              'xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" '
              'xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" '
              'xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" '
              'xmlns:v="urn:schemas-microsoft-com:vml"')


def _box_run(*paragraphs: str):
    """A run holding a text box, as Word writes it: DrawingML, and VML as the fallback."""
    from docx.oxml.parser import parse_xml

    content = "".join(f"<w:p><w:r><w:t>{escape(text)}</w:t></w:r></w:p>" for text in paragraphs)
    return parse_xml(
        f"<w:r {NAMESPACES}><mc:AlternateContent><mc:Choice Requires=\"wps\"><w:drawing>"
        f"<wp:anchor><a:graphic><a:graphicData><wps:wsp><wps:txbx><w:txbxContent>{content}"
        f"</w:txbxContent></wps:txbx></wps:wsp></a:graphicData></a:graphic></wp:anchor>"
        f"</w:drawing></mc:Choice><mc:Fallback><w:pict><v:shape><v:textbox><w:txbxContent>"
        f"{content}</w:txbxContent></v:textbox></v:shape></w:pict></mc:Fallback>"
        f"</mc:AlternateContent></w:r>")


def _add_notes(document, kind: str, notes: dict[str, list[str]]) -> None:
    """A footnotes.xml or endnotes.xml part with these notes (by id), as Word writes it:
    the separator notes first, each note starting with its reference mark."""
    from docx.opc.constants import RELATIONSHIP_TYPE
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    body = "".join(
        f'<w:{kind} w:id="{id_}"><w:p><w:r><w:{kind}Ref/></w:r><w:r><w:t xml:space="preserve">'
        f' {escape(paragraphs[0])}</w:t></w:r></w:p>'
        + "".join(f"<w:p><w:r><w:t>{escape(more)}</w:t></w:r></w:p>" for more in paragraphs[1:])
        + f"</w:{kind}>" for id_, paragraphs in notes.items())
    xml = (f'<w:{kind}s {NAMESPACES}><w:{kind} w:type="separator" w:id="-1"><w:p><w:r>'
           f'<w:separator/></w:r></w:p></w:{kind}><w:{kind} w:type="continuationSeparator" '
           f'w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:{kind}>{body}'
           f"</w:{kind}s>")
    content_type = f"application/vnd.openxmlformats-officedocument.wordprocessingml.{kind}s+xml"
    part = Part(PackURI(f"/word/{kind}s.xml"), content_type, xml.encode(), document.part.package)
    reltype = RELATIONSHIP_TYPE.FOOTNOTES if kind == "footnote" else RELATIONSHIP_TYPE.ENDNOTES
    document.part.relate_to(part, reltype)


def _reference(paragraph, kind: str, id_: str) -> None:
    from docx.oxml.parser import parse_xml

    paragraph._p.append(parse_xml(f'<w:r {NAMESPACES}><w:{kind}Reference w:id="{id_}"/></w:r>'))


def test_docx_text_boxes_where_anchored_and_footnotes_after_their_paragraph(tmp_path):
    document = docx.Document()
    document.add_paragraph("BÁO CÁO")
    anchor = document.add_paragraph("Kết quả tháng 4/2025:")
    anchor._p.append(_box_run("Tỷ lệ hồ sơ trực tuyến: 90,5%", "Nguồn: Bộ KH&CN"))
    statement = document.add_paragraph("Còn 7 cơ quan chưa ban hành kế hoạch")
    _reference(statement, "footnote", "5")  # Word's ids need not be its numbers
    second = document.add_paragraph("Có 3 tỉnh chưa báo cáo")
    _reference(second, "footnote", "2")
    _reference(second, "endnote", "1")
    table = document.add_table(rows=1, cols=2)
    table.cell(0, 0).text, table.cell(0, 1).text = "Bộ Công an", "Đạt"
    table.cell(0, 1).paragraphs[0]._p.append(_box_run("ghi chú trong ô"))
    _reference(table.cell(0, 0).paragraphs[0], "footnote", "7")
    document.add_paragraph("Nơi nhận:")
    _add_notes(document, "footnote", {
        "5": ["Các cơ quan chưa ban hành: Bộ Ngoại giao, Bộ Nội vụ.", "(Số liệu đến 30/4)"],
        "2": ["Tuyên Quang, Lào Cai, Yên Bái."],
        "7": ["Số liệu của Cục C06."]})
    _add_notes(document, "endnote", {"1": ["Theo Công văn số 592/BKHCN-VCL."]})
    path = tmp_path / "bao-cao.docx"
    document.save(path)
    assert read_document(path) == (
        "BÁO CÁO\n"
        "Kết quả tháng 4/2025:\n"
        "Tỷ lệ hồ sơ trực tuyến: 90,5%\n"  # the box, once (not its VML copy too)
        "Nguồn: Bộ KH&CN\n"
        "Còn 7 cơ quan chưa ban hành kế hoạch\n"
        "1 Các cơ quan chưa ban hành: Bộ Ngoại giao, Bộ Nội vụ.\n"
        "(Số liệu đến 30/4)\n"
        "Có 3 tỉnh chưa báo cáo\n"
        "2 Tuyên Quang, Lào Cai, Yên Bái.\n"
        "\n\tBộ Công an\n\tĐạt\nghi chú trong ô\n\n"
        "3 Số liệu của Cục C06.\n"  # a table's footnotes after the table
        "Nơi nhận:\n"
        "i Theo Công văn số 592/BKHCN-VCL.\n")  # endnotes at the end, as Word prints them


def test_a_docx_note_that_is_never_referred_to_is_left_out(tmp_path):
    document = docx.Document()
    document.add_paragraph("Nội dung")
    _add_notes(document, "footnote", {"1": ["Chú thích mồ côi"]})
    path = tmp_path / "mo-coi.docx"
    document.save(path)
    assert read_document(path) == "Nội dung\n"


TASKS = [["", "Xây dựng Đề án", "Bộ Nội vụ", "", "Tháng 8/2025"],  # unnumbered tasks:
         ["I", "Về thể chế", "", "", ""],  # under numbered group rows
         ["", "Rà soát Luật", "Bộ Tư pháp", "Các bộ", "Quý III/2025"],
         ["", "Ban hành Nghị định", "Bộ Tài chính", "", "Tháng 9/2025"]]
NUMBERED = [["1.", "Xây dựng", "Bộ Tư pháp", "", ""], ["2.", "Lập", "Bộ Công an", "", ""]]


@pytest.mark.parametrize(("cut", "rest", "others", "joined"), [
    (["3.", "Xây dựng", "Bộ Tư pháp"], ["", "Nghị định", ""], NUMBERED, True),
    (["3.", "Xây dựng", "Bộ Tư pháp"], ["4.", "Lập", "Bộ Công an"], NUMBERED, False),
    (["", "Kế hoạch số 02-", "Bộ Nội vụ", "", "Tháng 7/2025"],
     ["", "KH/BCĐTW", "", "", ""], TASKS, True),  # broken after a hyphen
    (["", "trình Ban Chỉ đạo", "Bộ Nội vụ", "", "Tháng 7/2025"],
     ["", "Trung ương cho ý kiến", "", "", ""], TASKS, True),  # no lead agency, no deadline
    (["", "Cổng dịch vụ công trên", "Văn phòng", "Bộ KH&CN, Bộ", "Tháng 11/2025"],
     ["", "Cổng Dịch vụ công", "", "Nội vụ", ""], TASKS, True),
    (["", "Xây dựng nền tảng.", "Văn phòng", "Bộ Công an", "Tháng 7/2025"],
     ["", "Tiếp tục đẩy mạnh", "Các bộ", "", "Thường xuyên"], TASKS, False),  # a new task
    (["", "định kỳ và đột xuất.", "Bộ Tài chính", "", "Thường xuyên"],
     ["", "theo chức năng, nhiệm vụ", "Bộ Tài chính", "Văn phòng", "Tháng 12/2025"], TASKS,
     False),  # a new task, though it begins in lower case
    (["VI", "Về nguồn lực tài chính", "", "", ""],
     ["", "Rà soát, đề xuất", "Bộ Tài chính", "", "Tháng 8/2025"], TASKS, False),
    # Too few rows to learn from: lower case, or the one column that went on.
    (["", "Tiếp tục rà soát, sửa", "Bộ"], ["", "đổi, bổ sung", "Các bộ"], [["", "x", "y"]],
     True),
    (["", "Nội dung thứ nhất", "Bộ"], ["", "Nội dung thứ hai", ""], [["", "x", "y"]], True),
    (["", "Nội dung thứ nhất", "Bộ"], ["", "Nội dung", "Các bộ"], [["", "x", "y"]], False),
])
def test_a_row_cut_by_a_page_break_is_told_from_a_new_row(cut, rest, others, joined):
    from giamsat.ingest.sources import _is_cut

    assert _is_cut(cut, rest, others) is joined
