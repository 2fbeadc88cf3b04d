"""The communes, wards and special zones (xã, phường, đặc khu) of the two-level local
government in force since 01/07/2025, under their provinces.

The facts come from the `vietnam-provinces` package, which carries the General Statistics
Office's list: 34 provinces and 3,321 communes (2,621 xã, 687 phường, 13 đặc khu) with
their official codes. It is read through the JSON file the package documents
(NESTED_DIVISIONS_JSON_PATH), not its Python lookup module (3,000 dataclasses built at
import). A commune's code is GSO's five-digit code ("00070"), a province's two digits.

`load_communes` is part of `load_reference` (and so of `giamsat migrate`): it creates the
missing communes and their aliases in bulk, brings the facts of existing ones up to date
and never deletes. Each commune has one alias, its name qualified by its province
("Xã Tân Thành, Tỉnh Lâm Đồng"): 238 commune names are used in more than one province, and
documents qualify them so.
"""

import datetime
import json
from dataclasses import dataclass
from functools import cache

from django.db import transaction
from django.utils.text import slugify

from giamsat.lib.text import clean, fold
from giamsat.orgs import models as live

EFFECTIVE = datetime.date(2025, 7, 1)  # Resolution 202/2025/QH15: two-level local government
# The package's division types → the registry's admin_type.
PROVINCE_TYPES = {"tỉnh": "tỉnh", "thành phố trung ương": "thành phố trực thuộc trung ương"}
COMMUNE_TYPES = ("xã", "phường", "đặc khu")
# What a province is called in front of its name, by admin_type.
PROVINCE_TITLES = {"tỉnh": "Tỉnh", "thành phố trực thuộc trung ương": "Thành phố"}


@dataclass(frozen=True)
class ProvinceFact:
    code: str  # "01"
    name: str  # as the package writes it: "Thành phố Hà Nội", "Cao Bằng"
    admin_type: str  # the registry's: "thành phố trực thuộc trung ương", "tỉnh"


@dataclass(frozen=True)
class CommuneFact:
    code: str  # "00070"
    name: str  # "Phường Hoàn Kiếm"
    admin_type: str  # "xã", "phường" or "đặc khu"
    codename: str  # the package's "phuong_hoan_kiem"
    province_code: str


def source_version() -> str:
    """Which release of the list is loaded, for the notes and the report."""
    import vietnam_provinces

    return f"vietnam-provinces {vietnam_provinces.__version__} " \
           f"(data {vietnam_provinces.__data_version__})"


@cache
def _divisions() -> tuple[tuple[ProvinceFact, ...], tuple[CommuneFact, ...]]:
    from vietnam_provinces import NESTED_DIVISIONS_JSON_PATH

    provinces, communes = [], []
    for province in json.loads(NESTED_DIVISIONS_JSON_PATH.read_text(encoding="utf-8")):
        code = f"{province['code']:02d}"
        provinces.append(ProvinceFact(code, clean(province["name"]),
                                      PROVINCE_TYPES[province["division_type"]]))
        for ward in province["wards"]:
            if ward["division_type"] not in COMMUNE_TYPES:
                raise ValueError(f"unknown division type {ward['division_type']!r}")
            # clean(): the list has a name or two with a doubled space ("Phường  An Nhơn").
            communes.append(CommuneFact(f"{ward['code']:05d}", clean(ward["name"]),
                                        ward["division_type"], ward["codename"], code))
    return tuple(provinces), tuple(communes)


def province_facts() -> tuple[ProvinceFact, ...]:
    return _divisions()[0]


def commune_facts() -> tuple[CommuneFact, ...]:
    return _divisions()[1]


def commune_slug(fact: CommuneFact, province_slug: str) -> str:
    """"phuong-hoan-kiem-ha-noi"; the code is added where two communes of a province fold
    to one name (Xã Văn Lang and Xã Văn Lăng of Thái Nguyên)."""
    base = slugify(fact.codename.replace("_", "-"))
    if _shared_codename(fact):
        base = f"{base}-{fact.code}"
    return f"{base}-{province_slug}"


