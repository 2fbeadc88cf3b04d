"""Load the reference organisations and events carried in orgs/data/*.csv.

Safe to run any number of times: it creates what is missing and brings the facts from the
files up to date; it never deletes, so organisations and aliases added locally stay.

A data migration (orgs/migrations/0003_registry.py) runs it with the migration's own
models, so that `giamsat migrate` alone gives a working registry; `giamsat load_reference`
runs it again with the live models after the files change. The 3,321 communes come from a
package rather than a file here (communes.py); 0005_communes loads them.
"""

import csv
import datetime
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from giamsat.lib.text import fold
from giamsat.orgs import models as live
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
def load_reference(apps=None, communes: bool = True) -> LoadCounts:
    """Load the files, then the communes; `apps` is a migration's app registry (its
    historical models)."""
    get = apps.get_model if apps is not None else lambda app, name: getattr(live, name)
    Organisation, OrgAlias, OrgEvent = (get("orgs", name) for name in
                                        ("Organisation", "OrgAlias", "OrgEvent"))
    counts = LoadCounts()
    created: list = []  # for the audit trail, which migrations' models do not keep
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
            "name_key": fold(row["name"]),  # historical models have no save() of their own
        }
        org = Organisation.objects.filter(slug=row["slug"]).first()
        if org is None:
            org = Organisation.objects.create(slug=row["slug"], **facts)
            created.append(org)
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
                created.append(OrgAlias.objects.create(organisation=org, name=alias,
                                                       key=name_key(alias)))
                known.add(name_key(alias))
                counts.aliases_created += 1
    for row in rows:
        if row["parent"]:
            org = by_slug[row["slug"]]
            if org.parent_id != by_slug[row["parent"]].pk:
                org.parent = by_slug[row["parent"]]
                org.save()
    for row in _rows("events.csv"):
        event, created_now = OrgEvent.objects.get_or_create(
            kind=row["kind"],
            source=by_slug[row["source"]],
            target=by_slug[row["target"]],
            effective_date=_date(row["effective_date"]),
            defaults={"legal_basis": row["legal_basis"], "note": row["note"]},
        )
        counts.events_created += created_now
        if created_now:
            created.append(event)
        if (event.legal_basis, event.note) != (row["legal_basis"], row["note"]):
            event.legal_basis, event.note = row["legal_basis"], row["note"]
            event.save()
    if apps is not None:
        _history(apps, created)
    if communes:
        from giamsat.orgs.communes import load_communes

        loaded = load_communes(apps)
        counts.organisations_created += loaded.created
        counts.organisations_updated += loaded.updated
        counts.aliases_created += loaded.aliases_created
    return counts


def _history(apps, created: list) -> None:
    """The "+" audit rows the live models' signals would have written (the parents, set
    after creation, are in them)."""
    now = timezone.now()
    for obj in created:
        historical = apps.get_model("orgs", f"Historical{type(obj).__name__}")
        fields = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields}
        historical.objects.create(**fields, history_date=now, history_type="+",
                                  history_change_reason="giamsat migrate: reference data")
