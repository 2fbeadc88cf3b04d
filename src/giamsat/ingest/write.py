"""Write parsed documents into the domain, in one transaction: `run_import(paths, …)`.

Every file is read and parsed before anything is written, so an unreadable file stops
the import with nothing written. Every record is then decided (names resolved, tasks
matched, rows built and their values prepared) by reading only, before the write
transaction opens: on SQLite that transaction holds the database's one write lock, which
logins and agencies' saves wait for. The transaction then writes it all; an error half way
rolls all of it back; `dry_run` rolls back on purpose after counting. Should anything the
decisions read have been written meanwhile (the audit trail says so, `_stamp`), they are
made again inside the transaction.

Identity, so that importing the same file twice changes nothing:
- a row of a file is known by the file's content hash and its line (Appearance);
- a task is known by its directive and normalised title; a task read with no directive is
  one task within its document, and across documents a task with a similar title is only
  *proposed* as the same (TaskMatch, with a score) for a person to confirm;
- an assignment by task, organisation and role; an observation by indicator,
  organisation and period; a target by indicator, organisation, end date and source.

Speed: what the import needs from the database is read once, up front (the rows its files
wrote before, the tasks its titles may name, their assignments, the values it may
replace); records are then decided in memory in document order, and the new and changed
rows are written at the end in bulk, each with its audit-trail row (lib/rows.py for new
rows, simple_history's bulk_update_with_history for changed ones), followed by one refresh
of the facts of the tasks touched (tasks/facts.py).
"""

import datetime
import hashlib
import json
import re
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from giamsat import derived
from giamsat.difficulties.imports import register_agency_items, register_problem_groups
from giamsat.directives.lookup import prepared_directive
from giamsat.directives.models import Directive
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource, Unit
from giamsat.ingest.behind import concerned_indicator, concerned_task
from giamsat.ingest.document import parse_document
from giamsat.ingest.mappings import remember
from giamsat.ingest.markup import cell_text
from giamsat.ingest.models import (
    HeldState,
    HeldTable,
    ImportedDocument,
    ImportRun,
    ImportState,
    Shortfall,
    TableMapping,
    Unplaced,
    UnplacedKind,
)
from giamsat.ingest.prose.statements import report_period
from giamsat.ingest.records import (
    AgencyListRecord,
    ConcernRecord,
    IndicatorProposal,
    ParsedDocument,
    SectionKind,
    TargetRecord,
    TaskRecord,
    TaskState,
    ValueKind,
    ValueRecord,
)
from giamsat.ingest.references import find_references
from giamsat.ingest.sources import read_document
from giamsat.ingest.table_records import HELD_PREVIEW_ROWS, Mapping
from giamsat.lib import dates
from giamsat.lib.i18n import data_text
from giamsat.lib.months import month_end
from giamsat.lib.rows import prepare_with_history
from giamsat.lib.text import fold
from giamsat.orgs.lists import resolve_list
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.orgs.resolve import Resolver, Status, name_key
from giamsat.reporting import validation
from giamsat.reporting.models import ValueKind as ReportKind
from giamsat.tasks import facts
from giamsat.tasks.areas import Catalogue, area_key, place
from giamsat.tasks.matching import propose_matches, title_words
from giamsat.tasks.merging import merge_certain
from giamsat.tasks.models import (
    Appearance,
    AppearanceState,
    AreaBasis,
    Assignment,
    Role,
    Task,
)

NATIONAL = "viet-nam"
# How far back a completion report's evidence may be dated and still date the completion.
EVIDENCE_WINDOW_DAYS = 366
BATCH = 500
Progress = Callable[[int, int, str], None]


class ImportFailed(Exception):
    """The import cannot go on; nothing was written. The message says why."""


@dataclass
class FileResult:
    path: str
    as_of: datetime.date | None
    sections: list[dict] = field(default_factory=list)
    tasks_created: int = 0
    tasks_updated: int = 0
    assignments: int = 0
    completions: int = 0
    observations: int = 0
    targets: int = 0
    indicators_proposed: int = 0
    shortfalls: int = 0
    difficulties: int = 0  # new items of the register (difficulties/imports.py)
    matches_proposed: int = 0
    tasks_merged: int = 0  # certainly tasks known before: merged into them at once
    merges: list[dict] = field(default_factory=list)
    held_tables: list[dict] = field(default_factory=list)
    warnings: list[dict] = field(default_factory=list)

    COUNTS = ("tasks_created", "tasks_updated", "tasks_merged", "assignments", "completions",
              "observations", "targets", "indicators_proposed", "shortfalls",
              "difficulties", "matches_proposed")

    def as_json(self) -> dict:
        data = {"path": self.path, "as_of": self.as_of.isoformat() if self.as_of else None,
                "sections": self.sections}
        data.update({name: getattr(self, name) for name in self.COUNTS})
        data["merges"] = self.merges
        data["held_tables"] = self.held_tables
        data["warnings"] = self.warnings
        return data

    def warn(self, line: int, message: str) -> None:
        warning = {"line": line, "message": message}
        if warning not in self.warnings[-8:]:  # a row's target and value name one agency
            self.warnings.append(warning)


