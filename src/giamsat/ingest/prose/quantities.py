"""Quantities as the programme's documents write them: a number and the unit after it
("40,1%", "81.400 doanh nghiệp", "01 Gb/s", "356,5 triệu giao dịch"), and the indicator a
stated value belongs to."""

import re
from dataclasses import dataclass
from decimal import Decimal

from giamsat.indicators.catalogue import entry, match_indicator
from giamsat.ingest.numbers import number_value
from giamsat.ingest.records import IndicatorProposal, Section

_AFTER_NUMBER = re.compile(
    r"\s*(?:(?P<mult>triệu|nghìn|ngàn|tỷ)(?=\s))?\s*"
    r"(?P<unit>%(?:\s*GDP)?(?:\s*/\s*năm)?|Mbps|Gbps|Tbps|Gb/s|Mb/s|MW|đồng|USD)?",
    re.IGNORECASE,
)
_MULTIPLIERS = {"nghìn": 10**3, "ngàn": 10**3, "triệu": 10**6, "tỷ": 10**9}


@dataclass
class Quantity:
    value: Decimal
    unit: str  # a Unit value ("percent", "count", "mbps", …), "" for units Unit lacks (MW)
    written: str  # the unit as written, normalised: "%", "Mbps", "Tbps", "tỷ đồng", ""
    end: int  # where the number and its unit end in the text


def read_quantity(text: str, digits: str, end: int) -> Quantity | None:
    """The number `digits` that ends at `end` in text, with the unit written after it."""
    value = number_value(digits)
    if value is None:
        return None
    match = _AFTER_NUMBER.match(text, end)
    mult = (match["mult"] or "").lower()
    unit = (match["unit"] or "").lower()
    factor = Decimal(_MULTIPLIERS.get(mult, 1))
    if unit.startswith("%"):
        return Quantity(value, "percent", "%", match.end())
    if unit in ("mbps", "mb/s"):
        return Quantity(value, "mbps", "Mbps", match.end())
    if unit in ("gbps", "gb/s"):  # speeds are kept in Mbps: "01 Gb/s" is 1.000 Mbps
        return Quantity(value * 1000, "mbps", "Mbps", match.end())
    if unit == "tbps":
        return Quantity(value, "tbps", "Tbps", match.end())
    if unit == "mw":
        return Quantity(value, "", match["unit"], match.end())
    if unit == "đồng":
        return Quantity(value * factor / 10**9, "vnd_billion", "tỷ đồng", match.end())
    if unit == "usd":
        return Quantity(value * factor / 10**6, "usd_million", "triệu USD", match.end())
    # No unit: a count ("81.400 doanh nghiệp", "356,5 triệu giao dịch").
    end = match.end() if mult else end
    return Quantity(value * factor, "count", mult, end)


def normalised(value: Decimal) -> Decimal:
    """12.000 → 12000, 20.50 → 20.5: values compare and print the way they read."""
    value = value.normalize()
    return value.quantize(Decimal(1)) if value == value.to_integral() else value


def indicator_for(name: str, unit: str, line: int, raw: str, section: Section,
                   proposed: set[str]) -> tuple[str, str]:
    """(catalogue code or the name as written, unit); an unknown name is proposed once."""
    code = match_indicator(name)
    if code:
        known = entry(code)
        return code, known.unit if known else unit
    if name not in proposed:
        proposed.add(name)
        section.records.append(IndicatorProposal(name=name, line=line, raw=raw, unit=unit))
    return name, unit
