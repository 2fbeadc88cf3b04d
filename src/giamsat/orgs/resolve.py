"""Resolve the names documents give to organisations, on a date.

`resolve("Bộ TT&TT", on=date(2025, 6, 1))` → Bộ Khoa học và Công nghệ (its successor);
`resolve("Các bộ, ngành, địa phương", on=…)` → every ministry and province valid then.
A name that matches nothing exactly is never guessed: the answer is UNSURE, with the
close candidates for a person to choose from.
"""

import datetime
import difflib
import functools
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from enum import StrEnum

from django.utils.translation import gettext as _

from giamsat.lib.text import clean, fold
from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import CENTRAL_KINDS, NameChoice, OrgAlias, Organisation, OrgKind

# Words a document puts before a name that do not change whom it names:
# "UBND tỉnh Hà Giang", "Ủy ban nhân dân Thành phố Hồ Chí Minh", "TP. Hà Nội".
_NAME_PREFIXES = ("uy ban nhan dan ", "ubnd ", "tinh ", "thanh pho ", "tp ")
_PUNCTUATION = re.compile(r"[.,;:!?()\[\]\"'“”‘’*…/]")
_FUZZY_CUTOFF = 0.85
# A commune's name begins with its kind ("Xã Lâm Bình", "Phường Hoàn Kiếm", "Đặc khu Côn
# Đảo"), which name_key keeps: a province or ministry name never matches a commune, and
# only a name written with one of these is compared with the 3,321 communes' spellings.
COMMUNE_PREFIXES = ("xa ", "phuong ", "dac khu ")
# Vietnamese tone marks (huyền, sắc, ngã, hỏi, nặng); the other marks make other letters.
_TONES = {"\u0300": "2", "\u0301": "1", "\u0303": "4", "\u0309": "3", "\u0323": "5"}


def words(text: str) -> str:
    """Folded text with punctuation and dashes turned into single spaces."""
    key = fold(text)
    key = re.sub(r"\s*&\s*", "&", key)
    key = _PUNCTUATION.sub(" ", key).replace("-", " ")
    return " ".join(key.split())


def _spelled_words(text: str) -> list[str]:
    """words() without erasing diacritics; each word's tone written once at its end, so
    that where the mark sits (hoà, hòa) does not matter but which it is does (Giang,
    Giàng)."""
    key = clean(text).casefold()
    key = re.sub(r"\s*&\s*", "&", key)
    key = _PUNCTUATION.sub(" ", key).replace("-", " ")
    spelled = []
    for word in key.split():
        letters = unicodedata.normalize("NFD", word)
        tones = "".join(sorted(_TONES[c] for c in letters if c in _TONES))
        spelled.append(unicodedata.normalize("NFC", "".join(
            c for c in letters if c not in _TONES)) + tones)
    return spelled


def spelling_key(text: str) -> str:
    """name_key() with the letters' marks kept: "Xã Văn Lăng" and "Xã Văn Lang" (both in
    Thái Nguyên) share a name_key but not a spelling."""
    kept = len(name_key(text).split())
    return " ".join(_spelled_words(text)[-kept:]) if kept else ""


@functools.lru_cache(maxsize=65536)
def name_key(text: str) -> str:
    """The key under which a name is looked up: "UBND Tỉnh Hà Giang." → "ha giang"."""
    key = words(text)
    stripped = True
    while stripped:
        stripped = False
        for prefix in _NAME_PREFIXES:
            if key.startswith(prefix) and len(key) > len(prefix):
                key, stripped = key[len(prefix):], True
    return key


@dataclass(frozen=True)
class Group:
    """A phrase that names a set of organisations by kind, e.g. "Các bộ, ngành"."""

    pattern: re.Pattern
    kinds: tuple[str, ...]
    # "Bộ, ngành liên quan" names some of the set, not all: a person must choose which.
    subset: bool = False


def _group(pattern: str, kinds, subset=False) -> Group:
    prefix = "(?:ubnd |uy ban nhan dan )?(?:cac )?"
    return Group(re.compile(rf"^{prefix}{pattern}$"), tuple(kinds), subset)


