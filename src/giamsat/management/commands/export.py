import csv
import datetime
import json

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from giamsat.indicators import exports as indicator_exports
from giamsat.orgs import exports as org_exports
from giamsat.tasks import exports as task_exports

# entity → (field names, rows(as_of)); statuses are computed as of --as-of (default today).
EXPORTS = {
    "organisations": (org_exports.FIELDS, lambda as_of: org_exports.organisation_rows()),
    "tasks": (task_exports.TASK_FIELDS, task_exports.task_rows),
    "assignments": (task_exports.ASSIGNMENT_FIELDS, task_exports.assignment_rows),
    "indicators": (indicator_exports.INDICATOR_FIELDS,
                   lambda as_of: indicator_exports.indicator_rows()),
    "observations": (indicator_exports.OBSERVATION_FIELDS,
                     lambda as_of: indicator_exports.observation_rows()),
}


class Command(BaseCommand):
    help = "Print an entity as JSON (a list of flat objects) or CSV on stdout."

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["json", "csv"], default="json")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                            help="Date statuses are computed on (default: today).")

    def handle(self, *args, entity, format, as_of, **options):
        fields, rows = EXPORTS[entity]
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be YYYY-MM-DD, not {as_of!r}.") from None
        data = rows(day)
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
