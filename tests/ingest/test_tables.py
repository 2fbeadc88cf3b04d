"""The reader of "one cell per line" tables (corpus 004 and exports like it)."""

import re

import pytest

from giamsat.ingest.tables import Row, Table, find_column, read_cell_tables

SMALL = (
    "PHỤ LỤC 02:\n"
    "DANH MỤC NHIỆM VỤ QUÁ HẠN\n"
    "\tTT\n"
    "\tTên nhiệm vụ\n"
    "\tCơ quan \n"
    "chủ trì\n"
    "\tThời hạn hoàn thành\n"
    "\n"
    "\tI\n"
    "\tVề thể chế\n"
    "\t\n"
    "\t\n"
    "\n"
    "\t1. \n"
    "\tXây dựng Nghị định\n"
    "- sửa đổi Luật A;\n"
    "- sửa đổi Luật B\n"
    "\tBộ Tư pháp\n"
    "\tTháng \n"
    "6/2025\n"
    "\n"
    "\t2. \n"
    "\tLập cơ sở dữ liệu\n"
    "\t\n"
    "\t30/6/2025\n"
)


def test_small_table_header_title_and_rows():
    (table,) = read_cell_tables(SMALL)
    assert table.title == "PHỤ LỤC 02: DANH MỤC NHIỆM VỤ QUÁ HẠN"
    assert table.line == 3
    assert table.header == ["TT", "Tên nhiệm vụ", "Cơ quan \nchủ trì", "Thời hạn hoàn thành"]
    assert [row.line for row in table.rows] == [9, 14, 22]
    group, first, second = table.rows
    assert group.cells == ["I", "Về thể chế", "", ""]  # a group row: no number, empty cells
    assert first.cells == [
        "1. ",
        "Xây dựng Nghị định\n- sửa đổi Luật A;\n- sửa đổi Luật B",  # wrapped lines kept
        "Bộ Tư pháp",
        "Tháng \n6/2025",
    ]
    assert second.cells == ["2. ", "Lập cơ sở dữ liệu", "", "30/6/2025"]  # an empty cell


def test_group_row_written_on_one_line_is_one_cell_per_tab():
    # Only a leading TAB starts a cell; a TAB inside the text stays in the cell.
    (table,) = read_cell_tables("\tTT\n\tNội dung\n\n\tI\tVề thể chế\n\t\n")
    assert table.rows[0].cells == ["I\tVề thể chế", ""]


def test_text_after_a_blank_line_ends_the_table_and_titles_the_next():
    text = (
        "Bảng 1\n\tA\n\tB\n\n\t1\n\tx\n\n"
        "a) Nhiệm vụ tháng 8/2025:\n\tA\n\tB\n\n\t1\n\ty\n"
    )
    first, second = read_cell_tables(text)
    assert (first.title, second.title) == ("Bảng 1", "a) Nhiệm vụ tháng 8/2025:")
    assert first.rows == [Row(["1", "x"], 5)]
    assert second.rows == [Row(["1", "y"], 12)]
    assert second.line == 9


def test_appendix_heading_ends_a_table_even_right_after_a_cell():
    # 004 has "PHỤ LỤC 05:" straight after the last cell of appendix 04, no blank line.
    text = "\tA\n\tB\n\n\t1\n\tx\n PHỤ LỤC 05:\nDANH MỤC\n\n\tA\n\tB\n\n\t1\n\ty\n"
    first, second = read_cell_tables(text)
    assert first.rows[0].cells == ["1", "x"]
    assert second.title == "PHỤ LỤC 05: DANH MỤC"


def test_a_row_cut_by_a_blank_line_inside_a_cell_is_joined():
    # 004 row 70: "…với các chủ đề:\n- Trí tuệ nhân tạo;\n\n\tBộ Khoa học và Công nghệ…"
    text = (
        "\tTT\n\tTên\n\tCơ quan\n\tThời hạn\n\n"
        "\t70.\n\tHội nghị:\n- AI;\n\n\tBộ KH&CN\n\tTháng 6/2025\n"
    )
    (table,) = read_cell_tables(text)
    assert table.rows == [Row(["70.", "Hội nghị:\n- AI;", "Bộ KH&CN", "Tháng 6/2025"], 6)]


