import datetime
import unicodedata

import pytest

from giamsat.orgs.models import CENTRAL_KINDS, OrgKind
from giamsat.orgs.resolve import Resolver, Status, name_key, resolve

D = datetime.date


@pytest.fixture
def resolver(db):
    return Resolver()


# The cases the issue names, first.
@pytest.mark.parametrize(
    ("text", "on", "expected", "status"),
    [
        ("Bộ TT&TT", D(2025, 6, 1), "Bộ Khoa học và Công nghệ", Status.SUCCESSOR),
        ("Hà Giang", D(2025, 8, 1), "Tuyên Quang", Status.SUCCESSOR),
        ("Bộ Nông nghiệp và Phát triển nông thôn", D(2025, 4, 1),
         "Bộ Nông nghiệp và Môi trường", Status.SUCCESSOR),
    ],
)
def test_former_names_resolve_to_successor(resolver, text, on, expected, status):
    result = resolver.resolve(text, on)
    assert result.status == status
    assert [o.name for o in result.organisations] == [expected]
    assert result.is_sure and result.organisation.is_valid_on(on)
    assert result.named and not result.named[0].is_valid_on(on)  # the old name stays visible


@pytest.mark.parametrize(
    ("on", "central", "provinces"), [(D(2025, 8, 1), 22, 34), (D(2025, 5, 1), 22, 63)]
)
def test_all_ministries_and_provinces_group(resolver, on, central, provinces):
    result = resolver.resolve("Các bộ, ngành, địa phương", on)
    assert result.status == Status.GROUP and result.is_sure
    kinds = [o.kind for o in result.organisations]
    assert sum(k in CENTRAL_KINDS for k in kinds) == central
    assert kinds.count(OrgKind.PROVINCE) == provinces
    assert len(kinds) == central + provinces
    assert all(o.is_valid_on(on) for o in result.organisations)


def test_group_before_the_ministry_merger(resolver):
    result = resolver.resolve("Các bộ, ngành", D(2025, 1, 15))
    names = {o.name for o in result.organisations}
    assert len(names) == 29 and "Bộ Thông tin và Truyền thông" in names
    assert "Bộ Nông nghiệp và Môi trường" not in names


@pytest.mark.parametrize(
    ("text", "size"),
    [
        ("Các bộ, ngành", 22),
        ("các Bộ, ngành", 22),
        ("Bộ, ngành", 22),
        ("Các địa phương", 34),
        ("UBND các tỉnh, thành phố trực thuộc trung ương", 34),
        ("Ủy ban nhân dân các tỉnh, thành phố", 34),
        ("Các bộ, ngành và địa phương", 56),
    ],
)
def test_groups(resolver, text, size):
    result = resolver.resolve(text, D(2025, 8, 1))
    assert result.status == Status.GROUP and len(result.organisations) == size


@pytest.mark.parametrize("text", ["Bộ, ngành liên quan", "Các bộ, ngành có liên quan",
                                  "các địa phương liên quan", "Các doanh nghiệp viễn thông"])
def test_partial_groups_are_not_sure(resolver, text):
    result = resolver.resolve(text, D(2025, 8, 1))
    assert result.status == Status.GROUP and result.subset
    assert not result.is_sure and result.organisation is None
    assert "choose" in result.message or "chọn" in result.message


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Bộ KH&CN", "Bộ Khoa học và Công nghệ"),
        ("Bộ KH & CN", "Bộ Khoa học và Công nghệ"),
        ("BKHCN", "Bộ Khoa học và Công nghệ"),
        ("NHNN", "Ngân hàng Nhà nước Việt Nam"),
        ("Ngân hàng nhà nước Việt Nam", "Ngân hàng Nhà nước Việt Nam"),
        ("VPCP", "Văn phòng Chính phủ"),
        ("Bộ Công thương", "Bộ Công Thương"),
        ("Bộ Văn hoá, Thể thao và Du lịch", "Bộ Văn hóa, Thể thao và Du lịch"),
        ("UBND tỉnh Lạng Sơn", "Lạng Sơn"),
        ("Ủy ban nhân dân tỉnh Khánh Hoà", "Khánh Hòa"),
        ("TP. Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP Hồ Chí Minh", "Hồ Chí Minh"),
        ("Thành phố Hồ Chí Minh", "Hồ Chí Minh"),
        ("TP.HCM", "Hồ Chí Minh"),
        ("UBND TP. Hà Nội", "Hà Nội"),
        ("Đắk Lắk", "Đắk Lắk"),
        ("Dak Lak", "Đắk Lắk"),
        ("  bộ   công an. ", "Bộ Công an"),
        ("VTV", "Đài Truyền hình Việt Nam"),
    ],
)
def test_aliases_and_spelling_variants(resolver, text, expected):
    result = resolver.resolve(text, D(2025, 8, 1))
    assert result.is_sure, result.message
    assert result.organisation.name == expected


