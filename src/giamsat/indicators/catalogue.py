"""The indicator catalogue: the programme's indicators as project data (data/indicators.csv).

Documents name one indicator in many ways: "Tỉ lệ hồ sơ trực tuyến toàn trình của cả
nước", "Tỷ lệ hồ sơ trực tuyến toàn trình trên tổng hồ sơ giải quyết TTHC trung bình cả
nước", "tỷ lệ hồ sơ trực tuyến toàn trình". `match_indicator()` maps such a name to a
catalogue code, conservatively: a name that could be two indicators maps to none, so that
a person decides instead of a guess. `sync_indicators()` brings the Indicator rows in line
with the file.

Units the Unit choices lack (Mbps, Tbps, MW per million people) are written in the
description, and the closest choice stands in the unit column (see data/indicators.csv).
"""

import csv
import functools
import re
from dataclasses import dataclass
from pathlib import Path

from giamsat.lib.text import fold

CATALOGUE_PATH = Path(__file__).resolve().parent / "data" / "indicators.csv"


@dataclass(frozen=True)
class CatalogueEntry:
    code: str
    name: str
    aliases: tuple[str, ...]
    unit: str
    direction: int
    frequency: str
    accumulation: str
    area: str
    description: str

    @property
    def names(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


@functools.cache
def _entries() -> tuple[CatalogueEntry, ...]:
    with open(CATALOGUE_PATH, encoding="utf-8", newline="") as f:
        return tuple(
            CatalogueEntry(
                code=row["code"].strip(),
                name=row["name"].strip(),
                aliases=tuple(a.strip() for a in row["aliases"].split("|") if a.strip()),
                unit=row["unit"].strip(),
                direction=int(row["direction"]),
                frequency=row["frequency"].strip(),
                accumulation=row["accumulation"].strip(),
                area=row["area"].strip(),
                description=row["description"].strip(),
            )
            for row in csv.DictReader(f)
        )


def load_catalogue() -> list[CatalogueEntry]:
    """Every catalogue entry, in file order (read once, then cached)."""
    return list(_entries())


def entry(code: str) -> CatalogueEntry | None:
    return next((e for e in _entries() if e.code == code), None)


# Abbreviations the reports use inside indicator names, spelled out so that
# "Tỷ lệ DVCTT toàn trình" and "Tỷ lệ dịch vụ công trực tuyến toàn trình" meet.
_ABBREVIATIONS = {
    "dvctt": "dich vu cong truc tuyen",
    "dvc": "dich vu cong",
    "tthc": "thu tuc hanh chinh",
    "csdl": "co so du lieu",
    "cntt": "cong nghe thong tin",
    "tmdt": "thuong mai dien tu",
}
# Words that say whose or which average a value is, not what is measured: the national
# figure is the indicator itself ("… của cả nước", "… trung bình cả nước").
_FILLERS = re.compile(r"\b(?:cua ca nuoc|ca nuoc|trung binh)\b")
# The period belongs to the value, not to the name: "… tháng 4 đạt", "… tính đến tháng
# 04/2025", "… từ đầu năm 2025", "… đến hết tháng 6/2025".
_PERIODS = re.compile(
    r"\b(?:(?:tinh )?den (?:het )?)?thang \d{1,2}(?: \d{4})?\b"
    r"|\btu dau nam(?: \d{4})?\b|\bnam \d{4}\b"
)
_PUNCTUATION = re.compile(r"[^\w\s]|_")
_SO_LUONG = re.compile(r"\bso luong\b")
_TY_LE = re.compile(r"^ty le\b\s*")
# Both spellings of the same word: "Tỉ lệ" / "Tỷ lệ", "tỉ trọng" / "tỷ trọng".
_TI = re.compile(r"\bti (le|trong)\b")
# A name needs this many words to mean one thing ("Tỷ lệ", "Tốc độ" alone mean nothing).
_MIN_WORDS = 2


def name_key(name: str) -> str:
    """The key a name is compared under: folded, no punctuation, no "Tỷ lệ" in front.

    "Tỉ lệ hồ sơ trực tuyến toàn trình của cả nước" → "ho so truc tuyen toan trinh".
    """
    key = _PUNCTUATION.sub(" ", fold(name))
    key = " ".join(_ABBREVIATIONS.get(word, word) for word in key.split())
    key = _TI.sub(r"ty \1", key)
    key = _SO_LUONG.sub("so", key)  # "Số lượng doanh nghiệp" = "Số doanh nghiệp"
    key = _PERIODS.sub(" ", key)
    key = _FILLERS.sub(" ", key)
    key = " ".join(key.split())
    return _TY_LE.sub("", key)


@functools.cache
def _keys() -> tuple[tuple[str, str], ...]:
    """(key, code) for every name and alias, without duplicates."""
    seen: dict[tuple[str, str], None] = {}
    for e in _entries():
        for text in e.names:
            key = name_key(text)
            if len(key.split()) >= _MIN_WORDS:
                seen[(key, e.code)] = None
    return tuple(seen)


def _inside(part: str, whole: str) -> bool:
    """part occurs in whole as a run of whole words."""
    return f" {part} " in f" {whole} "


def match_indicator(name: str) -> str | None:
    """The catalogue code of an indicator name as a document writes it, or None.

    Equal keys win. Otherwise a name that contains a catalogue name ("… trên tổng hồ sơ
    giải quyết TTHC trung bình cả nước") or is contained in one (a shorter form) matches,
    but only when one code is left: when the name contains the names of two indicators,
    the longer one counts if it contains the shorter ("DVCTT toàn trình có phát sinh hồ
    sơ" over "DVCTT toàn trình"); anything else is ambiguous and gives None.
    """
    if not isinstance(name, str):
        return None
    key = name_key(name)
    if len(key.split()) < _MIN_WORDS:
        return None
    keys = _keys()
    exact = {code for k, code in keys if k == key}
    if exact:
        return _one(exact)
    inner = [(k, code) for k, code in keys if _inside(k, key)]
    if inner:
        widest = [(k, code) for k, code in inner
                  if not any(code2 != code and k != k2 and _inside(k, k2) for k2, code2 in inner)]
        return _one({code for _k, code in widest})
    return _one({code for k, code in keys if _inside(key, k)})


def _one(codes: set[str]) -> str | None:
    return next(iter(codes)) if len(codes) == 1 else None


def sync_indicators() -> int:
    """Create or update the Indicator rows of the catalogue; returns how many changed.

    Safe to run any number of times: a row whose facts equal the file's is not saved (so
    the audit trail only records real changes), and nothing is ever deleted, so indicators
    an import proposed, or that a person added, stay.
    """
    from django.db import transaction

    from giamsat.indicators.models import Indicator

    changed = 0
    with transaction.atomic():
        existing = {i.code: i for i in Indicator.objects.filter(
            code__in=[e.code for e in _entries()])}
        for e in _entries():
            facts = {
                "name": e.name, "unit": e.unit, "direction": e.direction,
                "frequency": e.frequency, "accumulation": e.accumulation, "area": e.area,
                "description": e.description,
            }
            indicator = existing.get(e.code)
            if indicator is None:
                Indicator.objects.create(code=e.code, **facts)
            elif any(getattr(indicator, k) != v for k, v in facts.items()):
                for k, v in facts.items():
                    setattr(indicator, k, v)
                indicator.save()
            else:
                continue
            changed += 1
    return changed
