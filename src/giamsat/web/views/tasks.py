from django.core.paginator import Paginator
from django.db.models import Count, Exists, OuterRef, Q
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.accounts.policy import Action, allowed, can_view_update
from giamsat.directives.models import Directive
from giamsat.ingest import behind
from giamsat.lib.ids import parse_id
from giamsat.orgs.history import OrgGraph, carried_ids
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.tasks.models import Area, Assignment, Role, Task, Update
from giamsat.tasks.queries import (
    NO_AREA,
    TaskFilter,
    filter_tasks,
    with_assignment_status,
    with_status,
)
from giamsat.tasks.status import STATUS_LABELS, TaskStatus
from giamsat.web import params
from giamsat.web.audit import history_log, merged
from giamsat.web.views.task_edit import communes_form

PAGE_SIZE = 50


def task_filter_from(request, graph: OrgGraph) -> tuple[TaskFilter, dict, list[str]]:
    """The filter the query string asks for, what the form shows, and what it could not
    read (said on the page, never silently ignored)."""
    problems = []
    shown = {key: request.GET.get(key, "").strip() for key in
             ("co_quan", "vai_tro", "van_ban", "linh_vuc", "han_tu", "han_den", "q")}
    task_filter = TaskFilter(text=shown["q"], area=shown["linh_vuc"])
    if shown["co_quan"]:
        org = Organisation.objects.filter(slug=shown["co_quan"]).first()
        if org is None:
            problems.append(_("Unknown agency “%(slug)s”.") % {"slug": shown["co_quan"]})
        else:
            carries = graph.predecessors(org)
            task_filter.organisation_ids = carried_ids(org, graph)
            shown["organisation"], shown["carries"] = org, carries
    if shown["vai_tro"] in Role.values:
        task_filter.role = shown["vai_tro"]
    if shown["van_ban"]:
        task_filter.directive_id = parse_id(shown["van_ban"])
        if task_filter.directive_id is None:
            problems.append(_("Unknown directive."))
    for key, attr in (("han_tu", "due_from"), ("han_den", "due_to")):
        if shown[key]:
            day, problem = params.read_day(shown[key])
            if problem:
                problems.append(problem)
            setattr(task_filter, attr, day)
    statuses = [s for s in request.GET.getlist("trang_thai") if s in set(TaskStatus)]
    task_filter.statuses = statuses
    shown["statuses"] = statuses
    return task_filter, shown, problems


@require_safe
def task_list(request):
    as_of, bad_date = params.as_of(request)
    graph = OrgGraph.load()
    task_filter, shown, problems = task_filter_from(request, graph)
    tasks = filter_tasks(task_filter, as_of).select_related("directive", "programme_area").order_by(
        "deadline_due", "pk")
    page = Paginator(tasks, PAGE_SIZE).get_page(request.GET.get("trang"))
    lead_names: dict[int, list] = {}
    for task_id, name in (Assignment.objects.filter(
            task__in=[t.pk for t in page], role=Role.LEAD)
            .order_by("organisation__sort_order", "organisation__name_key")
            .values_list("task_id", "organisation__name")):
        lead_names.setdefault(task_id, []).append(name)
    for task in page:
        task.lead_names = lead_names.get(task.pk, [])
    # Agencies that have tasks; communes (thousands) are found through the search box.
    agencies = (Organisation.objects.exclude(kind=OrgKind.COMMUNE)
                .filter(Exists(Assignment.objects.filter(organisation=OuterRef("pk"))))
                .order_by("kind", "sort_order", "name_key", "valid_from"))
    return render(request, "web/task_list.html", {
        "as_of": as_of, "bad_date": bad_date, "page": page, "shown": shown,
        "problems": problems,
        "agencies": agencies,
        "directives": Directive.objects.annotate(n=Count("tasks")).filter(n__gt=0),
        "areas": [(a.code, a.name) for a in Area.objects.all()] + [
            (NO_AREA, _("No area yet"))],
        "status_choices": [(s.value, STATUS_LABELS[s]) for s in TaskStatus],
        "roles": Role.choices,
        "keep": {k: v for k, v in request.GET.items() if k not in ("ngay", "trang")},
    })


@require_safe
def task_detail(request, pk):
    as_of, bad_date = params.as_of(request)
    task = get_object_or_404(Task.objects.select_related("directive", "programme_area"), pk=pk)
    task.status = with_status(Task.objects.filter(pk=pk), as_of).values_list(
        "status", flat=True).get()
    assignments = list(with_assignment_status(task.assignments.all(), as_of)
                       .select_related("organisation")
                       .order_by("role", "organisation__sort_order", "organisation__name_key"))
    graph = OrgGraph.load()
    for a in assignments:
        a.carried_by = [] if a.organisation.is_valid_on(as_of) else graph.successors(
            a.organisation, as_of)
    updates = [u for u in Update.objects.filter(assignment__task=task)
               .select_related("assignment__organisation", "submission", "created_by")
               .prefetch_related("files").order_by("-period", "-pk")
               if can_view_update(request.user, u)]
    appearances = task.appearances.select_related("document").order_by("as_of", "path", "line")
    assignment_ids = [a.pk for a in assignments]
    names = {a.pk: a.organisation.name for a in assignments}
    history = merged(
        history_log(task.history.all(), Task),
        history_log(Assignment.history.filter(task_id=task.pk), Assignment,
                    subject=lambda r: _("Assignment: %(org)s") % {
                        "org": names.get(r.id, r.named_as)}),
        history_log(Update.history.filter(assignment_id__in=assignment_ids,
                                          id__in=[u.pk for u in updates]), Update,
                    subject=lambda r: _("Update %(period)s") % {
                        "period": r.period.strftime("%m/%Y")}),
        limit=100)
    lead = [a for a in assignments if a.role == Role.LEAD]
    coordinating = [a for a in assignments if a.role == Role.COORDINATE]
    return render(request, "web/task_detail.html", {
        "communes_form": communes_form(request.user, task),
        "shortfalls": list(behind.named(task=task)),
        "task": task, "as_of": as_of, "bad_date": bad_date,
        "lead": lead, "coordinating": coordinating,
        "export_query": f"?nhiem_vu={task.pk}&ngay={as_of:%d/%m/%Y}",
        "lead_done": sum(TaskStatus(a.status).is_completed for a in lead),
        "lead_total": len(lead),
        "updates": updates,
        "appearances": appearances,
        "history": history,
        "matches": task.matches.select_related("candidate").filter(~Q(state="rejected")),
        "can_decide": allowed(request.user, Action.DECIDE_MATCH),
        "can_edit": allowed(request.user, Action.EDIT_TASK),
    })
