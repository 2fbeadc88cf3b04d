"""The 3,321 communes of 01/07/2025: loaded with their codes under their provinces, named
only as communes, listed in exports and the API, and rolled up into their province."""

import datetime
import json
from collections import Counter
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from giamsat.indicators.models import Indicator, Observation, Unit
from giamsat.indicators.rollup import latest_month, rollup, rollups
from giamsat.orgs.communes import commune_facts, load_communes, province_facts
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.orgs.resolve import Resolver, Status

D = datetime.date
FIRST_DAY = D(2025, 7, 1)
JULY = D(2025, 7, 1)


def communes():
    return Organisation.objects.filter(kind=OrgKind.COMMUNE)


def commune(code: str) -> Organisation:
    return communes().get(code=code)


def test_counts_by_type_and_codes(db):
    assert communes().count() == 3321
    types = Counter(communes().values_list("admin_type", flat=True))
    assert types == {"xã": 2621, "phường": 687, "đặc khu": 13}
    codes = list(communes().values_list("code", flat=True))
    assert len(set(codes)) == 3321 and all(len(c) == 5 and c.isdigit() for c in codes)
    hoan_kiem = commune("00070")
    assert (hoan_kiem.name, hoan_kiem.admin_type, hoan_kiem.parent.slug) == (
        "Phường Hoàn Kiếm", "phường", "ha-noi")
    assert hoan_kiem.slug == "phuong-hoan-kiem-ha-noi"
    assert communes().get(name="Đặc khu Phú Quốc").parent.name == "An Giang"
    assert not communes().filter(name__contains="  ").exists()  # "Phường  An Nhơn" in the list
    assert communes().filter(name="Phường An Nhơn", parent__slug="ho-chi-minh").exists()


def test_every_commune_is_under_a_province_of_1_july_2025(db):
    assert not communes().filter(parent__isnull=True).exists()
    assert set(communes().values_list("valid_from", "valid_to").distinct()) == {
        (FIRST_DAY, None)}
    parents = Organisation.objects.filter(pk__in=communes().values("parent"))
    assert parents.count() == 34
    assert all(p.kind == OrgKind.PROVINCE and p.is_valid_on(FIRST_DAY) for p in parents)
    assert not communes().valid_on(D(2025, 6, 30)).exists()
    per_province = Counter(communes().values_list("parent__slug", flat=True))
    assert per_province["ha-noi"] == 126 and per_province["ho-chi-minh"] == 168
    assert per_province["hue"] == 40


def test_the_registry_provinces_agree_with_the_package(db):
    """organisations.csv carries the 34 provinces' codes (Decision 19/2025/QĐ-TTg); the
    package carries GSO's: the same code, name and type for every one."""
    registry = {p.code: p for p in Organisation.objects.provinces().valid_on(FIRST_DAY)}
    package = {p.code: p for p in province_facts()}
    assert set(registry) == set(package) and len(package) == 34
    for code, fact in package.items():
        province = registry[code]
        assert fact.name.removeprefix("Thành phố ") == province.name, code
        assert fact.admin_type == province.admin_type, code
    assert {f.province_code for f in commune_facts()} == set(registry)


def test_each_commune_has_its_name_with_its_province_as_alias(db):
    tan_thanh = communes().get(name="Xã Tân Thành", parent__slug="lam-dong")
    assert [a.name for a in tan_thanh.aliases.all()] == ["Xã Tân Thành, Tỉnh Lâm Đồng"]
    assert [a.name for a in commune("00070").aliases.all()] == [
        "Phường Hoàn Kiếm, Thành phố Hà Nội"]


def test_loading_again_writes_nothing_and_restores_facts(db):
    before = Organisation.history.count()
    counts = load_communes()
    assert (counts.created, counts.updated, counts.aliases_created) == (0, 0, 0)
    assert Organisation.history.count() == before
    hoan_kiem = commune("00070")
    hoan_kiem.name = "Phường Hoàn Kiếm (sửa nhầm)"
    hoan_kiem.save()
    assert load_communes().updated == 1
    hoan_kiem.refresh_from_db()
    assert hoan_kiem.name == "Phường Hoàn Kiếm"


def test_the_migration_wrote_one_audit_row_per_commune(db):
    history = Organisation.history.filter(kind=OrgKind.COMMUNE, history_type="+")
    assert history.count() == 3321
    assert history.first().history_change_reason.startswith(
        "giamsat: communes from vietnam-provinces")


# Name resolution -------------------------------------------------------------------------