@pytest.mark.parametrize("form", ["NFC", "NFD"])
def test_unicode_forms_resolve_alike(resolver, form):
    text = unicodedata.normalize(form, "Bộ Giáo dục và Đào tạo")
    assert resolver.resolve(text, D(2025, 8, 1)).organisation.name == "Bộ Giáo dục và Đào tạo"


def test_name_resolves_to_the_organisation_valid_on_the_date(resolver):
    before = resolver.resolve("Tuyên Quang", D(2025, 6, 30))
    after = resolver.resolve("UBND tỉnh Tuyên Quang", D(2025, 7, 1))
    assert before.status == after.status == Status.EXACT
    assert before.organisation != after.organisation
    assert before.organisation.valid_to == D(2025, 6, 30)
    assert after.organisation.valid_from == D(2025, 7, 1)


def test_hue_across_its_rename_and_the_merger(resolver):
    assert resolver.resolve("Thừa Thiên Huế", D(2024, 12, 1)).status == Status.EXACT
    in_spring = resolver.resolve("Thừa Thiên Huế", D(2025, 3, 1))
    assert in_spring.status == Status.SUCCESSOR
    assert in_spring.organisation.name == "Huế"
    assert in_spring.organisation.valid_to == D(2025, 6, 30)
    in_autumn = resolver.resolve("Tỉnh Thừa Thiên Huế", D(2025, 9, 1))
    assert in_autumn.organisation.valid_from == D(2025, 7, 1)


def test_a_ceased_ministry_with_functions_moved_elsewhere_follows_its_successor(resolver):
    result = resolver.resolve("Bộ LĐ-TB&XH", D(2025, 5, 1))
    assert [o.name for o in result.organisations] == ["Bộ Nội vụ"]


def test_a_body_not_yet_established_is_unsure(resolver):
    result = resolver.resolve("Bộ Nông nghiệp và Môi trường", D(2025, 1, 10))
    assert result.status == Status.UNSURE and not result.is_sure
    assert [o.name for o in result.candidates] == ["Bộ Nông nghiệp và Môi trường"]


@pytest.mark.parametrize("text", ["Bộ Khoa hoc va Cong ngh", "Bộ Thông tin và Truyên thôn"])
def test_near_misses_are_unsure_with_candidates_never_guessed(resolver, text):
    result = resolver.resolve(text, D(2025, 8, 1))
    assert result.status == Status.UNSURE
    assert result.organisation is None and result.organisations == ()
    assert result.candidates and result.message


@pytest.mark.parametrize("text", ["", "   ", "Hội đồng nhân dân xã Mường Nhé", "Bộ"])
def test_unknown_names(resolver, text):
    result = resolver.resolve(text, D(2025, 8, 1))
    assert result.status in (Status.UNKNOWN, Status.UNSURE)
    assert result.organisation is None


def test_resolve_shortcut_loads_the_registry(db):
    assert resolve("BCA", D(2025, 8, 1)).organisation.name == "Bộ Công an"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("UBND tỉnh Hà Giang.", "ha giang"),
        ("Thành phố Hồ Chí Minh", "ho chi minh"),
        ("Bà Rịa – Vũng Tàu", "ba ria vung tau"),
        ("Bộ LĐ-TB&XH", "bo ld tb&xh"),
    ],
)
def test_name_key(text, key):
    assert name_key(text) == key