def run_import(paths, *, as_of: datetime.date | None = None, dry_run: bool = False,
               user=None, progress: Progress | None = None,
               mappings: dict[str, Mapping] | None = None) -> dict:
    """Import files; the summary `giamsat import --format json` prints.

    `mappings` (header signature → Mapping) are what a person just said about held tables;
    the mappings saved before (TableMapping) apply too, and these win over them.
    """
    started = time.monotonic()
    if not paths:
        raise ImportFailed(_("No file to import."))
    known = known_mappings()
    known.update(mappings or {})
    parsed = [_parse(Path(path), as_of, known) for path in paths]
    parse_seconds = time.monotonic() - started
    files_info = [{"path": doc.path, "sha256": sha, "size": size} for doc, sha, size in parsed]
    total = sum(len(doc.records()) for doc, _sha, _size in parsed)
    # The catalogue's indicators, in a short transaction of their own: the catalogue file's
    # rows, not the documents' (and unchanged on every import but the first after an
    # upgrade); the records are decided against them.
    sync_indicators()

    def decide() -> tuple["_Writer", list[FileResult]]:
        run = ImportRun(user=user, as_of=as_of, files=files_info)
        writer = _Writer(run, parsed, total=total, progress=progress)
        return writer, [writer.write(doc, sha, size) for doc, sha, size in parsed]

    # Everything is decided before the write transaction opens, by reading only: on SQLite
    # that transaction holds the database's one write lock (BEGIN IMMEDIATE), and a login
    # or an agency's save waits for it (issue 17: logins waited for a whole import).
    stamp = _stamp()
    writer, results = decide()
    writer.prepare()
    with transaction.atomic():
        if _stamp() != stamp:
            # Something the decisions read was written meanwhile (another import, a person
            # editing a task or placing a name): decide again. On SQLite nobody else can
            # write now (BEGIN IMMEDIATE); on PostgreSQL a transaction committing later
            # with a lower history id can still slip through, as it could before.
            writer, results = decide()
        with facts.deferred():
            if mappings:
                remember(mappings, user)  # for every later table with these headers
            writer.save_parents()
            writer.flush()
            _merge_certain(writer, results, user)
            for result, count in zip(results, propose_matches(writer.new_tasks), strict=True):
                result.matches_proposed = count
            summary = _summary(results, started, dry_run)
            summary["parse_seconds"] = round(parse_seconds, 3)
            summary["matches"] = _match_details(writer.new_tasks)
            run = writer.run
            run.state = ImportState.DRY_RUN if dry_run else ImportState.SUCCEEDED
            run.summary, run.finished_at = summary, timezone.now()
            run.save()
            summary["import_run"] = run.pk
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        summary["import_run"] = None
    return summary


# What the decisions of an import read, by the audit trail every change of these leaves
# (simple_history: an ORM save or delete, and the import's own bulk writes).
_READ_MODELS = (
    "tasks.Task", "tasks.Assignment", "tasks.Appearance", "tasks.Area", "tasks.AreaChoice",
    "tasks.TaskMatch", "tasks.TaskMerge", "indicators.Indicator", "indicators.Target",
    "indicators.Observation", "directives.Directive", "orgs.Organisation", "orgs.OrgAlias",
    "orgs.OrgEvent", "orgs.NameChoice", "ingest.ImportRun", "ingest.ImportedDocument",
    "ingest.Shortfall", "ingest.HeldTable", "ingest.TableMapping",
)


def _stamp() -> tuple:
    """The newest audit-trail row of each model an import's decisions read, in one query:
    equal stamps before and after, nothing they read has changed."""
    from django.apps import apps
    from django.db import connection

    tables = [apps.get_model(label).history.model._meta.db_table for label in _READ_MODELS]
    quote = connection.ops.quote_name
    sql = "SELECT " + ", ".join(f"(SELECT MAX(history_id) FROM {quote(t)})" for t in tables)
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return tuple(cursor.fetchone())


def _merge_certain(writer: "_Writer", results: list[FileResult], user) -> None:
    """Tasks read now that are certainly tasks known from another document (same title,
    leads and deadline) are merged into them at once (tasks/merging.py, undoable)."""
    merges = merge_certain([t.pk for tasks in writer.new_tasks for t in tasks], user)
    merged = {merge.merged_task_id: merge for merge in merges}
    for result, tasks in zip(results, writer.new_tasks, strict=True):
        result.tasks_merged = sum(1 for t in tasks if t.pk in merged)
        result.merges = [{"id": merged[t.pk].pk, "kept": merged[t.pk].kept_id,
                          "merged": t.pk, "title": t.title[:300]}
                         for t in tasks if t.pk in merged]
        tasks[:] = [t for t in tasks if t.pk not in merged]


def json_payload(record, **more) -> dict:
    """A record's fields as JSON, to write it later (Unplaced.payload)."""
    data = {name: value for name, value in vars(record).items() if name != "raw"}
    data.update(more, raw=record.raw)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def known_mappings() -> dict[str, Mapping]:
    """The mappings the standing office has given, by header signature."""
    return {m.signature: m.as_mapping() for m in TableMapping.objects.all()}


def _parse(path: Path, as_of, mappings) -> tuple[ParsedDocument, str, int]:
    text = read_document(path)
    data = path.read_bytes()
    doc = parse_document(str(path), text, as_of, mappings)
    name = path.name  # messages name the file, not where the server keeps it
    if doc.as_of is None:
        raise ImportFailed(
            _("%(path)s: the document gives no date to resolve agency names on; "
              "give one with --as-of YYYY-MM-DD.") % {"path": name}
        )
    if not doc.sections and not doc.held_tables:
        raise ImportFailed(
            _("%(path)s: nothing in it is recognisable as tasks, targets or indicator "
              "values.") % {"path": name}
        )
    return doc, hashlib.sha256(data).hexdigest(), len(data)


def _match_details(new_tasks: list[list[Task]], limit: int = 200) -> list[dict]:
    """The proposals this import made, so that a preview can show them before it commits."""
    from giamsat.tasks.models import TaskMatch

    ids = [task.pk for tasks in new_tasks for task in tasks]
    matches = TaskMatch.objects.filter(candidate_id__in=ids).select_related("task")
    return [{"id": m.pk, "task_id": m.task_id, "task_title": m.task.title,
             "candidate_id": m.candidate_id, "candidate_title": m.candidate_title,
             "score": round(m.score, 3)} for m in matches.order_by("-score")[:limit]]


