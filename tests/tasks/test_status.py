import datetime
from fractions import Fraction

import pytest

from giamsat.tasks.deadlines import Deadline, DeadlineKind, parse_deadline
from giamsat.tasks.status import LeadState, TaskStatus, open_leads, progress, task_status

D = datetime.date
JUNE = parse_deadline("Tháng 6/2025")  # due 30/06/2025
DAILY = parse_deadline("Thường xuyên")
YEARLY = parse_deadline("Hằng năm")
NONE = Deadline(raw="", kind=DeadlineKind.NONE)

done_early = LeadState(completed_on=D(2025, 6, 10), started_on=D(2025, 3, 1))
done_on_due = LeadState(completed_on=D(2025, 6, 30))
done_late = LeadState(completed_on=D(2025, 7, 15), started_on=D(2025, 3, 1))
started = LeadState(started_on=D(2025, 4, 1))
idle = LeadState()

S = TaskStatus
CASES = [
    # deadline, leads, as of, expected — one lead
    ("done before due", JUNE, [done_early], D(2025, 7, 18), S.COMPLETED_ON_TIME),
    ("done on the due day", JUNE, [done_on_due], D(2025, 7, 18), S.COMPLETED_ON_TIME),
    ("done after due", JUNE, [done_late], D(2025, 7, 18), S.COMPLETED_LATE),
    ("late completion not yet known", JUNE, [done_late], D(2025, 7, 1), S.OVERDUE),
    ("completion in the future is not seen", JUNE, [done_early], D(2025, 6, 1), S.IN_PROGRESS),
    ("started, before due", JUNE, [started], D(2025, 5, 1), S.IN_PROGRESS),
    ("start date after as-of", JUNE, [started], D(2025, 3, 1), S.NOT_STARTED),
    ("started, past due", JUNE, [started], D(2025, 7, 1), S.OVERDUE),
    ("nothing done, before due", JUNE, [idle], D(2025, 6, 30), S.NOT_STARTED),
    ("nothing done, the day after due", JUNE, [idle], D(2025, 7, 1), S.OVERDUE),
    # many leads: complete only when all are; late if the last one was late
    ("all leads done on time", JUNE, [done_early, done_on_due], D(2025, 8, 1), S.COMPLETED_ON_TIME),
    ("last lead late", JUNE, [done_early, done_late], D(2025, 8, 1), S.COMPLETED_LATE),
    ("one lead open, past due", JUNE, [done_early, idle], D(2025, 8, 1), S.OVERDUE),
    ("one lead done, before due", JUNE, [done_early, idle], D(2025, 6, 20), S.IN_PROGRESS),
    ("one lead started", JUNE, [idle, started], D(2025, 5, 1), S.IN_PROGRESS),
    # recurring deadlines never fall overdue
    ("recurring, idle", DAILY, [idle], D(2026, 1, 1), S.RECURRING),
    ("recurring, with completions", DAILY, [done_early], D(2026, 1, 1), S.RECURRING),
    ("yearly", YEARLY, [idle, started], D(2026, 1, 1), S.RECURRING),
    # without a deadline nothing is overdue
    # Counted apart: never on time, never "not started".
    ("no deadline, idle", NONE, [idle], D(2030, 1, 1), S.UNDATED),
    ("no deadline, done", NONE, [done_late], D(2030, 1, 1), S.COMPLETED_UNDATED),
    ("no deadline, started", NONE, [started], D(2030, 1, 1), S.UNDATED),
    # a task nobody leads yet
    ("no lead, before due", JUNE, [], D(2025, 6, 1), S.UNASSIGNED),
    ("no lead, past due", JUNE, [], D(2025, 7, 1), S.UNASSIGNED),
    ("no lead, no deadline", NONE, [], D(2025, 7, 1), S.UNASSIGNED),
]


@pytest.mark.parametrize(("deadline", "leads", "as_of", "expected"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_task_status(deadline, leads, as_of, expected):
    assert task_status(deadline, leads, as_of) == expected


@pytest.mark.parametrize(
    ("leads", "as_of", "expected"),
    [
        ([done_early, idle, done_late, started], D(2025, 8, 1), Fraction(2, 4)),
        ([done_early, idle, done_late, started], D(2025, 7, 1), Fraction(1, 4)),
        ([done_early], D(2025, 6, 10), Fraction(1)),
        ([idle, idle, idle], D(2025, 6, 10), Fraction(0)),
        ([], D(2025, 6, 10), None),
    ],
)
def test_progress_is_share_of_leads_complete(leads, as_of, expected):
    assert progress(leads, as_of) == expected


def test_open_leads_names_who_has_not_completed():
    leads = {"Bộ Tài chính": done_early, "Bộ Y tế": idle, "Bộ Công an": done_late}
    assert open_leads(leads, D(2025, 7, 1)) == ["Bộ Y tế", "Bộ Công an"]
    assert open_leads(leads, D(2025, 8, 1)) == ["Bộ Y tế"]


def test_every_status_has_a_label_and_completion_flag():
    assert {s for s in TaskStatus if s.is_completed} == {S.COMPLETED_ON_TIME, S.COMPLETED_LATE,
                                                         S.COMPLETED_UNDATED}
    assert all(str(s.label) for s in TaskStatus)
