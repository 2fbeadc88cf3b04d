"""The standing office corrects what an import read: wording, directive, area, deadline,
agencies. Every change is in the audit trail with who made it and why (the reason is the
history's change reason); an agency's own work — its updates, its completion — is never
lost: an assignment an agency has reported on cannot be removed, only the task's wording
around it changed.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _

from giamsat.directives.lookup import directive_for
from giamsat.directives.models import Directive
from giamsat.ingest.references import find_references
from giamsat.tasks.models import AreaBasis, Assignment, Role, Task


class EditRefused(Exception):
    """The edit cannot be made as asked; str() says why. Nothing was changed."""


@dataclass
class TaskEdit:
    title: str
    directive: str  # as written ("Nghị quyết số 71/NQ-CP"); "" for none
    area_id: int | None
    expected_output: str
    deadline: str  # as written; parsed again
    notes: str
    reason: str
    add_leads: list = field(default_factory=list)  # Organisations
    add_coordinators: list = field(default_factory=list)
    remove: list[int] = field(default_factory=list)  # assignment ids


def directive_of(text: str) -> Directive | None:
    """The directive a reference names ("Nghị quyết số 71/NQ-CP ngày 01/4/2025")."""
    references = [r for r in find_references(text) if r.kind != "report"]
    if not references:
        if text.strip():
            raise EditRefused(_("“%(text)s” names no document number (such as 71/NQ-CP).")
                              % {"text": text})
        return None
    return directive_for(references[0], text)


@transaction.atomic
def edit_task(task: Task, edit: TaskEdit) -> Task:
    """Apply the office's correction (see the module doc)."""
    if not edit.reason.strip():
        raise EditRefused(_("Say why the task is changed: the reason is kept in its history."))
    if not edit.title.strip():
        raise EditRefused(_("A task needs a title."))
    task = Task.objects.select_for_update().get(pk=task.pk)
    removing = list(task.assignments.filter(pk__in=edit.remove).select_related("organisation"))
    reported = [a for a in removing if a.updates.exists()]
    if reported:
        raise EditRefused(_("%(names)s reported on this task; their assignments stay (their "
                            "updates would be lost). Add the right agency instead.")
                          % {"names": ", ".join(a.organisation.name for a in reported)})
    task.title = edit.title.strip()
    task.directive = directive_of(edit.directive)
    if edit.area_id != task.programme_area_id:
        task.programme_area_id, task.area_basis = edit.area_id, AreaBasis.PERSON
    task.expected_output, task.notes = edit.expected_output, edit.notes
    if edit.deadline.strip() != task.deadline_text:
        task.set_deadline(edit.deadline.strip(), task.created_at.date())
    task._change_reason = edit.reason
    task.save()
    for assignment in removing:
        assignment._change_reason = edit.reason
        assignment.delete()
    for role, organisations in ((Role.LEAD, edit.add_leads),
                                (Role.COORDINATE, edit.add_coordinators)):
        for org in organisations:
            if task.assignments.filter(organisation=org, role=role).exists():
                continue
            assignment = Assignment(task=task, organisation=org, role=role)
            assignment._change_reason = edit.reason
            assignment.save()
    return task


@transaction.atomic
def assign_to_communes(task: Task, province, communes, reason: str, user=None,
                       on=None) -> list[Assignment]:
    """The province gives a task it leads to some of its communes: each gets a
    coordinating assignment (it works on the task and reports on it under its province,
    which stays the task's lead: the national count of the task's lead agencies and its
    status are unchanged). Refused unless the user may act for the province, the province
    (or an organisation it carries forward) leads the task, and every commune is the
    province's and exists on `on` (today). Returns the assignments made; those a commune
    already had are left."""
    from django.utils import timezone

    from giamsat.accounts.policy import Action, require
    from giamsat.orgs.history import carried_ids
    from giamsat.orgs.models import OrgKind

    if user is not None:
        require(user, Action.ASSIGN_COMMUNES, province)
    on = on or timezone.localdate()
    if not reason.strip():
        raise EditRefused(_("Say why the task is changed: the reason is kept in its history."))
    if province.kind != OrgKind.PROVINCE:
        raise EditRefused(_("Only a province gives tasks to communes."))
    if not task.assignments.filter(role=Role.LEAD,
                                   organisation_id__in=carried_ids(province)).exists():
        raise EditRefused(_("%(province)s does not lead this task: it can only give its "
                            "communes the tasks it leads.") % {"province": province.name})
    foreign = [c.name for c in communes if c.kind != OrgKind.COMMUNE
               or c.parent_id != province.pk or not c.is_valid_on(on)]
    if foreign:
        raise EditRefused(_("%(names)s: not a commune of %(province)s on this date.")
                          % {"names": ", ".join(foreign), "province": province.name})
    made = []
    for commune in communes:
        if task.assignments.filter(organisation=commune, role=Role.COORDINATE).exists():
            continue
        assignment = Assignment(task=task, organisation=commune, role=Role.COORDINATE)
        assignment._change_reason = reason[:100]
        assignment.save()
        made.append(assignment)
    return made
