"""`giamsat import PATH… [--dry-run] [--as-of YYYY-MM-DD] [--format json] [--map FILE.toml]`.

A table giamsat cannot understand is held (nothing of it written) and named in the summary;
`--write-map FILE.toml` writes a mapping file to fill in for the held tables, and
`--map FILE.toml` imports them with it (ingest/mappings.py; remembered for that header).

Also `giamsat import --link-matches [--confirm ID…] [--reject ID…] [--undo-merge ID…]`:
the tasks an import thought might be tasks already known from another document, for a
person to decide, and the merges made (certain ones on import), to take apart again.
"""

import argparse
import datetime
import json
import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from giamsat.ingest.document import parse_document
from giamsat.ingest.mappings import HeldHeader, MappingRefused, read_map_file, template
from giamsat.ingest.sources import UnreadableDocument, read_document
from giamsat.ingest.write import ImportFailed, known_mappings, run_import
from giamsat.tasks.merging import MergeRefused, confirm_match, reject_match, undo_merge
from giamsat.tasks.models import MatchState, TaskMatch, TaskMerge

_BAR_WIDTH = 30


class Command(BaseCommand):
    help = _("Import programme documents (.docx, .doc, .odt, .rtf, .xlsx, .xls, .ods, .pdf, "
             "text) into giamsat.")

    def add_arguments(self, parser):
        parser.add_argument("paths", nargs="*", metavar="PATH")
        parser.add_argument("--dry-run", action="store_true",
                            help=_("Read and count everything, write nothing."))
        parser.add_argument("--as-of", type=_date, metavar="YYYY-MM-DD",
                            help=_("The documents' date, when they do not give one."))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        parser.add_argument("--map", metavar="FILE.toml", dest="map_file",
                            help=_("What the columns of held tables mean (TOML); remembered "
                                   "for every table with the same header."))
        parser.add_argument("--write-map", metavar="FILE.toml",
                            help=_("Write a mapping file to fill in for the tables the files "
                                   "hold; nothing is imported."))
        parser.add_argument("--link-matches", action="store_true",
                            help=_("List the proposed matches between tasks of different "
                                   "documents (with --confirm/--reject: decide them)."))
        parser.add_argument("--confirm", type=int, nargs="+", default=[], metavar="ID")
        parser.add_argument("--reject", type=int, nargs="+", default=[], metavar="ID")
        parser.add_argument("--undo-merge", type=int, nargs="+", default=[], metavar="ID",
                            help=_("Take merges apart again (their ids are listed with "
                                   "--link-matches)."))

    def handle(self, *args, paths, dry_run, as_of, format, link_matches, confirm, reject,
               map_file, write_map, undo_merge, **options):
        if write_map:
            self._write_map(paths, as_of, write_map)
            return
        if paths:
            self._import(paths, dry_run, as_of, format, map_file)
        elif not (link_matches or confirm or reject or undo_merge):
            raise CommandError(_("Give the files to import, or --link-matches."))
        if link_matches or confirm or reject or undo_merge:
            self._link_matches(confirm, reject, undo_merge, format)

    def _held(self, paths, as_of) -> tuple[list[HeldHeader], dict]:
        """The tables these files hold (read only, nothing written)."""
        held, guesses = [], {}
        for path in paths:
            doc = parse_document(path, read_document(path), as_of, known_mappings())
            for table in doc.held_tables:
                held.append(HeldHeader(path, table.line, table.header))
                guesses[(path, table.line)] = {str(i): m for i, m in table.guess.items()}
        return held, guesses

    def _write_map(self, paths, as_of, target):
        if not paths:
            raise CommandError(_("Give the files whose held tables to map."))
        try:
            held, guesses = self._held(paths, as_of)
        except UnreadableDocument as error:
            raise CommandError(str(error)) from None
        if not held:
            self.stdout.write(_("No table is held in these files: nothing to map."))
            return
        Path(target).write_text(template(held, guesses), encoding="utf-8")
        self.stdout.write(_("%(count)s held tables written to %(path)s: fill in each “?”, then "
                            "run giamsat import … --map %(path)s.")
                          % {"count": len(held), "path": target})

    def _import(self, paths, dry_run, as_of, format, map_file=None):
        progress = self._progress if format == "text" and sys.stderr.isatty() else None
        try:
            mappings = read_map_file(map_file, self._held(paths, as_of)[0]) if map_file \
                else None
            summary = run_import(paths, as_of=as_of, dry_run=dry_run, progress=progress,
                                 mappings=mappings)
        except (ImportFailed, UnreadableDocument, MappingRefused) as error:
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
            for held in file.get("held_tables", []):
                write("  " + _("HELD line %(line)s (%(rows)s rows, nothing written): %(header)s")
                      % {"line": held["line"], "rows": held["row_count"],
                         "header": " | ".join(held["header"])[:120]})
            for warning in file["warnings"]:
                write(f"  ! {warning['line']}: {warning['message']}")
        totals = summary["totals"]
        write(_("Total: %(counts)s; %(warnings)s warnings.")
              % {"counts": _counts(totals), "warnings": totals["warnings"]})
        if totals.get("held_tables"):
            write(_("%(count)s tables were held: write a mapping file for them with "
                    "--write-map FILE.toml, fill it in, and import again with --map FILE.toml.")
                  % {"count": totals["held_tables"]})
        verb = _("Dry run, nothing written") if summary["dry_run"] else _("Imported")
        write(_("%(verb)s in %(seconds)s s.")
              % {"verb": verb, "seconds": f"{summary['elapsed_seconds']:.2f}".replace(".", ",")})

    def _link_matches(self, confirm: list[int], reject: list[int], undo: list[int],
                      format: str) -> None:
        for ids, decide in ((confirm, confirm_match), (reject, reject_match)):
            for match_id in ids:
                match = TaskMatch.objects.filter(pk=match_id, state=MatchState.PROPOSED).first()
                if match is None:
                    raise CommandError(_("No proposed match with id %(id)s.") % {"id": match_id})
                try:
                    decide(match)
                except MergeRefused as refused:
                    raise CommandError(f"#{match_id}: {refused}") from None
                self.stdout.write(_("#%(id)s decided.") % {"id": match_id})
        for merge_id in undo:
            merge = TaskMerge.objects.filter(pk=merge_id).first()
            if merge is None:
                raise CommandError(_("No merge with id %(id)s.") % {"id": merge_id})
            try:
                task = undo_merge(merge)
            except MergeRefused as refused:
                raise CommandError(f"#{merge_id}: {refused}") from None
            self.stdout.write(_("Merge %(id)s undone: task %(task)s is back.")
                              % {"id": merge_id, "task": task.pk})
        if format != "json":
            merges = TaskMerge.objects.filter(undone_at=None).order_by("-merged_at")[:50]
            for merge in merges:
                self.stdout.write(_("merge %(id)s (%(reason)s): task %(merged)s folded into "
                                    "%(kept)s: %(title)s")
                                  % {"id": merge.pk, "reason": merge.get_reason_display(),
                                     "merged": merge.merged_task_id, "kept": merge.kept_id,
                                     "title": merge.merged_title[:80]})
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
             "%(difficulties)s difficulties registered, "
             "%(matches_proposed)s possible matches") % counts
