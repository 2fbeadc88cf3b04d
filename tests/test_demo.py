"""The live demo: generated up to a given today, the programme's dates moved by whole
months, the organisations' real history kept, the same data for the same seed and day."""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from giamsat import demo
from giamsat.difficulties.models import Difficulty
from giamsat.indicators.models import Observation
from giamsat.reporting.expected import reporting_rounds, waiting_for_review
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.tasks.models import Assignment, ReviewState, Task, Update
from giamsat.tasks.queries import status_summary
from giamsat.tasks.status import TaskStatus

D = datetime.date


@pytest.mark.parametrize(("text", "by", "moved"), [
    ("Tháng 6/2025", 13, "Tháng 7/2026"),
    ("Tháng 12/2025", 13, "Tháng 1/2027"),
    ("Quý II/2025", 13, "Quý III/2026"),  # June → July: the quarter July is in
    ("Quý IV/2025", 3, "Quý I/2026"),
    ("30/6/2025", 13, "30/7/2026"),
    ("trước ngày 31/8/2025", 1, "trước ngày 30/9/2025"),  # no 31 September
    ("Hà Nội, ngày 06 tháng 10 năm 2025", 3, "Hà Nội, ngày 06 tháng 01 năm 2026"),
    ("tình hình tháng 9 năm 2025", 13, "tình hình tháng 10 năm 2026"),
    ("Kế hoạch chuyển đổi số năm 2026", 13, "Kế hoạch chuyển đổi số năm 2027"),
    ("Kế hoạch năm 2025", 2, "Kế hoạch năm 2025"),  # October 2025 moved to December
    ("Rà soát Nghị định số 73/2019/NĐ-CP", 13, "Rà soát Nghị định số 73/2019/NĐ-CP"),
    ("Thường xuyên", 13, "Thường xuyên"),
    ("Tháng 6/2025", 0, "Tháng 6/2025"),
])
def test_dates_in_the_programmes_text_move_as_written(text, by, moved):
    assert demo.shift_text(text, by) == moved


def test_the_offset_brings_the_anchor_round_to_the_one_open_today():
    assert demo.offset(D(2025, 10, 31)) == 0 and demo.open_period(D(2025, 10, 31)) == \
        D(2025, 10, 1)
    assert demo.offset(D(2026, 12, 3)) == 13  # November's reports are due on 05/12
    assert demo.open_period(D(2026, 12, 3)) == D(2026, 11, 1)
    assert demo.open_period(D(2026, 12, 6)) == D(2026, 12, 1)
    assert demo.offset(D(2025, 3, 1)) == 0  # never backwards
    window = demo.months(D(2026, 12, 3))
    assert len(window) == 18 and window[0] == D(2025, 6, 1) and window[-1] == D(2026, 11, 1)
    assert demo.months(D(2026, 11, 30))[-1] == D(2026, 11, 1)


def snapshot() -> dict:
    """The generated data without database ids."""
    return {
        "tasks": sorted((t.title, t.deadline_text, str(t.deadline_due))
                        for t in Task.objects.all()),
        "assignments": sorted((a.task.title, a.organisation.slug, a.role, str(a.completed_on))
                              for a in Assignment.objects.select_related("task",
                                                                         "organisation")),
        "updates": sorted((u.assignment.task.title, u.assignment.organisation.slug,
                           str(u.period), u.status, u.review_state) for u in
                          Update.objects.select_related("assignment__task",
                                                        "assignment__organisation")),
        "reports": sorted((s.organisation.slug, str(s.period), s.state, str(s.submitted_at),
                           str(s.reviewed_at)) for s in
                          Submission.objects.select_related("organisation")),
        "observations": sorted((o.indicator.code, o.organisation.slug, str(o.period),
                                str(o.value)) for o in
                               Observation.objects.select_related("indicator", "organisation")),
    }


@pytest.mark.django_db
def test_the_same_seed_and_day_give_the_same_data():
    today = D(2026, 12, 3)
    made = []
    for _ in range(2):
        with transaction.atomic():
            demo.generate(today=today)
            made.append(snapshot())
            transaction.set_rollback(True)
    assert made[0] == made[1] and made[0]["reports"]
    with transaction.atomic():
        demo.generate(today=D(2026, 12, 10))
        assert snapshot() != made[0]
        transaction.set_rollback(True)


@pytest.mark.django_db
@pytest.mark.parametrize("today", [D(2025, 10, 31), D(2026, 3, 2), D(2026, 12, 3),
                                   D(2027, 8, 20)])
def test_the_demo_runs_to_today_with_work_in_progress(today):
    demo.generate(today=today)
    assert demo.demo_data_present() and demo.as_of(today) == today
    # Nothing has happened after today.
    assert not Update.objects.filter(period__gt=today).exists()
    assert not Update.objects.filter(completed_on__gt=today).exists()
    assert not Assignment.objects.filter(completed_on__gt=today).exists()
    assert not Observation.objects.filter(observed_on__gt=today).exists()
    assert not Difficulty.objects.filter(raised_on__gt=today).exists()
    for field in ("first_submitted_at", "submitted_at", "reviewed_at"):
        last = max(filter(None, Submission.objects.values_list(field, flat=True)))
        assert timezone.localdate(last) < today, field
    # The organisations keep their real history: the 63 former provinces before
    # 01/07/2025, the 34 after, whatever the day.
    for observation in Observation.objects.select_related("organisation"):
        assert observation.organisation.is_valid_on(observation.observed_on)
    provinces = Observation.objects.filter(organisation__kind="province",
                                           indicator__code=demo.DOSSIERS)
    june, last = D(2025, 6, 30), demo.months(today)[-1]
    assert provinces.filter(observed_on=june).count() == (
        63 if demo.months(today)[0] <= june else 0)
    assert provinces.filter(period=last).count() == 34
    # A programme in progress on today: work done, late and still going.
    summary = status_summary(Task.objects.all(), today).counts
    assert summary[TaskStatus.IN_PROGRESS] and summary[TaskStatus.OVERDUE]
    assert summary[TaskStatus.COMPLETED_ON_TIME] + summary[TaskStatus.COMPLETED_LATE]
    assert Task.objects.filter(deadline_due__gt=today).exists()
    # The reporting rate of the last closed month is high, the open round under way,
    # and the review queue has reports, some waiting too long.
    rounds = reporting_rounds(today)
    assert rounds.closed.received >= 0.85 * rounds.closed.expected
    assert rounds.closed.approved < rounds.closed.received or rounds.open.received
    assert rounds.open.period == demo.open_period(today)
    assert Update.objects.filter(period=rounds.open.period).exclude(
        review_state=ReviewState.APPROVED).exists()
    waiting = waiting_for_review(Submission.objects.all(), today)
    assert waiting and all(w.days < 40 for w in waiting)
    # Every update is in its agency's report, in the report's state.
    for update in Update.objects.select_related("submission"):
        assert update.review_state == update.submission.state
    assert Submission.objects.filter(state=SubmissionState.APPROVED).exists()
