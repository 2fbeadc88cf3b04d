"""The reader of "one row per line" tables (PDF extractors) and strip_html for their cells."""

import pytest
from django.utils import translation
from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.ingest.markup import cell_text, strip_html
from giamsat.ingest.tables import Row, read_cell_tables, read_row_tables, read_tables

T = "\t"

PAGED = "\n".join([
    "PHỤ LỤC 02:",                                               # 1
    "DANH MỤC NHIỆM VỤ QUÁ HẠN",                                 # 2
    T.join(["TT", "Tên nhiệm vụ", "Cơ quan", "Thời hạn"]),       # 3  header, wraps onto 4
    T.join(["", "", "chủ trì", "hoàn thành"]),                   # 4
    T.join(["(1)", "(2)", "(3)", "(4)"]),                        # 5  column numbers
    T.join(["I", "Về thể chế", "", ""]),                         # 6  group row
    T.join(["1.", "<p>Xây dựng Nghị định</p><ul><li>sửa đổi Luật A;</li></ul>",
            "Bộ Tư pháp", "Tháng 6/2025"]),                      # 7
    T.join(["2.", "Lập cơ sở dữ liệu", "Bộ Công an", "30/6/2025"]),  # 8
    T.join(["", "", "Bộ Quốc phòng", ""]),                       # 9  sub-row: no number, no task
    T.join(["3.", "Kết nối hệ thống của", "Văn phòng", "Quý"]),  # 10 cut by the page break
    "",                                                          # 11
    "- 12 -",                                                    # 12 page number
    T.join(["TT", "Tên nhiệm vụ", "Cơ quan", "Thời hạn"]),       # 13 repeated header
    T.join(["", "", "chủ trì", "hoàn thành"]),                   # 14
    T.join(["", "các bộ, ngành", "Chính phủ", "I/2025"]),        # 15 row 3 continued
    T.join(["5.", "Báo cáo Thủ tướng", "Bộ KH&amp;CN", "Hằng năm"]),  # 16 no row 4
    "",                                                          # 17
    T.join(["6.", "Tổng kết", "Bộ Nội vụ"]),                     # 18 short row, after a blank
    "Ghi chú: bảng trên gồm các nhiệm vụ quá hạn.",              # 19 text ends the table
    "Bảng 2: Tỷ lệ hồ sơ trực tuyến",                            # 20
    T.join(["TT", "Tỉnh", "Tỷ lệ (%)"]),                         # 21
    T.join(["1", "Hà Nội", "49.79", "thừa", "ô"]),               # 22 wider than the header
    "Trang 13",                                                  # 23
    T.join(["2", "Huế", "< 5%"]),                                # 24
])


@pytest.fixture
def tables():
    with translation.override("en"):
        return read_row_tables(PAGED)


def test_header_title_and_rows_across_a_page_break(tables):
    overdue, _rates = tables
    assert overdue.title == "PHỤ LỤC 02: DANH MỤC NHIỆM VỤ QUÁ HẠN"
    assert overdue.line == 3
    assert overdue.header == ["TT", "Tên nhiệm vụ", "Cơ quan\nchủ trì", "Thời hạn\nhoàn thành"]
    assert [row.line for row in overdue.rows] == [6, 7, 8, 10, 16, 18]
    assert overdue.rows[0] == Row(["I", "Về thể chế", "", ""], 6)  # group row kept
    assert overdue.rows[2].cells == ["2.", "Lập cơ sở dữ liệu", "Bộ Công an\nBộ Quốc phòng",
                                     "30/6/2025"]
    assert overdue.rows[3].cells == ["3.", "Kết nối hệ thống của\ncác bộ, ngành",
                                     "Văn phòng\nChính phủ", "Quý\nI/2025"]
    assert overdue.rows[5].cells == ["6.", "Tổng kết", "Bộ Nội vụ", ""]  # padded


def test_cells_stay_raw_and_strip_html_cleans_them(tables):
    first = tables[0].rows[1]
    assert first.cells[1] == "<p>Xây dựng Nghị định</p><ul><li>sửa đổi Luật A;</li></ul>"
    assert strip_html(first.cells[1]) == "Xây dựng Nghị định\n- sửa đổi Luật A;"
    assert cell_text(tables[0].rows[4].cells[2]) == "Bộ KH&CN"
    assert cell_text(tables[1].rows[1].cells[2]) == "< 5%"


def test_numbering_gap_and_wide_row_are_warned_with_their_lines(tables):
    overdue, rates = tables
    assert overdue.warnings == [
        (16, "Row numbers jump from 3 to 5: rows may be missing.")]
    assert rates.warnings == [(22, "The row has 5 cells, the header 3: the extra cells were "
                                   "joined into the last one.")]
    assert rates.rows[0].cells == ["1", "Hà Nội", "49.79 thừa ô"]


def test_second_table_title_and_page_number_inside_it(tables):
    _overdue, rates = tables
    assert rates.title == "Ghi chú: bảng trên gồm các nhiệm vụ quá hạn. Bảng 2: Tỷ lệ hồ sơ " \
                          "trực tuyến"
    assert [row.line for row in rates.rows] == [22, 24]


