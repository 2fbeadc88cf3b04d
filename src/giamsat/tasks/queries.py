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
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from giamsat.lib.text import fold
from giamsat.orgs.history import OrgGraph
from giamsat.tasks.deadlines import RECURRING_KINDS as _RECURRING
from giamsat.tasks.models import Area, Assignment, Role, Task
from giamsat.tasks.status import TaskStatus

RECURRING_KINDS = [kind.value for kind in _RECURRING]
NO_AREA = "chua-phan-linh-vuc"  # the area filter's value for tasks with no area
COMPLETED = (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE,
             TaskStatus.COMPLETED_UNDATED)
# Never due: recurring work, and what has no lead agency or no deadline yet.
APART = (TaskStatus.RECURRING, TaskStatus.UNASSIGNED, TaskStatus.UNDATED,
         TaskStatus.COMPLETED_UNDATED)


def _count(queryset: QuerySet, group: str) -> Coalesce:
    counted = queryset.order_by().values(group).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_status(tasks: QuerySet, as_of: datetime.date) -> QuerySet:
    """`tasks` annotated with `status` (a TaskStatus value) as of `as_of`, and with
    `leads`, `leads_done` (lead assignments, and those complete by `as_of`) and `finished`
    (the day the last lead completed). Status is a formula over the task's own derived
    columns (facts.py), so it costs no subquery; `leads_done` is read only for the rows
    fetched."""
    done = Assignment.objects.filter(task=OuterRef("pk"), role=Role.LEAD,
                                     completed_on__lte=as_of)
    complete = Q(lead_count__gt=0, leads_open=0, last_completed_on__lte=as_of)
    return tasks.annotate(
        leads=F("lead_count"),
        leads_done=_count(done, "task"),
        finished=Case(When(complete, then=F("last_completed_on")), default=None),
        status=_status_case(as_of, complete=complete, finished="last_completed_on",
                            started=Q(first_started_on__lte=as_of), kind="deadline_kind",
                            due="deadline_due", unassigned=Q(lead_count=0)))


def with_assignment_status(assignments: QuerySet, as_of: datetime.date) -> QuerySet:
    """Assignments annotated with `status`: the task rule applied to this agency alone."""
    complete = Q(completed_on__lte=as_of)
    return assignments.annotate(
        status=_status_case(as_of, complete=complete, finished="completed_on",
                            started=complete | Q(first_reported_on__lte=as_of),
                            kind="deadline_kind", due="deadline_due"))


