"""Write parsed documents into the domain, in one transaction: `run_import(paths, …)`.

Every file is read and parsed before anything is written, so an unreadable file stops
the import with nothing written. Writing then happens in one transaction; an error half
way rolls all of it back; `dry_run` rolls back on purpose after counting.

Identity, so that importing the same file twice changes nothing:
- a row of a file is known by the file's content hash and its line (Appearance);
- a task is known by its directive and normalised title; a task read with no directive is
  one task within its document, and across documents a task with a similar title is only
  *proposed* as the same (TaskMatch, with a score) for a person to confirm;
- an assignment by task, organisation and role; an observation by indicator,
  organisation and period; a target by indicator, organisation, end date and source.
"""

import datetime
import hashlib
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _

from giamsat.directives.models import Directive, DirectiveKind
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource, Unit
from giamsat.ingest.document import parse_document
from giamsat.ingest.models import ImportedDocument, ImportRun, ImportState, Shortfall
from giamsat.ingest.records import (
    AgencyListRecord,
    IndicatorProposal,
    ParsedDocument,
    TargetRecord,
    TaskRecord,
    TaskState,
    ValueKind,
    ValueRecord,
)
from giamsat.ingest.references import find_references
from giamsat.ingest.sources import read_document
from giamsat.lib.months import month_end
from giamsat.lib.text import fold
from giamsat.orgs.lists import resolve_list
from giamsat.orgs.models import Organisation
from giamsat.orgs.resolve import Resolver
from giamsat.tasks import facts
from giamsat.tasks.matching import propose_matches
from giamsat.tasks.models import Appearance, AppearanceState, Assignment, Role, Task

NATIONAL = "viet-nam"
# A table this long that no reader understands is data we would lose: stop instead.
MAX_UNREAD_TABLE_ROWS = 2
# How far back a completion report's evidence may be dated and still date the completion.
EVIDENCE_WINDOW_DAYS = 366
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
    matches_proposed: int = 0
    warnings: list[dict] = field(default_factory=list)

    COUNTS = ("tasks_created", "tasks_updated", "assignments", "completions", "observations",
              "targets", "indicators_proposed", "shortfalls", "matches_proposed")

    def as_json(self) -> dict:
        data = {"path": self.path, "as_of": self.as_of.isoformat() if self.as_of else None,
                "sections": self.sections}
        data.update({name: getattr(self, name) for name in self.COUNTS})
        data["warnings"] = self.warnings
        return data

    def warn(self, line: int, message: str) -> None:
        self.warnings.append({"line": line, "message": message})


def run_import(paths, *, as_of: datetime.date | None = None, dry_run: bool = False,
               user=None, progress: Progress | None = None) -> dict:
    """Import files; the summary `giamsat import --format json` prints."""
    started = time.monotonic()
    if not paths:
        raise ImportFailed(_("No file to import."))
    parsed = [_parse(Path(path), as_of) for path in paths]
    files_info = [{"path": doc.path, "sha256": sha, "size": size} for doc, sha, size in parsed]
    total = sum(len(doc.records()) for doc, _sha, _size in parsed)
    # Task facts (tasks/facts.py) are refreshed once per task at the end, not per row.
    with transaction.atomic():
        with facts.deferred():
            run = ImportRun.objects.create(user=user, as_of=as_of, files=files_info)
            sync_indicators()
            writer = _Writer(run, total=total, progress=progress)
            results = [writer.write(doc, sha, size) for doc, sha, size in parsed]
            for result, count in zip(results, propose_matches(writer.new_tasks), strict=True):
                result.matches_proposed = count
            summary = _summary(results, started, dry_run)
            summary["matches"] = _match_details(writer.new_tasks)
            run.state = ImportState.DRY_RUN if dry_run else ImportState.SUCCEEDED
            run.summary, run.finished_at = summary, timezone.now()
            run.save()
            summary["import_run"] = run.pk
        if dry_run:
            transaction.set_rollback(True)
    if dry_run:
        summary["import_run"] = None
    return summary