def test_blank_line_before_text_ends_the_table():
    text = "A\tB\tC\n1\tx\ty\n\nVăn bản sau bảng.\n2\tz\n"
    (table,) = read_row_tables(text)
    assert [row.cells for row in table.rows] == [["1", "x", "y"]]


def test_column_numbers_only_right_under_the_header():
    text = "TT\tA\tB\n1\t2\t3\n1\tx\ty\n1\t2\t3\n"
    (table,) = read_row_tables(text)
    assert table.rows == [Row(["1", "x", "y"], 3), Row(["1", "2", "3"], 4)]


def test_what_is_not_a_row_table():
    assert read_row_tables("") == []
    assert read_row_tables("Hà Nội, ngày 18/7/2025\tSố: 123/BC\n") == []  # two cells only
    assert read_row_tables("\tTT\n\tTên\n\tCơ quan\n") == []  # cell-per-line: leading TAB
    assert read_row_tables("\tTT\tTên\tCơ quan\n") == []


def test_read_tables_orders_both_kinds_and_skips_continued_rows():
    text = "\n".join([
        "Bảng 1",
        "\tTT", "\tTên", "",
        "\t1", "\tx", "",
        "Bảng 2",
        "TT\tTên\tCơ quan",
        "1\tLập\tBộ A",
        "\tdữ liệu",  # starts with a TAB: a continued row, not a cell-per-line table
        "2\tKết nối\tBộ B",
    ])
    cells, rows = read_tables(text)
    assert (cells.title, cells.header, cells.line) == ("Bảng 1", ["TT", "Tên"], 2)
    assert (rows.title, rows.line) == ("Bảng 2", 9)
    assert [row.cells for row in rows.rows] == [["1", "Lập\ndữ liệu", "Bộ A"],
                                                ["2", "Kết nối", "Bộ B"]]
    assert len(read_cell_tables(text)) == 2  # the continued row fools the cell reader alone


@pytest.mark.parametrize(("raw", "expected"), [
    ("<p>Bộ KH&amp;CN</p>", "Bộ KH&CN"),
    ("a<br>b<br/>c<br />d<BR>e", "a\nb\nc\nd\ne"),
    ("<ul><li>một</li><li>hai</li></ul>", "- một\n- hai"),
    ("<span style='color:red'>Hà</span>&nbsp;Nội", "Hà\xa0Nội"),
    ("B&#7897; C&#xF4;ng an", "Bộ Công an"),
    ("tỷ lệ < 5% và <Tên đơn vị>", "tỷ lệ < 5% và <Tên đơn vị>"),  # not tags
    ("Sở XD&GT; Sở KH&CN", "Sở XD&GT; Sở KH&CN"),  # abbreviations, not entities
    ("không có HTML\n\ngiữ nguyên  ", "không có HTML\n\ngiữ nguyên  "),
    ("", ""),
])
def test_strip_html(raw, expected):
    assert strip_html(raw) == expected


def test_cell_text_cleans_what_strip_html_leaves():
    assert cell_text("<p>Xây dựng</p>\n<p>  Nghị định&nbsp;mới </p>") == "Xây dựng Nghị định mới"


@pytest.mark.corpus
def test_corpus_has_no_row_tables_and_read_tables_keeps_the_cell_tables(corpus_text):
    for prefix in ("000", "001", "003", "004"):
        assert read_row_tables(corpus_text(prefix)) == []
    assert read_tables(corpus_text("004")) == read_cell_tables(corpus_text("004"))


# Pieces of the structures the reader reacts to, shuffled together.
PIECES = st.lists(st.sampled_from([
    "\t", "\n", "\n\n", "TT", "1.", "2", "5.", "I", "x", " ", "- 3 -", "Trang 4", "12/30",
    "PHỤ LỤC 01", "<p>", "&amp;", "(1)", "TT\tTên\tCơ quan\n", "\t\t",
]), max_size=60).map("".join)


@settings(max_examples=300, deadline=None)
@given(text=st.text() | PIECES)
def test_row_reader_never_raises_and_rows_keep_the_header_width(text):
    tables = read_row_tables(text)
    for table in tables:
        assert all(len(row.cells) == len(table.header) for row in table.rows)
        assert [row.line for row in table.rows] == sorted({row.line for row in table.rows})
        assert all(line >= table.line for line, _message in table.warnings)
    mixed = read_tables(text)
    assert [table.line for table in mixed] == sorted(table.line for table in mixed)
    for piece in (strip_html(text), cell_text(text)):
        assert isinstance(piece, str)


def test_header_repeated_before_any_row_is_not_data():
    text = "TT\tTên\tCơ quan\n- 1 -\nTT\tTên\tCơ quan\n1\tLập\tBộ A\n"
    (table,) = read_row_tables(text)
    assert table.rows == [Row(["1", "Lập", "Bộ A"], 4)]
