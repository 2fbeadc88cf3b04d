"""The indicator catalogue (indicators/data/indicators.csv) and name matching."""

import csv
import re
import unicodedata

import pytest

from giamsat.indicators.catalogue import (
    CATALOGUE_PATH,
    load_catalogue,
    match_indicator,
    name_key,
    sync_indicators,
)
from giamsat.indicators.models import Accumulation, Direction, Frequency, Indicator, Unit

COLUMNS = ["code", "name", "aliases", "unit", "direction", "frequency", "accumulation",
           "area", "description"]


def test_csv_has_the_agreed_columns():
    with open(CATALOGUE_PATH, encoding="utf-8", newline="") as f:
        assert csv.DictReader(f).fieldnames == COLUMNS


def test_entries_are_well_formed():
    entries = load_catalogue()
    codes = [e.code for e in entries]
    assert len(codes) == len(set(codes))
    for e in entries:
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", e.code) and len(e.code) <= 80, e.code
        assert e.name and len(e.name) <= 400
        assert e.unit in Unit.values, e.code
        assert e.direction in Direction.values, e.code
        assert e.frequency in Frequency.values, e.code
        assert e.accumulation in Accumulation.values, e.code
        assert e.area, e.code
        assert unicodedata.is_normalized("NFC", e.name + "".join(e.aliases)), e.code


def test_no_two_indicators_share_a_name():
    """Equal keys would make an exact name ambiguous."""
    owner: dict[str, str] = {}
    for e in load_catalogue():
        for name in e.names:
            key = name_key(name)
            assert owner.setdefault(key, e.code) == e.code, (name, owner[key], e.code)


def test_the_dossier_rate_of_appendix_03():
    (rate,) = [e for e in load_catalogue() if e.code == "ho-so-truc-tuyen-toan-trinh"]
    assert (rate.unit, rate.frequency, rate.accumulation) == ("percent", "monthly", "ytd")
    assert rate.name == "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết TTHC"


def test_ranks_are_lower_is_better():
    assert {e.direction for e in load_catalogue() if e.unit == "rank"} == {-1}


@pytest.mark.parametrize(("name", "code"), [
    # 001, the 2025 targets ("Tỉ lệ"), and 000, the April report ("Tỷ lệ")
    ("Tỉ lệ hồ sơ trực tuyến toàn trình của cả nước", "ho-so-truc-tuyen-toan-trinh"),
    ("Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết TTHC trung bình cả nước",
     "ho-so-truc-tuyen-toan-trinh"),
    ("Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết TTHC đến hết tháng 6/2025",
     "ho-so-truc-tuyen-toan-trinh"),
    ("tỷ lệ hồ sơ trực tuyến toàn trình", "ho-so-truc-tuyen-toan-trinh"),
    ("Tỷ lệ DVCTT toàn trình trên tổng số TTHC của cả nước tháng 4", "dvctt-toan-trinh"),
    ("Tỷ lệ dịch vụ công trực tuyến toàn trình trên tổng số thủ tục hành chính",
     "dvctt-toan-trinh"),
    # contains "DVCTT toàn trình" too: the longer name is the one meant
    ("Tỷ lệ DVCTT toàn trình có phát sinh hồ sơ trực tuyến trên tổng các TTHC có phát sinh "
     "hồ sơ", "dvctt-toan-trinh-phat-sinh-ho-so"),
    ("Tỷ lệ dân số trưởng thành có chữ ký số", "chu-ky-so-dan-so-truong-thanh"),
    ("Tỉ lệ dân số trưởng thành có chữ ký số hoặc chữ ký điện tử",
     "chu-ky-so-dan-so-truong-thanh"),
    ("Tổng số Chứng thư chữ ký số đã cấp tính đến tháng 04/2025", "chung-thu-chu-ky-so"),
    ("Tổng số giao dịch qua NDXP từ đầu năm 2025", "giao-dich-ndxp"),
    ("Số lượng doanh nghiệp hoạt động trong lĩnh vực công nghệ số",
     "doanh-nghiep-cong-nghe-so"),
    ("Số doanh nghiệp công nghệ số ngang tầm các nước tiên tiến",
     "doanh-nghiep-cong-nghe-so-ngang-tam"),
    ("Quy mô kinh tế số", "quy-mo-kinh-te-so"),
    ("Tốc độ truy cập mạng băng rộng di động", "toc-do-bang-rong-di-dong"),
    ("Tốc độ truy cập mạng băng rộng cố định", "toc-do-bang-rong-co-dinh"),
    ("Tổng dung lượng cáp quang trên biển", "dung-luong-cap-quang-bien"),
    ("Xếp hạng theo đánh giá của Liên Hợp quốc", "xep-hang-lien-hop-quoc"),
    ("Tiếp tục duy trì, nâng hạng xếp hạng an toàn, an ninh mạng Việt Nam ở mức cao",
     "xep-hang-an-toan-an-ninh-mang"),
    ("Doanh thu công nghiệp công nghệ thông tin", "doanh-thu-cong-nghiep-cntt"),
])
def test_corpus_phrasings_match(name, code):
    assert match_indicator(name) == code


def test_decomposed_unicode_and_odd_spacing_match():
    name = unicodedata.normalize("NFD", "Tỷ lệ  hộ\u00a0gia đình sử dụng cáp quang")
    assert match_indicator(name) == "ho-gia-dinh-cap-quang"
    assert match_indicator("TỶ LỆ HỘ GIA ĐÌNH SỬ DỤNG CÁP QUANG:") == "ho-gia-dinh-cap-quang"


@pytest.mark.parametrize("name", [
    "hồ sơ trực tuyến",  # in two indicators' names
    "Tỷ lệ hộ gia đình sử dụng cáp quang và tỷ lệ thuê bao điện thoại di động sử dụng "
    "điện thoại thông minh",  # names two indicators
    "Tốc độ trung bình",
    "Tỷ lệ",
    "Tăng trưởng",
    "",
    "Tỷ lệ người dân hài lòng",  # not in the catalogue
])
def test_ambiguous_or_unknown_names_match_nothing(name):
    assert match_indicator(name) is None


def test_match_indicator_takes_anything():
    assert match_indicator(None) is None
    assert match_indicator("%%%") is None


@pytest.mark.django_db
def test_sync_creates_the_catalogue_and_is_idempotent():
    entries = load_catalogue()
    first = sync_indicators()
    assert first <= len(entries)
    assert sync_indicators() == 0
    rows = {i.code: i for i in Indicator.objects.filter(code__in=[e.code for e in entries])}
    assert set(rows) == {e.code for e in entries}
    for e in entries:
        row = rows[e.code]
        assert (row.name, row.unit, row.direction, row.frequency, row.accumulation,
                row.area) == (e.name, e.unit, e.direction, e.frequency, e.accumulation, e.area)


@pytest.mark.django_db
def test_sync_restores_a_changed_row_and_keeps_other_indicators():
    sync_indicators()
    Indicator.objects.filter(code="giao-dich-ndxp").update(name="tên cũ")
    Indicator.objects.create(code="chi-so-rieng", name="Chỉ số riêng", unit=Unit.COUNT)
    assert sync_indicators() == 1
    assert Indicator.objects.get(code="giao-dich-ndxp").name.startswith("Tổng số giao dịch")
    assert Indicator.objects.filter(code="chi-so-rieng").exists()
