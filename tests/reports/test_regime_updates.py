"""A quarterly report's task updates are kept with their quarter's first day (1 April for
Q2): the readers by month (the monthly report, a task's start, the export) must not take
them for April's."""

import datetime

import pytest

from giamsat.reporting import rules
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.reports.builders import monthly_report, proposal_lines
from giamsat.tasks import facts
from giamsat.tasks.exports import update_rows
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update
from giamsat.tasks.status import lead_states, lead_states_bulk

D = datetime.date
pytestmark = pytest.mark.django_db
APRIL = Q2 = D(2026, 4, 1)


def test_a_quarterly_update_is_not_read_as_aprils(org):
    hanoi = org("Hà Nội")
    task = Task(title="Số hóa hồ sơ")
    task.set_deadline("31/12/2026")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=hanoi, role=Role.LEAD)
    quarterly = Submission.objects.create(organisation=hanoi, regime=rules.regime("quy"),
                                          period=Q2, state=SubmissionState.APPROVED)
    Update.objects.create(assignment=assignment, submission=quarterly, period=Q2,
                          status="in_progress", difficulties="Thiếu kinh phí quý II.",
                          proposals="Bổ sung kinh phí quý II.",
                          review_state=ReviewState.APPROVED)
    facts.refresh_assignments([assignment.pk])
    assignment.refresh_from_db()
    assert assignment.first_reported_on is None  # not 1 April
    facts.refresh_all()
    assignment.refresh_from_db()
    assert assignment.first_reported_on is None
    assert lead_states(task, D(2026, 7, 31))[hanoi].started_on is None
    assert lead_states_bulk([task.pk], D(2026, 7, 31))[assignment.pk][1].started_on is None
    report = monthly_report(APRIL, as_of=D(2026, 4, 30), with_charts=False)
    text = " ".join(b.text for b in report.blocks if hasattr(b, "text"))
    assert "quý II" not in text
    assert "quý II" not in proposal_lines(APRIL, D(2026, 6, 1))
    # The export names the update's own period.
    assert [r["period"] for r in update_rows(D(2026, 7, 31))] == ["2026-Q2"]
    # April's monthly report's update is April's, and starts the work.
    monthly = Submission.objects.create(organisation=hanoi, regime=rules.regime(),
                                        period=APRIL, state=SubmissionState.APPROVED)
    Update.objects.create(assignment=assignment, submission=monthly, period=APRIL,
                          status="in_progress", difficulties="Thiếu cán bộ tháng 4.",
                          review_state=ReviewState.APPROVED)
    facts.refresh_assignments([assignment.pk])
    assignment.refresh_from_db()
    assert assignment.first_reported_on == APRIL
    report = monthly_report(APRIL, as_of=D(2026, 4, 30), with_charts=False)
    text = " ".join(b.text for b in report.blocks if hasattr(b, "text"))
    assert "Thiếu cán bộ tháng 4" in text and "quý II" not in text
