"""An agency's own monthly report to the standing office (a province's UBND, a ministry):
the document the standing office receives most often. Its figures are the agency's, its
task table says row by row how far each task is, its difficulties and proposals are the
agency's to raise, its next month's tasks are its own."""

import datetime
from decimal import Decimal
from pathlib import Path

import docx
import pytest

from giamsat.difficulties.models import Difficulty, State
from giamsat.indicators.models import Observation
from giamsat.ingest.document import find_issuer
from giamsat.ingest.table_records import row_progress
from giamsat.ingest.write import run_import
from giamsat.tasks.models import Appearance, Assignment, Role, Task

DATA = Path(__file__).resolve().parents[1] / "data"
NINH_BINH = DATA / "agency_report_ninh_binh.txt"
BO_Y_TE = DATA / "agency_report_bo_y_te.txt"
D = datetime.date


def warnings_of(summary) -> list[dict]:
    return summary["files"][0]["warnings"]


@pytest.mark.parametrize(("header", "names"), [
    ("ỦY BAN NHÂN DÂN\nTỈNH NINH BÌNH\nSố: 512/BC-UBND", ["ỦY BAN NHÂN DÂN TỈNH NINH BÌNH"]),
    ("UBND TỈNH NINH BÌNH\n_______\nSố: 512/BC-UBND", ["UBND TỈNH NINH BÌNH"]),
    ("UBND THÀNH PHỐ HÀ NỘI        CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", ["UBND THÀNH PHỐ HÀ NỘI"]),
    ("BỘ TÀI CHÍNH\nSố: 45/BC-BTC", ["BỘ TÀI CHÍNH"]),
    ("BỘ Y TẾ\nCỤC CÔNG NGHỆ THÔNG TIN\nSố: 3/BC-CNTT", ["CỤC CÔNG NGHỆ THÔNG TIN", "BỘ Y TẾ"]),
    ("UBND TỈNH NINH BÌNH\nSỞ KHOA HỌC VÀ CÔNG NGHỆ\nSố: 7/BC-SKHCN",
     ["SỞ KHOA HỌC VÀ CÔNG NGHỆ", "UBND TỈNH NINH BÌNH"]),
    ("SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NINH BÌNH\nSố: 7/BC-SKHCN",
     ["SỞ KHOA HỌC VÀ CÔNG NGHỆ TỈNH NINH BÌNH", "TỈNH NINH BÌNH"]),
    ("Số: 9/BC\nBÁO CÁO\nThực hiện Công văn số 4512/BKHCN-CĐSQG ngày 05/11/2025 của Bộ Khoa học "
     "và Công nghệ, UBND tỉnh Ninh Bình báo cáo kết quả như sau:", ["UBND tỉnh Ninh Bình"]),
    ("BÁO CÁO\nI. KẾT QUẢ\nNội dung.\nUBND tỉnh Ninh Bình trân trọng báo cáo./.",
     ["UBND tỉnh Ninh Bình"]),
    ("PHỤ LỤC\nKẾT QUẢ\n(Kèm theo Báo cáo số 512/BC-UBND ngày 20/11/2025 của UBND tỉnh Ninh "
     "Bình)", ["UBND tỉnh Ninh Bình"]),
    ("BÁO CÁO\nTháng 4 mới có Bộ Công an báo cáo triển khai các nội dung.", []),
])
def test_the_issuer_is_read_in_its_usual_spellings(header, names):
    assert find_issuer(header.splitlines()).names == names


