"""Columns by meaning: headers the way ministries and provinces write them, none of them
copied from the corpus, and the kind of table they make."""

import pytest

from giamsat.ingest.columns import Meaning, TableKind, read_header, signature, table_kind

M = Meaning

HEADERS = [
    # A province's plan: other words for every column.
    (["STT", "Nội dung công việc", "Đơn vị thực hiện", "Đơn vị phối hợp",
      "Thời gian hoàn thành", "Sản phẩm"], "",
     TableKind.TASKS, [M.NUMBER, M.TITLE, M.LEADS, M.COORDINATORS, M.DEADLINE,
                       M.EXPECTED_OUTPUT]),
    # Upper case and abbreviations.
    (["TT", "NHIỆM VỤ", "CQ CHỦ TRÌ", "CQ PHỐI HỢP", "THỜI HẠN", "TÌNH HÌNH THỰC HIỆN"], "",
     TableKind.TASKS, [M.NUMBER, M.TITLE, M.LEADS, M.COORDINATORS, M.DEADLINE, M.STATUS]),
    # Typed without diacritics.
    (["So TT", "Ten nhiem vu", "Co quan chu tri", "Thoi han hoan thanh", "Ket qua thuc hien",
      "Ghi chu"], "", TableKind.TASKS,
     [M.NUMBER, M.TITLE, M.LEADS, M.DEADLINE, M.RESULT, M.NOTES]),
    # A typo and a wrapped cell.
    (["TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Thời hạn hòan thành"], "", TableKind.TASKS,
     [M.NUMBER, M.TITLE, M.LEADS, M.DEADLINE]),
    # The heading says what the rows are.
    (["TT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Kết quả"],
     "PHỤ LỤC II: CÁC NHIỆM VỤ CHẬM TIẾN ĐỘ", TableKind.OVERDUE,
     [M.NUMBER, M.TITLE, M.LEADS, M.DEADLINE, M.RESULT]),
    (["TT", "Nội dung", "Đơn vị chủ trì", "Thời hạn", "Văn bản minh chứng"],
     "DANH MỤC NHIỆM VỤ ĐÃ HOÀN THÀNH QUÝ III", TableKind.COMPLETED,
     [M.NUMBER, M.TITLE, M.LEADS, M.DEADLINE, M.EVIDENCE]),
    (["TT", "Nhiệm vụ", "Văn bản giao", "Đơn vị chủ trì", "Hạn hoàn thành",
      "Cơ quan chưa hoàn thành"], "", TableKind.OVERDUE,
     [M.NUMBER, M.TITLE, M.DIRECTIVE, M.LEADS, M.DEADLINE, M.OPEN_AGENCIES]),
    (["STT", "Tên đề án, nhiệm vụ", "Cấp trình", "Cơ quan chủ trì", "Thời gian trình",
      "Tiến độ thực hiện"], "", TableKind.TASKS,
     [M.NUMBER, M.TITLE, M.EXPECTED_OUTPUT, M.LEADS, M.DEADLINE, M.STATUS]),
    # Indicator results.
    (["TT", "Chỉ tiêu", "Mục tiêu năm 2025", "Cơ quan chủ trì", "Tiến độ", "Kết quả"], "",
     TableKind.INDICATOR_RESULTS, [M.NUMBER, M.INDICATOR, M.TARGET, M.LEADS, M.STATUS,
                                   M.RESULT]),
    (["STT", "Tên chỉ tiêu", "Đơn vị tính", "Chỉ tiêu năm 2025", "Kết quả đạt được",
      "Đánh giá"], "", TableKind.INDICATOR_RESULTS,
     [M.NUMBER, M.INDICATOR, M.UNIT, M.TARGET, M.VALUE, M.STATUS]),
    (["TT", "Nội dung", "Chỉ tiêu giao", "Kết quả"], "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU",
     TableKind.INDICATOR_RESULTS, [M.NUMBER, M.TITLE, M.TARGET, M.RESULT]),
    # Problems with their solutions.
    (["TT", "Vấn đề", "Giải pháp", "Cơ quan chủ trì", "Thời hạn"], "", TableKind.PROBLEMS,
     [M.NUMBER, M.PROBLEM, M.SOLUTION, M.LEADS, M.DEADLINE]),
    (["TT", "Khó khăn, vướng mắc", "Kiến nghị, đề xuất", "Cơ quan giải quyết"], "",
     TableKind.PROBLEMS, [M.NUMBER, M.PROBLEM, M.SOLUTION, M.LEADS]),
    # Values per agency and month.
    (["TT", "Đơn vị", "Kế hoạch tháng 7", "Thực hiện tháng 7", "Ghi chú"], "",
     TableKind.AGENCY_VALUES, [M.NUMBER, M.LEADS, M.PERIOD_TARGET, M.PERIOD_VALUE, M.NOTES]),
    (["STT", "Tỉnh, thành phố", "Đăng ký chỉ tiêu tháng 8/2025", "Tỷ lệ đạt được tháng 8/2025"],
     "", TableKind.AGENCY_VALUES, [M.NUMBER, M.AGENCY, M.PERIOD_TARGET, M.PERIOD_VALUE]),
]


@pytest.mark.parametrize(("header", "heading", "kind", "meanings"), HEADERS,
                         ids=[" | ".join(h[0])[:60] for h in HEADERS])
def test_headers_not_seen_before_are_read_by_meaning(header, heading, kind, meanings):
    columns = read_header(header)
    assert [columns.meanings.get(i) for i in range(len(header))] == meanings
    assert table_kind(columns, heading) == kind


def test_period_columns_keep_their_month_and_day():
    columns = read_header(["Tỉnh/TP", "Đặt chỉ tiêu tháng 7", "Tỷ lệ đạt được đến 09/7/2025"])
    assert columns.periods == {1: (None, 7, None), 2: (2025, 7, 9)}


@pytest.mark.parametrize("header", [
    ["TT", "Họ và tên", "Chức vụ", "Số điện thoại"],
    ["Mục", "Bên thực thi", "Dự kiến xong"],
    ["TT", "Cột A", "Cột B"],
])
def test_a_header_that_says_nothing_known_is_no_kind(header):
    assert table_kind(read_header(header), "") is None


def test_the_signature_of_a_header_ignores_case_accents_wraps_and_brackets():
    assert signature(["TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì (1)"]) == \
        signature(["tt", "TEN NHIEM VU", "Cơ quan chủ trì"])
    assert signature(["TT", "Tên nhiệm vụ"]) != signature(["TT", "Tên chỉ tiêu"])
