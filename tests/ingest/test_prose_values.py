"""Targets, indicator statements and agency lists read from prose (corpus 001 and 000)."""

import datetime
import unicodedata
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from giamsat.ingest.prose.shortfalls import read_agency_lists
from giamsat.ingest.prose.statements import read_indicator_statements, report_period
from giamsat.ingest.prose.targets import read_targets
from giamsat.ingest.records import (
    AgencyListRecord,
    IndicatorProposal,
    SectionKind,
    TargetRecord,
    ValueRecord,
)

END_2025 = datetime.date(2025, 12, 31)
APRIL, MARCH = datetime.date(2025, 4, 1), datetime.date(2025, 3, 1)


def records(sections, kind=None):
    found = [r for s in sections for r in s.records]
    return found if kind is None else [r for r in found if isinstance(r, kind)]


def read(reader, text, claimed=None, context=None):
    claimed = set() if claimed is None else claimed
    return reader(text.splitlines(), claimed, context)


# --- 001: the 2025 targets -----------------------------------------------------------------


@pytest.fixture(scope="module")
def targets_001(corpus_text):
    claimed: set[int] = set()
    sections, warnings = read(read_targets, corpus_text("001"), claimed)
    return sections, warnings, claimed


def target(sections, indicator, organisation=""):
    (found,) = [r for r in records(sections, TargetRecord)
                if r.indicator == indicator and r.organisation == organisation]
    return found


def test_001_one_targets_section_for_2025(targets_001):
    sections, _warnings, _claimed = targets_001
    (section,) = sections
    assert section.kind == SectionKind.TARGETS
    assert section.title == "b) Mục tiêu cụ thể năm 2025"
    assert section.line == 14
    assert {r.period_end for r in section.records} == {END_2025}


def test_001_national_rate_with_the_two_groups(targets_001):
    sections, _warnings, claimed = targets_001
    national = target(sections, "ho-so-truc-tuyen-toan-trinh")
    ministries = target(sections, "ho-so-truc-tuyen-toan-trinh", "khối bộ")
    provinces = target(sections, "ho-so-truc-tuyen-toan-trinh", "khối địa phương")
    assert (national.minimum, national.aspiration, national.line) == (80, None, 18)
    assert (ministries.minimum, provinces.minimum) == (85, 70)
    assert provinces.line == 19
    assert national.raw.startswith("- Tỉ lệ hồ sơ trực tuyến toàn trình của cả nước: 80%")
    assert national.unit == "percent"
    assert {18, 19} <= claimed


def test_001_two_level_target(targets_001):
    sections, _warnings, _claimed = targets_001
    signatures = target(sections, "chu-ky-so-dan-so-truong-thanh")
    assert (signatures.minimum, signatures.aspiration) == (50, 70)


@pytest.mark.parametrize(("indicator", "minimum", "aspiration", "unit"), [
    ("doanh-nghiep-cong-nghe-so", Decimal(81400), None, "count"),
    ("quy-mo-kinh-te-so", Decimal("20.5"), None, "percent"),
    ("tang-truong-kinh-te-so-ict", 15, None, "percent"),
    ("doanh-nghiep-cong-nghe-so-ngang-tam", 2, None, "count"),
    ("tang-truong-thanh-toan-khong-tien-mat", 20, 25, "percent"),  # "20 - 25%/năm"
    ("tram-5g-so-voi-4g", None, 50, "percent"),  # "phấn đấu" alone: an aspiration
    ("xep-hang-lien-hop-quoc", 63, None, "rank"),  # "(xếp thứ 63)", not "tăng 04 bậc"
    ("xep-hang-itu", 65, None, "rank"),
    ("xep-hang-an-toan-an-ninh-mang", None, 16, "rank"),
    ("toc-do-internet-co-dinh-ho-gia-dinh", 1000, None, "mbps"),  # 01 Gb/s in Mbps
    ("cong-suat-trung-tam-du-lieu", Decimal("2.1"), None, "index"),  # not "từ 1,8 MW"
    ("co-so-du-lieu-quoc-gia", 10, None, "count"),
    ("du-lieu-mo-theo-ke-hoach", 100, None, "percent"),
])
def test_001_values_and_units(targets_001, indicator, minimum, aspiration, unit):
    sections, _warnings, _claimed = targets_001
    found = target(sections, indicator)
    assert (found.minimum, found.aspiration, found.unit) == (minimum, aspiration, unit)


