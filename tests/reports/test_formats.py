import datetime
from decimal import Decimal
from fractions import Fraction

import pytest

from giamsat.reports import formats as f
from giamsat.reports.word import issuer_lines


def test_numbers_the_vietnamese_way():
    assert f.share(Fraction(11, 16)) == "68,8%"
    assert f.number(1012) == "1.012" and f.number(16171976) == "16.171.976"
    assert f.number(Decimal("40.1"), 1) == "40,1"
    assert f.rate(Decimal("40.1000")) == "40,1%" and f.rate(Decimal("26.08")) == "26,08%"
    assert f.value_in(Decimal("1012"), "vnd_billion") == "1.012 tỷ đồng"
    assert f.value_in(Decimal("423378.0000"), "vnd_billion") == "423.378 tỷ đồng"
    assert f.number(-1234.5, 1) == "-1.234,5" and f.share(None) == "—"
    assert f.value_in(Decimal("166.99"), "mbps") == "166,99 Mbps"


def test_place_and_date_as_decree_30_writes_them():
    assert f.place_and_date("Hà Nội", datetime.date(2025, 1, 5)) == \
        "Hà Nội, ngày 05 tháng 01 năm 2025"
    assert f.place_and_date("Hà Nội", datetime.date(2025, 7, 18)) == \
        "Hà Nội, ngày 18 tháng 7 năm 2025"
    assert f.place_and_date("Hà Nội", None).startswith("Hà Nội, ngày      tháng")


@pytest.mark.parametrize(("name", "lines"), [
    ("UBND TỈNH NINH BÌNH", ["UBND TỈNH NINH BÌNH"]),
    ("BỘ KHOA HỌC VÀ CÔNG NGHỆ", ["BỘ KHOA HỌC", "VÀ CÔNG NGHỆ"]),
    ("BỘ VĂN HÓA, THỂ THAO VÀ DU LỊCH", ["BỘ VĂN HÓA, THỂ THAO", "VÀ DU LỊCH"]),
    ("ỦY BAN NHÂN DÂN THÀNH PHỐ HỒ CHÍ MINH", ["ỦY BAN NHÂN DÂN", "THÀNH PHỐ HỒ CHÍ MINH"]),
])
def test_the_issuing_agency_is_broken_where_a_clerk_breaks_it(name, lines):
    assert issuer_lines(name) == lines
