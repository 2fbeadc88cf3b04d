from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.derived import cached
from giamsat.indicators.summary import indicator_cards
from giamsat.orgs.models import CENTRAL_KINDS, OrgKind
from giamsat.reporting.expected import reporting_rounds
from giamsat.tasks.models import Assignment, Role, Task
from giamsat.tasks.queries import (
    NO_AREA,
    agencies_overview,
    most_overdue,
    status_summary,
    summary_by_area,
)
from giamsat.web import params


def overview(as_of):
    """Everything the dashboard shows for `as_of`, from the domain functions; cached per
    data version (derived.py)."""
    return cached("overview", (as_of,), lambda: _overview(as_of))


def _overview(as_of):
    tasks = Task.objects.all()
    overdue = list(most_overdue(tasks, as_of, limit=10))
    open_leads = {}
    for task_id, name in (Assignment.objects.filter(
            task__in=[t.pk for t in overdue], role=Role.LEAD)
            .exclude(completed_on__lte=as_of)
            .order_by("organisation__sort_order", "organisation__name_key")
            .values_list("task_id", "organisation__name")):
        open_leads.setdefault(task_id, []).append(name)
    for task in overdue:
        task.open_leads = open_leads.get(task.pk, [])
        task.days_overdue = (as_of - task.deadline_due).days
    cards = [card for card in indicator_cards(as_of) if card.latest is not None]
    return {
        "summary": status_summary(tasks, as_of),
        "areas": summary_by_area(tasks, as_of),
        "agency_groups": agency_groups(agencies_overview(as_of)),
        "overdue": overdue,
        "cards": cards,
        "rounds": reporting_rounds(as_of),
    }


@require_safe
def dashboard(request):
    as_of, bad_date = params.as_of(request)
    context = {"as_of": as_of, "bad_date": bad_date, "no_area": NO_AREA, **overview(as_of)}
    return render(request, "web/dashboard.html", context)


def agency_groups(rows) -> list[tuple[str, list, bool]]:
    """Rows split as the reports split them: ministries and central agencies, provinces,
    then other bodies named in tasks; with whether any row has something due that very
    day (its table then shows that column, so each row's parts add up to its due)."""
    groups = {"central": [], "provinces": [], "other": []}
    for row in rows:
        kind = row.organisation.kind
        key = "central" if kind in CENTRAL_KINDS else "provinces" if kind == OrgKind.PROVINCE \
            else "other"
        groups[key].append(row)
    titles = {"central": _("Ministries and central agencies"), "provinces": _("Provinces"),
              "other": _("Other bodies")}
    return [(titles[key], rows, any(row.due_today for row in rows))
            for key, rows in groups.items() if rows]
