"""Status from the database: assignments, approved updates, the audit trail."""

import datetime

import pytest

from giamsat.orgs.resolve import Resolver
from giamsat.tasks.models import Assignment, ReportedStatus, ReviewState, Role, Task, Update
from giamsat.tasks.status import TaskStatus, lead_states, status_of

D = datetime.date


@pytest.fixture
def task(db):
    task = Task(title="Tắt sóng 2G", area="Hạ tầng số")
    task.set_deadline("Quý III/2025")
    task.save()
    resolver = Resolver()
    for name in ("Bộ Khoa học và Công nghệ", "Bộ Công an"):
        Assignment.objects.create(task=task, role=Role.LEAD, named_as=name,
                                  organisation=resolver.resolve(name, D(2025, 8, 1)).organisation)
    Assignment.objects.create(task=task, role=Role.COORDINATE, named_as="Bộ Y tế",
                              organisation=resolver.resolve("Bộ Y tế", D(2025, 8, 1)).organisation)
    return task


def test_deadline_is_stored_as_written_and_understood(task):
    task.refresh_from_db()
    assert task.deadline_text == "Quý III/2025"
    assert task.deadline_due == D(2025, 9, 30)
    assert task.title_key == "tat song 2g"


def test_status_follows_approved_updates_and_lead_completion(task):
    most, police = task.assignments.filter(role=Role.LEAD).order_by("organisation__name")
    assert status_of(task, D(2025, 8, 1)) == TaskStatus.NOT_STARTED
    draft = Update.objects.create(assignment=most, period=D(2025, 7, 1),
                                  status=ReportedStatus.IN_PROGRESS)
    assert status_of(task, D(2025, 8, 1)) == TaskStatus.NOT_STARTED  # a draft proves nothing
    draft.review_state = ReviewState.APPROVED
    draft.save()
    assert status_of(task, D(2025, 8, 1)) == TaskStatus.IN_PROGRESS
    most.completed_on = D(2025, 9, 1)
    most.save()
    assert status_of(task, D(2025, 10, 1)) == TaskStatus.OVERDUE  # Bộ Công an still open
    police.completed_on = D(2025, 10, 5)
    police.save()
    assert status_of(task, D(2025, 10, 6)) == TaskStatus.COMPLETED_LATE
    coordinating = task.assignments.get(role=Role.COORDINATE).organisation
    assert coordinating not in lead_states(task, D(2025, 10, 6))


def test_every_change_is_in_the_audit_trail(task):
    assignment = task.assignments.filter(role=Role.LEAD).first()
    assignment.completed_on = D(2025, 9, 1)
    assignment.evidence = "Quyết định số 1169/QĐ-TTg ngày 16/6/2025"
    assignment.save()
    newest, previous = assignment.history.all()[:2]
    delta = newest.diff_against(previous)
    assert {c.field for c in delta.changes} == {"completed_on", "evidence"}
    assert previous.completed_on is None and newest.completed_on == D(2025, 9, 1)
    assert newest.history_type == "~" and newest.history_date


def test_a_completed_update_needs_its_date(task):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Update.objects.create(assignment=task.assignments.first(), period=D(2025, 7, 1),
                              status=ReportedStatus.COMPLETED)