@pytest.fixture
def resolver(db):
    return Resolver()


def test_province_names_still_resolve_to_the_province(resolver):
    """A ward may share a province's name (Phường Cao Bằng, Phường Lào Cai…): the
    province's name, with or without its title, still names the province alone."""
    on = D(2025, 8, 1)
    shared = 0
    for province in Organisation.objects.provinces().valid_on(on):
        title = "Thành phố" if province.admin_type.startswith("thành phố") else "Tỉnh"
        shared += communes().filter(name__endswith=f" {province.name}").exists()
        for text in (province.name, f"{title} {province.name}",
                     f"UBND {title.lower()} {province.name}"):
            result = resolver.resolve(text, on)
            assert result.status in (Status.EXACT, Status.ALIAS), text
            assert result.organisation == province, text
    assert shared >= 5  # the danger is real: several wards bear a province's name


def test_communes_resolve_by_their_name_as_a_commune(resolver):
    on = D(2025, 8, 1)
    assert resolver.resolve("Phường Hoàn Kiếm", on).organisation == commune("00070")
    assert resolver.resolve("UBND phường Hoàn Kiếm", on).organisation == commune("00070")
    assert resolver.resolve("Hoàn Kiếm", on).organisation is None  # no title: not a commune
    assert resolver.resolve("Phường Hoàn Kiếm", D(2025, 6, 1)).organisation is None


def test_a_name_several_provinces_use_is_unsure_until_its_province_is_said(resolver):
    on = D(2025, 8, 1)
    result = resolver.resolve("Xã Tân Thành", on)
    assert result.status == Status.UNSURE and len(result.candidates) > 3
    qualified = resolver.resolve("xã Tân Thành, tỉnh Lâm Đồng", on)
    assert qualified.organisation.parent.slug == "lam-dong"


def test_two_communes_of_one_province_that_fold_alike_are_told_apart(resolver):
    on = D(2025, 8, 1)
    lang = resolver.resolve("Xã Văn Lang, Tỉnh Thái Nguyên", on).organisation
    lang_breve = resolver.resolve("Xã Văn Lăng, Tỉnh Thái Nguyên", on).organisation
    assert (lang.code, lang_breve.code) == ("02143", "05665")
    # The tone mark's place (Giàng, Giàng written with another mark order) does not matter.
    assert resolver.resolve("Xã Cẩm Giàng, Thành phố Hải Phòng", on).organisation.code \
        == "10903"
    assert resolver.resolve("Xã Cẩm Giang, Thành phố Hải Phòng", on).organisation.code \
        == "10888"


def test_close_spellings_of_other_names_never_offer_a_commune(resolver):
    result = resolver.resolve("Bộ Khoa hoc va Cong ngh", D(2025, 8, 1))
    assert result.status == Status.UNSURE
    assert all(o.kind != OrgKind.COMMUNE for o in result.candidates)
    near = resolver.resolve("Phường Hoàn Kiếmm", D(2025, 8, 1))  # a typo of a commune
    assert near.status == Status.UNSURE and commune("00070") in near.candidates


# Exports and API ----------------------------------------------------------------------------

def test_export_lists_the_communes_with_their_codes_and_province(db):
    out = StringIO()
    call_command("export", "organisations", "--format", "json", stdout=out)
    rows = [r for r in json.loads(out.getvalue()) if r["kind"] == OrgKind.COMMUNE]
    assert len(rows) == 3321
    assert all(len(r["code"]) == 5 for r in rows)
    hoan_kiem = next(r for r in rows if r["code"] == "00070")
    assert (hoan_kiem["name"], hoan_kiem["parent"], hoan_kiem["admin_type"],
            hoan_kiem["valid_from"]) == ("Phường Hoàn Kiếm", "ha-noi", "phường", "2025-07-01")
    assert hoan_kiem["aliases"] == "Phường Hoàn Kiếm, Thành phố Hà Nội"


def test_api_gives_codes_and_the_communes_of_a_province(client, make_user):
    client.force_login(make_user("viewer"))
    province = client.get("/api/v1/organisations/ha-noi").json()
    assert (province["code"], province["admin_type"], province["parent"]) == (
        "01", "thành phố trực thuộc trung ương", None)
    listed = client.get("/api/v1/organisations", {"parent": "hue", "page_size": 100}).json()
    assert listed["count"] == 40
    first = listed["items"][0]
    assert first["kind"] == "commune" and first["parent"] == "hue" and len(first["code"]) == 5