def test_001_every_target_is_a_catalogue_indicator(targets_001):
    sections, _warnings, _claimed = targets_001
    assert records(sections, IndicatorProposal) == []
    assert len(records(sections, TargetRecord)) == 27
    # one bullet, three targets: "90% người dân có …. Tốc độ … đạt 20 - 25%/năm và tỷ lệ …"
    lines = {r.indicator: r.line for r in records(sections, TargetRecord)}
    assert lines["nguoi-dan-tai-khoan-thanh-toan"] == 53
    assert lines["thanh-toan-khong-tien-mat-tmdt"] == 55


def test_001_bullets_without_a_value_are_warned_not_dropped(targets_001):
    _sections, warnings, claimed = targets_001
    assert [w.line for w in warnings] == [48, 79]
    assert "Mỗi người dân có 01 định danh số" in warnings[0].message
    assert "Cấp phép thí điểm dịch vụ vệ tinh tầm thấp" in warnings[1].message
    assert {48, 79} <= claimed


# --- 000: indicator statements of the April report -----------------------------------------


@pytest.fixture(scope="module")
def statements_000(corpus_dir):
    """Read from the file as it is: 000 has words in decomposed Unicode (NFD)."""
    (path,) = corpus_dir.glob("000_*.txt")
    lines = path.read_text(encoding="utf-8").splitlines()
    assert any(not unicodedata.is_normalized("NFC", line) for line in lines)
    claimed: set[int] = set()
    sections, warnings = read_indicator_statements(lines, claimed, None)
    return sections, warnings, claimed


def values(sections):
    return {(r.indicator, r.organisation, r.period, r.value)
            for r in records(sections, ValueRecord)}


def test_000_report_month_comes_from_the_title(corpus_text):
    assert report_period(corpus_text("000").splitlines()) == APRIL


def test_000_exactly_these_statements(statements_000):
    """Precise rather than greedy: every value read, and nothing else."""
    sections, _warnings, _claimed = statements_000
    assert values(sections) == {
        ("thue-bao-di-dong-smartphone", "", APRIL, Decimal("90.5")),
        ("thue-bao-di-dong-smartphone", "", MARCH, Decimal("89.6")),
        ("toc-do-bang-rong-di-dong", "", APRIL, Decimal("150.43")),
        ("ho-gia-dinh-cap-quang", "", APRIL, Decimal("83.4")),
        ("ho-gia-dinh-cap-quang", "", MARCH, Decimal("83.3")),
        ("toc-do-bang-rong-co-dinh", "", APRIL, Decimal("166.99")),
        ("dung-luong-cap-quang-bien", "", APRIL, Decimal(52)),
        ("dung-luong-cap-quang-bien", "", MARCH, Decimal(38)),
        ("dvctt-toan-trinh", "", APRIL, Decimal("50.4")),
        ("dvctt-toan-trinh", "", MARCH, Decimal("49.15")),
        ("dvctt-toan-trinh", "khối bộ, ngành", APRIL, Decimal("43.09")),
        ("dvctt-toan-trinh", "khối địa phương", APRIL, Decimal("50.6")),
        ("dvctt-toan-trinh-phat-sinh-ho-so", "", APRIL, Decimal("50.65")),
        ("dvctt-toan-trinh-phat-sinh-ho-so", "khối bộ, ngành", APRIL, Decimal("44.72")),
        ("dvctt-toan-trinh-phat-sinh-ho-so", "khối địa phương", APRIL, Decimal("50.77")),
        ("ho-so-truc-tuyen-toan-trinh", "", APRIL, Decimal("39.46")),
        ("ho-so-truc-tuyen-toan-trinh", "", MARCH, Decimal("38.72")),
        ("ho-so-truc-tuyen-toan-trinh", "khối bộ, ngành", APRIL, Decimal("51.82")),
        ("ho-so-truc-tuyen-toan-trinh", "khối địa phương", APRIL, Decimal("14.58")),
        ("giao-dich-ndxp", "", APRIL, Decimal(356_500_000)),
        ("doanh-thu-cong-nghiep-cntt", "", APRIL, Decimal(423_378)),
        ("xuat-khau-cong-nghiep-cntt", "", APRIL, Decimal(373_242)),
        ("chung-thu-chu-ky-so", "", APRIL, Decimal(16_171_976)),
        ("chu-ky-so-dan-so-truong-thanh", "", APRIL, Decimal("26.08")),
    }
    assert records(sections, IndicatorProposal) == []


