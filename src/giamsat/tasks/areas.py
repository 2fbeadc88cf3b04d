"""The programme's areas, and the area of a task from the heading above it or its title.

The catalogue (tasks/data/areas.csv, loaded by a migration, then edited as data) names
each area with the headings documents write for it. A heading ("II. Về hoàn thiện thể
chế:", "(5) Về phát triển kinh tế số, xã hội số", "b) Thể chế số") is folded, its numbering
and the words every heading starts with ("về", "phát triển", "công tác", "bảo đảm")
dropped, and compared with the catalogue's headings: equal, then close (word overlap). A
compound heading takes its first area. What the standing office decided for a heading
no area matched (AreaChoice) comes first. A task read with no heading is placed by the
words of its title when one area's words clearly win; otherwise it has no area, and the
import says so.
"""

import csv
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from giamsat.lib.text import fold

CATALOGUE = Path(__file__).resolve().parent / "data" / "areas.csv"
_NUMBERING = re.compile(r"^\s*(?:[ivxlc]+[.)]|\d{1,2}[.)]|\(\d{1,2}\)|[a-zđ][.)]|-|\+)\s*")
_STARTS = re.compile(r"^(?:ve|linh vuc|phat trien|cong tac|bao dam|dam bao|hoan thien|"
                     r"nang cao|thuc hien|day manh|trien khai)\s+")
_WORD = re.compile(r"\w+")
_CLOSE = 0.75  # share of the shorter key's words the other has


def area_key(heading: str) -> str:
    """ "II. Về hoàn thiện thể chế:" → "the che"."""
    key = fold(heading)
    previous = None
    while previous != key:
        previous = key
        key = _STARTS.sub("", _NUMBERING.sub("", key).strip())
    return " ".join(_WORD.findall(key))


def load_areas(apps=None) -> int:
    """Create the catalogue's areas that are missing (a migration, or a fresh system)."""
    if apps is None:
        from giamsat.tasks.models import Area
    else:
        Area = apps.get_model("tasks", "Area")
    created = 0
    with open(CATALOGUE, encoding="utf-8", newline="") as file:
        for order, row in enumerate(csv.DictReader(file), start=1):
            if Area.objects.filter(code=row["code"]).exists():
                continue
            Area.objects.create(code=row["code"], name=row["name"], sort_order=order * 10,
                                aliases="\n".join(row["aliases"].split("|")),
                                keywords="\n".join(row["keywords"].split("|")))
            created += 1
    return created


@dataclass
class Catalogue:
    """The areas and the decided headings, read once (an import reads many headings)."""

    by_key: dict[str, object] = field(default_factory=dict)  # heading key → Area
    words: list[tuple[object, frozenset[str]]] = field(default_factory=list)
    keywords: list[tuple[object, list[str]]] = field(default_factory=list)
    decided: dict[str, object | None] = field(default_factory=dict)  # key → Area or None

    @classmethod
    def load(cls, apps=None) -> "Catalogue":
        if apps is None:
            from giamsat.tasks.models import Area, AreaChoice
        else:  # a migration's own models
            Area, AreaChoice = apps.get_model("tasks", "Area"), apps.get_model(
                "tasks", "AreaChoice")
        catalogue = cls()
        for area in Area.objects.all():
            for heading in [area.name, *area.aliases.splitlines()]:
                key = area_key(heading)
                if key:
                    catalogue.by_key.setdefault(key, area)
                    catalogue.words.append((area, frozenset(key.split())))
            catalogue.keywords.append(
                (area, [fold(k) for k in area.keywords.splitlines() if k.strip()]))
        for choice in AreaChoice.objects.select_related("area"):
            catalogue.decided[choice.key] = choice.area
        return catalogue

    def of_heading(self, heading: str) -> tuple[bool, object | None]:
        """(known, area): the area a heading names; known is False when nothing matched
        and nobody decided (the heading must be asked about)."""
        key = area_key(heading)
        if not key:
            return True, None
        if key in self.decided:
            return True, self.decided[key]
        if key in self.by_key:
            return True, self.by_key[key]
        # "Về phát triển kinh tế số, xã hội số": its first part.
        for part in re.split(r"\s*[,;:]\s*|\s+và\s+", fold(heading)):
            if (found := self.by_key.get(area_key(part))) is not None:
                return True, found
        words = frozenset(key.split())
        best = max(((len(words & mine) / min(len(words), len(mine)), area)
                    for area, mine in self.words if mine), default=(0, None),
                   key=lambda pair: pair[0])
        return (True, best[1]) if best[0] >= _CLOSE else (False, None)

    def of_title(self, title: str):
        """The area a title's words clearly place a task in, or None."""
        text = f" {' '.join(_WORD.findall(fold(title)))} "
        scores = Counter()
        for area, keywords in self.keywords:
            for keyword in keywords:
                if f" {keyword} " in text:
                    scores[area] += len(keyword.split())  # "an toàn thông tin" beats "thông tin"
        ranked = scores.most_common(2)
        if not ranked or (len(ranked) > 1 and ranked[1][1] == ranked[0][1]):
            return None
        return ranked[0][0]


def place(task, catalogue: Catalogue) -> bool:
    """Give a task the area its heading (else its title) names; False when its heading is
    one the catalogue does not know (a person must say which area it is)."""
    known, area = catalogue.of_heading(task.area) if task.area else (True, None)
    basis = "heading" if area is not None else ""
    if area is None and known:
        area = catalogue.of_title(task.title)
        basis = "title" if area is not None else ""
    task.programme_area, task.area_basis = area, basis
    return known