def test_repeated_header_after_a_page_break_is_dropped():
    text = "\tTT\n\tTên\n\n\t1\n\tx\n\n\tTT\n\tTên\n\n\t2\n\ty\n"
    (table,) = read_cell_tables(text)
    assert [row.cells for row in table.rows] == [["1", "x"], ["2", "y"]]


def test_no_tables_and_odd_input():
    assert read_cell_tables("") == []
    assert read_cell_tables("Chỉ có văn bản.\n\nKhông có bảng.") == []
    (table,) = read_cell_tables("\tchỉ một tiêu đề")
    assert table == Table(header=["chỉ một tiêu đề"], rows=[], line=1, title="")
    (table,) = read_cell_tables("\tA\r\n\tB\r\n\r\n\t1\r\n\t2\r\n")  # Windows line ends
    assert table.header == ["A", "B"] and table.rows[0].cells == ["1", "2"]


def test_row_cell_tolerates_short_rows():
    row = Row(["1.", "x"], 1)
    assert (row.cell(1), row.cell(5), row.cell(None), row.cell(-1)) == ("x", "", "", "")


@pytest.mark.parametrize(
    ("patterns", "expected"),
    [
        (("thời gian hoàn thành", "thời hạn"), 3),
        (("THOI GIAN",), 3),  # case and diacritics do not matter
        (("thời hạn",), None),
        (("cơ quan chủ trì",), 2),  # the wrapped "Cơ quan \nchủ trì" matches
        (("không có", "tên nhiệm vụ"), 1),  # the first pattern that matches wins
        (("không có",), None),
        (("",), None),
    ],
)
def test_find_column(patterns, expected):
    header = ["TT", "Tên nhiệm vụ", "Cơ quan \nchủ trì", "Thời gian hoàn thành"]
    assert find_column(header, *patterns) == expected


def _numbered(table: Table) -> list[int]:
    return [int(m[1]) for row in table.rows if (m := re.fullmatch(r"\s*(\d+)\.?\s*", row.cell(0)))]


@pytest.mark.corpus
def test_corpus_004_appendices_01_and_02(corpus_text):
    tables = read_cell_tables(corpus_text("004"))
    by_appendix = {t.title[:11]: t for t in tables if t.title.startswith("PHỤ LỤC")}
    completed, overdue = by_appendix["PHỤ LỤC 01:"], by_appendix["PHỤ LỤC 02:"]
    assert "ĐÃ HOÀN THÀNH" in completed.title and "QUÁ HẠN" in overdue.title
    assert _numbered(completed) == list(range(1, 77))  # 76 completed tasks
    assert _numbered(overdue) == list(range(1, 31))  # 30 overdue tasks
    assert all(len(row.cells) == len(completed.header) for row in completed.rows)
    assert all(len(row.cells) == len(overdue.header) for row in overdue.rows)
    assert find_column(overdue.header, "thời hạn") == 4
    assert overdue.rows[1].cells[1:5] == [
        "Tham mưu Chính phủ thành lập Ủy ban dữ liệu quốc gia",
        "Nghị quyết số 71/NQ-CP",
        "Bộ Công an",
        "31/3/2025",
    ]


@pytest.mark.corpus
def test_corpus_004_all_tables(corpus_text):
    tables = read_cell_tables(corpus_text("004"))
    # 01, 02, three tables of 03 (ministries, 63 and 34 provinces), 04, 05, 06 in 8 parts.
    assert len(tables) == 15
    provinces_63, provinces_34 = tables[3], tables[4]
    assert _numbered(provinces_63) == list(range(1, 64))
    assert _numbered(provinces_34) == list(range(1, 35))
    overdue_again = tables[7]  # appendix 06 part 1 repeats the 30 overdue tasks of 02
    assert overdue_again.title.startswith("PHỤ LỤC 06:")
    assert [r.cells for r in overdue_again.rows] == [r.cells for r in tables[1].rows]
