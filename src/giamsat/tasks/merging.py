"""Two tasks that are one: fold the duplicate into the kept task, and take it apart again.

The same task is read from several documents (a plan, then a report's appendices). When
they are found to be one — certainly (same title, lead agencies and deadline: on import,
`merge_certain`) or by a person confirming a proposed pair (`confirm_match`) — the newer
task is folded into the older one:

- every appearance (document, line, raw text) moves to the kept task;
- the duplicate's agencies join it; where both have the same agency, the duplicate's
  updates (and their evidence files) move to the kept assignment, a completion the kept
  one lacks is taken, and the most recent document that reports status wins over an older
  one — but a completion an agency reported itself (an approved update) is never undone;
- the wording and deadline of the most recent document are kept.

Each merge is a TaskMerge holding what it changed; `undo_merge` puts the duplicate back
with its own id, appearances, agencies and updates. Every save goes through the audit trail.
"""

import datetime
import json
import re
from collections import defaultdict

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from simple_history.utils import bulk_update_with_history

from giamsat import derived
from giamsat.ingest.models import Shortfall, Unplaced
from giamsat.lib.i18n import data_text
from giamsat.orgs.history import OrgGraph
from giamsat.tasks import facts
from giamsat.tasks.models import (
    Appearance,
    AppearanceState,
    Assignment,
    MatchState,
    MergeReason,
    ReviewState,
    Task,
    TaskMatch,
    TaskMerge,
    Update,
)

# What the newer document's wording replaces on the kept task.
WORDING = ("title", "title_key", "source", "area", "expected_output", "deadline_text",
           "deadline_kind", "deadline_due", "directive_id", "notes")
_COMPLETION = ("completed_on", "evidence", "evidence_refs", "action")
_REPORTING = (AppearanceState.COMPLETED, AppearanceState.OVERDUE)


class MergeRefused(Exception):
    """The two cannot be merged (or the merge undone); str() says why. Nothing changed."""


def _fields(obj, names=None) -> dict:
    data = {f.attname: getattr(obj, f.attname) for f in obj._meta.concrete_fields
            if names is None or f.attname in names}
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def _restore(obj, data: dict) -> None:
    fields = {f.attname: f for f in obj._meta.concrete_fields}
    for name, value in data.items():
        field = fields[name]
        setattr(obj, name, value if field.get_internal_type() == "JSONField"
                else field.to_python(value))


def _latest(task: Task) -> tuple[datetime.date, str | None]:
    """The date of the most recent document the task appears in, and what it said."""
    latest = task.appearances.order_by("-as_of", "-pk").first()
    if latest is None or latest.as_of is None:
        return task.created_at.date(), None
    return latest.as_of, latest.state


def _reported_by_agency(assignment: Assignment) -> bool:
    return any(u.review_state == ReviewState.APPROVED for u in assignment.updates.all())


