"""`giamsat report monthly --month YYYY-MM`, `report quarterly --year YYYY --quarter N`,
`report half-year --year YYYY --half 1|2` and `report yearly --year YYYY`, each with
`--format docx|xlsx|pdf -o FILE` and the number, issue date and signer."""

import datetime
import sys
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamsat.directives.models import Directive
from giamsat.reporting.periods import parse_period
from giamsat.reports.builders import Period, Scope, Signing, monthly_report, period_report
from giamsat.reports.pdf import PdfUnavailable
from giamsat.reports.render import FORMATS, render


def _month(text: str) -> datetime.date:
    month = parse_period(text)
    if month is None:
        raise CommandError(_("“%(text)s” is not a month; write it as YYYY-MM.") % {"text": text})
    return month


def _day(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("“%(text)s” is not a date; write it as YYYY-MM-DD.")
                           % {"text": text}) from None


class Command(BaseCommand):
    help = _("Write the monthly, quarterly, half-year or yearly programme report from the "
             "data.")

    def add_arguments(self, parser):
        kinds = parser.add_subparsers(dest="kind", required=True,
                                      metavar="monthly|quarterly|half-year|yearly")
        monthly = kinds.add_parser("monthly", help=_("The monthly report."))
        monthly.add_argument("--month", required=True, metavar="YYYY-MM")
        monthly.add_argument("--proposals-file", metavar="FILE",
                             help=_("Text of section IV (proposals), one paragraph a line."))
        half = kinds.add_parser("half-year", help=_("The half-year report and appendices."))
        half.add_argument("--year", type=int, required=True)
        half.add_argument("--half", type=int, choices=[1, 2], required=True)
        quarterly = kinds.add_parser("quarterly", help=_("The quarterly report and appendices."))
        quarterly.add_argument("--year", type=int, required=True)
        quarterly.add_argument("--quarter", type=int, choices=[1, 2, 3, 4], required=True)
        yearly = kinds.add_parser("yearly", help=_("The yearly report and appendices."))
        yearly.add_argument("--year", type=int, required=True)
        for sub in (quarterly, half, yearly):
            sub.add_argument("--proposals-file", metavar="FILE",
                             help=_("Text of the proposals, one paragraph a line."))
        for sub in (monthly, quarterly, half, yearly):
            sub.add_argument("--number", default="", metavar="N",
                             help=_("The report's number (Số …/BC-…); blank for the clerk."))
            sub.add_argument("--issued-on", metavar="YYYY-MM-DD",
                             help=_("The report's date (default: today)."))
            sub.add_argument("--signer", default="", metavar="NAME",
                             help=_("Who signs (default: GIAMSAT_REPORT_SIGNER)."))
            sub.add_argument("--signer-title", action="append", default=[], metavar="LINE",
                             help=_("The signer's title, a line each (e.g. “KT. BỘ TRƯỞNG”, "
                                    "“THỨ TRƯỞNG”)."))
            sub.add_argument("--format", choices=list(FORMATS), default="docx")
            sub.add_argument("-o", "--output", required=True, metavar="FILE")
            sub.add_argument("--as-of", metavar="YYYY-MM-DD",
                             help=_("Figures as of this day (default: the period's end, or "
                                    "today if it has not ended)."))
            sub.add_argument("--directive", action="append", default=[], metavar="NUMBER",
                             help=_("Only the tasks of this directive, e.g. 71/NQ-CP "
                                    "(repeatable)."))
            sub.add_argument("--source", default="", metavar="NAME",
                             help=_("Only the tasks read from the imported document whose "
                                    "file name contains NAME."))
            sub.add_argument("--no-charts", action="store_true")

    def handle(self, *args, kind, format, output, as_of, directive, source, no_charts,
               **options):
        started = time.monotonic()
        scope = Scope(tuple(self._directives(directive)), source)
        as_of = _day(as_of) if as_of else None
        signing = Signing(options["number"],
                          _day(options["issued_on"]) if options.get("issued_on") else None,
                          options["signer"], tuple(options["signer_title"]))
        proposals = None
        if options.get("proposals_file"):
            try:
                proposals = Path(options["proposals_file"]).read_text(encoding="utf-8")
            except OSError as error:
                raise CommandError(str(error)) from None
        if kind == "monthly":
            report = monthly_report(_month(options["month"]), as_of, scope, proposals,
                                    with_charts=not no_charts, signing=signing)
        else:
            period = {"quarterly": lambda: Period("quarter", options["year"], options["quarter"]),
                      "half-year": lambda: Period("half_year", options["year"], options["half"]),
                      "yearly": lambda: Period("year", options["year"])}[kind]()
            report = period_report(period, as_of, scope, with_charts=not no_charts,
                                   signing=signing, proposals=proposals)
        try:
            data = render(report, format)
        except PdfUnavailable as error:
            raise CommandError(str(error)) from None
        target = Path(output)
        try:
            target.write_bytes(data)
        except OSError as error:
            raise CommandError(_("Cannot write %(path)s: %(error)s")
                               % {"path": target, "error": error.strerror}) from None
        self.stdout.write(_("Wrote %(path)s (%(size)s KB, %(seconds).1f s): %(title)s; %(n)s "
                            "appendices.") % {
            "path": target, "size": len(data) // 1024, "seconds": time.monotonic() - started,
            "title": report.title, "n": len(report.appendices)})
        sys.stdout.flush()

    def _directives(self, numbers: list[str]) -> list[int]:
        ids = []
        for number in numbers:
            found = Directive.objects.filter(number__iexact=number.strip()).first()
            if found is None:
                raise CommandError(_("No directive numbered “%(n)s”.") % {"n": number})
            ids.append(found.pk)
        return ids
