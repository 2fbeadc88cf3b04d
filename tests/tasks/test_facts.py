"""The derived columns (facts.py) follow every change they are derived from."""

import datetime

from django.db.models import F, Q

from giamsat.tasks.facts import refresh_all
from giamsat.tasks.models import Assignment, Role, Task
from giamsat.tasks.queries import with_assignment_status

D = datetime.date


def _status(assignment, as_of):
    return with_assignment_status(Assignment.objects.filter(pk=assignment.pk),
                                  as_of).get().status


def test_an_assignment_carries_its_tasks_deadline_through_every_change(db, org):
    task = Task(title="Kết nối cơ sở dữ liệu")
    task.set_deadline("Tháng 3/2025")
    task.save()
    lead = Assignment.objects.create(task=task, organisation=org("Bộ Công an"), role=Role.LEAD)
    lead.refresh_from_db()
    assert (lead.deadline_kind, lead.deadline_due) == ("month", D(2025, 3, 31))
    assert _status(lead, D(2025, 6, 1)) == "overdue"

    task.set_deadline("Quý III/2025")  # moved later: no longer overdue in June
    task.save()
    lead.refresh_from_db()
    assert lead.deadline_due == D(2025, 9, 30)
    assert _status(lead, D(2025, 6, 1)) == "not_started"

    task.set_deadline("Thường xuyên")
    task.save()
    assert _status(lead, D(2025, 6, 1)) == "recurring"

    # Moved to another task, it takes that task's deadline.
    other = Task(title="Việc khác")
    other.set_deadline("Tháng 1/2025")
    other.save()
    lead.task = other
    lead.save()
    assert _status(lead, D(2025, 6, 1)) == "overdue"


def test_refresh_all_writes_what_the_signals_wrote(db, org):
    for number, deadline in enumerate(["Tháng 3/2025", "Quý I/2025", "Thường xuyên", ""]):
        task = Task(title=f"Việc {number}")
        task.set_deadline(deadline)
        task.save()
        Assignment.objects.create(task=task, organisation=org("Bộ Công an"), role=Role.LEAD,
                                  completed_on=D(2025, 2, 1) if number == 1 else None)
        Assignment.objects.create(task=task, organisation=org("Bộ Tài chính"),
                                  role=Role.COORDINATE)
    fields = ["deadline_kind", "deadline_due", "first_reported_on"]
    task_fields = ["lead_count", "leads_open", "last_completed_on", "first_started_on"]
    before = (list(Assignment.objects.order_by("pk").values_list(*fields)),
              list(Task.objects.order_by("pk").values_list(*task_fields)))
    Assignment.objects.update(deadline_kind="none", deadline_due=None)
    Task.objects.update(lead_count=0, leads_open=0)
    refresh_all()
    after = (list(Assignment.objects.order_by("pk").values_list(*fields)),
             list(Task.objects.order_by("pk").values_list(*task_fields)))
    assert after == before
    assert not Assignment.objects.exclude(
        Q(deadline_kind=F("task__deadline_kind"))
        & (Q(deadline_due=F("task__deadline_due"))
           | Q(deadline_due__isnull=True, task__deadline_due__isnull=True))).exists()