def _summary(results: list[FileResult], started: float, dry_run: bool) -> dict:
    totals = {name: sum(getattr(r, name) for r in results) for name in FileResult.COUNTS}
    totals["warnings"] = sum(len(r.warnings) for r in results)
    totals["held_tables"] = sum(len(r.held_tables) for r in results)
    totals["files"] = len(results)
    return {
        "dry_run": dry_run,
        "files": [r.as_json() for r in results],
        "totals": totals,
        "elapsed_seconds": round(time.monotonic() - started, 3),
    }


def held_json(held) -> dict:
    """A held table as the summary (and the import page) shows it."""
    return {
        "line": held.line, "signature": held.signature, "title": held.title,
        "reason": held.reason, "header": [cell_text(c) for c in held.header],
        "raw_header": held.header,
        "rows": [{"line": r.line, "cells": [cell_text(c) for c in r.cells]}
                 for r in held.rows[:HELD_PREVIEW_ROWS]],
        "row_count": len(held.rows), "guess": {str(i): m for i, m in held.guess.items()},
    }


def _ref(obj) -> object:
    """A key for a row that may not be saved yet (an indicator this import proposes)."""
    return obj.pk if obj.pk is not None else ("new", id(obj))


class _Rows:
    """Rows of one model to create or change at the end, each once."""

    def __init__(self, model):
        self.model = model
        self.new: list = []
        self.changed: dict[int, object] = {}  # by id(): an object is listed once
        self.fields: set[str] = set()

    def create(self, obj) -> None:
        self.new.append(obj)

    def change(self, obj, *names: str) -> None:
        if obj.pk is None:
            return  # new: it is written with whatever it holds then
        self.changed[id(obj)] = obj
        self.fields.update(names)

    def prepare(self) -> None:
        """The new rows' values, prepared before the write transaction (lib/rows.py)."""
        self.prepared = prepare_with_history(self.model, self.new)

    def flush(self) -> None:
        prepared = getattr(self, "prepared", None)
        if prepared is None or prepared.objs is not self.new:
            prepared = prepare_with_history(self.model, self.new)
        prepared.write()
        self.prepared = None
        if self.changed:
            bulk_update_with_history(list(self.changed.values()), self.model,
                                     sorted(self.fields), batch_size=BATCH)


