"""The spreadsheets agencies send with their monthly reports, as a civil servant fills them
in Excel: title rows above the table, a header of two rows with merged cells, values typed
as numbers and as text, a blank spacer column, a notes column, the signature block under
the table; a ministry's task-progress sheet with group rows and deadlines as Excel dates
and as text; a workbook with a sheet per month and a hidden helper sheet."""

import datetime
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

from giamsat.indicators.models import Observation
from giamsat.ingest.write import run_import
from giamsat.tasks.models import Assignment, Role, Task

D = datetime.date


def _title(sheet, row: int, text: str, width: int) -> None:
    sheet.cell(row, 1, text)
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)


def _signature(sheet, row: int, left: int, right: int, place: str = "Ninh Bình",
               day: str = "20") -> None:
    """The signature block under a table: who drew it up, the head of the unit."""
    sheet.cell(row, right, f"{place}, ngày {day} tháng 11 năm 2025")
    sheet.cell(row + 1, left, "NGƯỜI LẬP BIỂU")
    sheet.cell(row + 1, right, "THỦ TRƯỞNG ĐƠN VỊ")
    sheet.cell(row + 2, left, "(Ký, ghi rõ họ tên)")
    sheet.cell(row + 2, right, "(Ký tên, đóng dấu)")
    sheet.cell(row + 6, left, "Nguyễn Thị Lan")
    sheet.cell(row + 6, right, "Trần Văn Hùng")


# (STT, indicator, unit, target 2025, this month, cumulative, notes)
PROVINCE_ROWS = [
    (1, "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", 80, "45,2%", None,
     "Số liệu Cổng DVC tỉnh"),
    (2, "Tỷ lệ hồ sơ thanh toán trực tuyến", "%", "≥ 50%", "12.340/27.300", None, None),
    (3, "Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính", "%", 100, "86,5", None,
     None),
    (4, "Tỷ lệ người dân trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân", "", 50,
     31.7, None, None),  # no unit written: a rate by its name
    (5, "Số chứng thư chữ ký số đã cấp", "Chứng thư", None, 1250, 18430, None),
    (6, "Số hồ sơ thanh toán trực tuyến", "Hồ sơ", None, None, "27.300", None),
]


def province_sheet(path: Path, rows=PROVINCE_ROWS, month: int = 11, sheet=None,
                   motto: bool = False) -> Path:
    """A province's indicator sheet for the month (on `sheet` when given, in a new
    workbook otherwise); with `motto`, the header block of a document above it: the
    department under the province beside "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"."""
    workbook = None
    if sheet is None:
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Biểu 01"
    width, top = 8, 0
    if motto:
        for row, (left, right) in enumerate((
                ("UBND TỈNH NINH BÌNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"),
                ("SỞ KHOA HỌC VÀ CÔNG NGHỆ", "Độc lập - Tự do - Hạnh phúc")), 1):
            _title(sheet, row, left, 3)
            sheet.cell(row, 5, right)
            sheet.merge_cells(start_row=row, start_column=5, end_row=row, end_column=8)
        top = 2
    else:
        _title(sheet, 1, "UBND TỈNH NINH BÌNH", 3)
    _title(sheet, top + 2, f"BIỂU SỐ LIỆU CHUYỂN ĐỔI SỐ THÁNG {month}/2025", width)
    _title(sheet, top + 3, f"(Kèm theo Báo cáo số 512/BC-UBND ngày 20/{month}/2025)", width)
    # Row 5-6: the header. A, B, C, D merged over both rows; E and F under "Kết quả thực
    # hiện"; G is a narrow blank spacer; H the notes.
    head = top + 5
    for column, text in ((1, "STT"), (2, "Chỉ tiêu"), (3, "Đơn vị tính"),
                         (4, "Chỉ tiêu năm 2025"), (8, "Ghi chú")):
        sheet.cell(head, column, text)
        sheet.merge_cells(start_row=head, start_column=column, end_row=head + 1,
                          end_column=column)
    sheet.cell(head, 5, "Kết quả thực hiện")
    sheet.merge_cells(start_row=head, start_column=5, end_row=head, end_column=6)
    sheet.cell(head + 1, 5, f"Tháng {month}/2025")
    sheet.cell(head + 1, 6, "Lũy kế")
    sheet.column_dimensions["G"].width = 2
    for offset, values in enumerate(rows):
        row = head + 2 + offset
        for column, value in zip((1, 2, 3, 4, 5, 6, 8), values, strict=True):
            if value is not None:
                cell = sheet.cell(row, column, value)
                if column == 4 and isinstance(value, int | float):
                    cell.number_format = '0"%"'
    _signature(sheet, head + 2 + len(rows) + 1, 2, 6)
    if workbook is not None:
        workbook.save(path)
    return path


