"""`giamsat export ENTITY [--format json|csv|xlsx] [-o FILE] [--as-of YYYY-MM-DD]` and
`giamsat export opendata -o FOLDER|FILE.zip`: the same rows as the pages' downloads.
`giamsat export rankings --indicator CODE --period YYYY-MM`: one indicator's league tables
(by default every indicator's, for its latest period)."""

import datetime
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from giamsat.exporting import ENTITIES, opendata_bundle, render
from giamsat.indicators.models import Indicator
from giamsat.reporting.periods import parse_period


class Command(BaseCommand):
    help = ("Print an entity as JSON (a list of flat objects) or CSV, write it as XLSX, or "
            "write the open-data bundle.")

    def add_arguments(self, parser):
        parser.add_argument("entity", choices=[*sorted(ENTITIES), "opendata"])
        parser.add_argument("--format", choices=["json", "csv", "xlsx"], default="json")
        parser.add_argument("-o", "--output", metavar="FILE",
                            help="Write to this file (needed for xlsx and opendata).")
        parser.add_argument("--as-of", metavar="YYYY-MM-DD",
                            help="Date statuses are computed on (default: today).")
        parser.add_argument("--indicator", metavar="CODE",
                            help="rankings, observations: of this indicator only.")
        parser.add_argument("--period", metavar="YYYY-MM",
                            help="rankings: of this period (default: the latest with values).")

    def handle(self, *args, entity, format, output, as_of, indicator=None, period=None,
               **options):
        try:
            day = datetime.date.fromisoformat(as_of) if as_of else timezone.localdate()
        except ValueError:
            raise CommandError(f"--as-of must be YYYY-MM-DD, not {as_of!r}.") from None
        filters = self._filters(entity, indicator, period)
        if entity == "opendata":
            if not output:
                raise CommandError("opendata needs -o FOLDER or -o FILE.zip.")
            names = opendata_bundle(Path(output), day, progress=self._progress)
            self.stdout.write(f"Wrote {len(names)} files to {output}: {', '.join(names)}")
            return
        if format == "xlsx" and not output:
            raise CommandError("xlsx needs -o FILE.")
        data = render(entity, format, day, **filters)
        if output:
            try:
                Path(output).write_bytes(data)
            except OSError as error:
                raise CommandError(f"Cannot write {output}: {error.strerror}") from None
            self.stdout.write(f"Wrote {output} ({len(data) // 1024} KB).")
        else:
            text = data.decode("utf-8-sig")
            self.stdout.write(text, ending="" if text.endswith("\n") else "\n")

    def _filters(self, entity: str, indicator: str | None, period: str | None) -> dict:
        if indicator and entity not in ("rankings", "observations"):
            raise CommandError("--indicator is for rankings and observations.")
        if period and entity != "rankings":
            raise CommandError("--period is for rankings.")
        if indicator and not Indicator.objects.filter(code=indicator).exists():
            raise CommandError(f"There is no indicator {indicator!r}.")
        filters = {"indicator": indicator} if indicator else {}
        if period:
            filters["period"] = parse_period(period)
            if filters["period"] is None:
                raise CommandError(f"--period must be YYYY-MM, not {period!r}.")
        return filters

    def _progress(self, done: int, total: int, name: str) -> None:
        if sys.stderr.isatty():
            sys.stderr.write(f"\r{done}/{total} {name:<20}")
            if done == total:
                sys.stderr.write("\n")