class _Writer:
    def __init__(self, run: ImportRun, parsed, total: int, progress: Progress | None):
        self.run = run
        self.resolver = Resolver()
        self.total, self.done, self.progress = total, 0, progress
        self.directives: dict[str, Directive | None] = {}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.national = Organisation.objects.get(slug=NATIONAL)
        self.catalogue = Catalogue.load()
        self.new_tasks: list[list[Task]] = []
        self.tasks, self.appearances = _Rows(Task), _Rows(Appearance)
        self.assignments, self.observations = _Rows(Assignment), _Rows(Observation)
        self.targets_rows, self.shortfall_rows = _Rows(Target), _Rows(Shortfall)
        self.held_rows = _Rows(HeldTable)
        self.unplaced: list[Unplaced] = []  # no audit trail: bookkeeping of the import
        self.indicator_rows = _Rows(Indicator)
        # Problem groups (appendix 07) also go to the register of difficulties, once their
        # tasks and assignments are saved: (document, as_of, record, task).
        self.problem_groups: list[tuple] = []
        self.concerns: list[tuple] = []  # an agency report's difficulties and proposals
        # Rows the others point to, made while deciding and saved first (save_parents):
        # the run, each file's document, directives and indicators read for the first time.
        self.documents: list[ImportedDocument] = []
        self.directive_by_key: dict[tuple[str, str], Directive] = {}  # kind, number
        self.directive_saves: list[Directive] = []  # new ones, and known ones now dated
        self.new_indicators: dict[str, Indicator] = {}  # by folded name
        self._load(parsed)

    # What the database already holds, read once ------------------------------------

    def _load(self, parsed) -> None:
        shas = {sha for _doc, sha, _size in parsed}
        records = [r for doc, _sha, _size in parsed for r in doc.records()]
        seen = {(sha, line): task_id for sha, line, task_id in
                Appearance.objects.filter(source_sha256__in=shas)
                .values_list("source_sha256", "line", "task_id")}
        keys = {fold(r.title) for r in records if isinstance(r, TaskRecord)}
        ids = set(seen.values())
        tasks = list(Task.objects.filter(title_key__in=keys).order_by("deadline_due", "id"))
        ids -= {t.pk for t in tasks}
        tasks += list(Task.objects.filter(pk__in=ids))
        self.task_by_id = {t.pk: t for t in tasks}
        # (file hash, line) → the task that row was read into, before or in this import.
        self.seen_rows: dict[tuple[str, int], Task] = {
            row: self.task_by_id[task_id] for row, task_id in seen.items()}
        self.tasks_by_key: dict[str, list[Task]] = defaultdict(list)
        for task in tasks:
            self.tasks_by_key[task.title_key].append(task)
        self.task_shas: dict[int, set[str]] = defaultdict(set)
        self.latest_as_of: dict[int, datetime.date | None] = {}
        task_ids = list(self.task_by_id)
        for task_id, sha in Appearance.objects.filter(task_id__in=task_ids).values_list(
                "task_id", "source_sha256").distinct():
            self.task_shas[id(self.task_by_id[task_id])].add(sha)
        for task_id, latest in Appearance.objects.filter(task_id__in=task_ids).values(
                "task_id").annotate(latest=Max("as_of")).values_list("task_id", "latest"):
            self.latest_as_of[id(self.task_by_id[task_id])] = latest
        self.assignment_of: dict[tuple[int, int, str], Assignment] = {
            (id(self.task_by_id[a.task_id]), a.organisation_id, a.role): a
            for a in Assignment.objects.filter(task_id__in=task_ids)}
        self.shortfalls_seen = set(Shortfall.objects.filter(document__sha256__in=shas)
                                   .values_list("document__sha256", "line", "organisation_id"))
        self.values_of: dict[tuple, object] = {}
        named = {r.indicator for r in records if isinstance(r, ValueRecord | TargetRecord)}
        indicators = {self.indicators[n].pk for n in named if n in self.indicators}
        indicators |= set(Indicator.objects.filter(name_key__in={fold(n) for n in named})
                          .values_list("pk", flat=True))
        periods = {r.period for r in records if isinstance(r, ValueRecord)}
        for obs in Observation.objects.filter(period__in=periods, indicator_id__in=indicators):
            self.values_of[("obs", obs.indicator_id, obs.organisation_id, obs.period)] = obs
        ends = {month_end(r.period) for r in records if isinstance(r, ValueRecord)} | {
            r.period_end for r in records if isinstance(r, TargetRecord)}
        for target in Target.objects.filter(period_end__in=ends, indicator_id__in=indicators):
            self.values_of[("target", target.indicator_id, target.organisation_id,
                            target.period_end, target.source)] = target

    # One document --------------------------------------------------------------------

    def write(self, doc: ParsedDocument, sha: str, size: int) -> FileResult:
        result = FileResult(path=doc.path, as_of=doc.as_of)
        self.result, self.doc, self.sha = result, doc, sha
        self.month: datetime.date | None = None  # _report_month()
        self.document = ImportedDocument(
            import_run=self.run, path=doc.path, sha256=sha, size=size, as_of=doc.as_of,
            text=doc.text,
        )
        self.documents.append(self.document)
        self.created: list[Task] = []
        self.issuer = self._issuer(doc)
        for warning in doc.warnings:
            result.warn(warning.line, warning.message)
        for section in doc.sections:
            if section.kind in _AGENCY_OWN and not self._own_part(section):
                continue
            result.sections.append({"title": section.title, "kind": str(section.kind),
                                    "line": section.line, "rows": len(section.records)})
            progress = Counter(str(r.progress) for r in section.records
                               if getattr(r, "progress", ""))
            if progress:  # what a results table's rows say of themselves
                result.sections[-1]["progress"] = dict(progress)
            for record in section.records:
                if section.kind == SectionKind.AGENCY_PLAN and not record.leads:
                    record.leads = self.issuer.name  # the agency's own task
                task = self._write(record, section.title)
                if section.kind == SectionKind.PROBLEMS and task is not None:
                    self.problem_groups.append((self.document, self.doc.as_of, record, task,
                                                result))
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.total, doc.path)
        self._held(doc)
        result.warnings.sort(key=lambda w: w["line"])
        self.new_tasks.append(self.created)
        return result

    def _report_month(self) -> datetime.date:
        """The month an agency's report is for: read once per document."""
        if self.month is None:
            self.month = (report_period(self.doc.text.splitlines())
                          or self.doc.as_of.replace(day=1))
        return self.month

    def _issuer(self, doc: ParsedDocument) -> Organisation | None:
        """The organisation that wrote the document, whose values it states; None for the
        standing office (and its units), whose figures are the country's, and for a
        document that names no issuer. Of "Cục …" under "BỘ …" the unit if the registry
        knows it, else its ministry; of "Sở … tỉnh X" the province."""
        self.unknown_issuer = ""
        if not doc.issuer:
            return None
        office = self.resolver.resolve(settings.REPORT_ISSUER, doc.as_of).organisation
        found = [self.resolver.resolve(name, doc.as_of).organisation
                 for name in doc.issuer_names or [doc.issuer]]
        found = [org for org in found if org is not None]
        if any(org == office or org.pk == self.national.pk for org in found):
            return None
        if not found:
            # Its values are not the country's: they wait for a person to place the name.
            self.unknown_issuer = doc.issuer
            self.result.warn(1, _("The document's issuer “%(name)s” is not a known "
                                  "organisation; the values it states of itself were not "
                                  "stored. Place the name on the page of names to place.")
                             % {"name": doc.issuer})
        return found[0] if found else None

    def _own_part(self, section) -> bool:
        """Does the document's part of the agency's own difficulties, proposals or next
        tasks get written? Only for a report an agency wrote of itself; the standing
        office's own report sums up the register, and is no source of it."""
        if self.issuer is not None:
            return True
        if self.unknown_issuer:
            for record in section.records:
                self.result.warn(record.line, _(
                    "Not recorded: the document's issuer “%(name)s” is not a known "
                    "organisation, so it is not known who raises this or leads it.")
                    % {"name": self.unknown_issuer})
        return False

    def _held(self, doc: ParsedDocument) -> None:
        for held in doc.held_tables:
            self.result.held_tables.append(held_json(held))
            self.held_rows.create(HeldTable(
                document=self.document, line=held.line, signature=held.signature,
                header=held.header, title=held.title, reason=held.reason,
                rows=[{"line": r.line, "cells": r.cells} for r in held.rows]))
        for line, key, kind in doc.mapped_tables:
            state = HeldState.SKIPPED if kind == "skip" else HeldState.MAPPED
            for table in HeldTable.objects.filter(document__sha256=self.sha, line=line,
                                                  signature=key, state=HeldState.HELD):
                table.state = state
                self.held_rows.change(table, "state")

    def _write(self, record, section_title: str) -> Task | None:
        if isinstance(record, TaskRecord):
            return self._task(record, section_title)
        elif isinstance(record, ValueRecord):
            self._value(record)
        elif isinstance(record, TargetRecord):
            self._target(record)
        elif isinstance(record, AgencyListRecord):
            self._shortfalls(record)
        elif isinstance(record, IndicatorProposal):
            self._indicator(record.name, record.unit, record.line)
        elif isinstance(record, ConcernRecord) and record.message:
            self.result.warn(record.line, record.message)
        elif isinstance(record, ConcernRecord):
            month = self._report_month()
            self.concerns.append((self.document, self.doc.as_of, month, record, self.issuer,
                                  self.result))
        return None

    # Tasks ---------------------------------------------------------------------------

    def _task(self, record: TaskRecord, section_title: str) -> Task:
        as_of = self.doc.as_of
        directive = self._directive(record.directive, record.line)
        seen = self.seen_rows.get((self.sha, record.line))
        task = seen or self._known_task(record, directive)
        fields = {
            "title": record.title, "directive": directive, "area": record.area[:400],
            "expected_output": record.expected_output, "notes": record.notes,
            "source": f"{self.doc.path}:{record.line}",
        }
        if task is None:
            task = Task(**fields, import_run=self.run)
            task.title_key = fold(task.title)
            deadline = task.set_deadline(record.deadline, as_of)
            self.tasks.create(task)
            self.tasks_by_key[task.title_key].append(task)
            self.result.tasks_created += 1
            self.created.append(task)
        elif seen is None:
            deadline = self._refresh(task, fields, record, as_of)
        else:
            deadline = task.deadline  # a row read before: it has said what it says
        if deadline.kind == "unparsed":
            self.result.warn(record.line, _("Deadline “%(text)s” was not understood; kept as "
                                            "written.") % {"text": record.deadline})
        if seen is None and task.area_basis != AreaBasis.PERSON:
            self._place_area(task, record.line)
        if seen is None:
            self.appearances.create(Appearance(
                task=task, document=self.document, source_sha256=self.sha, path=self.doc.path,
                line=record.line, as_of=as_of, section=section_title[:2000],
                state=AppearanceState(record.state), title=record.title,
                deadline_text=record.deadline, leads_text=record.leads,
                coordinators_text=record.coordinators, raw_text=record.raw,
            ))
            self.seen_rows[(self.sha, record.line)] = task
            self.task_shas[id(task)].add(self.sha)
            latest = self.latest_as_of.get(id(task))
            if latest is None or (as_of and as_of > latest):
                self.latest_as_of[id(task)] = as_of
        leads = self._assign(task, record.leads, Role.LEAD, record.line)
        self._assign(task, record.coordinators, Role.COORDINATE, record.line)
        self._actions(task, record)
        if record.state == TaskState.COMPLETED:
            self._complete(record, leads)
        elif record.open_agencies or record.state == TaskState.OVERDUE:
            self._complete_all_but_open(task, record, leads)
        return task

    def _place_area(self, task: Task, line: int) -> None:
        """The programme area of a task, from its heading or its title (tasks/areas.py)."""
        before = (task.programme_area_id, task.area_basis)
        known = place(task, self.catalogue)
        if not known:
            self.result.warn(line, _("The heading “%(heading)s” names no area of the "
                                     "programme's catalogue; say which on the page of names "
                                     "to place.") % {"heading": task.area[:200]})
            self._unplaced(UnplacedKind.AREA, area_key(task.area), task.area, "area", line,
                           task, "", [], {})
        elif task.programme_area is None:
            self.result.warn(line, _("No area found for “%(title)s”: no heading names one "
                                     "and its words point to none.")
                             % {"title": task.title[:120]})
        if (task.programme_area_id, task.area_basis) != before:
            self.tasks.change(task, "programme_area", "area_basis")

    def _known_task(self, record: TaskRecord, directive: Directive | None) -> Task | None:
        """Same directive and title; with no directive, the same title in this document."""
        for task in self.tasks_by_key.get(fold(record.title), ()):
            if directive is not None:
                if directive.pk is not None and task.directive_id == directive.pk:
                    return task
                if directive.pk is None and task._state.fields_cache.get("directive") \
                        is directive:
                    return task  # a directive new in this import, named again
            elif task.directive_id is None and self.sha in self.task_shas[id(task)]:
                return task
        return None

    def _refresh(self, task: Task, fields: dict, record: TaskRecord, as_of):
        """A task read again: the newest document's wording and deadline win."""
        latest = self.latest_as_of.get(id(task))
        names = [*fields, "deadline_text", "deadline_kind", "deadline_due"]
        before = {name: getattr(task, name) for name in names}
        if latest is None or as_of >= latest:
            for name, value in fields.items():
                if value or name == "source":
                    setattr(task, name, value)
            if task.directive is None and before["directive"] is not None:
                task.directive = before["directive"]
            deadline = task.set_deadline(record.deadline, as_of) if record.deadline \
                else task.deadline
        else:
            deadline = task.deadline
        if any(getattr(task, name) != value for name, value in before.items()):
            task.import_run = self.run
            task.title_key = fold(task.title)
            self.tasks.change(task, "title", "title_key", "directive", "area",
                              "expected_output", "notes", "source", "deadline_text",
                              "deadline_kind", "deadline_due", "import_run")
            self.result.tasks_updated += 1
        return deadline

    def _directive(self, text: str, line: int) -> Directive | None:
        if text in self.directives:
            return self.directives[text]
        directive = None
        references = find_references(text)
        if references:
            found, dated = prepared_directive(references[0], text)
            key = (found.kind, found.number.casefold())
            directive = self.directive_by_key.get(key)
            if directive is None:  # one object for every text that names it
                directive = self.directive_by_key[key] = found
                if found.pk is None or dated:
                    self.directive_saves.append(directive)
            elif directive.issued_on is None and references[0].date:
                directive.issued_on = references[0].date  # a later text dates it
                if directive not in self.directive_saves:
                    self.directive_saves.append(directive)
        elif text.strip():
            self.result.warn(line, _("“%(text)s” names no document number; tasks under it have "
                                  "no directive.") % {"text": text[:200]})
        self.directives[text] = directive
        return directive

    def _assign(self, task: Task, names: str, role: str, line: int) -> list[Assignment]:
        assignments = []
        for named in resolve_list(names, self.doc.as_of, self.resolver):
            for org in self._sure(named.resolution, line, str(role), task=task):
                if role == Role.COORDINATE and org == self.issuer and \
                        (id(task), org.pk, Role.LEAD) in self.assignment_of:
                    continue  # "Văn phòng Bộ" leads, "Cục …" of the same ministry helps
                assignments.append(self._assignment(task, org, role, named.text))
        return assignments

    def _actions(self, task: Task, record: TaskRecord) -> None:
        """Each agency a solution names gets the text of its own action, not the whole."""
        actions: dict[int, list[str]] = {}
        for names, text in record.actions:
            for named in resolve_list(names, self.doc.as_of, self.resolver):
                if not named.resolution.is_sure:
                    continue  # warned about, and kept to place, by _assign already
                for org in named.resolution.organisations:
                    actions.setdefault(org.pk, [])
                    if text not in actions[org.pk]:
                        actions[org.pk].append(text)
        for org_id, texts in actions.items():
            assignment = self.assignment_of.get((id(task), org_id, Role.LEAD))
            if assignment is not None and assignment.action != "\n".join(texts):
                assignment.action = "\n".join(texts)
                self.assignments.change(assignment, "action")

    def _assignment(self, task: Task, org: Organisation, role: str, named: str) -> Assignment:
        key = (id(task), org.pk, role)
        assignment = self.assignment_of.get(key)
        if assignment is None:
            # By id, not by object: 15,000 of them are made per corpus import, and the
            # related-object descriptors cost more than the rest of the row. The task may
            # not be saved yet; flush() gives the row its id.
            assignment = Assignment(task_id=task.pk, organisation_id=org.pk, role=role,
                                    named_as=named[:300])
            assignment.task_ref = task
            self.assignment_of[key] = assignment
            self.assignments.create(assignment)
            self.result.assignments += 1
        return assignment

    def _sure(self, resolution, line: int, context: str = "", task: Task | None = None,
              payload: dict | None = None) -> list[Organisation]:
        """The organisations a name surely denotes; otherwise none, a warning, and the
        name kept where it stood (Unplaced) for the standing office to place."""
        if resolution.is_sure:
            return list(resolution.organisations)
        if resolution.status == Status.NOT_AN_AGENCY:
            return []  # the standing office said so
        if self.issuer is not None and self.issuer.kind == OrgKind.PROVINCE and \
                _LOCAL_UNIT.match(resolution.text):
            return [self.issuer]  # "Sở Nội vụ" in a province's report: the province acts
        if self.issuer is not None and self.issuer.kind in _CENTRAL_KINDS and \
                _MINISTRY_UNIT.match(resolution.text):
            return [self.issuer]  # "Cục …", "Văn phòng Bộ" in a ministry's own report
        self.result.warn(line, _("Agency not assigned: %(message)s")
                         % {"message": resolution.message or resolution.text})
        if context:
            self._unplaced(UnplacedKind.NAME, name_key(resolution.text), resolution.text,
                           context, line, task, resolution.message,
                           [o.pk for o in resolution.candidates or resolution.organisations],
                           payload or {})
        return []

    def _unplaced(self, kind, key: str, text: str, context: str, line: int, task, message,
                  candidates: list[int], payload: dict) -> None:
        row = Unplaced(kind=kind, key=key[:400], text=text[:400], context=context,
                       document=self.document, line=line, message=message or "",
                       candidates=candidates[:20], payload=payload)
        row.task_ref = task
        self.unplaced.append(row)

    def _complete(self, record: TaskRecord, leads: list[Assignment]) -> None:
        evidence = record.evidence or record.result
        references = find_references(evidence)
        # A document dated more than a year before the report is one the work cites (a law,
        # an earlier decision), not the day it was done: "theo QĐ 933/QĐ-TTg ngày 19/4/2024"
        # in a report of July 2025.
        earliest = self.doc.as_of - datetime.timedelta(days=EVIDENCE_WINDOW_DAYS)
        dated = [r.date for r in references if r.date and earliest <= r.date <= self.doc.as_of]
        if not dated:  # "Đã hoàn thành ngày 10/11/2025", with no document named
            dated = [day for day in _days(evidence) if earliest <= day <= self.doc.as_of]
        done_on = max(dated, default=self.doc.as_of)
        if not dated:
            evidence = data_text(gettext_noop("%(evidence)s (completion date not given; "
                                              "reported as completed on %(date)s)"),
                                 evidence=evidence, date=self.doc.as_of.strftime("%d/%m/%Y"))
        for assignment in leads:
            self._mark_done(assignment, done_on, evidence, [r.as_json() for r in references])

    def _complete_all_but_open(self, task: Task, record: TaskRecord,
                               leads: list[Assignment]) -> None:
        """An overdue row lists who has not completed; the other leads have."""
        still_open = set()
        for named in resolve_list(record.open_agencies, self.doc.as_of, self.resolver):
            for org in self._sure(named.resolution, record.line, "open", task=task):
                still_open.add(org.pk)
                if not any(a.organisation_id == org.pk for a in leads):
                    self.result.warn(record.line, _("%(name)s is listed as not having "
                                     "completed but is not a lead agency; added as one.")
                                     % {"name": named.text})
                    self._assignment(task, org, Role.LEAD, named.text)
        if not still_open:
            return
        note = data_text(gettext_noop("Not among the agencies listed as not completed "
                                      "(%(path)s, line %(line)s)."),
                         path=Path(self.doc.path).name, line=record.line)
        for assignment in leads:
            if assignment.organisation_id not in still_open:
                self._mark_done(assignment, self.doc.as_of, note, [])

    def _mark_done(self, assignment: Assignment, day, evidence: str, refs: list) -> None:
        if assignment.completed_on is not None:
            return  # an import states what was done by its date; it never undoes
        assignment.completed_on, assignment.evidence = day, evidence
        assignment.evidence_refs = refs
        self.assignments.change(assignment, "completed_on", "evidence", "evidence_refs")
        self.result.completions += 1

    # Indicators ----------------------------------------------------------------------

    def _indicator(self, name_or_code: str, unit: str, line: int) -> Indicator:
        if name_or_code in self.indicators:
            return self.indicators[name_or_code]
        key = fold(name_or_code)
        indicator = self.new_indicators.get(key) or \
            Indicator.objects.filter(name_key=key).first()
        if indicator is None:
            code = self._free_code(("de-xuat-" + slugify(key))[:80].rstrip("-"))
            indicator = self.new_indicators[key] = Indicator(
                code=code, name=name_or_code[:400], proposed=True,
                unit=unit if unit in Unit.values else Unit.PERCENT,
                description=data_text(gettext_noop("Proposed by an import (%(path)s, line "
                                                   "%(line)s); not in the catalogue yet."),
                                      path=Path(self.doc.path).name, line=line),
            )
            self.result.indicators_proposed += 1
        self.indicators[name_or_code] = self.indicators[indicator.code] = indicator
        return indicator

    def _free_code(self, code: str) -> str:
        """A code no indicator has: two names may differ only where a slug does not look
        ("Tỷ lệ A-B", "Tỷ lệ A B")."""
        taken = set(self.indicators) | {i.code for i in self.new_indicators.values()}
        found, n = code, 1
        while found in taken:
            n += 1
            found = f"{code[:76]}-{n}"
        return found

    def _lead(self, indicator: Indicator, names: str, line: int) -> None:
        """The agency a results table names as leading an indicator, when it has none and
        the table is the programme's own (a province's report names its departments)."""
        if not names or indicator.lead_id is not None or self.issuer is not None:
            return
        orgs = [org for named in resolve_list(names, self.doc.as_of, self.resolver)
                for org in self._sure(named.resolution, line)]
        if len(orgs) == 1:
            indicator.lead = orgs[0]
            self.indicator_rows.change(indicator, "lead")

    def _organisation(self, name: str, on, line: int, of_issuer: bool = False,
                      context: str = "", payload: dict | None = None):
        if not name:
            return (self.issuer if of_issuer else None) or self.national
        resolution = self.resolver.resolve(name, on)
        if resolution.organisation is not None:
            return resolution.organisation
        if resolution.status == Status.NOT_AN_AGENCY:
            return None
        self.result.warn(line, _("Value not stored: %(message)s")
                         % {"message": resolution.message or
                            _("“%(text)s” is not one organisation.") % {"text": name}})
        if context:
            self._unplaced(UnplacedKind.NAME, name_key(name), name, context, line, None,
                           resolution.message, [o.pk for o in resolution.candidates],
                           {**(payload or {}), "on": on.isoformat()})
        return None

    def _value(self, record: ValueRecord) -> None:
        indicator = self._indicator(record.indicator, "", record.line)
        # A value an unknown issuer states of itself is kept under the issuer's name.
        own = self.unknown_issuer if record.of_issuer and not record.organisation else ""
        org = self._organisation(
            record.organisation or own, record.resolve_on or self.doc.as_of, record.line,
            record.of_issuer, "target" if record.kind == ValueKind.TARGET else "value",
            json_payload(record, indicator=indicator.code,
                         source=f"{Path(self.doc.path).name}:{record.line}"))
        if org is None:
            return
        self._lead(indicator, record.lead, record.line)
        if not self._checked(record, indicator, org):
            return
        source = f"{Path(self.doc.path).name}:{record.line}"
        if record.kind == ValueKind.TARGET:
            end = month_end(record.period)
            self._upsert(Target, self.targets_rows, "targets",
                         ("target", _ref(indicator), org.pk, end, TargetSource.REGISTERED),
                         dict(indicator=indicator, organisation=org, period_end=end,
                              source=TargetSource.REGISTERED),
                         dict(period_start=record.period, minimum=record.value,
                              raw_text=record.raw))
            return
        self._upsert(Observation, self.observations, "observations",
                     ("obs", _ref(indicator), org.pk, record.period),
                     dict(indicator=indicator, organisation=org, period=record.period),
                     dict(value=record.value, observed_on=record.observed_on, source=source,
                          raw_text=record.raw, note=record.note,
                          numerator=record.numerator, denominator=record.denominator))

    def _checked(self, record: ValueRecord, indicator: Indicator, org) -> bool:
        """A document's number is a record of what the document said, so it is kept even
        where an agency typing it would be refused (a rate that disagrees with its counts,
        a percentage above 100): the import says so, with the line, for a person to check
        (the rule is reporting/validation.py's, as for the web grid and the API). Only a
        number no database column can hold is left out."""
        kind = ReportKind.TARGET if record.kind == ValueKind.TARGET else ReportKind.VALUE
        _clean, problems = validation.check_value(indicator.unit, record.value,
                                                  record.numerator, record.denominator, kind)
        if not validation.fits_column(record.value, record.numerator, record.denominator):
            self.result.warn(record.line, _("Value not stored: %(message)s")
                             % {"message": problems[0].message})
            return False
        for problem in problems:
            self.result.warn(record.line, _(
                "%(indicator)s, %(org)s: %(message)s Kept as the document says; check "
                "it.") % {"indicator": indicator.name, "org": org.name,
                          "message": problem.message})
        return True

    def _target(self, record: TargetRecord) -> None:
        indicator = self._indicator(record.indicator, record.unit, record.line)
        own = self.unknown_issuer if record.of_issuer and not record.organisation else ""
        org = self._organisation(record.organisation or own, self.doc.as_of, record.line,
                                 record.of_issuer, "directive_target",
                                 json_payload(record, indicator=indicator.code))
        if org is None:
            return
        self._lead(indicator, record.lead, record.line)
        self._upsert(Target, self.targets_rows, "targets",
                     ("target", _ref(indicator), org.pk, record.period_end,
                      TargetSource.DIRECTIVE),
                     dict(indicator=indicator, organisation=org, period_end=record.period_end,
                          source=TargetSource.DIRECTIVE),
                     dict(minimum=record.minimum, aspiration=record.aspiration,
                          raw_text=record.raw))

    def _upsert(self, model, rows: _Rows, counter: str, key: tuple, keys: dict,
                values: dict) -> None:
        """Create, or update when a value differs; count only real changes."""
        obj = self.values_of.get(key)
        if obj is None:
            obj = self.values_of[key] = model(**keys, **values, import_run=self.run)
            rows.create(obj)
        elif all(getattr(obj, name) == value for name, value in values.items()):
            return
        else:
            for name, value in values.items():
                setattr(obj, name, value)
            obj.import_run = self.run
            rows.change(obj, *values, "import_run")
        setattr(self.result, counter, getattr(self.result, counter) + 1)

    def _shortfalls(self, record: AgencyListRecord) -> None:
        # What the statement concerns is the same for every agency it names: read once.
        indicator = concerned_indicator(record.statement, self.indicators)
        for text in record.agencies:
            for named in resolve_list(text, self.doc.as_of, self.resolver):
                payload = {"statement": record.statement, "raw": record.raw,
                           "as_of": self.doc.as_of.isoformat()}
                for org in self._sure(named.resolution, record.line, "shortfall",
                                      payload=payload):
                    key = (self.sha, record.line, org.pk)
                    if key in self.shortfalls_seen:
                        continue  # this file was imported before
                    self.shortfalls_seen.add(key)
                    self.shortfall_rows.create(Shortfall(
                        document=self.document, organisation=org, named_as=named.text[:300],
                        statement=record.statement, as_of=self.doc.as_of, line=record.line,
                        raw_text=record.raw, indicator=indicator,
                    ))
                    self.result.shortfalls += 1

    # The end: everything written at once ----------------------------------------------

    def _shortfall_tasks(self) -> None:
        """The task each new statement restates, once every task of the import is saved."""
        unlinked = [row for row in self.shortfall_rows.new if row.indicator is None]
        if not unlinked:
            return
        words = {pk: title_words(key) for pk, key in Task.objects.values_list("id", "title_key")}
        found: dict[str, int | None] = {}
        for row in unlinked:
            if row.statement not in found:
                found[row.statement] = concerned_task(row.statement, words)
            row.task_id = found[row.statement]

    def prepare(self) -> None:
        """The values of every new row, prepared while nothing is locked."""
        for rows in (self.tasks, self.appearances, self.assignments, self.observations,
                     self.targets_rows, self.shortfall_rows, self.held_rows):
            rows.prepare()

    def save_parents(self) -> None:
        """The rows the decided ones point to, each saved as any save is (audit trail and
        signals): the run, the documents, new and newly dated directives, new indicators."""
        self.run.save()
        for document in self.documents:
            document.save()
        for directive in self.directive_saves:
            directive.save()
        for indicator in self.new_indicators.values():
            indicator.save()

    def flush(self) -> None:
        """Write what the documents said, parents before children, then the facts."""
        self.tasks.flush()
        self._shortfall_tasks()
        for assignment in self.assignments.new:
            assignment.task_id = assignment.task_ref.pk
        for row in self.unplaced:
            row.task_id = row.task_ref.pk if row.task_ref is not None else None
        Unplaced.objects.bulk_create(self.unplaced, batch_size=BATCH)
        for rows in (self.appearances, self.assignments, self.observations,
                     self.targets_rows, self.shortfall_rows, self.held_rows,
                     self.indicator_rows):
            rows.flush()
        touched = {t.pk for t in self.tasks.new} | {t.pk for t in self.tasks.changed.values()}
        touched |= {a.task_id for rows in (self.assignments.new,
                                           self.assignments.changed.values()) for a in rows}
        facts.refresh_tasks(touched)
        if self.problem_groups:
            results = {document.sha256: result
                       for document, _as_of, _record, _task, result in self.problem_groups}
            for item in register_problem_groups([group[:4] for group in self.problem_groups]):
                results[item.source_sha256].difficulties += 1
        if self.concerns:
            results = {item[0].sha256: item[-1] for item in self.concerns}
            for item in register_agency_items([item[:5] for item in self.concerns]):
                results[item.source_sha256].difficulties += 1
        counted = (self.tasks, self.assignments, self.observations, self.targets_rows)
        if any(rows.new or rows.changed for rows in counted):
            derived.data_changed()  # bulk writes send no signals


