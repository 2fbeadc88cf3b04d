"""The change log shown under every object: who changed what, when, before and after."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

HISTORY_TYPES = {"+": _("Created"), "~": _("Changed"), "-": _("Deleted")}


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


def change_log(obj, limit: int = 50) -> list[LogEntry]:
    """The newest `limit` entries of `obj`'s audit trail (django-simple-history)."""
    records = list(obj.history.select_related("history_user")[: limit + 1])
    entries = []
    for record, previous in zip(records, [*records[1:], None], strict=True):
        changes = []
        if previous is not None and record.history_type == "~":
            for change in record.diff_against(previous).changes:
                field = obj._meta.get_field(change.field)
                changes.append(FieldChange(str(field.verbose_name), change.old, change.new))
        entries.append(LogEntry(record.history_date, record.history_user,
                                HISTORY_TYPES.get(record.history_type, ""), changes))
    return entries[:limit]
