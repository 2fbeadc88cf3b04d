"""The province map names its provinces: at desktop width all 34 names, none covering
another; at phone width none covering another, Hà Nội among them (a name with no room
near its province is left to the tooltip)."""

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation
from giamsat.orgs.models import Organisation
from tests.browser.conftest import login, shoot

NAMES = """() => Array.from(document.querySelectorAll('#province-map svg text'))
  .map(t => { const r = t.getBoundingClientRect();
              return {text: t.textContent.trim(), x: r.x, y: r.y, w: r.width, h: r.height}; })
  .filter(n => n.text && n.w > 0)"""


ARCHIPELAGOS = {"Quần đảo Hoàng Sa", "(Đà Nẵng)", "Quần đảo Trường Sa", "(Khánh Hòa)"}


def overlapping(names):
    return [(a["text"], b["text"]) for i, a in enumerate(names) for b in names[i + 1:]
            if a["x"] < b["x"] + b["w"] and b["x"] < a["x"] + a["w"]
            and a["y"] < b["y"] + b["h"] and b["y"] < a["y"] + a["h"]]


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_map_names_the_provinces(live_server, new_page, make_user, viewport):
    sync_indicators()
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    provinces = list(Organisation.objects.provinces().valid_on(datetime.date(2025, 8, 31)))
    assert len(provinces) == 34
    for n, province in enumerate(provinces):
        Observation.objects.create(indicator=rate, organisation=province,
                                   period=datetime.date(2025, 8, 1), value=Decimal(20 + n))
    make_user("viewer", username="xem")
    page = new_page(viewport)
    login(page, live_server.url, "xem")
    page.goto(f"{live_server.url}/chi-tieu/{rate.code}/?ngay=15/09/2025")
    expect(page.locator("#province-map")).to_have_attribute("data-ready", "1")
    box = page.locator("#province-map").bounding_box()
    names = [n for n in page.evaluate(NAMES)
             if n["x"] >= box["x"] and n["x"] + n["w"] <= box["x"] + box["width"]]
    shown = {n["text"] for n in names}
    expected = {p.name for p in provinces}
    # Besides the provinces: the archipelagos' own labels and the colour scale's ends.
    assert all(text in ARCHIPELAGOS or text.endswith("%") for text in shown - expected)
    province_names = [n for n in names if n["text"] in expected]
    assert overlapping(province_names) == []
    if viewport == "desktop":
        assert {n["text"] for n in province_names} == expected
    else:
        assert "Hà Nội" in shown and len(province_names) >= 28
    shoot(page, "map-names")
    assert page.problems == []
