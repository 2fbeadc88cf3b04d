"""Facts derived from assignments and approved updates, kept on the rows they describe.

Task.lead_count, leads_open, last_completed_on and first_started_on, and
Assignment.first_reported_on, let status as of any day be a formula over a task's own
columns (queries.py) instead of subqueries over its assignments and updates. They change
whenever an assignment or an update is saved or deleted (signals below); an import or a
generator that writes thousands of rows defers the refresh to its end (`deferred()`).
Assignment.deadline_kind and deadline_due are the task's, copied with the task's facts
whenever the task or one of its assignments is saved. They are written with
queryset.update(): derived, not history.
"""

import contextlib
import threading

from django.db import connection
from django.db.models import Min, Q
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

_state = threading.local()


def _pending() -> set | None:
    return getattr(_state, "tasks", None)


@contextlib.contextmanager
def deferred():
    """Collect the tasks to refresh and refresh each once, when the block ends."""
    if _pending() is not None:
        yield  # already deferring: the outer block refreshes
        return
    _state.tasks = set()
    try:
        yield
        tasks = _state.tasks
    finally:
        _state.tasks = None
    refresh_tasks(tasks)


def task_changed(task_id: int) -> None:
    pending = _pending()
    if pending is not None:
        pending.add(task_id)
    else:
        refresh_tasks([task_id])


def refresh_assignments(assignment_ids) -> None:
    from giamsat.tasks.models import Assignment, ReviewState, monthly_updates

    ids = list(assignment_ids)
    # Months only: a quarterly report's update keeps its quarter's first day, which is no
    # day work began on.
    first = dict(Assignment.objects.filter(pk__in=ids).annotate(
        first=Min("updates__period", filter=Q(updates__review_state=ReviewState.APPROVED)
                  & monthly_updates("updates__")))
        .values_list("pk", "first"))
    for pk in ids:
        Assignment.objects.filter(pk=pk).update(first_reported_on=first.get(pk))


def refresh_tasks(task_ids) -> None:
    """The facts of these tasks, and their deadline copied onto their assignments: a few
    set-based statements per 500 tasks, in id order (one lock order for every writer)."""
    ids = sorted(set(task_ids))
    for start in range(0, len(ids), 500):
        _refresh(ids[start:start + 500])


def refresh_all() -> None:
    """Every task and assignment at once (migrations, generators): one grouped pass per
    table joined with UPDATE … FROM, not a subquery per row (at 200,000 assignments that
    is seconds instead of minutes)."""
    from giamsat.reporting.models import MONTHLY

    with connection.cursor() as cursor:
        cursor.execute("UPDATE tasks_assignment SET first_reported_on = NULL")
        cursor.execute("""
            UPDATE tasks_assignment SET first_reported_on = firsts.first
            FROM (SELECT u.assignment_id, MIN(u.period) AS first FROM tasks_update u
                  LEFT JOIN reporting_submission s ON s.id = u.submission_id
                  LEFT JOIN reporting_regime r ON r.id = s.regime_id
                  WHERE u.review_state = 'approved'
                    AND (u.submission_id IS NULL OR r.code = %s)
                  GROUP BY u.assignment_id) AS firsts
            WHERE firsts.assignment_id = tasks_assignment.id""", [MONTHLY])
    _refresh(None)


def _refresh(ids: list[int] | None) -> None:
    """Task facts and deadline copies for the tasks with these ids (None: all of them)."""
    where_task = where_assignment = where_lead = ""
    params: list[int] = []
    if ids is not None:
        marks = ", ".join(["%s"] * len(ids))
        where_task = f" AND tasks_task.id IN ({marks})"
        where_assignment = f" WHERE tasks_task.id IN ({marks})"
        where_lead = f" AND task_id IN ({marks})"
        params = list(ids)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            UPDATE tasks_assignment SET deadline_kind = tasks_task.deadline_kind,
                                        deadline_due = tasks_task.deadline_due
            FROM tasks_task WHERE tasks_task.id = tasks_assignment.task_id{where_task}""",
                       params)
        cursor.execute("UPDATE tasks_task SET lead_count = 0, leads_open = 0, "
                       "last_completed_on = NULL, first_started_on = NULL"
                       + where_assignment.replace("tasks_task.id", "id"), params)
        cursor.execute(f"""
            UPDATE tasks_task SET
              lead_count = leads.n,
              leads_open = leads.still_open,
              last_completed_on = CASE WHEN leads.still_open = 0 THEN leads.last END,
              first_started_on = CASE
                WHEN leads.done_first IS NULL THEN leads.reported_first
                WHEN leads.reported_first IS NULL OR leads.done_first < leads.reported_first
                  THEN leads.done_first
                ELSE leads.reported_first END
            FROM (SELECT task_id, COUNT(*) AS n,
                         SUM(CASE WHEN completed_on IS NULL THEN 1 ELSE 0 END) AS still_open,
                         MAX(completed_on) AS last, MIN(completed_on) AS done_first,
                         MIN(first_reported_on) AS reported_first
                  FROM tasks_assignment WHERE role = 'lead'{where_lead}
                  GROUP BY task_id) AS leads
            WHERE leads.task_id = tasks_task.id""", params)


@receiver(post_save, sender="tasks.Task")
def _task_saved(sender, instance, created, **kwargs):
    if not created:  # a new task has no assignments yet
        task_changed(instance.pk)  # its deadline may have moved: the copies follow


@receiver(post_save, sender="tasks.Assignment")
@receiver(post_delete, sender="tasks.Assignment")
def _assignment_changed(sender, instance, **kwargs):
    task_changed(instance.task_id)


@receiver(post_save, sender="tasks.Update")
@receiver(post_delete, sender="tasks.Update")
def _update_changed(sender, instance, **kwargs):
    from giamsat.tasks.models import Assignment, ReviewState

    if instance.review_state != ReviewState.APPROVED:
        return  # only approved updates say work has begun: drafts change no fact
    if kwargs.get("signal") is post_delete and not Assignment.objects.filter(
            pk=instance.assignment_id).exists():
        return  # the assignment is going too
    refresh_assignments([instance.assignment_id])
    task_changed(instance.assignment.task_id)