# Roll-up to the province ---------------------------------------------------------------------

@pytest.fixture
def rate(db):
    return Indicator.objects.create(code="ho-gia-dinh-cap-quang", name="Hộ gia đình có cáp quang",
                                    unit=Unit.PERCENT)


def value(indicator, org, value, numerator=None, denominator=None, period=JULY):
    return Observation.objects.create(indicator=indicator, organisation=org, period=period,
                                      value=Decimal(value), numerator=numerator,
                                      denominator=denominator)


def test_a_rate_rolls_up_as_numerators_over_denominators(rate):
    hue = Organisation.objects.get(slug="hue")
    first, second, third = list(communes().filter(parent=hue).order_by("code"))[:3]
    value(rate, first, "50", 1000, 2000)
    value(rate, second, "100", 10, 10)
    result = rollup(rate, hue, JULY)
    # 1,010 of 2,010 households: 50.2488%, not the 75% an average of 50% and 100% gives.
    assert (result.numerator, result.denominator) == (1010, 2010)
    assert result.value == Decimal("50.2488")
    assert (result.communes, result.reported, result.complete) == (40, 2, False)
    value(rate, third, "80")  # a rate without its counts cannot be added in
    result = rollup(rate, hue, JULY)
    assert result.value == Decimal("50.2488") and result.without_counts == [third]
    assert result.reported == 3
    # A value of another province's commune is not Huế's.
    value(rate, commune("00070"), "1", 1, 100)
    assert rollup(rate, hue, JULY).denominator == 2010


def test_an_amount_adds_up_and_a_rank_does_not(db):
    hue = Organisation.objects.get(slug="hue")
    first, second = list(communes().filter(parent=hue).order_by("code"))[:2]
    count = Indicator.objects.create(code="so-ho-so", name="Số hồ sơ", unit=Unit.COUNT)
    rank = Indicator.objects.create(code="xep-hang", name="Xếp hạng", unit=Unit.RANK)
    for indicator in (count, rank):
        value(indicator, first, "120")
        value(indicator, second, "30")
    assert rollup(count, hue, JULY).value == 150
    assert rollup(rank, hue, JULY).value is None and not rollup(rank, hue, JULY).rolls_up
    assert latest_month(hue, D(2025, 9, 30)) == JULY
    assert [r.indicator.code for r in rollups(hue, JULY)] == ["so-ho-so", "xep-hang"]


def test_scorecard_api_and_rollup_give_one_number(rate, client, make_user):
    hue = Organisation.objects.get(slug="hue")
    first, second = list(communes().filter(parent=hue).order_by("code"))[:2]
    value(rate, first, "50", 1000, 2000)
    value(rate, second, "100", 10, 10)
    client.force_login(make_user("viewer"))
    api = client.get(f"/api/v1/indicators/{rate.code}/rollup",
                     {"organisation": "hue", "period": "2025-07"}).json()
    assert (api["value"], api["numerator"], api["denominator"], api["reported"],
            api["communes"]) == ("50.2488", "1010.0000", "2010.0000", 2, 40)
    refused = client.get(f"/api/v1/indicators/{rate.code}/rollup",
                         {"organisation": first.slug, "period": "2025-07"})
    assert refused.status_code == 400
    page = client.get("/co-quan/hue/", {"ngay": "31/07/2025"}).content.decode()
    assert 'data-testid="rollups"' in page and "50,25%" in page and "2 / 40" in page


# The province's scorecard and the list ----------------------------------------------------------

def test_province_scorecard_lists_its_communes(client, make_user):
    client.force_login(make_user("viewer"))
    page = client.get("/co-quan/ha-noi/", {"ngay": "01/08/2025"}).content.decode()
    assert 'data-testid="commune-count">126 ' in page
    assert ">Phường Hoàn Kiếm</a>" in page and "<td data-label=\"Mã\">00070</td>" in page
    before = client.get("/co-quan/ha-noi-truoc-2025-07/",
                        {"ngay": "01/06/2025"}).content.decode()
    assert "Phường Hoàn Kiếm" not in before
    ward = client.get("/co-quan/phuong-hoan-kiem-ha-noi/").content.decode()
    assert 'data-testid="org-code">00070<' in ward and 'href="/co-quan/ha-noi/' in ward


