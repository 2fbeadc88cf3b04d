"""Read the partitions a page shows: a container marked data-partition holds numbers marked
data-total="NAME" and data-part="…" data-of="NAME" (the templates mark them so; the due
tiles, the area and agency rows of the dashboard, an agency's scorecard)."""

from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "source", "track", "wbr"}


@dataclass
class Partition:
    name: str
    org: str = ""  # data-org of its row, if any
    totals: dict = field(default_factory=dict)  # name → number
    parts: dict = field(default_factory=dict)  # name of the total → {part: number}

    def problems(self) -> list[str]:
        """What does not add up: a total other than the sum of its parts, or parts of a
        total the partition does not show."""
        said = []
        for total, parts in self.parts.items():
            if total not in self.totals:
                said.append(f"{self.name} {self.org}: parts of {total} without the total")
            elif sum(parts.values()) != self.totals[total]:
                said.append(f"{self.name} {self.org}: {total} {self.totals[total]} ≠ "
                            f"{' + '.join(f'{k} {v}' for k, v in parts.items())}")
        return said

    def numbers(self) -> dict:
        """Every number by name ("due", "due.overdue"), to add rows up."""
        found = dict(self.totals)
        for total, parts in self.parts.items():
            found.update({f"{total}.{name}": n for name, n in parts.items()})
        return found


class _Reader(HTMLParser):
    def __init__(self):
        super().__init__()
        self.stack = []  # (tag, partition or None, number being read or None)
        self.found: list[Partition] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        partition = None
        if "data-partition" in attrs:
            partition = Partition(attrs["data-partition"], attrs.get("data-org", ""))
            self.found.append(partition)
        number = None
        if "data-total" in attrs or "data-part" in attrs:
            number = {"total": attrs.get("data-total"), "part": attrs.get("data-part"),
                      "of": attrs.get("data-of"), "text": ""}
        if tag not in VOID:
            self.stack.append((tag, partition, number))

    def handle_data(self, data):
        for _tag, _partition, number in self.stack:
            if number is not None:
                number["text"] += data

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        while self.stack:
            open_tag, _partition, number = self.stack.pop()
            if number is not None:
                self._store(number)
            if open_tag == tag:
                break

    def _store(self, number):
        text = number["text"].strip().replace(".", "").replace("\xa0", "")
        value = int(text)
        within = next(p for _t, p, _n in reversed(self.stack) if p is not None)
        if number["total"]:
            within.totals[number["total"]] = value
        if number["part"]:
            assert number["of"], f"a part of nothing: {number}"
            within.parts.setdefault(number["of"], {})[number["part"]] = value


def read_partitions(html: str) -> list[Partition]:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader.found


def check_partitions(html: str, expect: set[str]) -> list[Partition]:
    """The page's partitions, having checked that each adds up and that those named in
    `expect` are on the page; a failure lists every sum that does not hold."""
    partitions = read_partitions(html)
    problems = [problem for p in partitions for problem in p.problems()]
    assert not problems, "\n".join(problems)
    assert expect <= {p.name for p in partitions}, {p.name for p in partitions}
    return partitions


def add_up(partitions: list[Partition]) -> dict:
    """The numbers of several rows added up by name."""
    total: dict = {}
    for p in partitions:
        for name, n in p.numbers().items():
            total[name] = total.get(name, 0) + n
    return total