def _parse(path: Path, as_of) -> tuple[ParsedDocument, str, int]:
    text = read_document(path)
    data = path.read_bytes()
    doc = parse_document(str(path), text, as_of)
    if doc.as_of is None:
        raise ImportFailed(
            _("%(path)s: the document gives no date to resolve agency names on; "
              "give one with --as-of YYYY-MM-DD.") % {"path": path}
        )
    for line, rows in doc.unread_tables:
        if rows > MAX_UNREAD_TABLE_ROWS:
            raise ImportFailed(
                _("%(path)s, line %(line)s: a table of %(rows)s rows has no header giamsat "
                  "recognises (it needs columns such as “Tên nhiệm vụ”, “Cơ quan chủ trì”, "
                  "“Thời hạn” or “Đặt chỉ tiêu tháng …”).")
                % {"path": path, "line": line, "rows": rows}
            )
    if not doc.sections:
        raise ImportFailed(
            _("%(path)s: nothing in it is recognisable as tasks, targets or indicator "
              "values.") % {"path": path}
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
    totals["files"] = len(results)
    return {
        "dry_run": dry_run,
        "files": [r.as_json() for r in results],
        "totals": totals,
        "elapsed_seconds": round(time.monotonic() - started, 3),
    }


class _Writer:
    def __init__(self, run: ImportRun, total: int, progress: Progress | None):
        self.run = run
        self.resolver = Resolver()
        self.total, self.done, self.progress = total, 0, progress
        self.directives: dict[str, Directive | None] = {}
        self.indicators = {i.code: i for i in Indicator.objects.all()}
        self.national = Organisation.objects.get(slug=NATIONAL)
        self.new_tasks: list[list[Task]] = []

    def write(self, doc: ParsedDocument, sha: str, size: int) -> FileResult:
        result = FileResult(path=doc.path, as_of=doc.as_of)
        self.result, self.doc, self.sha = result, doc, sha
        self.document = ImportedDocument.objects.create(
            import_run=self.run, path=doc.path, sha256=sha, size=size, as_of=doc.as_of,
            text=doc.text,
        )
        self.created: list[Task] = []
        for warning in doc.warnings:
            result.warn(warning.line, warning.message)
        for section in doc.sections:
            result.sections.append({"title": section.title, "kind": str(section.kind),
                                    "line": section.line, "rows": len(section.records)})
            for record in section.records:
                self._write(record, section.title)
                self.done += 1
                if self.progress:
                    self.progress(self.done, self.total, doc.path)
        result.warnings.sort(key=lambda w: w["line"])
        self.new_tasks.append(self.created)
        return result

    def _write(self, record, section_title: str) -> None:
        if isinstance(record, TaskRecord):
            self._task(record, section_title)
        elif isinstance(record, ValueRecord):
            self._value(record)
        elif isinstance(record, TargetRecord):
            self._target(record)
        elif isinstance(record, AgencyListRecord):
            self._shortfalls(record)
        elif isinstance(record, IndicatorProposal):
            self._indicator(record.name, record.unit, record.line)

    # Tasks ---------------------------------------------------------------------------

    def _task(self, record: TaskRecord, section_title: str) -> None:
        as_of = self.doc.as_of
        directive = self._directive(record.directive, record.line)
        appearance = Appearance.objects.filter(source_sha256=self.sha, line=record.line).first()
        task = appearance.task if appearance else self._known_task(record, directive)
        fields = {
            "title": record.title, "directive": directive, "area": record.area[:400],
            "expected_output": record.expected_output, "notes": record.notes,
            "source": f"{self.doc.path}:{record.line}",
        }
        if task is None:
            task = Task(**fields, import_run=self.run)
            deadline = task.set_deadline(record.deadline, as_of)
            task.save()
            self.result.tasks_created += 1
            self.created.append(task)
        elif appearance is None:
            deadline = self._refresh(task, fields, record, as_of)
        else:
            deadline = task.deadline  # a row read before: it has said what it says
        if deadline.kind == "unparsed":
            self.result.warn(record.line, _("Deadline “%(text)s” was not understood; kept as "
                                            "written.") % {"text": record.deadline})
        if appearance is None:
            Appearance.objects.create(
                task=task, document=self.document, source_sha256=self.sha, path=self.doc.path,
                line=record.line, as_of=as_of, section=section_title[:2000],
                state=AppearanceState(record.state), title=record.title,
                deadline_text=record.deadline, leads_text=record.leads,
                coordinators_text=record.coordinators, raw_text=record.raw,
            )
        leads = self._assign(task, record.leads, Role.LEAD, record.line)
        self._assign(task, record.coordinators, Role.COORDINATE, record.line)
        if record.state == TaskState.COMPLETED:
            self._complete(record, leads)
        elif record.open_agencies or record.state == TaskState.OVERDUE:
            self._complete_all_but_open(task, record, leads)

    def _known_task(self, record: TaskRecord, directive: Directive | None) -> Task | None:
        """Same directive and title; with no directive, the same title in this document."""
        key = fold(record.title)
        if directive is not None:
            return Task.objects.filter(directive=directive, title_key=key).first()
        return Task.objects.filter(
            title_key=key, directive=None, appearances__source_sha256=self.sha
        ).first()

    def _refresh(self, task: Task, fields: dict, record: TaskRecord, as_of):
        """A task read again: the newest document's wording and deadline win."""
        latest = task.appearances.order_by("-as_of").values_list("as_of", flat=True).first()
        before = {name: getattr(task, name) for name in
                  [*fields, "deadline_text", "deadline_kind", "deadline_due"]}
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
            task.save()
            self.result.tasks_updated += 1
        return deadline

    def _directive(self, text: str, line: int) -> Directive | None:
        if text in self.directives:
            return self.directives[text]
        directive = None
        references = find_references(text)
        if references:
            ref = references[0]
            kind = _DIRECTIVE_KINDS.get(ref.kind, DirectiveKind.OTHER)
            directive = Directive.objects.filter(kind=kind, number__iexact=ref.number).first()
            if directive is None:
                directive = Directive.objects.create(
                    kind=kind, number=ref.number, issued_on=ref.date, raw_text=text[:2000]
                )
            elif directive.issued_on is None and ref.date:
                directive.issued_on = ref.date
                directive.save()
        elif text.strip():
            self.result.warn(line, _("“%(text)s” names no document number; tasks under it have "
                                  "no directive.") % {"text": text[:200]})
        self.directives[text] = directive
        return directive

    def _assign(self, task: Task, names: str, role: str, line: int) -> list[Assignment]:
        assignments = []
        for named in resolve_list(names, self.doc.as_of, self.resolver):
            orgs = self._sure(named.resolution, line)
            for org in orgs:
                assignment, created = Assignment.objects.get_or_create(
                    task=task, organisation=org, role=role,
                    defaults={"named_as": named.text[:300]},
                )
                self.result.assignments += created
                assignments.append(assignment)
        return assignments

    def _sure(self, resolution, line: int) -> list[Organisation]:
        if resolution.is_sure:
            return list(resolution.organisations)
        self.result.warn(line, _("Agency not assigned: %(message)s")
                         % {"message": resolution.message or resolution.text})
        return []

    def _complete(self, record: TaskRecord, leads: list[Assignment]) -> None:
        evidence = record.evidence or record.result
        references = find_references(evidence)
        # A document dated more than a year before the report is one the work cites (a law,
        # an earlier decision), not the day it was done: "theo QĐ 933/QĐ-TTg ngày 19/4/2024"
        # in a report of July 2025.
        earliest = self.doc.as_of - datetime.timedelta(days=EVIDENCE_WINDOW_DAYS)
        dated = [r.date for r in references if r.date and earliest <= r.date <= self.doc.as_of]
        done_on = max(dated, default=self.doc.as_of)
        if not dated:
            evidence = _("%(evidence)s (completion date not given; reported as completed on "
                         "%(date)s)") % {"evidence": evidence,
                                         "date": self.doc.as_of.strftime("%d/%m/%Y")}
        for assignment in leads:
            self._mark_done(assignment, done_on, evidence, [r.as_json() for r in references])

    def _complete_all_but_open(self, task: Task, record: TaskRecord,
                               leads: list[Assignment]) -> None:
        """An overdue row lists who has not completed; the other leads have."""
        still_open = set()
        for named in resolve_list(record.open_agencies, self.doc.as_of, self.resolver):
            for org in self._sure(named.resolution, record.line):
                still_open.add(org.pk)
                if not any(a.organisation_id == org.pk for a in leads):
                    self.result.warn(record.line, _("%(name)s is listed as not having "
                                     "completed but is not a lead agency; added as one.")
                                     % {"name": named.text})
                    assignment, created = Assignment.objects.get_or_create(
                        task=task, organisation=org, role=Role.LEAD,
                        defaults={"named_as": named.text[:300]})
                    self.result.assignments += created
        if not still_open:
            return
        note = _("Not among the agencies listed as not completed (%(path)s, line %(line)s).") \
            % {"path": Path(self.doc.path).name, "line": record.line}
        for assignment in leads:
            if assignment.organisation_id not in still_open:
                self._mark_done(assignment, self.doc.as_of, note, [])

    def _mark_done(self, assignment: Assignment, day, evidence: str, refs: list) -> None:
        if assignment.completed_on is not None:
            return  # an import states what was done by its date; it never undoes
        assignment.completed_on, assignment.evidence = day, evidence
        assignment.evidence_refs = refs
        assignment.save()
        self.result.completions += 1

    # Indicators ----------------------------------------------------------------------

    def _indicator(self, name_or_code: str, unit: str, line: int) -> Indicator:
        if name_or_code in self.indicators:
            return self.indicators[name_or_code]
        key = fold(name_or_code)
        indicator = Indicator.objects.filter(name_key=key).first()
        if indicator is None:
            code = ("de-xuat-" + slugify(key))[:80].rstrip("-")
            indicator = Indicator.objects.create(
                code=code, name=name_or_code[:400], proposed=True,
                unit=unit if unit in Unit.values else Unit.PERCENT,
                description=_("Proposed by an import (%(path)s, line %(line)s); not in the "
                              "catalogue yet.") % {"path": Path(self.doc.path).name,
                                                   "line": line},
            )
            self.result.indicators_proposed += 1
        self.indicators[name_or_code] = self.indicators[indicator.code] = indicator
        return indicator

    def _organisation(self, name: str, on, line: int) -> Organisation | None:
        if not name:
            return self.national
        resolution = self.resolver.resolve(name, on)
        if resolution.organisation is not None:
            return resolution.organisation
        self.result.warn(line, _("Value not stored: %(message)s")
                         % {"message": resolution.message or
                            _("“%(text)s” is not one organisation.") % {"text": name}})
        return None

    def _value(self, record: ValueRecord) -> None:
        org = self._organisation(record.organisation, record.resolve_on or self.doc.as_of,
                                 record.line)
        if org is None:
            return
        indicator = self._indicator(record.indicator, "", record.line)
        source = f"{Path(self.doc.path).name}:{record.line}"
        if record.kind == ValueKind.TARGET:
            self._upsert(Target, "targets", dict(
                indicator=indicator, organisation=org, period_end=month_end(record.period),
                source=TargetSource.REGISTERED,
            ), dict(period_start=record.period, minimum=record.value, raw_text=record.raw))
            return
        self._upsert(Observation, "observations", dict(
            indicator=indicator, organisation=org, period=record.period,
        ), dict(value=record.value, observed_on=record.observed_on, source=source,
                raw_text=record.raw))

    def _target(self, record: TargetRecord) -> None:
        org = self._organisation(record.organisation, self.doc.as_of, record.line)
        if org is None:
            return
        indicator = self._indicator(record.indicator, record.unit, record.line)
        self._upsert(Target, "targets", dict(
            indicator=indicator, organisation=org, period_end=record.period_end,
            source=TargetSource.DIRECTIVE,
        ), dict(minimum=record.minimum, aspiration=record.aspiration, raw_text=record.raw))

    def _upsert(self, model, counter: str, keys: dict, values: dict) -> None:
        """Create, or update when a value differs; count only real changes."""
        obj = model.objects.filter(**keys).first()
        if obj is None:
            obj = model(**keys, **values)
        elif all(getattr(obj, name) == value for name, value in values.items()):
            return
        else:
            for name, value in values.items():
                setattr(obj, name, value)
        obj.import_run = self.run
        obj.save()
        setattr(self.result, counter, getattr(self.result, counter) + 1)

    def _shortfalls(self, record: AgencyListRecord) -> None:
        for text in record.agencies:
            for named in resolve_list(text, self.doc.as_of, self.resolver):
                for org in self._sure(named.resolution, record.line):
                    if Shortfall.objects.filter(document__sha256=self.sha, line=record.line,
                                                organisation=org).exists():
                        continue  # this file was imported before
                    Shortfall.objects.create(
                        document=self.document, organisation=org, named_as=named.text[:300],
                        statement=record.statement, as_of=self.doc.as_of, line=record.line,
                        raw_text=record.raw,
                    )
                    self.result.shortfalls += 1


_DIRECTIVE_KINDS = {
    "resolution": DirectiveKind.RESOLUTION, "decision": DirectiveKind.DECISION,
    "directive": DirectiveKind.DIRECTIVE, "notice": DirectiveKind.NOTICE,
    "plan": DirectiveKind.PLAN, "programme": DirectiveKind.PROGRAMME,
    "letter": DirectiveKind.OFFICIAL_LETTER, "conclusion": DirectiveKind.CONCLUSION,
}
