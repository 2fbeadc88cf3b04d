"""Problem groups read from a document (appendix 07) into the register.

The group's task stays what it was (its leads, deadline and each agency's own action);
the register item says the same as a difficulty to follow to resolution: the problem,
the solution, each responsible agency with its action, the directive and the deadline.
It comes from the standing office (raised_by empty) and is accepted and assigned as the
document assigns it. Importing the same document again adds nothing.
"""

from django.utils import timezone

from giamsat.difficulties.models import Difficulty, Responsibility, State
from giamsat.lib.rows import insert_with_history
from giamsat.tasks.models import Role


def register_problem_groups(groups) -> list[Difficulty]:
    """groups: (document, as_of, TaskRecord, Task) with the tasks saved; returns the new
    items."""
    known = set(Difficulty.objects.filter(
        source_sha256__in={doc.sha256 for doc, *_ in groups}).values_list("source_sha256",
                                                                          "line"))
    created, parts = [], []
    for document, as_of, record, task in groups:
        if (document.sha256, record.line) in known:
            continue
        known.add((document.sha256, record.line))
        item = Difficulty(
            problem=record.notes or record.title, solution=record.expected_output,
            area=record.area[:400], raised_on=as_of or timezone.localdate(),
            document=document, source_sha256=document.sha256, line=record.line,
            raw_text=record.raw, directive_id=task.directive_id,
            deadline_text=task.deadline_text[:200], deadline_due=task.deadline_due,
            state=State.ACCEPTED)
        created.append((item, task))
    insert_with_history(Difficulty, [item for item, _task in created])
    for item, task in created:
        item.tasks.add(task)
        for assignment in task.assignments.filter(role=Role.LEAD):
            parts.append(Responsibility(difficulty=item, organisation_id=assignment.organisation_id,
                                        action=assignment.action))
    insert_with_history(Responsibility, parts)
    return [item for item, _task in created]


def register_agency_items(items) -> list[Difficulty]:
    """items: (document, as_of, report month, ConcernRecord, the issuer): the difficulties
    and proposals an agency's own report raises, as the agency raising them in its report
    (raised, waiting for the standing office). A proposal is the item's solution; it
    stands for the need it answers too. Importing the same document again adds nothing."""
    known = set(Difficulty.objects.filter(
        source_sha256__in={doc.sha256 for doc, *_ in items}).values_list("source_sha256",
                                                                         "line"))
    created = []
    for document, as_of, month, record, issuer in items:
        if (document.sha256, record.line) in known:
            continue
        known.add((document.sha256, record.line))
        created.append(Difficulty(
            problem=record.text, solution=record.text if record.kind == "proposal" else "",
            area=record.heading[:400], raised_by=issuer, raised_for=month,
            raised_on=as_of or timezone.localdate(), document=document,
            source_sha256=document.sha256, line=record.line, raw_text=record.raw,
            state=State.RAISED))
    insert_with_history(Difficulty, created)
    return created
