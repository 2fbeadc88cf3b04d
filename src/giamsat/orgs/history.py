"""Who carries an organisation's tasks and series forward, and who came before it.

The walk is done on an in-memory graph of OrgEvents (a few hundred rows nationally), so
that importing a document resolves thousands of names without a query per name.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models.base import ModelState

from giamsat.orgs.models import SUCCESSION_KINDS, Organisation, OrgEvent

_memo: dict = {}


@dataclass
class OrgGraph:
    organisations: dict[int, Organisation]
    # source id → [(effective date, target id)] for events that carry tasks forward
    forward: dict[int, list[tuple[datetime.date, int]]] = field(default_factory=dict)
    backward: dict[int, list[tuple[datetime.date, int]]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> "OrgGraph":
        """The graph, read once per process and version of the organisations (derived.py):
        3,500 organisations are read again only when one of them or an event changes."""
        from django.conf import settings

        from giamsat.derived import ORGS, changed_here, data_version

        if not settings.DERIVED_CACHE or changed_here(ORGS):
            return cls._read()  # this transaction's own organisations, not yet committed
        version = data_version(ORGS)
        entry = _memo.get("entry")  # one (version, graph) pair: threads see both or neither
        if entry is None or entry[0] != version:
            entry = _memo["entry"] = (version, cls._read())
        return entry[1]

    @classmethod
    def _read(cls) -> "OrgGraph":
        organisations = _organisations()
        forward: dict[int, list] = defaultdict(list)
        backward: dict[int, list] = defaultdict(list)
        events = OrgEvent.objects.filter(kind__in=SUCCESSION_KINDS).values_list(
            "source_id", "target_id", "effective_date"
        )
        for source_id, target_id, effective in events:
            forward[source_id].append((effective, target_id))
            backward[target_id].append((effective, source_id))
        return cls(organisations, dict(forward), dict(backward))

    def successors(self, org: Organisation, on: datetime.date) -> list[Organisation]:
        """The organisations valid on `on` that carry `org` forward (itself if still valid).

        Empty when `org` ended and nobody took it over by that date, or when `on` is
        before `org` existed (going back in time is `predecessors`' job).
        """
        found: dict[int, Organisation] = {}
        seen: set[int] = set()
        stack = [org.pk]
        while stack:
            pk = stack.pop()
            if pk in seen:
                continue
            seen.add(pk)
            current = self.organisations[pk]
            if current.is_valid_on(on):
                found[pk] = current
                continue
            stack.extend(
                target for effective, target in self.forward.get(pk, []) if effective <= on
            )
        return sorted(found.values(), key=lambda o: o.name)

    def predecessors(self, org: Organisation) -> list[Organisation]:
        """Every organisation whose tasks and series `org` carries, oldest links included."""
        found: dict[int, Organisation] = {}
        stack = [source for _, source in self.backward.get(org.pk, [])]
        while stack:
            pk = stack.pop()
            if pk in found:
                continue
            found[pk] = self.organisations[pk]
            stack.extend(source for _, source in self.backward.get(pk, []))
        return sorted(found.values(), key=lambda o: (o.name, o.valid_to or datetime.date.max))


def _organisations() -> dict[int, Organisation]:
    """Every organisation, as Organisation.objects.all() gives them but built from plain
    rows: with the 3,321 communes, the ORM's per-row construction was most of the time of
    a page that reads the graph without the cache (30 of 50 ms)."""
    fields = [f.attname for f in Organisation._meta.concrete_fields]
    found = {}
    db = Organisation.objects.db
    for row in Organisation.objects.values_list(*fields):
        org = Organisation.__new__(Organisation)
        org.__dict__.update(zip(fields, row, strict=True))
        org._state = ModelState()
        org._state.adding, org._state.db = False, db
        found[org.pk] = org
    return found


def successors(org: Organisation, on: datetime.date) -> list[Organisation]:
    return OrgGraph.load().successors(org, on)


def predecessors(org: Organisation) -> list[Organisation]:
    return OrgGraph.load().predecessors(org)


def carried_ids(org: Organisation, graph: OrgGraph | None = None) -> list[int]:
    """The organisation and every organisation it carries forward: whose tasks, reports
    and series count as its own ("Bộ KH&CN" includes "Bộ TT&TT" before 01/03/2025)."""
    graph = graph or OrgGraph.load()
    return [org.pk, *(p.pk for p in graph.predecessors(org))]
