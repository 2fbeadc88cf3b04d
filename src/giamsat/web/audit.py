"""The change log shown under every object: who changed what, when, before and after."""

from dataclasses import dataclass, field

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
    return entries[:limit]


def merged(*logs: list[LogEntry], limit: int = 50) -> list[LogEntry]:
    entries = [entry for log in logs for entry in log]
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries[:limit]


def _shown(field_, value):
    """A value as a reader understands it: the label of a choice, not its code."""
    if value is None or value == "":
        return value
    choices = dict(field_.flatchoices) if field_.choices else None
    if choices is not None:
        return choices.get(value, value)
    return value
