"""Organisations as flat rows for CSV/JSON export (field names are a public interface)."""

from collections import defaultdict

from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import SUCCESSION_KINDS, OrgAlias, OrgEvent

FIELDS = [
    "id", "name", "short_name", "kind", "admin_type", "code", "valid_from", "valid_to",
    "parent", "aliases", "successors", "successor_ids", "succession_date", "succession_kind",
    "legal_basis", "predecessors", "predecessor_ids",
]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def organisation_rows() -> list[dict]:
    graph = OrgGraph.load()
    aliases = defaultdict(list)
    for org_id, alias in OrgAlias.objects.order_by("id").values_list("organisation_id", "name"):
        aliases[org_id].append(alias)
    ending = defaultdict(list)  # source id → the succession events that ended it
    for event in OrgEvent.objects.filter(kind__in=SUCCESSION_KINDS).select_related("target"):
        ending[event.source_id].append(event)
    rows = []
    for org in sorted(graph.organisations.values(), key=lambda o: (o.kind, o.name, o.slug)):
        events = ending.get(org.pk, [])
        predecessors = graph.predecessors(org)
        rows.append(
            {
                "id": org.slug,
                "name": org.name,
                "short_name": org.short_name,
                "kind": org.kind,
                "admin_type": org.admin_type,
                "code": org.code,
                "valid_from": _iso(org.valid_from),
                "valid_to": _iso(org.valid_to),
                "parent": graph.organisations[org.parent_id].slug if org.parent_id else None,
                "aliases": "; ".join(aliases[org.pk]),
                "successors": "; ".join(e.target.name for e in events),
                "successor_ids": "; ".join(e.target.slug for e in events),
                "succession_date": _iso(min((e.effective_date for e in events), default=None)),
                "succession_kind": "; ".join(sorted({e.kind for e in events})),
                "legal_basis": "; ".join(sorted({e.legal_basis for e in events if e.legal_basis})),
                "predecessors": "; ".join(p.name for p in predecessors),
                "predecessor_ids": "; ".join(p.slug for p in predecessors),
            }
        )
    return rows
