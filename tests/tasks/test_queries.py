"""The SQL form of the status rule (queries.py) agrees with the Python rule (status.py)."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from giamsat.orgs.history import predecessors
from giamsat.orgs.models import Organisation
from giamsat.tasks.deadlines import RECURRING_KINDS
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update
from giamsat.tasks.queries import (
    TaskFilter,
    filter_tasks,
    most_overdue,
    status_summary,
    summary_by_agency,
    with_assignment_status,
    with_status,
)
from giamsat.tasks.status import LeadState, TaskStatus, statuses, task_status

D = datetime.date
DEADLINES = ["Tháng 6/2025", "Quý I/2025", "30/6/2025", "trước ngày 15/5/2025", "Thường xuyên",
             "Hằng năm", "", "Năm 2025", "không rõ"]
days = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 3, 31))
lead = st.fixed_dictionaries({
    "completed_on": st.none() | days,
    "approved": st.lists(days, max_size=2),
    "other": st.lists(st.sampled_from(["draft", "submitted", "returned"]), max_size=1),
})
task_spec = st.fixed_dictionaries({
    "deadline": st.sampled_from(DEADLINES),
    "leads": st.lists(lead, max_size=3),
    "coordinators": st.lists(st.none() | days, max_size=2),
})


def make(spec, orgs) -> Task:
    task = Task(title="Nhiệm vụ thử")
    task.set_deadline(spec["deadline"], D(2025, 1, 1))
    task.save()
    for i, item in enumerate(spec["leads"]):
        a = Assignment.objects.create(task=task, organisation=orgs[i], role=Role.LEAD,
                                      completed_on=item["completed_on"])
        for period in item["approved"]:
            Update.objects.create(assignment=a, period=period.replace(day=1),
                                  review_state=ReviewState.APPROVED)
        for state in item["other"]:
            Update.objects.create(assignment=a, period=D(2025, 3, 1), review_state=state)
    for i, done in enumerate(spec["coordinators"]):
        Assignment.objects.create(task=task, organisation=orgs[3 + i], role=Role.COORDINATE,
                                  completed_on=done)
    return task


@pytest.mark.django_db
@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(task_spec, min_size=1, max_size=6), as_of=days)
def test_sql_status_is_the_python_rule(specs, as_of):
    orgs = list(Organisation.objects.provinces().valid_on(D(2025, 8, 1))[:6])
    with transaction.atomic():
        tasks = [make(spec, orgs) for spec in specs]
        expected = statuses(tasks, as_of)
        got = dict(with_status(Task.objects.filter(pk__in=[t.pk for t in tasks]), as_of)
                   .values_list("pk", "status"))
        assert got == {pk: str(status) for pk, status in expected.items()}
        # Each assignment alone follows the same rule.
        for a in with_assignment_status(Assignment.objects.filter(task__in=tasks), as_of):
            started = Update.objects.filter(assignment=a, review_state=ReviewState.APPROVED,
                                            period__lte=as_of).order_by("period").first()
            state = LeadState(a.completed_on, started.period if started else None)
            assert a.status == task_status(a.task.deadline, [state], as_of)
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_search_ignores_diacritics_and_finds_agencies(org):
    police, science = org("Bộ Công an"), org("Bộ Khoa học và Công nghệ")
    named = Task.objects.create(title="Triển khai Đề án 06 tại các địa phương")
    led = Task.objects.create(title="Xây dựng cơ sở dữ liệu dân cư")
    Assignment.objects.create(task=led, organisation=police, role=Role.LEAD)
    Assignment.objects.create(task=named, organisation=science, role=Role.LEAD)
    as_of = D(2025, 8, 1)

    def found(text):
        return set(filter_tasks(TaskFilter(text=text), as_of).values_list("title", flat=True))

    assert found("bo cong an") == {led.title}
    assert found("BỘ CÔNG AN") == {led.title}
    assert found("de an 06") == {named.title}
    assert found("BCA") == {led.title}  # the short name
    assert found("khong co gi") == set()


@pytest.mark.django_db
def test_an_agency_filter_includes_what_it_carries_forward(org):
    old = Organisation.objects.get(slug="ha-giang-truoc-2025-07")
    new = org("Tuyên Quang")
    task = Task.objects.create(title="Nhiệm vụ của Hà Giang")
    Assignment.objects.create(task=task, organisation=old, role=Role.LEAD, named_as="Hà Giang")
    ids = [new.pk, *(p.pk for p in predecessors(new))]
    assert filter_tasks(TaskFilter(organisation_ids=ids), D(2025, 8, 1)).filter(
        pk=task.pk).exists()
    assert not filter_tasks(TaskFilter(organisation_ids=[new.pk]), D(2025, 8, 1)).filter(
        pk=task.pk).exists()
    # Counted for Tuyên Quang after the merger, with the old name kept visible.
    row = next(r for r in summary_by_agency(D(2025, 8, 1)) if r.organisation == new)
    assert row.total == 1 and old in row.carried
    before = next(r for r in summary_by_agency(D(2025, 6, 1)) if r.organisation == old)
    assert before.total == 1


@pytest.mark.django_db
def test_filters_by_status_and_due_range(org):
    police = org("Bộ Công an")
    for text, done in [("Tháng 3/2025", None), ("Tháng 5/2025", D(2025, 5, 2)),
                       ("Tháng 9/2025", None), ("Thường xuyên", None)]:
        task = Task(title=f"Việc {text}")
        task.set_deadline(text)
        task.save()
        Assignment.objects.create(task=task, organisation=police, completed_on=done)
    as_of = D(2025, 6, 1)

    def titles(**kwargs):
        return sorted(filter_tasks(TaskFilter(**kwargs), as_of).values_list("title", flat=True))

    assert titles(statuses=["overdue"]) == ["Việc Tháng 3/2025"]
    assert titles(statuses=["completed_on_time", "recurring"]) == [
        "Việc Tháng 5/2025", "Việc Thường xuyên"]
    assert titles(due_from=D(2025, 4, 1), due_to=D(2025, 9, 30)) == [
        "Việc Tháng 5/2025", "Việc Tháng 9/2025"]


# The corpus stays imported until the end of the module: these tests come last.

@pytest.mark.corpus
@pytest.mark.django_db
@pytest.mark.parametrize("as_of", [D(2025, 1, 1), D(2025, 7, 18), D(2025, 12, 31)])
def test_the_corpus_gives_the_same_status_both_ways(imported_corpus, as_of):
    tasks = list(Task.objects.all())
    expected = {pk: str(s) for pk, s in statuses(tasks, as_of).items()}
    assert dict(with_status(Task.objects.all(), as_of).values_list("pk", "status")) == expected
    summary = status_summary(Task.objects.all(), as_of)
    assert summary.total == len(tasks)
    assert sum(summary.counts.values()) == len(tasks)
    due = [t for t in tasks if t.deadline_due and t.deadline_due <= as_of
           and not t.deadline.is_recurring and t.lead_count]  # no lead: counted apart
    assert summary.due_total == len(due)
    assert summary.due_completed == sum(expected[t.pk] in ("completed_on_time",
                                                           "completed_late") for t in due)


@pytest.mark.corpus
@pytest.mark.django_db
def test_the_report_day_in_numbers(imported_corpus):
    """At 18/07/2025 (the half-year report): its 30 overdue tasks are overdue here too."""
    summary = status_summary(Task.objects.all(), D(2025, 7, 18))
    assert summary.counts[TaskStatus.OVERDUE] >= 30
    assert summary.due[TaskStatus.OVERDUE] == summary.counts[TaskStatus.OVERDUE]
    overdue = list(most_overdue(Task.objects.all(), D(2025, 7, 18), limit=5))
    assert [t.deadline_due for t in overdue] == sorted(t.deadline_due for t in overdue)


# The days the deadlines above end on, so that "due on the day itself" comes up often.
deadline_days = st.sampled_from([D(2025, 6, 30), D(2025, 3, 31), D(2025, 5, 15),
                                 D(2025, 12, 31)])


@pytest.mark.django_db
@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(specs=st.lists(task_spec, min_size=1, max_size=6), as_of=deadline_days | days)
def test_the_due_tiles_partition_the_tasks_due(specs, as_of):
    orgs = list(Organisation.objects.provinces().valid_on(D(2025, 8, 1))[:6])
    with transaction.atomic():
        tasks = [make(spec, orgs) for spec in specs]
        summary = status_summary(Task.objects.filter(pk__in=[t.pk for t in tasks]), as_of)
        assert summary.due_total == (summary.due[TaskStatus.COMPLETED_ON_TIME]
                                     + summary.due[TaskStatus.COMPLETED_LATE]
                                     + summary.due[TaskStatus.OVERDUE] + summary.due_today)
        status = statuses(tasks, as_of)
        open_today = [t for t in tasks
                      if t.deadline_due == as_of and t.deadline_kind not in RECURRING_KINDS
                      and t.assignments.filter(role=Role.LEAD).exists()
                      and not status[t.pk].is_completed]
        assert summary.due_today == len(open_today)
        transaction.set_rollback(True)