# (TT, task, lead, partners, deadline, progress, product); a str TT "I." is a group row
MINISTRY_ROWS = [
    ("I", "Nhiệm vụ theo Nghị quyết 71/NQ-CP", None, None, None, None, None),
    (1, "Hoàn thiện Nền tảng hồ sơ sức khỏe điện tử", "Cục Công nghệ thông tin",
     "Các Sở Y tế", datetime.datetime(2025, 6, 30), "Hoàn thành",
     "Quyết định số 1234/QĐ-BYT, ngày 20 tháng 6 năm 2025"),
    (2, "Kết nối liên thông dữ liệu khám chữa bệnh với Cơ sở dữ liệu quốc gia về bảo hiểm",
     "Cục Quản lý Khám, chữa bệnh", "Bảo hiểm xã hội Việt Nam", "Tháng 6/2025",
     "Đang thực hiện", None),
    # A group row without its number, as often typed.
    ("", "Nhiệm vụ theo Kế hoạch năm 2025 của Ủy ban Quốc gia về chuyển đổi số", None, None,
     None, None, None),
    (3, "Triển khai đơn thuốc điện tử tại 100% cơ sở khám chữa bệnh", "Cục Quản lý Khám, "
     "chữa bệnh", None, "Quý III/2025", "Chưa thực hiện", None),
    (4, "Số hóa hồ sơ giải quyết thủ tục hành chính của Bộ", "Văn phòng Bộ",
     "Cục Công nghệ thông tin", datetime.datetime(2025, 12, 31), "Đã hoàn thành 80%",
     "Báo cáo số 56/BC-VP"),
]


def ministry_sheet(path: Path) -> Path:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "Tiến độ nhiệm vụ"
    _title(sheet, 1, "BỘ Y TẾ", 3)
    _title(sheet, 2, "TIẾN ĐỘ THỰC HIỆN NHIỆM VỤ CHUYỂN ĐỔI SỐ THÁNG 11/2025", 7)
    _title(sheet, 3, "(Kèm theo Báo cáo số 1020/BC-BYT ngày 25/11/2025)", 7)
    header = ("TT", "Nội dung nhiệm vụ", "Đơn vị chủ trì", "Đơn vị phối hợp", "Thời hạn",
              "Tiến độ thực hiện", "Sản phẩm/Văn bản")
    for column, text in enumerate(header, 1):
        sheet.cell(5, column, text)
    for offset, values in enumerate(MINISTRY_ROWS):
        for column, value in enumerate(values, 1):
            if value is not None:
                cell = sheet.cell(6 + offset, column, value)
                if isinstance(value, datetime.datetime):
                    cell.number_format = "dd/mm/yyyy"
        if isinstance(values[0], str):  # a group row runs across the table
            if not values[0]:
                sheet.cell(6 + offset, 1).value = None
            sheet.merge_cells(start_row=6 + offset, start_column=2, end_row=6 + offset,
                              end_column=7)
    # The signature block right under the table, with no empty row between.
    _signature(sheet, 6 + len(MINISTRY_ROWS), 2, 6, "Hà Nội", "25")
    workbook.save(path)
    return path


OCTOBER_ROWS = [
    (1, "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", 80, "41,8%", None, None),
    (2, "Tỷ lệ hồ sơ thanh toán trực tuyến", "%", "≥ 50%", "11.020/26.100", None, None),
]


def months_workbook(path: Path) -> Path:
    """A sheet per month, "T10" and "T11", and a hidden helper sheet of lists."""
    workbook = openpyxl.Workbook()
    october = workbook.active
    october.title = "T10"
    province_sheet(path, OCTOBER_ROWS, month=10, sheet=october)
    province_sheet(path, PROVINCE_ROWS[:2], month=11, sheet=workbook.create_sheet("T11"))
    helper = workbook.create_sheet("DM")
    for row, (code, name) in enumerate([("ĐVT", "Đơn vị tính"), ("%", "Phần trăm"),
                                        ("HS", "Hồ sơ")], 1):
        helper.cell(row, 1, code)
        helper.cell(row, 2, name)
    helper.sheet_state = "hidden"
    workbook.save(path)
    return path


def _file(summary) -> dict:
    (found,) = summary["files"]
    return found


def _sheet_text(path: Path) -> str:
    from giamsat.ingest.sources import read_document

    return read_document(path)


def test_a_merged_two_row_header_is_one_header_and_the_signature_is_text(tmp_path):
    from giamsat.ingest.tables import read_tables

    (table,) = read_tables(_sheet_text(province_sheet(tmp_path / "nb.xlsx")))
    assert table.header == ["STT", "Chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm 2025",
                            "Kết quả thực hiện Tháng 11/2025", "Kết quả thực hiện Lũy kế",
                            "", "Ghi chú"]
    assert [row.cells[0] for row in table.rows] == ["1", "2", "3", "4", "5", "6"]