@transaction.atomic
def merge_tasks(kept: Task, duplicate: Task, *, reason: str, user=None,
                match: TaskMatch | None = None) -> TaskMerge:
    """Fold duplicate into kept (see the module doc); the record of what changed."""
    if kept.pk == duplicate.pk:
        raise MergeRefused(_("A task cannot be merged with itself."))
    _check_updates(kept, duplicate)
    with facts.deferred():
        snapshot = {"task": _fields(duplicate), "kept_before": {}, "appearances": [],
                    "assignments": [], "folded": [], "matches": []}
        (kept_day, _kept_said), (dup_day, _dup_said) = _latest(kept), _latest(duplicate)
        newer = dup_day > kept_day
        # The most recent document that says where the task stands (done, or overdue with
        # who has not done it) speaks for all of it.
        kept_report, dup_report = _latest_report(kept), _latest_report(duplicate)
        reports = dup_report is not None and (
            kept_report is None or dup_report[0] > kept_report[0])
        latest = dup_report if reports else kept_report
        report = _report(*latest[1:]) if latest is not None else None
        if newer:
            snapshot["kept_before"] = _fields(kept, WORDING)
            for name in WORDING:
                value = getattr(duplicate, name)
                if value not in ("", None) or name in ("source",):
                    setattr(kept, name, value)
            kept.save()
        elif kept.directive_id is None and duplicate.directive_id is not None:
            snapshot["kept_before"] = _fields(kept, ("directive_id",))
            kept.directive_id = duplicate.directive_id
            kept.save()
        # Moved in bulk, each with its audit row: a task given to "các bộ, ngành, địa
        # phương" has 85 agencies.
        appearances = list(duplicate.appearances.all())
        _move(appearances, Appearance, kept)
        snapshot["appearances"] = [a.pk for a in appearances]
        existing = {(a.organisation_id, a.role): a
                    for a in kept.assignments.prefetch_related("updates")}
        moved = []
        for assignment in duplicate.assignments.prefetch_related("updates"):
            into = existing.get((assignment.organisation_id, assignment.role))
            if into is None:
                moved.append(assignment)
            else:
                snapshot["folded"].append(_fold(assignment, into, reports))
        _move(moved, Assignment, kept)
        snapshot["assignments"] = [a.pk for a in moved]
        # Their updates moved: the folded ones go, in one delete (each with its audit row).
        Assignment.objects.filter(pk__in=[f["assignment"]["id"]
                                          for f in snapshot["folded"]]).delete()
        unplaced = Unplaced.objects.filter(task=duplicate)  # names still to place
        snapshot["unplaced"] = list(unplaced.values_list("pk", flat=True))
        unplaced.update(task=kept)
        shortfalls = list(Shortfall.objects.filter(task=duplicate))  # agencies named behind
        _move(shortfalls, Shortfall, kept)
        snapshot["shortfalls"] = [s.pk for s in shortfalls]
        for other in TaskMatch.objects.filter(candidate=duplicate):
            if match is not None and other.pk == match.pk:
                continue
            snapshot["matches"].append([other.pk, other.state, other.task_id,
                                        other.candidate_id])
            other.state, other.decided_by, other.decided_at = (
                MatchState.REJECTED, user, timezone.now())
            other.save()
        snapshot["deleted_matches"] = []
        paired = set(TaskMatch.objects.filter(task=kept).values_list("candidate_id", flat=True))
        for other in TaskMatch.objects.filter(task=duplicate):
            if other.candidate_id == kept.pk or other.candidate_id in paired:
                # The kept task is already paired with it (or is it): this pair goes.
                snapshot["deleted_matches"].append(_fields(other))
                other.delete()
                continue
            # The duplicate was the known task of another pair: the kept task is now.
            snapshot["matches"].append([other.pk, other.state, other.task_id,
                                        other.candidate_id])
            other.task = kept
            other.save()
        if report is not None:
            snapshot["completed"] = _apply_report(kept, *report)
        merge = TaskMerge.objects.create(kept=kept, merged_task_id=duplicate.pk,
                                         merged_title=duplicate.title, reason=reason,
                                         match=match, snapshot=snapshot, merged_by=user)
        if match is not None:
            match.state, match.decided_by, match.decided_at = (
                MatchState.CONFIRMED, user, timezone.now())
            match.candidate = None  # the duplicate goes; the pair stays as it was decided
            match.save()
        duplicate.delete()
        facts.task_changed(kept.pk)
        derived.data_changed()  # bulk moves send no signals
    return merge


def _move(rows: list, model, task: Task) -> None:
    """Rows to another task: one UPDATE (bulk_update would write a CASE per row, for one
    value), then their audit rows as bulk_update_with_history writes them."""
    for row in rows:
        row.task = task
    for start in range(0, len(rows), 500):
        batch = rows[start:start + 500]
        model.objects.filter(pk__in=[row.pk for row in batch]).update(task=task)
        bulk_update_with_history(batch, model, [], batch_size=500)  # history only


def _latest_report(task: Task) -> tuple | None:
    """((date, id), task, appearance) of the task's latest appearance that says where it
    stands; None when no document reported on it."""
    found = task.appearances.filter(state__in=_REPORTING).exclude(as_of=None).order_by(
        "-as_of", "-pk").first()
    return ((found.as_of, found.pk), task, found) if found is not None else None


def _report(task: Task, appearance: Appearance) -> tuple:
    """What a task's report says of its leads: (state, open agency ids, the day its leads
    completed, where it says so)."""
    leads = list(task.assignments.filter(role="lead"))
    still_open = {a.organisation_id for a in leads if a.completed_on is None}
    done_on = max((a.completed_on for a in leads if a.completed_on),
                  default=appearance.as_of)
    return appearance.state, still_open, done_on, str(appearance)


