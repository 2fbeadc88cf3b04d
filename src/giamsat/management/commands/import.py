"""`giamsat import PATH… [--dry-run] [--as-of YYYY-MM-DD] [--format json]`.

Also `giamsat import --link-matches [--confirm ID…] [--reject ID…]`: the tasks an import
thought might be tasks already known from another document, for a person to decide.
"""

import argparse
import datetime
import json
import sys

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamsat.ingest.sources import UnreadableDocument
from giamsat.ingest.write import ImportFailed, run_import
from giamsat.tasks.matching import confirm_match, reject_match
from giamsat.tasks.models import MatchState, TaskMatch

_BAR_WIDTH = 30


class Command(BaseCommand):
    help = _("Import programme documents (text from PDF/DOCX, .docx, .xlsx) into giamsat.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Read and count everything, write nothing."))
        parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                            help=_("The documents' date, when they do not give one."))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--link-matches", action="store_true",
                            help=_("List the proposed matches between tasks of different "
                                   "documents (with --confirm/--reject: decide them)."))
        parser.add_argument("--confirm", type=int, nargs="+", default=[], metavar="ID")
        parser.add_argument("--reject", type=int, nargs="+", default=[], metavar="ID")

    def handle(self, *args, paths, dry_run, as_of, format, link_matches, confirm, reject,
               **options):
        if paths:
            self._import(paths, dry_run, as_of, format)
        elif not link_matches:
            raise CommandError(_("Give the files to import, or --link-matches."))
        if link_matches or confirm or reject:
            self._link_matches(confirm, reject, format)

    def _import(self, paths, dry_run, as_of, format):
        progress = self._progress if format == "text" and sys.stderr.isatty() else None
        try:
            summary = run_import(paths, as_of=as_of, dry_run=dry_run, progress=progress)
        except (ImportFailed, UnreadableDocument) as error:
            if format == "json":
                self.stdout.write(json.dumps({"error": str(error)}, ensure_ascii=False))
            raise CommandError(_("%(error)s Nothing was written.") % {"error": error}) from None
        if progress:
            sys.stderr.write("\n")
        if format == "json":
            self.stdout.write(json.dumps(summary, ensure_ascii=False, indent=1))
        else:
            self._print_summary(summary)

    def _progress(self, done: int, total: int, path: str) -> None:
        filled = _BAR_WIDTH * done // max(total, 1)
        name = path.rsplit("/", 1)[-1][:40]
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (_BAR_WIDTH - filled)}] {done}/{total} {name}")
        sys.stderr.flush()

    def _print_summary(self, summary: dict) -> None:
        write = self.stdout.write
        for file in summary["files"]:
            as_of = datetime.date.fromisoformat(file["as_of"]).strftime("%d/%m/%Y")
            write(_("%(path)s (document date %(date)s)") % {"path": file["path"], "date": as_of})
            for section in file["sections"]:
                write(f"  {section['line']:>5}  {section['kind']:<22} {section['rows']:>4}  "
                      f"{section['title'][:70]}")
            write("  " + _counts(file))
            for warning in file["warnings"]:
                write(f"  ! {warning['line']}: {warning['message']}")
        totals = summary["totals"]
        write(_("Total: %(counts)s; %(warnings)s warnings.")
              % {"counts": _counts(totals), "warnings": totals["warnings"]})
        verb = _("Dry run, nothing written") if summary["dry_run"] else _("Imported")
        write(_("%(verb)s in %(seconds)s s.")
              % {"verb": verb, "seconds": f"{summary['elapsed_seconds']:.2f}".replace(".", ",")})

    def _link_matches(self, confirm: list[int], reject: list[int], format: str) -> None:
        for ids, decide in ((confirm, confirm_match), (reject, reject_match)):
            for match_id in ids:
                match = TaskMatch.objects.filter(pk=match_id, state=MatchState.PROPOSED).first()
                if match is None:
                    raise CommandError(_("No proposed match with id %(id)s.") % {"id": match_id})
                decide(match)
        pending = TaskMatch.objects.filter(state=MatchState.PROPOSED).select_related("task")
        rows = [{"id": m.pk, "score": m.score, "task_id": m.task_id, "task": m.task.title,
                 "candidate_id": m.candidate_id, "candidate": m.candidate_title}
                for m in pending]
        if format == "json":
            self.stdout.write(json.dumps(rows, ensure_ascii=False, indent=1))
            return
        for row in rows:
            self.stdout.write(f"#{row['id']}  {row['score']:.2f}\n"
                              f"    {row['task_id']}: {row['task'][:90]}\n"
                              f"    {row['candidate_id']}: {row['candidate'][:90]}")
        self.stdout.write(_("%(count)s proposed matches. Decide with --confirm ID… or "
                            "--reject ID….") % {"count": len(rows)})


def _date(text: str) -> datetime.date:
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("--as-of must be a date written YYYY-MM-DD, not “%(text)s”.") % {"text": text}
        ) from None


def _counts(counts: dict) -> str:
    return _("%(tasks_created)s tasks created, %(tasks_updated)s updated, %(assignments)s "
             "assignments, %(completions)s completions, %(observations)s observations, "
             "%(targets)s targets, %(shortfalls)s agencies named as behind, "
             "%(matches_proposed)s possible matches") % counts
