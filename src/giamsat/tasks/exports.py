"""Tasks, assignments and updates as flat rows for CSV/JSON/XLSX export (field names are
public). Status comes from the same SQL rule as the pages (queries.py)."""

import datetime
from collections import defaultdict

from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update
from giamsat.tasks.queries import with_assignment_status, with_status

TASK_FIELDS = [
    "id", "title", "directive", "area", "area_as_written", "lead", "coordinating",
    "deadline_raw", "deadline_kind", "due_date", "status", "progress", "source",
]
ASSIGNMENT_FIELDS = [
    "id", "task_id", "organisation", "organisation_id", "named_as", "role", "completed_on",
    "evidence", "status",
]
UPDATE_FIELDS = [
    "id", "task_id", "assignment_id", "organisation_id", "period", "status", "completed_on",
    "result", "evidence", "difficulties", "proposals",
]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def task_rows(as_of: datetime.date, tasks=None) -> list[dict]:
    tasks = Task.objects.all() if tasks is None else tasks
    tasks = list(with_status(tasks, as_of).select_related("directive", "programme_area")
                 .order_by("id"))
    names = defaultdict(lambda: defaultdict(list))  # task id → role → organisation names
    for task_id, role, name in Assignment.objects.filter(task__in=[t.pk for t in tasks]).order_by(
        "task_id", "organisation__name"
    ).values_list("task_id", "role", "organisation__name"):
        names[task_id][role].append(name)
    return [
        {
            "id": task.pk,
            "title": task.title,
            "directive": str(task.directive) if task.directive else "",
            "area": task.programme_area.name if task.programme_area else "",
            "area_as_written": task.area,
            "lead": "; ".join(names[task.pk][Role.LEAD]),
            "coordinating": "; ".join(names[task.pk][Role.COORDINATE]),
            "deadline_raw": task.deadline_text,
            "deadline_kind": task.deadline_kind,
            "due_date": _iso(task.deadline_due),
            "status": task.status,
            "progress": round(task.leads_done / task.leads, 4) if task.leads else None,
            "source": task.source,
        }
        for task in tasks
    ]


def assignment_rows(as_of: datetime.date, assignments=None) -> list[dict]:
    assignments = Assignment.objects.all() if assignments is None else assignments
    return [
        {
            "id": a.pk,
            "task_id": a.task_id,
            "organisation": a.organisation.name,
            "organisation_id": a.organisation.slug,
            "named_as": a.named_as,
            "role": a.role,
            "completed_on": _iso(a.completed_on),
            "evidence": a.evidence,
            "status": a.status,
        }
        for a in with_assignment_status(assignments, as_of).select_related("organisation")
        .order_by("task_id", "id")
    ]


def update_rows(as_of: datetime.date) -> list[dict]:
    """Approved updates only: what agencies reported and the standing office accepted."""
    return [
        {"id": u.pk, "task_id": u.assignment.task_id, "assignment_id": u.assignment_id,
         "organisation_id": u.assignment.organisation.slug, "period": _period_key(u),
         "status": u.status, "completed_on": _iso(u.completed_on), "result": u.result,
         "evidence": u.evidence, "difficulties": u.difficulties, "proposals": u.proposals}
        for u in Update.objects.filter(review_state=ReviewState.APPROVED, period__lte=as_of)
        .select_related("assignment__organisation", "submission__regime")
        .order_by("period", "id")
    ]


def _period_key(update) -> str:
    """The update's period as its regime writes it (2025-10, 2025-Q2, 2025-H1, 2025): a
    quarterly report's update is not one of its quarter's first month's."""
    if update.submission is None:
        return update.period.strftime("%Y-%m")
    from giamsat.reporting import rules

    return rules.key(update.submission.regime, update.period)