def _apply_report(kept: Task, said: str, still_open: set[int], done_on: datetime.date,
                  where: str) -> list:
    """The leads the other document added complete when the latest report says the task
    is done, or does not name them among those that have not completed it."""
    changed = []
    for assignment in kept.assignments.filter(role="lead", completed_on=None):
        if said == AppearanceState.OVERDUE and assignment.organisation_id in still_open:
            continue
        changed.append({"id": assignment.pk, "before": _fields(assignment, _COMPLETION)})
        assignment.completed_on = done_on
        assignment.evidence = data_text(gettext_noop(
            "Completed as the latest report on the task says (%(where)s)."), where=where)
        assignment.save()
    return changed


def _check_updates(kept: Task, duplicate: Task) -> None:
    """Both tasks reported on by one agency in the same report: which update is right is
    a person's question, not a merge's."""
    reports = defaultdict(set)
    for task in (kept, duplicate):
        for organisation, role, submission in Update.objects.filter(
                assignment__task=task, submission__isnull=False).values_list(
                "assignment__organisation_id", "assignment__role", "submission_id"):
            reports[(organisation, role, submission)].add(task.pk)
    if any(len(tasks) > 1 for tasks in reports.values()):
        raise MergeRefused(_("An agency reported on both tasks in the same report; decide "
                             "which update is right before merging them."))


def _fold(assignment: Assignment, into: Assignment, reports: bool) -> dict:
    """The duplicate's assignment into the kept task's one for the same agency."""
    record = {"assignment": _fields(assignment), "into": into.pk,
              "into_before": _fields(into, _COMPLETION), "updates": []}
    changed = False
    if assignment.completed_on and not into.completed_on:
        changed = True
    elif reports and assignment.completed_on != into.completed_on and not (
            assignment.completed_on is None and _reported_by_agency(into)):
        changed = True  # the most recent document's word on it wins
    if changed:
        into.completed_on, into.evidence = assignment.completed_on, assignment.evidence
        into.evidence_refs = assignment.evidence_refs
    if assignment.action and not into.action:
        into.action, changed = assignment.action, True
    if changed:
        into.save()
    for update in assignment.updates.all():  # what the agency reported is never dropped
        update.assignment = into
        update.save()
        record["updates"].append(update.pk)
    return record


@transaction.atomic
def undo_merge(merge: TaskMerge, user=None) -> Task:
    """Take a merge apart: the duplicate back, with its id, appearances, agencies and
    updates; the kept task as it was. Returns the task put back."""
    merge = TaskMerge.objects.select_for_update().get(pk=merge.pk)
    if merge.undone:
        raise MergeRefused(_("This merge was already undone."))
    snapshot = merge.snapshot
    if Task.objects.filter(pk=merge.merged_task_id).exists():
        raise MergeRefused(_("Task %(id)s exists again; the merge cannot be undone.")
                           % {"id": merge.merged_task_id})
    with facts.deferred():
        duplicate = Task()
        _restore(duplicate, snapshot["task"])
        duplicate.save(force_insert=True)
        kept = merge.kept
        if snapshot["kept_before"]:
            _restore(kept, snapshot["kept_before"])
            kept.save()
        _move(list(Appearance.objects.filter(pk__in=snapshot["appearances"])), Appearance,
              duplicate)
        _move(list(Assignment.objects.filter(pk__in=snapshot["assignments"])), Assignment,
              duplicate)
        Unplaced.objects.filter(pk__in=snapshot.get("unplaced", [])).update(task=duplicate)
        _move(list(Shortfall.objects.filter(pk__in=snapshot.get("shortfalls", []))), Shortfall,
              duplicate)
        for folded in snapshot["folded"]:
            restored = Assignment()
            _restore(restored, folded["assignment"])
            restored.save(force_insert=True)
            into = Assignment.objects.filter(pk=folded["into"]).first()
            if into is not None:
                _restore(into, folded["into_before"])
                into.save()
            for update in Update.objects.filter(pk__in=folded["updates"]):
                update.assignment = restored
                update.save()
        for match_id, state, task_id, candidate_id in snapshot["matches"]:
            other = TaskMatch.objects.filter(pk=match_id).first()
            if other is not None:
                other.state, other.task_id, other.candidate_id = state, task_id, candidate_id
                if state == MatchState.PROPOSED:
                    other.decided_by = other.decided_at = None
                other.save()
        for completed in snapshot.get("completed", []):
            assignment = Assignment.objects.filter(pk=completed["id"]).first()
            if assignment is not None:
                _restore(assignment, completed["before"])
                assignment.save()
        for fields in snapshot.get("deleted_matches", []):
            restored_match = TaskMatch()
            _restore(restored_match, fields)
            restored_match.save(force_insert=True)
        if merge.match is not None:
            match = merge.match
            match.candidate, match.state = duplicate, MatchState.PROPOSED
            match.decided_by = match.decided_at = None
            match.save()
        merge.undone_by, merge.undone_at = user, timezone.now()
        merge.save()
        facts.task_changed(kept.pk)
        facts.task_changed(duplicate.pk)
        derived.data_changed()
    return duplicate