def test_000_lines_notes_and_raw_text(statements_000):
    sections, _warnings, claimed = statements_000
    by_value = {r.value: r for r in records(sections, ValueRecord)}
    assert by_value[Decimal("90.5")].line == 333
    assert by_value[Decimal("50.4")].line == 374  # the statement starts there, wraps to 376
    assert by_value[Decimal("43.09")].line == 376
    assert by_value[Decimal("50.6")].line == 378
    assert by_value[Decimal("26.08")].line == 582  # a sentence inside the bullet of 580
    assert "trung bình" in by_value[Decimal("43.09")].note
    assert "3/2025" in by_value[Decimal("89.6")].note
    assert by_value[Decimal("423378")].note  # "ước đạt": an estimate
    raw = by_value[Decimal("50.4")].raw
    assert "50,4% (tháng 03: 49,15%)" in unicodedata.normalize("NFC", raw)
    assert {333, 335, 374, 376, 378, 580, 582, 584} <= claimed
    assert not claimed & {597, 599}  # task figures ("tương ứng 68,8%") are not statements


def test_000_a_comparison_in_another_measure_is_warned(statements_000):
    sections, warnings, _claimed = statements_000
    (warning,) = warnings
    assert warning.line == 584
    assert "15,1 triệu chứng thư chữ ký số" in warning.message
    signatures = [r for r in records(sections, ValueRecord)
                  if r.indicator == "chu-ky-so-dan-so-truong-thanh"]
    assert [r.period for r in signatures] == [APRIL]


# --- 000: agency lists ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def lists_000(corpus_text):
    sections, warnings = read(read_agency_lists, corpus_text("000"))
    return records(sections, AgencyListRecord), warnings


def test_000_lists_of_agencies(lists_000):
    lists, warnings = lists_000
    assert warnings == []
    assert [(r.line, r.statement, len(r.agencies)) for r in lists] == [
        (53, "chưa ban hành Kế hoạch hành động thực hiện", 1),  # from its clause
        (66, "chưa ban hành", 8),
        (655, "chưa hoàn thành ban hành kịch bản điều hành", 4),
        (817, "chưa kiện toàn/thành lập Ban Chỉ đạo phát triển khoa học, công nghệ, đổi mới "
              "sáng tạo, chuyển đổi số và Đề án 06", 8),
        (824, "chưa ban hành Kế hoạch hành động thực hiện Chương trình hành động của Chính "
              "phủ", 1),
        (901, "chưa đăng ký chỉ tiêu hồ sơ trực tuyến toàn trình năm 2025 theo tháng", 13),
        (901, "chưa đăng ký chỉ tiêu hồ sơ trực tuyến toàn trình năm 2025 theo tháng", 8),
    ]


def test_000_provinces_that_did_not_register(lists_000):
    lists, _warnings = lists_000
    provinces = lists[5].agencies
    assert provinces[:2] == ["Hà Nội", "Hà Nam"]
    assert "TP. Hồ Chí Minh" in provinces
    assert "Hưng Yên" in provinces  # wrapped over two lines
    assert provinces[-1] == "Sóc Trăng"


def test_000_names_with_commas_and_va_stay_whole(lists_000):
    lists, _warnings = lists_000
    assert lists[6].agencies == [
        "Bộ Công an", "Bộ Ngoại giao", "Bộ Nội vụ", "Bộ Xây dựng",
        "Bộ Nông nghiệp và Môi trường", "Bộ Văn hóa, Thể thao và Du lịch",
        "Bộ Giáo dục và Đào tạo", "Bộ Y tế",
    ]
    assert lists[1].agencies[2] == "Bộ Dân tộc và Tôn giáo"
    assert lists[1].agencies == lists[3].agencies  # the footnote and the proposal agree
    assert lists[0].agencies == ["Văn phòng Chính phủ"]