# "Đã hoàn thành ngày 10/11/2025", "hoàn thành vào ngày …": the day the work was done (a
# bare "ngày 13/6/2025" may be the day of a step on the way, "Tính đến ngày …" the count's).
_DAY = re.compile(r"\b(?:hoàn thành|ban hành|phê duyệt)\s+(?:vào\s+|từ\s+)?ngày\s+"
                  r"(\d{1,2})/(\d{1,2})/(\d{4})\b", re.IGNORECASE)


def _days(text: str) -> list[datetime.date]:
    """The days a text says the work was done on: "Đã hoàn thành ngày 10/11/2025"."""
    days = [dates.written_day("/".join(parts)) for parts in _DAY.findall(text or "")]
    return [day for day in days if day is not None]  # not 31/02


_AGENCY_OWN = (SectionKind.AGENCY_CONCERNS, SectionKind.AGENCY_PLAN)

# A province's own departments and offices, as its reports name them.
_LOCAL_UNIT = re.compile(r"^\s*(?:các\s+)?(?:sở|văn phòng (?:ubnd|ủy ban nhân dân|uỷ ban nhân dân)|"
                         r"ubnd (?:các )?(?:huyện|xã|phường|cấp xã|cấp huyện)|ban quản lý|"
                         r"công an tỉnh|công an thành phố|đài phát thanh|trung tâm)\b",
                         re.IGNORECASE)
# The units a ministry's own report names as leading its tasks, which the registry does
# not list: "Cục Công nghệ thông tin", "Vụ Pháp chế", "Văn phòng Bộ", "Thanh tra Bộ".
_MINISTRY_UNIT = re.compile(r"^\s*(?:các\s+)?(?:cục|tổng cục|vụ|văn phòng bộ|thanh tra bộ|"
                            r"trung tâm|viện|học viện|ban quản lý)\b", re.IGNORECASE)
_CENTRAL_KINDS = {OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY, OrgKind.GOVERNMENT_AGENCY}