def _status_case(as_of, *, complete: Q, finished: str, started: Q, kind: str,
                 due: str, unassigned: Q | None = None) -> Case:
    first = [When(unassigned, then=Value(TaskStatus.UNASSIGNED.value))] if unassigned else []
    return Case(
        *first,
        When(Q(**{f"{kind}__in": RECURRING_KINDS}), then=Value(TaskStatus.RECURRING.value)),
        When(complete & Q(**{f"{due}__isnull": True}),
             then=Value(TaskStatus.COMPLETED_UNDATED.value)),
        When(Q(**{f"{due}__isnull": True}), then=Value(TaskStatus.UNDATED.value)),
        When(complete & Q(**{f"{due}__isnull": False}) & Q(**{f"{finished}__gt": F(due)}),
             then=Value(TaskStatus.COMPLETED_LATE.value)),
        When(complete, then=Value(TaskStatus.COMPLETED_ON_TIME.value)),
        When(Q(**{f"{due}__isnull": False}) & Q(**{f"{due}__lt": as_of}),
             then=Value(TaskStatus.OVERDUE.value)),
        When(started, then=Value(TaskStatus.IN_PROGRESS.value)),
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
    area: str = ""  # a programme area's code; NO_AREA for the tasks with none
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
    if task_filter.area == NO_AREA:
        tasks = tasks.filter(programme_area=None)
    elif task_filter.area:
        tasks = tasks.filter(programme_area__code=task_filter.area)
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
    from giamsat.orgs.models import Organisation

    key = fold(text)
    # The organisations first (a few thousand rows), then their assignments by index.
    named = list(Organisation.objects.filter(
        Q(name_key__contains=key) | Q(aliases__key__contains=key)
        | Q(short_name__iexact=text.strip())).values_list("pk", flat=True).distinct())
    query = Q(title_key__contains=key)
    if named:
        query |= Q(Exists(Assignment.objects.filter(task=OuterRef("pk"),
                                                    organisation_id__in=named)))
    return query


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

    @property
    def due_today(self) -> int:
        """Due on the as-of day itself and not complete: not yet overdue, so in neither the
        completed nor the overdue count. With them it makes up `due_total`."""
        return self.due_total - self.due_completed - self.due[TaskStatus.OVERDUE]


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
        return (self.counts[TaskStatus.COMPLETED_ON_TIME] + self.counts[TaskStatus.COMPLETED_LATE]
                - self.due_completed)

    @property
    def undated(self) -> int:
        """Without a deadline, done or not: counted apart."""
        return self.counts[TaskStatus.UNDATED] + self.counts[TaskStatus.COMPLETED_UNDATED]

    @property
    def not_yet_due(self) -> int:
        return self.total - self.due_total - sum(self.counts[s] for s in APART)

    def count(self, status: str) -> int:
        return self.counts[TaskStatus(status)]


def _due_by(as_of: datetime.date, on_tasks: bool = True) -> Case:
    """1 for what falls due on or before `as_of` (recurring work never does, nor a task no
    agency leads), else 0: on a task, or on an assignment (which carries its task's
    deadline)."""
    due = Q(deadline_due__lte=as_of) & ~Q(deadline_kind__in=RECURRING_KINDS)
    if on_tasks:
        due &= Q(lead_count__gt=0)
    return Case(When(due, then=Value(1)), default=Value(0), output_field=IntegerField())


def _status_counts(tasks: QuerySet, as_of: datetime.date, *by: str):
    """Rows of `by`…, status, due_by and n: one grouped query gives all and due counts."""
    return (with_status(tasks, as_of).order_by().annotate(due_by=_due_by(as_of))
            .values(*by, "status", "due_by").annotate(n=Count("pk")))


def status_summary(tasks: QuerySet, as_of: datetime.date) -> StatusSummary:
    counts, due = Counter(), Counter()
    for row in _status_counts(tasks, as_of):
        counts[TaskStatus(row["status"])] += row["n"]
        if row["due_by"]:
            due[TaskStatus(row["status"])] += row["n"]
    return StatusSummary(counts, due)


def summary_by_area(tasks: QuerySet, as_of: datetime.date) -> list[tuple[Area | None,
                                                                          StatusSummary]]:
    """(area, summary) for every area of the catalogue, in its order, then (None, …) for
    the tasks with no area when there are any: each task in exactly one row, so the rows
    add up to the total."""
    counts: dict[int | None, Counter] = defaultdict(Counter)
    due: dict[int | None, Counter] = defaultdict(Counter)
    for row in _status_counts(tasks, as_of, "programme_area_id"):
        key = row["programme_area_id"]
        counts[key][TaskStatus(row["status"])] += row["n"]
        if row["due_by"]:
            due[key][TaskStatus(row["status"])] += row["n"]
    rows = [(area, StatusSummary(counts[area.pk], due[area.pk])) for area in Area.objects.all()]
    if counts.get(None):
        rows.append((None, StatusSummary(counts[None], due[None])))
    return rows


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
    holders: dict[int, list] = {}  # organisation id → who its assignments count for
    grouped = (annotated.annotate(due_by=_due_by(as_of, on_tasks=False))
               .values("organisation_id", "status", "due_by").annotate(n=Count("pk")))
    for item in grouped:
        org = graph.organisations[item["organisation_id"]]
        if org.valid_from is not None and org.valid_from > as_of:
            continue  # named by a later document; it did not exist yet on `as_of`
        if org.pk not in holders:
            holders[org.pk] = (graph.successors(org, as_of) if rollup else None) or [org]
        for current in holders[org.pk]:
            row = rows.setdefault(current.pk, AgencyRow(current, Counter(), Counter()))
            status = TaskStatus(item["status"])
            row.counts[status] += item["n"]
            if item["due_by"]:
                row.due[status] += item["n"]
            if current.pk != org.pk:
                row.carried.add(org)
    return sorted(rows.values(), key=lambda r: (r.organisation.sort_order,
                                                 r.organisation.name_key))


def agencies_overview(as_of: datetime.date) -> list[AgencyRow]:
    """The agencies the dashboard and the reports list: all but communes (thousands of
    them; each is on its province's scorecard), those with something due."""
    from giamsat.orgs.models import OrgKind

    graph = OrgGraph.load()
    # By id, not by a join on the organisation's kind: with the join the planner
    # expects a few rows and loops over 100,000 (half the time at national scale).
    ids = [pk for pk, org in graph.organisations.items() if org.kind != OrgKind.COMMUNE]
    return [row for row in summary_by_agency(
        as_of, assignments=Assignment.objects.filter(organisation_id__in=ids), graph=graph)
        if row.due_total]


def most_overdue(tasks: QuerySet, as_of: datetime.date, limit: int = 10) -> QuerySet:
    """Overdue tasks, the longest overdue first."""
    return (with_status(tasks, as_of).filter(status=TaskStatus.OVERDUE)
            .order_by("deadline_due", "pk")[:limit])