# --- Synthetic texts: the edges ---------------------------------------------------------------

PLAN = """\
2. Mục tiêu cụ thể năm 2026

- Tỷ lệ hồ sơ trực tuyến toàn trình: phấn đấu 90%.

- Tỷ lệ người dân hài lòng với dịch vụ công đạt tối thiểu 85%.

- Triển khai nền tảng số dùng chung.

3. Nhiệm vụ
- Tỷ lệ dân số trưởng thành có chữ ký số: 60%.
"""


def test_targets_of_a_synthetic_plan():
    claimed: set[int] = set()
    sections, warnings = read(read_targets, PLAN, claimed)
    (section,) = sections
    assert section.title == "2. Mục tiêu cụ thể năm 2026"
    dossiers, satisfied = records(sections, TargetRecord)
    assert (dossiers.indicator, dossiers.minimum, dossiers.aspiration) == (
        "ho-so-truc-tuyen-toan-trinh", None, 90)
    assert dossiers.period_end == datetime.date(2026, 12, 31)
    # not in the catalogue: kept as written, and proposed
    assert satisfied.indicator == "Tỷ lệ người dân hài lòng với dịch vụ công"
    (proposal,) = records(sections, IndicatorProposal)
    assert (proposal.name, proposal.unit, proposal.line) == (satisfied.indicator, "percent", 5)
    assert [w.line for w in warnings] == [7]
    assert 10 not in claimed  # after the next heading: not a target


def test_targets_without_a_year_take_the_context_year_or_warn():
    text = "Mục tiêu cụ thể\n- Tỷ lệ hộ gia đình sử dụng cáp quang: 85%.\n"
    sections, _ = read(read_targets, text, context=datetime.date(2027, 3, 1))
    assert records(sections)[0].period_end == datetime.date(2027, 12, 31)
    sections, warnings = read(read_targets, text)
    assert sections == [] and warnings[0].line == 1


def test_claimed_lines_and_table_cells_are_not_read():
    text = ("BÁO CÁO\nChuyển đổi số tháng 5 năm 2025\n"
            "- Tỷ lệ hộ gia đình sử dụng cáp quang: 85%.\n"
            "\tTỷ lệ thuê bao điện thoại di động sử dụng điện thoại thông minh: 91%\n"
            "Tổng dung lượng cáp quang trên biển: 60 Tbps (wrapped cell text)\n"
            "\n"
            "- Tổng dung lượng cáp quang trên biển: 70 Tbps.\n")
    claimed = {3}
    sections, _ = read(read_indicator_statements, text, claimed)
    assert values(sections) == {
        ("dung-luong-cap-quang-bien", "", datetime.date(2025, 5, 1), Decimal(70))}
    assert claimed == {3, 7}


def test_only_statements_that_name_an_indicator_first():
    text = ("BÁO CÁO\nChuyển đổi số quốc gia tháng 4/2025\n"
            "- Doanh số toàn thị trường đạt 101.400 tỷ đồng, tăng 42,29% so với cùng kỳ.\n"
            "- Các bộ đã hoàn thành 11 nhiệm vụ (tương ứng 68,8%).\n"
            "- Hiện nay, mới đạt 26,08% dân số trưởng thành có chứng thư chữ ký số.\n"
            "- Thời hạn là 15/5/2025.\n"
            "- Tỷ lệ người dân hài lòng: 91,5% (tháng 12/2024 là 90%).\n")
    sections, warnings = read(read_indicator_statements, text)
    assert values(sections) == {
        ("Tỷ lệ người dân hài lòng", "", APRIL, Decimal("91.5")),
        ("Tỷ lệ người dân hài lòng", "", datetime.date(2024, 12, 1), Decimal(90)),
    }
    (proposal,) = records(sections, IndicatorProposal)
    assert (proposal.name, proposal.unit, proposal.line) == ("Tỷ lệ người dân hài lòng",
                                                             "percent", 7)
    assert warnings == []


def test_statement_period_from_context_or_a_warning():
    text = "- Tỷ lệ hộ gia đình sử dụng cáp quang: 85%.\n"
    sections, _ = read(read_indicator_statements, text, context=datetime.date(2025, 6, 18))
    assert values(sections) == {("ho-gia-dinh-cap-quang", "", datetime.date(2025, 6, 1),
                                 Decimal(85))}
    sections, warnings = read(read_indicator_statements, text)
    assert sections == [] and warnings[0].line == 1