def test_agency_list_shows_codes_where_there_are_codes(client, make_user):
    client.force_login(make_user("viewer"))
    central = client.get("/co-quan/").content.decode()
    assert '<th>Mã</th>' not in central  # central agencies have no administrative code
    provinces = client.get("/co-quan/", {"nhom": "provinces", "ngay": "01/08/2025"})
    assert '<td data-label="Mã">01</td>' in provinces.content.decode()
    hue = client.get("/co-quan/", {"nhom": "communes", "tinh": "hue",
                                   "ngay": "01/08/2025"}).content.decode()
    assert "40 cơ quan" in hue and '<td data-label="Mã">' in hue
    found = client.get("/co-quan/", {"nhom": "communes", "q": "hoan kiem",
                                     "ngay": "01/08/2025"}).content.decode()
    assert "Phường Hoàn Kiếm" in found and "00070" in found
    empty = client.get("/co-quan/", {"nhom": "communes"}).content.decode()
    assert "3.321" in empty or "3,321" in empty


# A province gives its tasks to its communes --------------------------------------------------

def test_a_province_gives_a_task_it_leads_to_its_communes(db, make_user):
    from django.core.exceptions import PermissionDenied

    from giamsat.tasks.editing import EditRefused, assign_to_communes
    from giamsat.tasks.models import Assignment, Role, Task
    from giamsat.tasks.queries import summary_by_agency, with_status

    hue = Organisation.objects.get(slug="hue")
    task = Task(title="Số hóa hồ sơ địa chính cấp xã")
    task.set_deadline("Tháng 12/2025")
    task.save()
    Assignment.objects.create(task=task, organisation=hue, role=Role.LEAD)
    status = with_status(Task.objects.filter(pk=task.pk), D(2025, 8, 1)).get().status
    first, second = list(communes().filter(parent=hue).order_by("code"))[:2]
    leader = make_user("agency_leader", "hue")
    made = assign_to_communes(task, hue, [first, second], "Kế hoạch số 12/KH-UBND",
                              user=leader, on=D(2025, 8, 1))
    assert {(a.organisation, a.role) for a in made} == {(first, Role.COORDINATE),
                                                        (second, Role.COORDINATE)}
    assert assign_to_communes(task, hue, [first], "lại", user=leader, on=D(2025, 8, 1)) == []
    # The province stays the task's lead: the national status is the same.
    assert with_status(Task.objects.filter(pk=task.pk), D(2025, 8, 1)).get().status == status
    assert first.assignments.get().history.first().history_change_reason == \
        "Kế hoạch số 12/KH-UBND"
    with pytest.raises(EditRefused):  # another province's ward
        assign_to_communes(task, hue, [commune("00070")], "nhầm", user=leader,
                           on=D(2025, 8, 1))
    with pytest.raises(PermissionDenied):  # Hà Nội's leader cannot act for Huế
        assign_to_communes(task, hue, [first], "x", user=make_user("agency_leader", "ha-noi"))
    other = Task.objects.create(title="Nhiệm vụ của bộ")
    with pytest.raises(EditRefused):  # Huế does not lead it
        assign_to_communes(other, hue, [first], "x", user=leader, on=D(2025, 8, 1))
    # The commune's own scorecard counts the task it was given.
    rows = summary_by_agency(D(2025, 8, 1), Role.COORDINATE)
    assert any(row.organisation == first for row in rows)


def test_a_provinces_leader_gives_a_task_to_communes_on_the_task_page(client, roles):
    from giamsat.tasks.models import Assignment, Role, Task

    hanoi = Organisation.objects.get(slug="ha-noi")
    task = Task.objects.create(title="Số hóa sổ hộ tịch")
    Assignment.objects.create(task=task, organisation=hanoi, role=Role.LEAD)
    two = list(Organisation.objects.filter(parent=hanoi, kind=OrgKind.COMMUNE)
               .order_by("name_key")[:2])
    client.force_login(roles["agency_leader"])  # Hà Nội
    page = client.get(f"/nhiem-vu/{task.pk}/").content.decode()
    assert 'id="giao-xa"' in page and two[0].name in page
    response = client.post(f"/nhiem-vu/{task.pk}/giao-xa/", {
        "commune": [c.slug for c in two], "reason": "Giao các xã triển khai"}, follow=True)
    assert "Đã giao cho 2 xã, phường" in response.content.decode()
    assert set(task.assignments.filter(role=Role.COORDINATE).values_list(
        "organisation__slug", flat=True)) == {c.slug for c in two}
    # Tuyên Quang's leader sees no such form on a task of Hà Nội.
    client.force_login(roles["other_leader"])
    assert 'id="giao-xa"' not in client.get(f"/nhiem-vu/{task.pk}/").content.decode()