def test_a_signature_block_right_under_the_table_is_no_row(tmp_path):
    from giamsat.ingest.tables import read_tables

    text = _sheet_text(ministry_sheet(tmp_path / "byt.xlsx"))
    (table,) = read_tables(text)
    assert [row.cells[0] for row in table.rows] == ["I", "1", "2", "", "3", "4"]
    assert "NGƯỜI LẬP BIỂU" in text.splitlines()  # kept as text, not dropped


@pytest.mark.django_db
def test_a_provinces_indicator_sheet_gives_its_own_values_for_the_month(tmp_path):
    national = Observation.objects.filter(organisation__slug="viet-nam").count()
    summary = run_import([str(province_sheet(tmp_path / "ninh-binh-t11.xlsx"))])
    values = {o.indicator.name: o for o in Observation.objects.select_related("indicator",
                                                                             "organisation")}
    assert {o.organisation.slug for o in values.values()} == {"ninh-binh"}
    assert Observation.objects.filter(organisation__slug="viet-nam").count() == national
    assert {o.period for o in values.values()} == {D(2025, 11, 1)}
    rate = Observation.objects.get(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert rate.value == Decimal("45.2")
    paid = values["Tỷ lệ hồ sơ thanh toán trực tuyến"]
    assert (paid.value, paid.numerator, paid.denominator) == (
        Decimal("45.2"), Decimal("12340"), Decimal("27300"))
    # "86,5" typed as text and 31.7 typed as a number, both under "%" in the unit column.
    digitised = values["Tỷ lệ số hóa hồ sơ, kết quả giải quyết thủ tục hành chính"]
    assert digitised.value == Decimal("86.5") and digitised.indicator.unit == "percent"
    signed = values["Tỷ lệ người dân trưởng thành có chữ ký số hoặc chữ ký điện tử cá nhân"]
    assert signed.value == Decimal("31.7") and signed.indicator.unit == "percent"
    # The month's column is the value; the cumulative one is kept in the note.
    certificates = Observation.objects.get(indicator__code="chung-thu-chu-ky-so")
    assert certificates.value == 1250 and "Lũy kế: 18430" in certificates.note
    assert "Số hồ sơ thanh toán trực tuyến" not in values
    warnings = _file(summary)["warnings"]
    (cumulative,) = [w for w in warnings if "27.300" in w["message"]]
    assert cumulative["line"] > 0
    assert not [w for w in warnings if "không phải là số lượng" in w["message"]]
    assert not _file(summary)["held_tables"]  # the signature block is no table


@pytest.mark.django_db
def test_a_ministrys_task_sheet_gives_each_rows_own_status_and_deadline(tmp_path):
    summary = run_import([str(ministry_sheet(tmp_path / "bo-y-te-t11.xlsx"))])
    # "(Kèm theo Báo cáo số 1020/BC-BYT ngày 25/11/2025)", not a product cell's date.
    assert _file(summary)["as_of"] == "2025-11-25"
    tasks = {t.title: t for t in Task.objects.select_related("directive")}
    assert len(tasks) == 4  # the group rows are no tasks, the signature block no rows
    assert not [t for t in tasks if t.startswith(("Nhiệm vụ theo", "NGƯỜI", "Nguyễn"))]
    leads = {a.task.title: a for a in Assignment.objects.filter(role=Role.LEAD)
             .select_related("task", "organisation")}
    # The ministry's own units lead its tasks: the ministry acts.
    assert {a.organisation.slug for a in leads.values()} == {"bo-y-te"}
    assert leads["Kết nối liên thông dữ liệu khám chữa bệnh với Cơ sở dữ liệu quốc gia về "
                 "bảo hiểm"].named_as == "Cục Quản lý Khám, chữa bệnh"
    done = {title: a.completed_on for title, a in leads.items()}
    assert done["Hoàn thiện Nền tảng hồ sơ sức khỏe điện tử"] is not None
    assert [t for t, on in done.items() if on is not None] == [
        "Hoàn thiện Nền tảng hồ sơ sức khỏe điện tử"]  # "Đã hoàn thành 80%" is not done
    (table,) = [s for s in _file(summary)["sections"] if s["kind"] == "task_table"]
    assert table["progress"] == {"completed": 1, "in_progress": 2, "not_started": 1}
    due = {t.title[:20]: (t.deadline.kind, t.deadline.due) for t in tasks.values()}
    assert due == {"Hoàn thiện Nền tảng ": ("date", D(2025, 6, 30)),
                   "Kết nối liên thông d": ("month", D(2025, 6, 30)),
                   "Triển khai đơn thuốc": ("quarter", D(2025, 9, 30)),
                   "Số hóa hồ sơ giải qu": ("date", D(2025, 12, 31))}
    # "I. Nhiệm vụ theo Nghị quyết 71/NQ-CP" names the directive of the rows under it.
    directives = {t.title[:20]: t.directive.number if t.directive else "" for t in
                  tasks.values()}
    assert directives["Hoàn thiện Nền tảng "] == directives["Kết nối liên thông d"] != ""
    assert "71/NQ-CP" in directives["Hoàn thiện Nền tảng "]
    assert not directives["Triển khai đơn thuốc"]
    assert not [w for w in _file(summary)["warnings"]
                if "Nhiệm vụ theo Nghị quyết" in w["message"]]
    # Its own office leads, its department helps: one assignment, not two.
    assert Assignment.objects.filter(task__title__startswith="Số hóa hồ sơ").count() == 1


@pytest.mark.django_db
def test_a_workbook_of_a_sheet_per_month_gives_each_sheet_its_month(tmp_path):
    summary = run_import([str(months_workbook(tmp_path / "ninh-binh-2025.xlsx"))])
    rates = Observation.objects.filter(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert {(o.organisation.slug, o.period, o.value) for o in rates} == {
        ("ninh-binh", D(2025, 10, 1), Decimal("41.8")),
        ("ninh-binh", D(2025, 11, 1), Decimal("45.2"))}
    assert Observation.objects.count() == 4
    assert _file(summary)["as_of"] == "2025-11-20"  # the workbook was sent with November's
    # The hidden helper sheet of lists is not read.
    assert "Phần trăm" not in _sheet_text(tmp_path / "ninh-binh-2025.xlsx")
    assert not _file(summary)["held_tables"]


@pytest.mark.django_db
def test_the_issuer_beside_the_national_motto_is_the_sheets_issuer(tmp_path):
    # "UBND TỈNH NINH BÌNH | CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" on one row was the header
    # of a table, the issuer was lost and the province's values became the country's.
    from giamsat.ingest.document import find_issuer

    path = province_sheet(tmp_path / "so-khcn.xlsx", PROVINCE_ROWS[:1], motto=True)
    assert find_issuer(_sheet_text(path).splitlines()).names == [
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ", "UBND TỈNH NINH BÌNH"]
    national = Observation.objects.filter(organisation__slug="viet-nam").count()
    run_import([str(path)])
    (rate,) = Observation.objects.filter(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert (rate.organisation.slug, rate.period, rate.value) == (
        "ninh-binh", D(2025, 11, 1), Decimal("45.2"))
    assert Observation.objects.filter(organisation__slug="viet-nam").count() == national


def _word_table(path: Path) -> Path:
    """The province's figures as a Word table: the same two-row merged header."""
    import docx

    document = docx.Document()
    for text in ("UBND TỈNH NINH BÌNH", "BIỂU SỐ LIỆU CHUYỂN ĐỔI SỐ THÁNG 10/2025",
                 "(Kèm theo Báo cáo số 498/BC-UBND ngày 20/10/2025)"):
        document.add_paragraph(text)
    rows = [("STT", "Chỉ tiêu", "Đơn vị tính", "Kết quả thực hiện", ""),
            ("", "", "", "Tháng 10/2025", "Lũy kế"),
            ("1", "Tỷ lệ hồ sơ trực tuyến toàn trình", "%", "41,8%", ""),
            ("2", "Số chứng thư chữ ký số đã cấp", "Chứng thư", "1.120", "17.180")]
    table = document.add_table(rows=len(rows), cols=5)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            if text:
                cell.text = text
    for column in range(3):
        table.cell(0, column).merge(table.cell(1, column))
    table.cell(0, 3).merge(table.cell(0, 4))
    document.save(path)
    return path


@pytest.mark.django_db
def test_a_word_table_with_a_merged_two_row_header_reads_like_the_sheet(tmp_path):
    from giamsat.ingest.tables import read_tables

    path = _word_table(tmp_path / "ninh-binh-t10.docx")
    (table,) = read_tables(_sheet_text(path))
    assert table.header[3:] == ["Kết quả thực hiện Tháng 10/2025", "Kết quả thực hiện Lũy kế"]
    assert [row.cells[0] for row in table.rows] == ["1", "2"]
    run_import([str(path)])
    values = {o.indicator.code: o for o in Observation.objects.select_related("indicator")}
    assert {(o.organisation.slug, o.period) for o in values.values()} == {
        ("ninh-binh", D(2025, 10, 1))}
    assert values["ho-so-truc-tuyen-toan-trinh"].value == Decimal("41.8")
    certificates = values["chung-thu-chu-ky-so"]
    assert certificates.value == 1120 and "Lũy kế: 17.180" in certificates.note
