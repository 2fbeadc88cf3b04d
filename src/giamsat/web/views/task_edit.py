"""Sửa nhiệm vụ: the standing office corrects a task an import read (tasks/editing.py)."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from giamsat.accounts.policy import REFUSALS as POLICY_REFUSALS
from giamsat.accounts.policy import Action, allowed, home_organisation
from giamsat.directives.lookup import written
from giamsat.orgs.history import carried_ids
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.tasks.deadlines import DeadlineKind, parse_deadline
from giamsat.tasks.editing import EditRefused, TaskEdit, assign_to_communes, edit_task
from giamsat.tasks.models import DEADLINE_KIND_LABELS, Area, Role, Task
from giamsat.web.writes import write_action


class TaskForm(forms.Form):
    title = forms.CharField(label=_("Title"), widget=forms.Textarea(attrs={"rows": 3}))
    directive = forms.CharField(label=_("Directive"), required=False,
                                help_text=_("e.g. Nghị quyết số 71/NQ-CP; empty for none"))
    area = forms.ModelChoiceField(label=_("Area"), queryset=Area.objects.all(), required=False,
                                  empty_label=_("— no area —"))
    expected_output = forms.CharField(label=_("Expected output"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 2}))
    deadline = forms.CharField(label=_("Deadline as written"), required=False,
                               help_text=_("e.g. Tháng 6/2025, Quý III/2025, 30/9/2025, "
                                           "Thường xuyên"))
    notes = forms.CharField(label=_("Notes"), required=False,
                            widget=forms.Textarea(attrs={"rows": 2}))
    add_leads = forms.ModelMultipleChoiceField(
        label=_("Add lead agencies"), required=False, queryset=Organisation.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 6}))
    add_coordinators = forms.ModelMultipleChoiceField(
        label=_("Add coordinating agencies"), required=False,
        queryset=Organisation.objects.none(), widget=forms.SelectMultiple(attrs={"size": 6}))
    remove = forms.MultipleChoiceField(label=_("Remove"), required=False,
                                       widget=forms.CheckboxSelectMultiple)
    reason = forms.CharField(label=_("Why (kept in the history)"), max_length=300,
                             help_text=_("e.g. Bộ Công an là cơ quan chủ trì theo Thông báo "
                                         "số 56/TB-VPCP"))

    def __init__(self, *args, task: Task, **kwargs):
        super().__init__(*args, **kwargs)
        agencies = Organisation.objects.valid_on(timezone.localdate()).exclude(
            kind__in=[OrgKind.COMMUNE, OrgKind.NATION])
        self.fields["add_leads"].queryset = agencies
        self.fields["add_coordinators"].queryset = agencies
        self.fields["remove"].choices = [
            (str(a.pk), f"{a.organisation.name} ({a.get_role_display()})")
            for a in task.assignments.select_related("organisation").order_by(
                "role", "organisation__sort_order")]

    def about_the_task(self):
        """The fields written as text, shown one under another before the agencies."""
        return [self[name] for name in ("title", "directive", "area", "expected_output",
                                        "deadline", "notes")]

    def clean_deadline(self):
        text = self.cleaned_data["deadline"].strip()
        if text and parse_deadline(text).kind == DeadlineKind.UNPARSED:
            raise forms.ValidationError(
                _("“%(text)s” is not a deadline giamsat understands; write it as “Tháng "
                  "6/2025”, “Quý III/2025”, “30/9/2025” or “Thường xuyên”."),
                params={"text": text})
        return text


@write_action(Action.EDIT_TASK)
def task_edit(request, pk):
    task = get_object_or_404(Task.objects.select_related("directive", "programme_area"), pk=pk)
    initial = {"title": task.title, "directive": written(task.directive),
               "area": task.programme_area,
               "expected_output": task.expected_output, "deadline": task.deadline_text,
               "notes": task.notes}
    form = TaskForm(request.POST or None, task=task, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            edit_task(task, TaskEdit(
                title=data["title"], directive=data["directive"],
                area_id=data["area"].pk if data["area"] else None,
                expected_output=data["expected_output"], deadline=data["deadline"],
                notes=data["notes"], reason=data["reason"],
                add_leads=list(data["add_leads"]),
                add_coordinators=list(data["add_coordinators"]),
                remove=[int(i) for i in data["remove"]]))
        except EditRefused as refused:
            form.add_error(None, str(refused))
        else:
            task.refresh_from_db()
            messages.success(request, _("Saved. The deadline reads as: %(meaning)s.")
                             % {"meaning": _meaning(task)})
            return redirect("web:task", pk=pk)
    return render(request, "web/task_edit.html", {"task": task, "form": form,
                                                  "meaning": _meaning(task)})


def _meaning(task: Task) -> str:
    """How the deadline as written is understood, e.g. "Month, due 30/09/2025"."""
    deadline = task.deadline
    label = DEADLINE_KIND_LABELS[DeadlineKind(deadline.kind)]
    if deadline.due:
        return _("%(kind)s, due %(due)s") % {"kind": label, "due": f"{deadline.due:%d/%m/%Y}"}
    return str(label)


def _leading_province(user, task):
    """The user's own province, when it may give `task` to communes because it leads it."""
    province = home_organisation(user)
    if province is None or province.kind != OrgKind.PROVINCE or not allowed(
            user, Action.ASSIGN_COMMUNES, province):
        return None
    if not task.assignments.filter(role=Role.LEAD,
                                   organisation_id__in=carried_ids(province)).exists():
        return None
    return province


def communes_form(user, task) -> dict | None:
    """What the task page offers a province's own users: giving the task, which their
    province leads, to some of its communes (tasks/editing.assign_to_communes)."""
    province = _leading_province(user, task)
    if province is None:
        return None
    given = set(task.assignments.filter(role=Role.COORDINATE, organisation__parent=province)
                .values_list("organisation_id", flat=True))
    communes = (Organisation.objects.filter(parent=province, kind=OrgKind.COMMUNE)
                .valid_on(timezone.localdate()).order_by("name_key"))
    return {"province": province, "communes": [c for c in communes if c.pk not in given],
            "given": len(given)}


@require_POST
@write_action(Action.ASSIGN_COMMUNES)
def give_to_communes(request, pk):
    task = get_object_or_404(Task, pk=pk)
    province = _leading_province(request.user, task)
    if province is None:
        # Only a province's own leader, for a task the province leads.
        raise PermissionDenied(str(POLICY_REFUSALS[Action.ASSIGN_COMMUNES]))
    communes = list(Organisation.objects.filter(slug__in=request.POST.getlist("commune")))
    try:
        if not communes:
            raise EditRefused(_("Choose the communes to give the task to."))
        made = assign_to_communes(task, province, communes, request.POST.get("reason", ""),
                                  user=request.user)
    except EditRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Given to %(n)s communes.") % {"n": len(made)})
    return redirect("web:task", pk=pk)