_PROVINCIAL = "(?:dia phuong|tinh(?: thanh pho)?(?: truc thuoc trung uong)?)"
_CENTRAL = "(?:bo nganh(?: trung uong)?|bo co quan ngang bo(?: co quan thuoc chinh phu)?)"
_RELATED = "(?:co )?lien quan"
GROUPS = (
    _group(rf"{_CENTRAL} (?:va )?(?:cac )?{_PROVINCIAL}", (*CENTRAL_KINDS, OrgKind.PROVINCE)),
    _group(rf"{_CENTRAL} (?:va )?(?:cac )?{_PROVINCIAL} {_RELATED}",
           (*CENTRAL_KINDS, OrgKind.PROVINCE), subset=True),
    _group(_CENTRAL, CENTRAL_KINDS),
    _group(rf"{_CENTRAL} {_RELATED}", CENTRAL_KINDS, subset=True),
    _group(_PROVINCIAL, (OrgKind.PROVINCE,)),
    _group(rf"{_PROVINCIAL} {_RELATED}", (OrgKind.PROVINCE,), subset=True),
    # "Các Bộ khẩn trương rà soát …" (appendix 07): the ministries and ministerial agencies,
    # not the agencies under the Government; "các" is required, "Bộ" alone names nothing.
    Group(re.compile(r"^cac bo(?: co quan ngang bo)?$"),
          (OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY)),
    _group(r"doanh nghiep vien thong(?: di dong)?", (OrgKind.ENTERPRISE,), subset=True),
    _group(r"co quan dang(?: trung uong)?", (OrgKind.PARTY_BODY,), subset=True),
)


class Status(StrEnum):
    EXACT = "exact"  # the organisation's own name
    ALIAS = "alias"  # an abbreviation or variant of it
    SUCCESSOR = "successor"  # named an organisation that had ceased; its successor(s)
    GROUP = "group"  # a phrase naming a set of organisations
    UNSURE = "unsure"  # a person must choose among `candidates`
    UNKNOWN = "unknown"  # nothing close
    NOT_AN_AGENCY = "not_an_agency"  # a person said the name names no agency (NameChoice)


SURE = (Status.EXACT, Status.ALIAS, Status.SUCCESSOR, Status.GROUP)


@dataclass(frozen=True)
class Resolution:
    text: str
    on: datetime.date
    status: Status
    organisations: tuple[Organisation, ...] = ()  # whom the name denotes on `on`
    named: tuple[Organisation, ...] = ()  # whom the text itself named (before succession)
    candidates: tuple[Organisation, ...] = ()  # for UNSURE
    subset: bool = False  # a group of which only some members are meant
    message: str = ""

    @property
    def is_sure(self) -> bool:
        return self.status in SURE and not self.subset

    @property
    def organisation(self) -> Organisation | None:
        if self.is_sure and len(self.organisations) == 1:
            return self.organisations[0]
        return None


