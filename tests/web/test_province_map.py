"""The province map the web app hands to ECharts (``echarts.registerMap(name, {svg: text})``).

ECharts turns every SVG element with a ``name`` attribute into a region, so the names must be
exactly the registry's slugs of the 34 provinces valid from 01/07/2025, plus the two
archipelagos. The file is built by scripts/build_province_map.py.
"""

import csv
import xml.etree.ElementTree as ET
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SVG = ROOT / "src" / "giamsat" / "web" / "static" / "web" / "map" / "vietnam-provinces.svg"
ORGANISATIONS = ROOT / "src" / "giamsat" / "orgs" / "data" / "organisations.csv"
NS = "{http://www.w3.org/2000/svg}"
ARCHIPELAGOS = {"hoang-sa", "truong-sa"}


def provinces_valid_on(day: date) -> set[str]:
    with ORGANISATIONS.open(encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    return {
        r["slug"]
        for r in rows
        if r["kind"] == "province"
        and (not r["valid_from"] or date.fromisoformat(r["valid_from"]) <= day)
        and (not r["valid_to"] or day <= date.fromisoformat(r["valid_to"]))
    }


def named_elements() -> list[ET.Element]:
    return [el for el in ET.parse(SVG).getroot().iter() if "name" in el.attrib]


def test_exactly_36_named_paths():
    named = named_elements()
    assert len(named) == 36
    assert {el.tag for el in named} == {NS + "path"}
    assert all(el.get("d", "").startswith("M") for el in named)
    assert len({el.get("name") for el in named}) == 36


def test_names_are_the_current_province_slugs_and_the_archipelagos():
    names = {el.get("name") for el in named_elements()}
    provinces = provinces_valid_on(date(2025, 7, 1))
    assert len(provinces) == 34
    assert names >= ARCHIPELAGOS
    assert names - ARCHIPELAGOS == provinces


def test_self_contained_and_small():
    assert SVG.stat().st_size < 300 * 1024
    root = ET.parse(SVG).getroot()
    assert root.tag == NS + "svg"
    assert root.get("viewBox")
    banned = {"script", "image", "use", "style", "foreignObject", "font", "font-face", "a"}
    for el in root.iter():
        assert el.tag.removeprefix(NS) not in banned, el.tag
        assert not any(k.endswith("href") or k.startswith("on") for k in el.attrib), el.attrib
