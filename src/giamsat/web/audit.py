"""The change log shown under every object: who changed what, when, before and after.

Values are shown as a reader knows them: a choice by its label, a person by name (full
name, else username) and anything else a field points to by its name, never by its id;
dates as dd/mm/yyyy, numbers with the locale's separators (8.743; 45,3).
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}
# Bookkeeping that changes with every save and says nothing to a reader.
HIDDEN_FIELDS = {"version", "updated_at", "title_key", "name_key", "key", "evidence_refs"}


@dataclass
class FieldChange:
    label: str
    before: object
    after: object


@dataclass
class LogEntry:
    when: object
    who: object
    action: str
    changes: list[FieldChange]
    subject: str = ""
    history_id: int = field(default=0, repr=False)
    reason: str = ""  # why, as the person said (the history's change reason)


def change_log(obj, limit: int = 50) -> list[LogEntry]:
    """The newest `limit` entries of `obj`'s audit trail (django-simple-history)."""
    return history_log(obj.history.all(), type(obj), limit)


def history_log(records, model, limit: int = 50, subject=None) -> list[LogEntry]:
    """Entries for a queryset of historical records of `model` (of one or many objects),
    newest first; `subject(record)` names the object when the log mixes several."""
    records = list(records.select_related("history_user").order_by("history_date",
                                                                    "history_id"))
    previous_of: dict[int, object] = {}
    entries = []
    for record in records:
        previous = previous_of.get(record.id)
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                if change.field in HIDDEN_FIELDS:
                    continue
                field_ = model._meta.get_field(change.field)
                changes.append(FieldChange(str(field_.verbose_name), _shown(field_, change.old),
                                           _shown(field_, change.new)))
        previous_of[record.id] = record
        if record.history_type == "~" and not changes and previous is not None:
            continue  # only bookkeeping changed
        entries.append(LogEntry(record.history_date, record.history_user,
                                HISTORY_TYPES.get(record.history_type, ""), changes,
                                subject(record) if subject else "", record.history_id,
                                record.history_change_reason or ""))
    entries.reverse()
    entries = entries[:limit]
    _name_references(entries)
    return entries


def merged(*logs: list[LogEntry], limit: int = 50) -> list[LogEntry]:
    entries = [entry for log in logs for entry in log]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


@dataclass(frozen=True)
class _Reference:
    """The id a foreign key held, named once the whole log is known (_name_references)."""

    model: type
    pk: object


def _shown(field_, value):
    """A value as a reader understands it: the label of a choice, not its code."""
    if value is None or value == "":
        return value
    if isinstance(field_, models.ForeignKey):
        return _Reference(field_.related_model, value)
    choices = dict(field_.flatchoices) if field_.choices else None
    if choices is not None:
        return choices.get(value, value)
    if isinstance(value, datetime.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return value.strftime("%H:%M %d/%m/%Y")
    if isinstance(value, datetime.date):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float, Decimal)) and isinstance(
            field_, (models.IntegerField, models.DecimalField, models.FloatField)):
        if isinstance(value, Decimal):  # 8743.0000 → 8743, 45.3000 → 45.3
            value = int(value) if value == value.to_integral_value() else value.normalize()
        return number_format(value, force_grouping=True)
    return value


def _name_references(entries: list[LogEntry]) -> None:
    """Replace the ids in the changes by names, with one query per model pointed to."""
    wanted: dict[type, set] = defaultdict(set)
    for entry in entries:
        for change in entry.changes:
            for value in (change.before, change.after):
                if isinstance(value, _Reference):
                    wanted[value.model].add(value.pk)
    names: dict[tuple[type, object], str] = {}
    for model, pks in wanted.items():
        for obj in model._default_manager.filter(pk__in=pks):
            names[(model, obj.pk)] = _name(obj)
    for entry in entries:
        for change in entry.changes:
            change.before = _named(change.before, names)
            change.after = _named(change.after, names)


def _name(obj) -> str:
    if isinstance(obj, get_user_model()):
        return obj.get_full_name() or obj.get_username()
    return str(obj)


def _named(value, names):
    if not isinstance(value, _Reference):
        return value
    # An object deleted since: its id is all that is left to show.
    return names.get((value.model, value.pk), f"#{value.pk}")
