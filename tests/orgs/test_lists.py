"""Lists of agencies: split where the document separates names, not inside a name."""

import datetime

import pytest

from giamsat.orgs.lists import resolve_list
from giamsat.orgs.resolve import Resolver, Status

pytestmark = pytest.mark.django_db
JULY = datetime.date(2025, 7, 18)


def names(text, on=JULY):
    return [(n.text, n.resolution.status) for n in resolve_list(text, on, Resolver())]


def test_group_with_commas_is_one_name():
    assert names("Ban Tuyên giáo và Dân vận Trung ương; các bộ, ngành, địa phương") == [
        ("Ban Tuyên giáo và Dân vận Trung ương", Status.EXACT),
        ("các bộ, ngành, địa phương", Status.GROUP),
    ]


def test_va_inside_a_name_and_between_names():
    assert names("Bộ Khoa học và Công nghệ và Bộ Công an") == [
        ("Bộ Khoa học và Công nghệ", Status.EXACT), ("Bộ Công an", Status.EXACT),
    ]


def test_unnamed_related_bodies_are_kept_as_unsure():
    result = resolve_list("Bộ Tài chính và các cơ quan, đơn vị liên quan", JULY, Resolver())
    assert [n.text for n in result] == ["Bộ Tài chính", "các cơ quan, đơn vị liên quan"]
    assert not result[1].resolution.is_sure


def test_abbreviations_and_provinces():
    result = resolve_list("VTV, VOV, TTXVN, Quảng Ninh, Đắk Lắk", JULY, Resolver())
    assert all(n.resolution.is_sure for n in result) and len(result) == 5


def test_unknown_name_is_reported_not_guessed():
    (named,) = resolve_list("Bộ Không Tồn Tại", JULY, Resolver())
    assert named.resolution.status in (Status.UNKNOWN, Status.UNSURE)
    assert named.resolution.organisations == ()


def test_empty_text():
    assert resolve_list("", JULY, Resolver()) == []


def test_a_name_with_commas_inside_is_kept_whole():
    result = names("Bộ Y tế; Bộ Văn hóa, Thể thao và Du lịch; Bộ Giáo dục và Đào tạo")
    assert [n for n, _status in result] == [
        "Bộ Y tế", "Bộ Văn hóa, Thể thao và Du lịch", "Bộ Giáo dục và Đào tạo"]


def test_ministries_listed_in_brackets_and_asides():
    result = names("Các bộ (Công an, Tư pháp, Nông nghiệp và Môi trường...); "
                   "Văn phòng Chính phủ (Cổng Dịch vụ công quốc gia)")
    assert result == [("Bộ Công an", Status.EXACT), ("Bộ Tư pháp", Status.EXACT),
                      ("Bộ Nông nghiệp và Môi trường", Status.EXACT),
                      ("Văn phòng Chính phủ", Status.EXACT)]


def test_cac_bo_is_the_ministries_only():
    (named,) = resolve_list("Các Bộ", JULY, Resolver())
    kinds = {o.kind for o in named.resolution.organisations}
    assert named.resolution.is_sure and kinds == {"ministry", "ministerial-agency"}
    assert len(named.resolution.organisations) == 14 + 3  # 14 ministries, NHNN, TTCP, VPCP
