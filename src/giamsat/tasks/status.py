"""Task status and progress as of a date: derived, never typed by hand.

A task is complete when every lead assignment is complete; it was completed on the day
the last lead completed, on time if that day is not after the due date. Coordinating
agencies support the leads and do not hold the task open.
"""

import datetime
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from django.utils.translation import gettext_lazy as _

from giamsat.tasks.deadlines import Deadline


class TaskStatus(StrEnum):
    COMPLETED_ON_TIME = "completed_on_time"
    COMPLETED_LATE = "completed_late"
    IN_PROGRESS = "in_progress"
    OVERDUE = "overdue"
    RECURRING = "recurring"
    NOT_STARTED = "not_started"
    # Counted apart, never as on time or not started: nobody to do it, or no day to do
    # it by (an empty or unreadable deadline).
    UNASSIGNED = "unassigned"
    UNDATED = "undated"
    COMPLETED_UNDATED = "completed_undated"  # done, but on time or late cannot be said

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]

    @property
    def is_completed(self) -> bool:
        return self in (TaskStatus.COMPLETED_ON_TIME, TaskStatus.COMPLETED_LATE,
                        TaskStatus.COMPLETED_UNDATED)


STATUS_LABELS = {
    TaskStatus.COMPLETED_ON_TIME: _("Completed on time"),
    TaskStatus.COMPLETED_LATE: _("Completed late"),
    TaskStatus.IN_PROGRESS: _("In progress"),
    TaskStatus.OVERDUE: _("Overdue"),
    TaskStatus.RECURRING: _("Recurring"),
    TaskStatus.NOT_STARTED: _("Not started"),
    TaskStatus.UNASSIGNED: _("No lead agency yet"),
    TaskStatus.UNDATED: _("No deadline set"),
    TaskStatus.COMPLETED_UNDATED: _("Completed, no deadline set"),
}


@dataclass(frozen=True)
class LeadState:
    """What is known of one lead assignment: when it completed, whether work has begun."""

    completed_on: datetime.date | None = None
    started_on: datetime.date | None = None

    def completed_by(self, as_of: datetime.date) -> bool:
        return self.completed_on is not None and self.completed_on <= as_of

    def started_by(self, as_of: datetime.date) -> bool:
        return self.completed_by(as_of) or (
            self.started_on is not None and self.started_on <= as_of
        )


def task_status(
    deadline: Deadline, leads: list[LeadState], as_of: datetime.date
) -> TaskStatus:
    if not leads:
        return TaskStatus.UNASSIGNED
    if deadline.is_recurring:
        return TaskStatus.RECURRING
    complete = all(lead.completed_by(as_of) for lead in leads)
    if deadline.due is None:
        return TaskStatus.COMPLETED_UNDATED if complete else TaskStatus.UNDATED
    if complete:
        finished = max(lead.completed_on for lead in leads)
        if deadline.due is not None and finished > deadline.due:
            return TaskStatus.COMPLETED_LATE
        return TaskStatus.COMPLETED_ON_TIME
    if deadline.due is not None and as_of > deadline.due:
        return TaskStatus.OVERDUE
    if any(lead.started_by(as_of) for lead in leads):
        return TaskStatus.IN_PROGRESS
    return TaskStatus.NOT_STARTED


def progress(leads: list[LeadState], as_of: datetime.date) -> Fraction | None:
    """Share of lead assignments complete on `as_of`; None for a task without a lead."""
    if not leads:
        return None
    return Fraction(sum(lead.completed_by(as_of) for lead in leads), len(leads))


def open_leads(leads: dict, as_of: datetime.date) -> list:
    """The keys of `leads` (organisation → LeadState) not complete on `as_of`.

    This is the "Đơn vị chưa hoàn thành" column of the overdue-task appendix.
    """
    return [org for org, lead in leads.items() if not lead.completed_by(as_of)]


def lead_states(task, as_of: datetime.date) -> dict:
    """Organisation → LeadState for the task's lead assignments, read from the database.

    Work has begun on the first approved update that reports it, in that update's period
    (a monthly report's, or one with no report: tasks.models.monthly_updates).
    """
    from django.db.models import Prefetch

    from giamsat.tasks.models import ReviewState, Role, Update, monthly_updates

    states = {}
    assignments = task.assignments.filter(role=Role.LEAD).select_related("organisation")
    for assignment in assignments.prefetch_related(
            Prefetch("updates", queryset=Update.objects.filter(monthly_updates()))):
        approved = [u.period for u in assignment.updates.all()
                    if u.review_state == ReviewState.APPROVED and u.period <= as_of]
        states[assignment.organisation] = LeadState(
            completed_on=assignment.completed_on, started_on=min(approved, default=None)
        )
    return states


def status_of(task, as_of: datetime.date) -> TaskStatus:
    return task_status(task.deadline, list(lead_states(task, as_of).values()), as_of)


def lead_states_bulk(task_ids, as_of: datetime.date, role: str | None = "lead") -> dict:
    """Assignment id → (task id, LeadState) for many tasks in two queries (exports, pages).

    Same rule as lead_states: work began with the first approved update reporting it.
    """
    from giamsat.tasks.models import Assignment, ReviewState, Update, monthly_updates

    assignments = Assignment.objects.filter(task_id__in=task_ids)
    if role:
        assignments = assignments.filter(role=role)
    started = {}
    for assignment_id, period in (
        Update.objects.filter(monthly_updates(), assignment__in=assignments,
                              review_state=ReviewState.APPROVED, period__lte=as_of)
        .values_list("assignment_id", "period")
    ):
        started[assignment_id] = min(period, started.get(assignment_id, period))
    return {
        pk: (task_id, LeadState(completed_on=completed_on, started_on=started.get(pk)))
        for pk, task_id, completed_on in assignments.values_list("pk", "task_id", "completed_on")
    }


def statuses(tasks, as_of: datetime.date) -> dict[int, TaskStatus]:
    """Task id → status for many tasks at once; the same rule as status_of."""
    leads: dict[int, list[LeadState]] = {task.pk: [] for task in tasks}
    for task_id, state in lead_states_bulk(list(leads), as_of).values():
        leads[task_id].append(state)
    return {task.pk: task_status(task.deadline, leads[task.pk], as_of) for task in tasks}