@pytest.mark.parametrize(("title", "period"), [
    (["BÁO CÁO", "Chuyển đổi số quốc gia tháng 4 năm 2025"], APRIL),
    (["  BÁO CÁO TÌNH HÌNH THÁNG 11/2024 "], datetime.date(2024, 11, 1)),
    (["BÁO CÁO", "(Kèm theo Công văn ngày 18 tháng 7 năm 2025)"], None),  # a date
    (["KẾ HOẠCH", "Chuyển đổi số tháng 4 năm 2025"], None),  # not a report
    ([], None),
])
def test_report_period(title, period):
    assert report_period(title) == period


def test_a_count_that_differs_from_the_list_is_warned():
    text = ("- 03 cơ quan (bao gồm: Bộ Y tế, Bộ Tư pháp) chưa báo cáo, khẩn trương báo "
            "cáo.\n")
    sections, warnings = read(read_agency_lists, text)
    (found,) = records(sections)
    assert found.agencies == ["Bộ Y tế", "Bộ Tư pháp"]
    assert found.statement == "chưa báo cáo"
    (warning,) = warnings
    assert "03 cơ quan" in warning.message and warning.line == 1


def test_not_every_chua_is_a_list():
    text = ("Vẫn còn 21 cơ quan chưa đăng ký chỉ tiêu; bao gồm: 13 địa phương và 08 bộ.\n"
            "05 nhiệm vụ chưa hoàn thành (tương đương 31,2%).\n"
            "Các bộ chưa hoàn thiện (theo Quyết định 942/QĐ-TTg).\n")
    assert read(read_agency_lists, text) == ([], [])


def test_a_footnote_is_read_apart_from_the_text_it_interrupts():
    text = ("- Bộ Công an đã có văn bản gửi Văn \n\n"
            + " " * 40 + "\n"
            "1 Các cơ quan chưa ban hành: Bộ Y tế, Bộ \n"
            "Tư pháp. \n"
            " phòng Chính phủ về việc này.\n")
    sections, _ = read(read_agency_lists, text)
    (found,) = records(sections)
    assert (found.line, found.agencies) == (4, ["Bộ Y tế", "Bộ Tư pháp"])


# --- No input makes a reader raise ------------------------------------------------------------

FRAGMENTS = st.sampled_from([
    "- ", "+ ", "\t", " ", "", "Tỷ lệ hộ gia đình sử dụng cáp quang", ": ", "đạt ", "là ",
    "80%", "1.234,5", "20 - 25%/năm", "xếp thứ 3", "từ 1,8 MW", "tương đương", "(", ")",
    "tháng 3", "/2025", "Trong đó, các bộ, ngành đạt trung bình 4%", "chưa ban hành",
    "08 cơ quan", "gồm 2 tỉnh: ", "Hà Nội, ", "Bộ Y tế; và ", "BÁO CÁO", "tháng 4 năm 2025",
    "b) Mục tiêu cụ thể năm 2025", "Mục tiêu cụ thể", "1 ", "TP. ", ". ", "; ", "\u00a0",
    unicodedata.normalize("NFD", "Tỉ lệ hồ sơ"), "phấn đấu ", "tối thiểu ", "Gb/s", " Tbps",
    "Về cấp chữ ký số: ", "Chưa Bộ nào ", "II. ", "PHỤ LỤC 01", "99999999999999999999",
])
LINES = st.lists(st.one_of(st.lists(FRAGMENTS, max_size=8).map("".join), st.text(max_size=40)),
                 max_size=25)


@settings(max_examples=300, deadline=None)
@given(lines=LINES, claimed=st.sets(st.integers(-2, 30), max_size=5),
       context=st.none() | st.dates())
def test_readers_never_raise(lines, claimed, context):
    for reader in (read_targets, read_indicator_statements, read_agency_lists):
        sections, warnings = reader(lines, set(claimed), context)
        for record in records(sections):
            assert 1 <= record.line <= len(lines)
        # an internal error is reported, not raised: there must be none to report
        assert not any("could not be read" in w.message for w in warnings)
    report_period(lines)