def confirm_match(match: TaskMatch, user=None) -> Task:
    """A person says the pair is one task: the newly read task is folded into the known
    one (see the module doc)."""
    match = TaskMatch.objects.select_related("task", "candidate").get(pk=match.pk)
    if match.state != MatchState.PROPOSED:
        raise MergeRefused(_("This pair was already decided: %(state)s.")
                           % {"state": match.get_state_display()})
    if match.candidate is None:
        raise MergeRefused(_("The newly read task no longer exists."))
    merge_tasks(match.task, match.candidate, reason=MergeReason.CONFIRMED, user=user,
                match=match)
    return Task.objects.get(pk=match.task_id)


def reject_match(match: TaskMatch, user=None) -> None:
    match.state, match.decided_by, match.decided_at = MatchState.REJECTED, user, timezone.now()
    match.save()


def title_identity(title_key: str) -> str:
    """A folded title without punctuation: "…chính phủ;" and "…chính phủ" are one title."""
    return " ".join(re.findall(r"\w+", title_key))


def certain_pairs(task_ids) -> list[tuple[Task, Task]]:
    """(kept, duplicate) for each of these tasks that is certainly a task read before
    from another document: the same normalised title, the same deadline, and the same lead
    agencies once each is carried forward to who holds it today ("Bộ TT&TT" in a plan of
    12/2024 and "Bộ KH&CN" in a report of 07/2025 are one lead)."""
    tasks = {t.pk: t for t in Task.objects.filter(pk__in=list(task_ids))}
    if not tasks:
        return []
    identities = {title_identity(t.title_key) for t in tasks.values()}
    ids = [pk for pk, key in Task.objects.values_list("pk", "title_key")
           if title_identity(key) in identities]
    same_title = list(Task.objects.filter(pk__in=ids).order_by("pk"))
    graph, today = OrgGraph.load(), timezone.localdate()
    leads = defaultdict(frozenset)
    for task_id, organisation in Assignment.objects.filter(
            task_id__in=ids, role="lead").values_list("task_id", "organisation_id"):
        carried = {o.pk for o in graph.successors(graph.organisations[organisation], today)}
        leads[task_id] = leads[task_id] | (carried or {organisation})
    files = defaultdict(set)
    for task_id, sha in Appearance.objects.filter(task_id__in=ids).values_list(
            "task_id", "source_sha256"):
        files[task_id].add(sha)
    by_identity: dict[tuple, Task] = {}
    pairs = []
    for task in same_title:  # oldest first: a duplicate folds into the first of its kind
        identity = (title_identity(task.title_key), leads[task.pk], task.deadline_kind,
                    task.deadline_due)
        kept = by_identity.get(identity)
        if kept is None or not leads[task.pk] or files[task.pk] & files[kept.pk]:
            by_identity.setdefault(identity, task)
            continue
        if task.pk in tasks:
            pairs.append((kept, task))
    return pairs


def merge_certain(task_ids, user=None) -> list[TaskMerge]:
    """Merge each of these tasks that is certainly a task known before (`certain_pairs`)."""
    return [merge_tasks(kept, duplicate, reason=MergeReason.CERTAIN, user=user)
            for kept, duplicate in certain_pairs(task_ids)]
