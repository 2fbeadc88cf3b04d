"""Document references in evidence text and directive cells."""

import datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from giamsat.ingest.references import find_references


@pytest.mark.parametrize(
    "text, kind, number, date",
    [
        ("Quyết định số 1169/QĐ-TTg ngày 16/6/2025 Phê duyệt Chương trình", "decision",
         "1169/QĐ-TTg", datetime.date(2025, 6, 16)),
        ("Đang khai thác theo QĐ 933/QĐ-TTg ngày 19/4/2024", "decision", "933/QĐ-TTg",
         datetime.date(2024, 4, 19)),
        ("Nghị quyết số 193/2025/QH15 ngày 19 tháng 02 năm 2025 của Quốc hội", "resolution",
         "193/2025/QH15", datetime.date(2025, 2, 19)),
        ("Thông báo số 27-TB/TGV ngày 08/6/2025", "notice", "27-TB/TGV",
         datetime.date(2025, 6, 8)),
        ("Nghị quyết số 71/NQ-CP", "resolution", "71/NQ-CP", None),
        ("THỰC HIỆN NGHỊ QUYẾT 71/NQ-CP 06 THÁNG CUỐI NĂM", "resolution", "71/NQ-CP", None),
        ("Đã trình TTg tại Tờ trình số 46/TTr-BKHCN ngày 28/5/2025.", "submission",
         "46/TTr-BKHCN", datetime.date(2025, 5, 28)),
        ("Văn bản số 592/BKHCN-VCL ngày 31/3/2025.", "letter", "592/BKHCN-VCL",
         datetime.date(2025, 3, 31)),
        ("Nghị định số 88/NĐ-CP ngày 13/4/2025 quy định", "decree", "88/NĐ-CP",
         datetime.date(2025, 4, 13)),
        ("Kế hoạch số 02-KH/BCĐTW ngày 19/6/2025", "plan", "02-KH/BCĐTW",
         datetime.date(2025, 6, 19)),
    ],
)
def test_reference_forms(text, kind, number, date):
    (reference,) = find_references(text)
    assert (reference.kind, reference.number, reference.date) == (kind, number, date)
    assert reference.raw in text


def test_kinds_of_output_are_not_references():
    assert find_references("Nghị quyết của Quốc hội; Quyết định của Thủ tướng") == []


def test_several_references_in_order_each_once():
    text = ("- Nghị định số 173/2025/NĐ-CP ngày 30/6/2025 về hợp đồng. - Nghị định số "
            "179/2025/NĐ-CP ngày 01/7/2025 quy định; Nghị định số 173/2025/NĐ-CP ngày 30/6/2025")
    assert [r.number for r in find_references(text)] == ["173/2025/NĐ-CP", "179/2025/NĐ-CP"]


def test_impossible_date_is_dropped_not_raised():
    (reference,) = find_references("Quyết định số 1/QĐ-TTg ngày 31/2/2025")
    assert reference.date is None


def test_nfd_text():
    import unicodedata

    text = unicodedata.normalize("NFD", "Quyết định số 1169/QĐ-TTg ngày 16/6/2025")
    (reference,) = find_references(text)
    assert reference.number == "1169/QĐ-TTg"


@given(st.text())
def test_never_raises(text):
    find_references(text)