def _shared_codename(fact: CommuneFact) -> bool:
    return _codename_counts().get((fact.province_code, fact.codename), 0) > 1


@cache
def _codename_counts() -> dict:
    counts: dict = {}
    for fact in commune_facts():
        key = (fact.province_code, fact.codename)
        counts[key] = counts.get(key, 0) + 1
    return counts


def qualified_name(name: str, province) -> str:
    """"Xã Tân Thành, Tỉnh Lâm Đồng": the commune's name with its province's."""
    title = PROVINCE_TITLES.get(province.admin_type, "")
    return f"{name}, {title} {province.name}".replace("  ", " ")


@dataclass
class CommuneCounts:
    created: int = 0
    updated: int = 0
    aliases_created: int = 0


@transaction.atomic
def load_communes(apps=None) -> CommuneCounts:
    """Create or update the communes (see the module doc); `apps` is a migration's app
    registry. Needs the provinces of 01/07/2025, which organisations.csv carries."""
    from giamsat.lib.rows import insert_with_history
    from giamsat.orgs.resolve import name_key

    get = apps.get_model if apps is not None else lambda app, name: getattr(live, name)
    Organisation, OrgAlias = get("orgs", "Organisation"), get("orgs", "OrgAlias")
    historical = {model: get("orgs", f"Historical{model.__name__}") if apps else None
                  for model in (Organisation, OrgAlias)}
    counts = CommuneCounts()
    provinces = {p.code: p for p in Organisation.objects.filter(kind=live.OrgKind.PROVINCE)
                 .filter(valid_from__lte=EFFECTIVE).filter(valid_to__isnull=True)}
    missing = sorted({f.province_code for f in commune_facts()} - set(provinces))
    if missing:
        raise ValueError(f"no province of 01/07/2025 has the code(s) {', '.join(missing)}")
    existing = {o.slug: o for o in Organisation.objects.filter(kind=live.OrgKind.COMMUNE)}
    fields = ("name", "kind", "admin_type", "code", "parent_id", "valid_from", "name_key")
    new, changed = [], []
    wanted: list[tuple[object, str]] = []  # (organisation, alias)
    for fact in commune_facts():
        province = provinces[fact.province_code]
        slug = commune_slug(fact, province.slug)
        facts = {"name": fact.name, "kind": live.OrgKind.COMMUNE, "admin_type": fact.admin_type,
                 "code": fact.code, "parent_id": province.pk, "valid_from": EFFECTIVE,
                 "name_key": fold(fact.name)}
        org = existing.get(slug)
        if org is None:
            org = Organisation(slug=slug, **facts)
            new.append(org)
        elif any(getattr(org, f) != facts[f] for f in fields):
            for f in fields:
                setattr(org, f, facts[f])
            changed.append(org)
        wanted.append((org, qualified_name(fact.name, province)))
    insert_with_history(Organisation, new, historical=historical[Organisation],
                        reason="giamsat: communes from " + source_version())
    for org in changed:
        org.save()  # rare (a new release renames one): one audit row each, as any change
    counts.created, counts.updated = len(new), len(changed)
    known = set(OrgAlias.objects.filter(organisation__kind=live.OrgKind.COMMUNE)
                .values_list("organisation_id", "key"))
    aliases = []
    for org, alias in wanted:
        key = name_key(alias)
        if (org.pk, key) not in known:
            aliases.append(OrgAlias(organisation_id=org.pk, name=alias, key=key))
            known.add((org.pk, key))
    insert_with_history(OrgAlias, aliases, historical=historical[OrgAlias],
                        reason="giamsat: communes from " + source_version())
    counts.aliases_created = len(aliases)
    if new or changed or aliases:
        from giamsat.derived import DATA, ORGS, data_changed

        data_changed({DATA, ORGS})  # bulk writes send no signal
    return counts


def communes_of(province, on: datetime.date | None = None):
    """The communes under `province` (valid on `on` when given), by name."""
    queryset = live.Organisation.objects.filter(parent=province, kind=live.OrgKind.COMMUNE)
    if on is not None:
        queryset = queryset.valid_on(on)
    return queryset.order_by("name_key", "code")