@pytest.mark.django_db
def test_a_provinces_report_gives_its_own_values_and_each_rows_own_status():
    national_before = Observation.objects.filter(organisation__slug="viet-nam").count()
    summary = run_import([str(NINH_BINH)])
    values = Observation.objects.filter(period=D(2025, 11, 1))
    assert {o.organisation.slug for o in values} == {"ninh-binh"}
    assert Observation.objects.filter(organisation__slug="viet-nam").count() == national_before
    rate = values.get(indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert (rate.value, rate.numerator, rate.denominator) == (
        Decimal("45.2"), Decimal("12340"), Decimal("27300"))
    assert values.get(indicator__code="ho-gia-dinh-cap-quang").value == Decimal("86.5")

    # The appendix: its heading, and only the row that says it is done is completed.
    table = next(s for s in summary["files"][0]["sections"] if s["line"] == 36)
    assert table["kind"] == "task_table"
    assert table["title"].startswith("PHỤ LỤC KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO")
    assert "CỘNG HÒA" not in table["title"] and len(table["title"]) < 200
    assert table["progress"] == {"completed": 1, "in_progress": 3}
    done = {a.task.title: a.completed_on for a in Assignment.objects.filter(
        role=Role.LEAD, task__appearances__line__gte=37).select_related("task")}
    assert done == {
        "Ban hành Kế hoạch chuyển đổi số năm 2026": D(2025, 11, 10),  # its evidence's date
        "Kết nối hệ thống một cửa điện tử với Cổng dịch vụ công quốc gia": None,
        "Số hóa hồ sơ, kết quả giải quyết TTHC": None,
        "Bảo đảm 100% xã có kết nối cáp quang": None,
    }
    assert set(Appearance.objects.filter(line__in=(38, 39, 40)).values_list(
        "state", flat=True)) == {"planned"}
    # A province's departments act for it.
    assert {a.organisation.slug for a in Assignment.objects.all()} == {"ninh-binh"}

    # The proposal names the agency asked; no warning says it names none.
    messages = [w["message"] for w in warnings_of(summary)]
    assert not any("không nêu cơ quan" in m or "names no agency" in m for m in messages)


@pytest.mark.django_db
def test_a_provinces_difficulties_proposals_and_next_tasks_are_its_own():
    summary = run_import([str(NINH_BINH)])
    items = Difficulty.objects.order_by("line")
    assert [(d.line, d.raised_by.slug, d.raised_for, d.state) for d in items] == [
        (23, "ninh-binh", D(2025, 11, 1), State.RAISED),
        (24, "ninh-binh", D(2025, 11, 1), State.RAISED),
        (27, "ninh-binh", D(2025, 11, 1), State.RAISED),
    ]
    assert items[0].problem.startswith("Kinh phí cho chuyển đổi số cấp xã")
    assert items[0].solution == ""
    assert items[2].solution.startswith("Đề nghị Bộ Tài chính hướng dẫn nguồn kinh phí")
    assert summary["files"][0]["difficulties"] == 3
    task = Task.objects.get(title__startswith="Hoàn thành số hóa hồ sơ")
    assert task.deadline_due == D(2025, 12, 31)
    assert task.assignments.get().organisation.slug == "ninh-binh"
    assert Task.objects.get(title__startswith="Triển khai Trung tâm giám sát").deadline_due == \
        D(2026, 3, 31)

    again = run_import([str(NINH_BINH)])  # the same file: nothing new
    assert again["files"][0]["difficulties"] == 0 and Difficulty.objects.count() == 3
    assert again["files"][0]["tasks_created"] == 0


@pytest.mark.django_db
def test_a_ministrys_report_under_its_unit_is_the_ministrys():
    summary = run_import([str(BO_Y_TE)])
    values = {(o.organisation.slug, o.value, o.numerator, o.denominator)
              for o in Observation.objects.filter(period=D(2025, 11, 1))}
    # "của cả nước" is the country's, whoever says it.
    assert values == {("bo-y-te", Decimal("61.3"), Decimal("4905"), Decimal("8002")),
                      ("viet-nam", Decimal("50.1"), None, None)}
    # Under the heading of tasks done, rows that say otherwise are not completed.
    leads = {a.task.title: a.completed_on for a in Assignment.objects.filter(
        organisation__slug="bo-y-te", role=Role.LEAD).select_related("task")}
    assert leads == {"Ban hành Quy chế quản lý hồ sơ sức khỏe điện tử": D(2025, 10, 15),
                     "Triển khai bệnh án điện tử tại các bệnh viện trực thuộc Bộ": None,
                     "Kết nối Sổ sức khỏe điện tử với ứng dụng VNeID": None}
    lines = {w["line"] for w in warnings_of(summary)
             if "heading of completed tasks" in w["message"]
             or "tiêu đề nhiệm vụ đã hoàn thành" in w["message"]}
    assert lines == {40, 46}
    # A proposal with a deadline is a task of the agency it asks, as elsewhere.
    proposal = Task.objects.get(title__startswith="Kiến nghị Bộ Công an")
    assert proposal.assignments.get().organisation.slug == "bo-cong-an"
    assert [(d.raised_by.slug, d.line) for d in Difficulty.objects.all()] == [("bo-y-te", 20)]


def _docx(path: Path) -> Path:
    document = docx.Document()
    for text in ("UBND THÀNH PHỐ HÀ NỘI", "Số: 88/BC-UBND", "Hà Nội, ngày 03 tháng 12 năm 2025",
                 "BÁO CÁO", "Kết quả chuyển đổi số tháng 11 năm 2025", "I. KẾT QUẢ",
                 "- Tỷ lệ hồ sơ trực tuyến toàn trình đạt 71,4% (25.000/35.000 hồ sơ).",
                 "KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO"):
        document.add_paragraph(text)
    rows = [("STT", "Nhiệm vụ", "Đơn vị chủ trì", "Thời hạn", "Tiến độ thực hiện"),
            ("1", "Vận hành Trung tâm điều hành thông minh", "Sở Khoa học và Công nghệ",
             "Tháng 11/2025", "Hoàn thành ngày 12/11/2025"),
            ("2", "Số hóa hồ sơ hộ tịch", "Sở Tư pháp", "Tháng 12/2025", "Đang thực hiện"),
            ("3", "Cấp chữ ký số cho cán bộ cấp xã", "Sở Nội vụ", "Quý IV/2025",
             "Chưa thực hiện"),
            ("4", "Chuẩn hóa dữ liệu đất đai", "Sở Nông nghiệp và Môi trường", "Tháng 12/2025",
             "Tạm dừng chờ hướng dẫn")]
    table = document.add_table(rows=len(rows), cols=5)
    for row, cells in zip(table.rows, rows, strict=True):
        for cell, text in zip(row.cells, cells, strict=True):
            cell.text = text
    document.add_paragraph("UBND thành phố Hà Nội trân trọng báo cáo./.")
    document.save(path)
    return path


@pytest.mark.django_db
def test_a_word_report_with_its_appendix_as_a_word_table(tmp_path):
    summary = run_import([str(_docx(tmp_path / "ha-noi-thang-11.docx"))])
    (rate,) = Observation.objects.filter(period=D(2025, 11, 1))
    assert (rate.organisation.slug, rate.value, rate.numerator, rate.denominator) == (
        "ha-noi", Decimal("71.4"), Decimal("25000"), Decimal("35000"))
    (table,) = [s for s in summary["files"][0]["sections"] if s["kind"] == "task_table"]
    assert table["title"] == "KẾT QUẢ THỰC HIỆN NHIỆM VỤ ĐƯỢC GIAO"
    assert table["progress"] == {"completed": 1, "in_progress": 1, "not_started": 1,
                                 "unknown": 1}
    done = {a.task.title: a.completed_on for a in Assignment.objects.select_related("task")}
    assert done == {"Vận hành Trung tâm điều hành thông minh": D(2025, 11, 12),
                    "Số hóa hồ sơ hộ tịch": None, "Cấp chữ ký số cho cán bộ cấp xã": None,
                    "Chuẩn hóa dữ liệu đất đai": None}
    unclear = [w for w in warnings_of(summary) if "Tạm dừng chờ hướng dẫn" in w["message"]]
    assert len(unclear) == 1 and unclear[0]["line"] > 0


@pytest.mark.django_db
def test_an_issuer_no_name_fits_keeps_its_values_waiting_not_national(tmp_path):
    from giamsat.ingest.models import Unplaced

    path = tmp_path / "bao-cao.txt"
    path.write_text(NINH_BINH.read_text(encoding="utf-8").replace(
        "TỈNH NINH BÌNH\n", "TỈNH HOÀNG LIÊN SƠN\n", 1).replace(
        "của UBND tỉnh Ninh Bình", "của UBND tỉnh Hoàng Liên Sơn"), encoding="utf-8")
    summary = run_import([str(path)])
    assert not Observation.objects.filter(period=D(2025, 11, 1)).exists()
    assert not Difficulty.objects.exists()
    lines = {w["line"] for w in warnings_of(summary)}
    assert {1, 17, 18, 23, 24, 27} <= lines  # the issuer, each value, each item
    waiting = Unplaced.objects.filter(context="value")
    assert {u.line for u in waiting} == {17, 18}
    assert {u.text for u in waiting} == {"ỦY BAN NHÂN DÂN TỈNH HOÀNG LIÊN SƠN"}


@pytest.mark.parametrize(("words", "progress"), [
    ("Đã hoàn thành (Kế hoạch số 215/KH-UBND ngày 10/11/2025)", "completed"),
    ("Hoàn thành", "completed"),
    ("Đã ban hành Quyết định số 12/QĐ-UBND", "completed"),
    ("Đã hoàn thành 80% khối lượng", "in_progress"),
    ("Hoàn thành khoảng 60%", "in_progress"),
    ("Đã đạt 45%", "in_progress"),
    ("Chưa hoàn thành", "in_progress"),
    ("Đang triển khai, đạt 75%", "in_progress"),
    ("Chưa triển khai", "not_started"),
    ("Hoàn thành trong tháng 12/2025", ""),
    ("Văn bản số 45/UBND-KSTT", ""),
])
def test_a_row_says_how_far_its_task_is_in_its_own_words(words, progress):
    assert row_progress(words) == progress


@pytest.mark.django_db
def test_a_day_in_brackets_after_a_rate_is_not_its_counts(tmp_path):
    """"đạt 45,2% (15/6)": 15/6 gives 250%, not 45,2%, so it is a day, not the counts."""
    text = NINH_BINH.read_text(encoding="utf-8").replace("(12.340/27.300 hồ sơ)", "(15/6)")
    assert "(15/6)" in text
    (tmp_path / "ninh_binh.txt").write_text(text, encoding="utf-8")
    run_import([str(tmp_path / "ninh_binh.txt")])
    rate = Observation.objects.get(period=D(2025, 11, 1),
                                   indicator__code="ho-so-truc-tuyen-toan-trinh")
    assert (rate.value, rate.numerator, rate.denominator) == (Decimal("45.2"), None, None)
