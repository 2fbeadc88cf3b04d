"""Task and assignment status computed in the database, for lists, counts and rankings.

status.py states the rule in plain Python (task_status); this module writes the same rule
as SQL so that a page can filter 20,000 tasks by status, count them by area or agency and
sort the most overdue without loading them. tests/tasks/test_queries.py checks that both
give the same status for every task, so pages and reports cannot disagree.
"""

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from giamsat.ingest.text import fold
from giamsat.orgs.history import OrgGraph
from giamsat.tasks.deadlines import RECURRING_KINDS as _RECURRING
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update
from giamsat.tasks.status import TaskStatus

RECURRING_KINDS = [kind.value for kind in _RECURRING]
COMPLETED = (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE)


def _count(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_status(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """`tasks` annotated with `status` (a TaskStatus value) as of `as_of`, and with
    `leads`, `leads_done` (lead assignments, and those complete by `as_of`) and `finished`
    (the day the last lead completed)."""
    leads = Assignment.objects.filter(task=OuterRef("pk"), role=Role.LEAD)
    done = leads.filter(completed_on__lte=as_of)
    last_done = done.order_by().values("task").annotate(last=Max("completed_on")).values("last")
    approved = Update.objects.filter(
        assignment__task=OuterRef("pk"), assignment__role=Role.LEAD,
        review_state=ReviewState.APPROVED, period__lte=as_of,
    )
    return tasks.annotate(
        leads=_count(leads, "task"),
        leads_done=_count(done, "task"),
        finished=Subquery(last_done),
        started=Exists(approved),
    ).annotate(status=_status_case(as_of, total="leads", done="leads_done",
                                   finished="finished", started="started",
                                   kind="deadline_kind", due="deadline_due"))


def with_assignment_status(assignments: QuerySet, as_of: datetime.date) -> QuerySet:
    """Assignments annotated with `status`: the task rule applied to this agency alone."""
    approved = Update.objects.filter(assignment=OuterRef("pk"),
                                     review_state=ReviewState.APPROVED, period__lte=as_of)
    return assignments.annotate(
        is_done=Case(When(completed_on__lte=as_of, then=Value(1)), default=Value(0),
                     output_field=IntegerField()),
        done_on=Case(When(completed_on__lte=as_of, then=F("completed_on")), default=None),
        started=Exists(approved),
    ).annotate(status=_status_case(as_of, total=Value(1), done="is_done", finished="done_on",
                                   started="started", kind="task__deadline_kind",
                                   due="task__deadline_due"))


def _status_case(as_of, *, total, done, finished, started, kind, due) -> Case:
    total = F(total) if isinstance(total, str) else total
    complete = Q(**{f"{done}__gt": 0}) & Q(**{done: total})
    return Case(
        When(Q(**{f"{kind}__in": RECURRING_KINDS}), then=Value(TaskStatus.RECURRING.value)),
        When(complete & Q(**{f"{due}__isnull": False}) & Q(**{f"{finished}__gt": F(due)}),
             then=Value(TaskStatus.COMPLETED_LATE.value)),
        When(complete, then=Value(TaskStatus.COMPLETED_ON_TIME.value)),
        When(Q(**{f"{due}__isnull": False}) & Q(**{f"{due}__lt": as_of}),
             then=Value(TaskStatus.OVERDUE.value)),
        When(Q(**{f"{done}__gt": 0}) | Q(**{started: True}),
             then=Value(TaskStatus.IN_PROGRESS.value)),
        default=Value(TaskStatus.NOT_STARTED.value),
        output_field=CharField(),
    )


# Filters -------------------------------------------------------------------------------

@dataclass
class TaskFilter:
    """What the task list can be narrowed by; every field optional."""

    organisation_ids: list[int] = field(default_factory=list)  # assigned to any of these
    role: str = ""  # "lead" or "coordinate"; empty: either
    directive_id: int | None = None
    area: str = ""
    statuses: list[str] = field(default_factory=list)
    due_from: datetime.date | None = None
    due_to: datetime.date | None = None
    text: str = ""  # searched without diacritics in titles and agency names


def filter_tasks(task_filter: TaskFilter, as_of: datetime.date,
                 tasks: QuerySet | None = None) -> QuerySet:
    tasks = Task.objects.all() if tasks is None else tasks
    if task_filter.organisation_ids:
        assigned = Assignment.objects.filter(task=OuterRef("pk"),
                                             organisation_id__in=task_filter.organisation_ids)
        if task_filter.role:
            assigned = assigned.filter(role=task_filter.role)
        tasks = tasks.filter(Exists(assigned))
    if task_filter.directive_id:
        tasks = tasks.filter(directive_id=task_filter.directive_id)
    if task_filter.area:
        tasks = tasks.filter(area=task_filter.area)
    if task_filter.due_from:
        tasks = tasks.filter(deadline_due__gte=task_filter.due_from)
    if task_filter.due_to:
        tasks = tasks.filter(deadline_due__lte=task_filter.due_to)
    if task_filter.text.strip():
        tasks = tasks.filter(_text_query(task_filter.text))
    tasks = with_status(tasks, as_of)
    if task_filter.statuses:
        tasks = tasks.filter(status__in=task_filter.statuses)
    return tasks


def _text_query(text: str) -> Q:
    """The folded phrase in the title, or in the name, an alias or the short name of an
    assigned agency: "bo cong an" finds the tasks of Bộ Công an."""
    key = fold(text)
    agencies = Assignment.objects.filter(task=OuterRef("pk")).filter(
        Q(organisation__name_key__contains=key) | Q(organisation__aliases__key__contains=key)
        | Q(organisation__short_name__iexact=text.strip())
    )
    return Q(title_key__contains=key) | Q(Exists(agencies))


# Summaries -----------------------------------------------------------------------------

class _Counted:
    """Counts by status (`counts`) and of those due by the as-of date (`due`)."""

    counts: Counter
    due: Counter

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def due_total(self) -> int:
        return sum(self.due.values())

    @property
    def due_completed(self) -> int:
        return sum(self.due[s] for s in COMPLETED)


@dataclass
class StatusSummary(_Counted):
    """How many tasks are in each status, and the share of those due that are complete."""

    counts: Counter
    due: Counter  # tasks due on or before the as-of date, by status

    @property
    def completed(self) -> int:
        return sum(self.counts[s] for s in COMPLETED)

    @property
    def completed_early(self) -> int:
        """Complete although not yet due."""
        return self.completed - self.due_completed

    @property
    def not_yet_due(self) -> int:
        return self.total - self.due_total - self.counts[TaskStatus.RECURRING]

    def count(self, status: str) -> int:
        return self.counts[TaskStatus(status)]


def status_summary(tasks: QuerySet, as_of: datetime.date) -> StatusSummary:
    annotated = with_status(tasks, as_of).order_by()
    counts = Counter({TaskStatus(row["status"]): row["n"] for row in
                      annotated.values("status").annotate(n=Count("pk"))})
    due = Counter({TaskStatus(row["status"]): row["n"] for row in
                   annotated.filter(deadline_due__lte=as_of).exclude(
                       deadline_kind__in=RECURRING_KINDS)
                   .values("status").annotate(n=Count("pk"))})
    return StatusSummary(counts, due)


def summary_by_area(tasks: QuerySet, as_of: datetime.date) -> list[tuple[str, StatusSummary]]:
    """(area, summary) for each area, largest first; tasks without an area under ""."""
    annotated = with_status(tasks, as_of).order_by()
    counts: dict[str, Counter] = defaultdict(Counter)
    due: dict[str, Counter] = defaultdict(Counter)
    for row in annotated.values("area", "status").annotate(n=Count("pk")):
        counts[row["area"]][TaskStatus(row["status"])] += row["n"]
    for row in (annotated.filter(deadline_due__lte=as_of)
                .exclude(deadline_kind__in=RECURRING_KINDS)
                .values("area", "status").annotate(n=Count("pk"))):
        due[row["area"]][TaskStatus(row["status"])] += row["n"]
    summaries = [(area, StatusSummary(counts[area], due[area])) for area in counts]
    return sorted(summaries, key=lambda item: (-item[1].total, item[0]))


@dataclass
class AgencyRow(_Counted):
    organisation: object
    counts: Counter  # assignment status → count
    due: Counter  # the same, for assignments due by the as-of date
    # Former organisations whose assignments this row includes.
    carried: set = field(default_factory=set)

    @property
    def overdue(self) -> int:
        return self.counts[TaskStatus.OVERDUE]

    @property
    def completion(self):
        """Share of the assignments due by the as-of date that are complete."""
        return self.due_completed / self.due_total if self.due_total else None


def summary_by_agency(as_of: datetime.date, role: str = Role.LEAD,
                      assignments: QuerySet | None = None,
                      graph: OrgGraph | None = None, rollup: bool = True) -> list[AgencyRow]:
    """Assignment status per organisation valid on `as_of`; a former organisation's
    assignments count for the organisations that carry it forward (unless not `rollup`:
    then every organisation has its own row)."""
    assignments = Assignment.objects.all() if assignments is None else assignments
    annotated = with_assignment_status(assignments.filter(role=role), as_of).order_by()
    graph = graph or OrgGraph.load()
    rows: dict[int, AgencyRow] = {}
    due_by = Case(
        When(Q(task__deadline_due__lte=as_of) & ~Q(task__deadline_kind__in=RECURRING_KINDS),
             then=Value(1)),
        default=Value(0), output_field=IntegerField())
    grouped = (annotated.annotate(due_by=due_by)
               .values("organisation_id", "status", "due_by").annotate(n=Count("pk")))
    for item in grouped:
        org = graph.organisations[item["organisation_id"]]
        if org.valid_from is not None and org.valid_from > as_of:
            continue  # named by a later document; it did not exist yet on `as_of`
        for current in ((graph.successors(org, as_of) if rollup else None) or [org]):
            row = rows.setdefault(current.pk, AgencyRow(current, Counter(), Counter()))
            status = TaskStatus(item["status"])
            row.counts[status] += item["n"]
            if item["due_by"]:
                row.due[status] += item["n"]
            if current.pk != org.pk:
                row.carried.add(org)
    return sorted(rows.values(), key=lambda r: (r.organisation.sort_order,
                                                 r.organisation.name_key))


def most_overdue(tasks: QuerySet, as_of: datetime.date, limit: int = 10) -> QuerySet:
    """Overdue tasks, the longest overdue first."""
    return (with_status(tasks, as_of).filter(status=TaskStatus.OVERDUE)
            .order_by("deadline_due", "pk")[:limit])
