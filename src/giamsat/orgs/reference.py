"""Load the reference organisations and events carried in orgs/data/*.csv.

Safe to run any number of times: it creates what is missing and brings the facts from the
files up to date; it never deletes, so organisations and aliases added locally stay.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from giamsat.orgs.models import OrgAlias, Organisation, OrgEvent
from giamsat.orgs.resolve import name_key

DATA_DIR = Path(__file__).resolve().parent / "data"


@dataclass
class LoadCounts:
    organisations_created: int = 0
    organisations_updated: int = 0
    aliases_created: int = 0
    events_created: int = 0


def _date(text: str) -> datetime.date | None:
    return datetime.date.fromisoformat(text) if text else None


def _rows(name: str) -> list[dict]:
    with open(DATA_DIR / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f))


@transaction.atomic
def load_reference() -> LoadCounts:
    counts = LoadCounts()
    rows = _rows("organisations.csv")
    by_slug: dict[str, Organisation] = {}
    for order, row in enumerate(rows, start=1):
        facts = {
            "sort_order": order,
            "name": row["name"],
            "short_name": row["short_name"],
            "kind": row["kind"],
            "admin_type": row["admin_type"],
            "code": row["code"],
            "valid_from": _date(row["valid_from"]),
            "valid_to": _date(row["valid_to"]),
            "notes": row["notes"],
        }
        org = Organisation.objects.filter(slug=row["slug"]).first()
        if org is None:
            org = Organisation.objects.create(slug=row["slug"], **facts)
            counts.organisations_created += 1
        elif any(getattr(org, k) != v for k, v in facts.items()):
            for k, v in facts.items():
                setattr(org, k, v)
            org.save()
            counts.organisations_updated += 1
        by_slug[row["slug"]] = org
        # An alias whose key the name already gives ("Tỉnh Hà Giang") adds nothing.
        known = {name_key(org.name), *org.aliases.values_list("key", flat=True)}
        for alias in filter(None, row["aliases"].split(";")):
            if name_key(alias) not in known:
                OrgAlias.objects.create(organisation=org, name=alias)
                known.add(name_key(alias))
                counts.aliases_created += 1
    for row in rows:
        if row["parent"]:
            org = by_slug[row["slug"]]
            if org.parent_id != by_slug[row["parent"]].pk:
                org.parent = by_slug[row["parent"]]
                org.save()
    for row in _rows("events.csv"):
        event, created = OrgEvent.objects.get_or_create(
            kind=row["kind"],
            source=by_slug[row["source"]],
            target=by_slug[row["target"]],
            effective_date=_date(row["effective_date"]),
            defaults={"legal_basis": row["legal_basis"], "note": row["note"]},
        )
        counts.events_created += created
        if (event.legal_basis, event.note) != (row["legal_basis"], row["note"]):
            event.legal_basis, event.note = row["legal_basis"], row["note"]
            event.save()
    return counts
