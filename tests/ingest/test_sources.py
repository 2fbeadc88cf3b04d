"""From a file to the text the parsers read: text, DOCX, XLSX, and every way to fail."""

import datetime
import os
import pickle
import re
import unicodedata

import docx
import openpyxl
import pytest
from django.utils import translation
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.ingest.sources import UnreadableDocument, read_document
from giamsat.ingest.tables import read_cell_tables

# --- text ------------------------------------------------------------------------------


def _read(tmp_path, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return read_document(path)


def test_text_is_kept_exactly_but_for_bom_and_line_ends(tmp_path):
    nfd = unicodedata.normalize("NFD", "Đã hoàn thành")
    text = f"\tTT\r\n\tCơ quan\r\nchủ trì\r\n\r\n\t1.\t{nfd}  \rcuối\n"
    result = _read(tmp_path, "a.txt", b"\xef\xbb\xbf" + text.encode("utf-8"))
    assert result == f"\tTT\n\tCơ quan\nchủ trì\n\n\t1.\t{nfd}  \ncuối\n"
    assert read_cell_tables(result)[0].header == ["TT", "Cơ quan\nchủ trì"]


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be"])
def test_utf16_with_a_bom_is_read(tmp_path, encoding):
    bom = "" if encoding == "utf-16" else "\ufeff"  # "utf-16" writes its own BOM
    data = (bom + "Bộ Tư pháp\r\n").encode(encoding)
    assert _read(tmp_path, "u16.txt", data) == "Bộ Tư pháp\n"


@pytest.mark.parametrize("name", ["ghi-chu.md", "no-extension", "export.csv"])
def test_any_other_name_is_read_as_text(tmp_path, name):
    assert _read(tmp_path, name, "Nội dung\n".encode()) == "Nội dung\n"


def test_a_stray_control_character_is_not_binary(tmp_path):
    text = "Trang 1\fTrang 2 có một đoạn văn khá dài.\n" * 3 + "Một ký tự lạ \x0b ở đây.\n"
    assert _read(tmp_path, "pdf-text.txt", text.encode()) == text


# --- DOCX ------------------------------------------------------------------------------


def _merged_header_table(document):
    """TT | Tên nhiệm vụ | Cơ quan (over two columns) | Thời hạn, a group row, two tasks."""
    table = document.add_table(rows=5, cols=5)
    table.cell(0, 2).merge(table.cell(0, 3))
    for index, text in enumerate(["TT", "Tên nhiệm vụ", "Cơ quan", None, "Thời hạn"]):
        if text:
            table.cell(0, index).text = text
    table.cell(1, 0).text, table.cell(1, 1).text = "I", "Về thể chế"
    first = table.rows[2].cells
    first[0].text, first[2].text, first[3].text = "1.", "Bộ Tư pháp", "Bộ Công an"
    first[1].text = "Xây dựng\tNghị định"
    first[1].add_paragraph("")  # an empty paragraph would end the row if kept
    first[1].add_paragraph("- sửa đổi Luật A;")
    first[4].text = "Tháng 6/2025"
    table.cell(3, 0).merge(table.cell(4, 0)).text = "2."  # merged down over a sub-row
    table.cell(3, 1).text, table.cell(4, 1).text = "Lập cơ sở dữ liệu", "giai đoạn 2"
    nested = table.cell(3, 2).add_table(rows=1, cols=2)
    nested.cell(0, 0).text, nested.cell(0, 1).text = "Bộ Công an", "Bộ Quốc phòng"
    table.cell(3, 4).text = "Quý I/2025"
    return table


@pytest.fixture
def report_docx(tmp_path):
    document = docx.Document()
    document.add_paragraph("PHỤ LỤC 02:")
    document.add_paragraph("\tDANH MỤC NHIỆM VỤ QUÁ HẠN")  # a leading TAB is not a cell
    _merged_header_table(document)
    document.add_paragraph("Ghi chú: số liệu đến ngày 09/7/2025.")
    document.add_paragraph("Bảng 2")
    small = document.add_table(rows=2, cols=2)
    small.cell(0, 0).text, small.cell(0, 1).text = "Tỉnh", "Tỷ lệ"
    small.cell(1, 0).text, small.cell(1, 1).text = "Hà Nội", "49,79"
    path = tmp_path / "phu-luc.docx"
    document.save(path)
    return path


def test_docx_paragraphs_and_tables_in_document_order(report_docx):
    text = read_document(report_docx)
    lines = text.splitlines()
    assert lines[:3] == ["PHỤ LỤC 02:", "DANH MỤC NHIỆM VỤ QUÁ HẠN", ""]
    assert lines.index("Ghi chú: số liệu đến ngày 09/7/2025.") < lines.index("\tTỉnh")
    first, second = read_cell_tables(text)
    assert first.title == "PHỤ LỤC 02: DANH MỤC NHIỆM VỤ QUÁ HẠN"
    assert second.title.endswith("Bảng 2")
    assert second.header == ["Tỉnh", "Tỷ lệ"]
    assert [row.cells for row in second.rows] == [["Hà Nội", "49,79"]]


def test_docx_merged_cells_keep_the_header_width(report_docx):
    table = read_cell_tables(read_document(report_docx))[0]
    assert table.header == ["TT", "Tên nhiệm vụ", "Cơ quan", "", "Thời hạn"]
    assert [row.cells for row in table.rows] == [
        ["I", "Về thể chế", "", "", ""],  # the group row
        ["1.", "Xây dựng Nghị định\n- sửa đổi Luật A;", "Bộ Tư pháp", "Bộ Công an",
         "Tháng 6/2025"],  # TAB → space, the empty paragraph dropped
        ["2.", "Lập cơ sở dữ liệu", "Bộ Công an | Bộ Quốc phòng", "", "Quý I/2025"],
        ["", "giai đoạn 2", "", "", ""],  # under the vertically merged "2."
    ]


def test_docx_tracked_insertions_are_text(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("Bộ Khoa học")
    run = paragraph.add_run(" và Công nghệ")
    insertion = OxmlElement("w:ins")
    insertion.set(qn("w:id"), "1")
    insertion.set(qn("w:author"), "VPCP")
    paragraph._p.remove(run._r)
    insertion.append(run._r)
    paragraph._p.append(insertion)
    document.save(tmp_path / "tracked.docx")
    assert read_document(tmp_path / "tracked.docx") == "Bộ Khoa học và Công nghệ\n"


# --- XLSX ------------------------------------------------------------------------------


@pytest.fixture
def rates_xlsx(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "PL03"
    sheet["A1"] = "PHỤ LỤC 03"
    sheet.merge_cells("A1:F1")
    sheet["A2"] = "TỶ LỆ HỒ SƠ TRỰC TUYẾN TOÀN TRÌNH"
    sheet.append(["TT", "Đơn vị", "Tỷ lệ (%)", None, "Cập nhật"])
    sheet.merge_cells("C3:D3")
    sheet.append(["I", "Khối bộ"])  # a group row: one value, but inside the table
    sheet.append([1, "Bộ Công an", 0.4979, 0.1 + 0.2, datetime.date(2025, 7, 9)])
    sheet["C5"].number_format = "0.00%"
    sheet.append([2.0, "Bộ Tài chính", 81400.0, 1e-05, datetime.datetime(2025, 7, 18, 9, 30)])
    sheet.append([])
    sheet.append(["Ghi chú: số liệu đến 09/7"])
    sheet["H20"].number_format = "0.0"  # formatting alone must not widen the table
    hidden = workbook.create_sheet("Ẩn")
    hidden.append(["bí mật", "x", "y"])
    hidden.sheet_state = "hidden"
    workbook.create_sheet("Trống")
    other = workbook.create_sheet("Tỉnh")
    other.append(["Tỉnh", "Chỉ tiêu"])
    other.append(["Hà Nội", 50])
    path = tmp_path / "ty-le.xlsx"
    workbook.save(path)
    return path


def test_xlsx_title_rows_then_the_table(rates_xlsx):
    text = read_document(rates_xlsx)
    assert text.startswith("PL03\n\nPHỤ LỤC 03\nTỶ LỆ HỒ SƠ TRỰC TUYẾN TOÀN TRÌNH\n\n\tTT\n")
    assert "Ghi chú: số liệu đến 09/7" in text.splitlines()
    assert "bí mật" not in text and "Trống" not in text  # hidden and empty sheets
    rates, provinces = read_cell_tables(text)
    # The appendix heading starts the title, as in text (read_cell_tables).
    assert rates.title == "PHỤ LỤC 03 TỶ LỆ HỒ SƠ TRỰC TUYẾN TOÀN TRÌNH"
    assert rates.header == ["TT", "Đơn vị", "Tỷ lệ (%)", "", "Cập nhật"]
    assert [row.cells for row in rates.rows] == [
        ["I", "Khối bộ", "", "", ""],
        ["1", "Bộ Công an", "49.79", "0.3", "09/07/2025"],  # percent format, float noise
        ["2", "Bộ Tài chính", "81400", "0.00001", "18/07/2025"],
    ]
    assert provinces.title.endswith("Tỉnh")
    assert [row.cells for row in provinces.rows] == [["Hà Nội", "50"]]


def test_xlsx_a_blank_row_ends_the_table_and_single_values_are_text(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append([None, "Bảng 1"])
    sheet.append([None, "A", "B"])  # the table starts in column B
    sheet.append([None, "1", "x"])
    sheet.append([])
    sheet.append([None, "Bảng 2"])
    sheet.append([None, "A", "B"])
    sheet.append([None, "2", "y"])
    workbook.save(tmp_path / "two.xlsx")
    first, second = read_cell_tables(read_document(tmp_path / "two.xlsx"))
    assert (first.title, second.title) == ("Sheet Bảng 1", "Bảng 2")
    assert (first.header, first.rows[0].cells) == (["A", "B"], ["1", "x"])
    assert second.rows[0].cells == ["2", "y"]


# --- what cannot be read ---------------------------------------------------------------


def _valid_docx_bytes(tmp_path) -> bytes:
    document = docx.Document()
    document.add_paragraph("Báo cáo " * 200)
    document.save(tmp_path / "valid.docx")
    return (tmp_path / "valid.docx").read_bytes()


BAD_INPUTS = {
    "empty.txt": b"",
    "blank.txt": b"  \n\t\r\n",
    "binary.txt": b"\x00\x01\x02binary\x00",
    "no-extension": os.urandom(512) + b"\x00",
    "cp1258.txt": "Tư pháp".encode("cp1258"),
    "latin1.txt": "Tài chính: café".encode("latin-1"),
    "report.pdf": b"%PDF-1.4 ...",
    "pdf-renamed.txt": b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n",
    "package-renamed.txt": b"PK\x03\x04\x14\x00",
    "old.doc": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "old.xls": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1",
    "protected.docx": b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100,
    "random.xlsx": bytes(range(256)) * 4,
    "not-a-package.docx": b"PK\x03\x04broken",
}


@pytest.mark.parametrize("name", sorted(BAD_INPUTS))
def test_bad_input_is_refused_with_a_message_naming_the_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(BAD_INPUTS[name])
    with pytest.raises(UnreadableDocument) as error:
        read_document(path)
    assert name in str(error.value) and error.value.path == str(path)
    assert error.value.reason in str(error.value)


def test_truncated_docx_and_xlsx_renamed_docx(tmp_path):
    data = _valid_docx_bytes(tmp_path)
    (tmp_path / "cut.docx").write_bytes(data[: len(data) // 2])
    (tmp_path / "sheet.xlsx").write_bytes(data)  # a Word document named .xlsx
    for name in ("cut.docx", "sheet.xlsx"):
        with pytest.raises(UnreadableDocument, match=re.escape(name)):
            read_document(tmp_path / name)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(UnreadableDocument, match=r"missing\.txt"):
        read_document(tmp_path / "missing.txt")
    with pytest.raises(UnreadableDocument, match="folder"):
        read_document(tmp_path)


def test_messages_say_what_to_do(tmp_path):
    (tmp_path / "old.txt").write_bytes("Bộ Tài chính\nTư pháp".encode("cp1258", "ignore"))
    (tmp_path / "slides.pptx").write_bytes(b"PK\x03\x04")
    (tmp_path / "broken.pdf").write_bytes(b"%PDF-1.4")
    with translation.override("en"):
        with pytest.raises(UnreadableDocument) as old:
            read_document(tmp_path / "old.txt")
        with pytest.raises(UnreadableDocument) as slides:
            read_document(tmp_path / "slides.pptx")
        with pytest.raises(UnreadableDocument) as pdf:
            read_document(tmp_path / "broken.pdf")
    assert "not UTF-8" in old.value.reason and "save it again as UTF-8" in old.value.reason
    assert "TCVN3" in old.value.reason
    assert "PowerPoint" in slides.value.reason
    assert ".docx" in slides.value.reason and ".xlsx" in slides.value.reason
    assert "PDF" in slides.value.reason
    assert "damaged" in pdf.value.reason and ".docx" in pdf.value.reason


def test_the_error_survives_pickling_for_background_jobs(tmp_path):
    with pytest.raises(UnreadableDocument) as error:
        read_document(tmp_path / "gone.txt")
    copy = pickle.loads(pickle.dumps(error.value))
    assert (str(copy), copy.path, copy.reason) == (str(error.value), error.value.path,
                                                   error.value.reason)


# --- properties ------------------------------------------------------------------------


@settings(max_examples=200, deadline=None)
@given(text=st.text())
def test_any_text_is_read_back_or_refused_cleanly(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("text") / "any.txt"
    path.write_bytes(text.encode("utf-8"))
    try:
        result = read_document(path)
    except UnreadableDocument as error:
        assert "any.txt" in str(error)
    else:
        assert result == text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


PRINTABLE = st.text(st.characters(exclude_categories=("Cc", "Cs")) | st.sampled_from("\t\n\r"))


@settings(max_examples=200, deadline=None)
@given(text=PRINTABLE.filter(lambda t: t.lstrip("\ufeff").strip() and not t.startswith("%PDF-")))
def test_printable_text_is_never_refused(tmp_path_factory, text):
    path = tmp_path_factory.mktemp("text") / "ok.txt"
    path.write_bytes(text.encode("utf-8"))
    assert read_document(path) == text.removeprefix("\ufeff").replace("\r\n", "\n").replace(
        "\r", "\n")


@pytest.mark.corpus
def test_corpus_text_is_read_exactly(corpus_dir):
    (path,) = corpus_dir.glob("004_*.txt")
    text = read_document(path)
    assert text == path.read_text(encoding="utf-8")
    assert len(read_cell_tables(unicodedata.normalize("NFC", text))) == 15
