import csv
import json

from django.core.management.base import BaseCommand

from giamsat.orgs import exports as org_exports

# Each entity joins this table when its issue brings it (tasks, indicators, …).
EXPORTS = {
    "organisations": (org_exports.FIELDS, org_exports.organisation_rows),
}


class Command(BaseCommand):
    help = "Print an entity as JSON (a list of flat objects) or CSV on stdout."

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=sorted(EXPORTS))
        parser.add_argument("--format", choices=["json", "csv"], default="json")

    def handle(self, *args, entity, format, **options):
        fields, rows = EXPORTS[entity]
        data = rows()
        if format == "json":
            self.stdout.write(json.dumps(data, ensure_ascii=False, indent=1))
        else:
            writer = csv.DictWriter(self.stdout, fieldnames=fields, lineterminator="\n")
            writer.writeheader()
            writer.writerows(data)
