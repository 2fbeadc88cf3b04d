"""The national-scale generator (size S here): the data it writes holds together."""

import pytest

from bench.generator import AS_OF, SIZES, generate
from giamsat.tasks.models import Assignment, Task
from giamsat.tasks.queries import with_status
from giamsat.tasks.status import statuses


@pytest.mark.django_db
def test_size_s_is_written_and_its_derived_facts_are_right():
    counts = generate("S", say=lambda *_: None)
    size = SIZES["S"]
    assert counts["tasks"] == size.tasks == Task.objects.count()
    assert counts["communes"] == size.communes
    assert counts["assignments"] == Assignment.objects.count() > size.tasks
    assert counts["observations"] > size.indicators * 56 * size.months // 2
    # The facts written in bulk (refresh_all) give the status rule's answer.
    tasks = list(Task.objects.all())
    expected = {pk: str(s) for pk, s in statuses(tasks, AS_OF).items()}
    assert dict(with_status(Task.objects.all(), AS_OF).values_list("pk", "status")) == expected
    # Every assignment carries its task's deadline (written by COPY, not by the signals).
    for assignment in Assignment.objects.select_related("task")[:2000]:
        assert (assignment.deadline_kind, assignment.deadline_due) == (
            assignment.task.deadline_kind, assignment.task.deadline_due)