@dataclass
class Resolver:
    """Loads the registry once; resolve many names with it (an import does)."""

    graph: OrgGraph = field(default_factory=OrgGraph.load)

    def __post_init__(self):
        self.by_key: dict[str, dict[int, Status]] = defaultdict(dict)
        # A commune's names, to tell apart two that fold to one key (no two other
        # organisations valid on one day share a key); their spellings are worked out
        # when a name needs them (_spellings).
        self.commune_names: dict[int, list[str]] = {}
        for org in self.graph.organisations.values():
            self.by_key[name_key(org.name)][org.pk] = Status.EXACT
            if org.short_name:
                self.by_key[name_key(org.short_name)].setdefault(org.pk, Status.ALIAS)
            if org.kind == OrgKind.COMMUNE:
                self.commune_names[org.pk] = [org.name]
        communes = self.commune_names  # id → names; its keys() is a set
        for org_id, name, key in OrgAlias.objects.values_list("organisation_id", "name", "key"):
            self.by_key[key].setdefault(org_id, Status.ALIAS)
            if org_id in communes:
                communes[org_id].append(name)
        # Close spellings are looked for among the communes only for a name written as
        # one (see COMMUNE_PREFIXES): comparing every unknown name with 7,000 commune
        # names and aliases would triple an import's time and offer wards for ministries.
        self.fuzzy_keys = [k for k, ids in self.by_key.items()
                           if not ids.keys() <= communes.keys()]
        self.commune_keys = [k for k, ids in self.by_key.items()
                             if ids.keys() & communes.keys()]
        # What the standing office said names mean: before groups and close spellings.
        self.chosen: dict[str, tuple[list[int], bool]] = {}
        for choice in NameChoice.objects.prefetch_related("organisations"):
            self.chosen[choice.key] = ([o.pk for o in choice.organisations.all()],
                                       choice.not_an_agency)
        self._resolved: dict[tuple[str, datetime.date, bool], Resolution] = {}

    def resolve(self, text: str, on: datetime.date, close: bool = True) -> Resolution:
        """What text names on `on` (each name and day resolved once per Resolver).

        `close=False` skips looking for close spellings of an unknown name: a caller that
        tries longer and shorter runs of a list needs only whether a run is a name.
        """
        found = self._resolved.get((text, on, close))
        if found is None:
            found = self._resolved[(text, on, close)] = self._resolve(text, on, close)
        return found

    def _resolve(self, text: str, on: datetime.date, close: bool) -> Resolution:
        text = text or ""
        key = name_key(text)
        if not key:
            return Resolution(text, on, Status.UNKNOWN, message=_("Empty name."))
        if key in self.chosen:
            return self._chosen(text, on, *self.chosen[key])
        group = self._group(text, on)
        if group:
            return group
        matches = self.by_key.get(key)
        if matches:
            return self._from_matches(text, on, matches)
        pool = self.commune_keys if key.startswith(COMMUNE_PREFIXES) else self.fuzzy_keys
        near = difflib.get_close_matches(key, pool, n=5, cutoff=_FUZZY_CUTOFF) if close else []
        candidates = self._valid_first([pk for k in near for pk in self.by_key[k]], on)
        if candidates:
            return Resolution(
                text, on, Status.UNSURE, candidates=candidates,
                message=_("“%(text)s” is not a known name; did you mean %(names)s?")
                % {"text": text, "names": ", ".join(o.name for o in candidates)},
            )
        return Resolution(
            text, on, Status.UNKNOWN,
            message=_("“%(text)s” is not a known organisation.") % {"text": text},
        )

    def _chosen(self, text: str, on: datetime.date, ids: list[int],
                not_an_agency: bool) -> Resolution:
        if not_an_agency or not ids:
            return Resolution(text, on, Status.NOT_AN_AGENCY)
        if len(ids) == 1:
            return self._from_matches(text, on, {ids[0]: Status.ALIAS})
        orgs = {}
        for pk in ids:
            org = self.graph.organisations[pk]
            for current in ([org] if org.is_valid_on(on) else self.graph.successors(org, on)):
                orgs[current.pk] = current
        return Resolution(text, on, Status.GROUP,
                          organisations=tuple(sorted(orgs.values(), key=lambda o: o.name)))

    def _group(self, text: str, on: datetime.date) -> Resolution | None:
        phrase = words(text)
        for group in GROUPS:
            if group.pattern.match(phrase):
                members = tuple(
                    sorted(
                        (o for o in self.graph.organisations.values()
                         if o.kind in group.kinds and o.is_valid_on(on)),
                        key=lambda o: (o.kind, o.name),
                    )
                )
                message = (
                    _("“%(text)s” names some of these organisations, not all: choose which.")
                    % {"text": text} if group.subset else ""
                )
                return Resolution(
                    text, on, Status.GROUP, organisations=members, subset=group.subset,
                    message=message,
                )
        return None

    def _from_matches(self, text: str, on: datetime.date, matches: dict[int, Status]):
        orgs = [self.graph.organisations[pk] for pk in matches]
        valid = [o for o in orgs if o.is_valid_on(on)]
        if len(valid) > 1 and any(o.pk in self.commune_names for o in valid):
            spelled = spelling_key(text)
            exact = [o for o in valid if spelled in self._spellings(o.pk)]
            valid = exact if len(exact) == 1 else valid
        if len(valid) == 1:
            return Resolution(text, on, matches[valid[0].pk], (valid[0],), (valid[0],))
        if len(valid) > 1:
            return Resolution(
                text, on, Status.UNSURE, candidates=tuple(valid),
                message=_("“%(text)s” can mean %(names)s.")
                % {"text": text, "names": ", ".join(str(o) for o in valid)},
            )
        ended = [o for o in orgs if o.valid_to and o.valid_to < on]
        carried = {s.pk: s for o in ended for s in self.graph.successors(o, on)}
        if ended and carried:
            return Resolution(
                text, on, Status.SUCCESSOR,
                organisations=tuple(sorted(carried.values(), key=lambda o: o.name)),
                named=tuple(ended),
            )
        if ended:
            return Resolution(
                text, on, Status.UNSURE, candidates=tuple(ended),
                message=_("%(names)s had ceased by %(date)s and no successor is recorded.")
                % {"names": ", ".join(str(o) for o in ended), "date": on.strftime("%d/%m/%Y")},
            )
        return Resolution(
            text, on, Status.UNSURE, candidates=tuple(orgs),
            message=_("%(names)s did not exist yet on %(date)s.")
            % {"names": ", ".join(o.name for o in orgs), "date": on.strftime("%d/%m/%Y")},
        )

    def _spellings(self, pk: int) -> set[str]:
        return {spelling_key(name) for name in self.commune_names.get(pk, ())}

    def _valid_first(self, pks, on) -> tuple[Organisation, ...]:
        orgs = {pk: self.graph.organisations[pk] for pk in pks}.values()
        return tuple(sorted(orgs, key=lambda o: (not o.is_valid_on(on), o.name)))


def resolve(text: str, on: datetime.date) -> Resolution:
    """Resolve one name; to resolve many, build one `Resolver` and reuse it."""
    return Resolver().resolve(text, on)
