"""Tasks and assignments as flat rows for CSV/JSON export (field names are public)."""

import datetime
from collections import defaultdict

from giamsat.tasks.models import Assignment, Role, Task
from giamsat.tasks.status import lead_states_bulk, statuses, task_status

TASK_FIELDS = [
    "id", "title", "directive", "area", "lead", "coordinating", "deadline_raw",
    "deadline_kind", "due_date", "status", "progress", "source",
]
ASSIGNMENT_FIELDS = [
    "id", "task_id", "organisation", "organisation_id", "named_as", "role", "completed_on",
    "evidence", "status",
]


def _iso(day) -> str | None:
    return day.isoformat() if day else None


def task_rows(as_of: datetime.date) -> list[dict]:
    tasks = list(Task.objects.select_related("directive").order_by("id"))
    status = statuses(tasks, as_of)
    names = defaultdict(lambda: defaultdict(list))  # task id → role → organisation names
    done = defaultdict(lambda: [0, 0])  # task id → [lead assignments complete, all]
    for task_id, role, name, completed_on in Assignment.objects.order_by(
        "task_id", "organisation__name"
    ).values_list("task_id", "role", "organisation__name", "completed_on"):
        names[task_id][role].append(name)
        if role == Role.LEAD:
            done[task_id][0] += completed_on is not None and completed_on <= as_of
            done[task_id][1] += 1
    return [
        {
            "id": task.pk,
            "title": task.title,
            "directive": str(task.directive) if task.directive else "",
            "area": task.area,
            "lead": "; ".join(names[task.pk][Role.LEAD]),
            "coordinating": "; ".join(names[task.pk][Role.COORDINATE]),
            "deadline_raw": task.deadline_text,
            "deadline_kind": task.deadline_kind,
            "due_date": _iso(task.deadline_due),
            "status": str(status[task.pk]),
            "progress": round(done[task.pk][0] / done[task.pk][1], 4) if done[task.pk][1]
            else None,
            "source": task.source,
        }
        for task in tasks
    ]


def assignment_rows(as_of: datetime.date) -> list[dict]:
    assignments = Assignment.objects.select_related("task", "organisation").order_by("task_id",
                                                                                       "id")
    states = lead_states_bulk(Task.objects.values("pk"), as_of, role=None)
    rows = []
    for a in assignments:
        _task_id, state = states[a.pk]
        rows.append({
            "id": a.pk,
            "task_id": a.task_id,
            "organisation": a.organisation.name,
            "organisation_id": a.organisation.slug,
            "named_as": a.named_as,
            "role": a.role,
            "completed_on": _iso(a.completed_on),
            "evidence": a.evidence,
            "status": str(task_status(a.task.deadline, [state], as_of)),
        })
    return rows
