"""Downloads of every list: /api/export/<entity>.<csv|json|xlsx>, with the list's filters.

The browser session or an API token (Authorization: Bearer …) may fetch them; only
approved information is exported (exporting.py).
"""

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.accounts.policy import Action, require
from giamsat.api import tokens
from giamsat.exporting import ENTITIES, FORMATS, render
from giamsat.orgs.history import OrgGraph
from giamsat.tasks.models import Assignment
from giamsat.tasks.queries import filter_tasks
from giamsat.web import params
from giamsat.web.views.tasks import task_filter_from


@require_safe
def export(request, entity, fmt):
    if entity not in ENTITIES or fmt not in FORMATS:
        raise Http404(_("No such export."))
    user = request.user
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = tokens.find(header.removeprefix("Bearer ").strip())
        if token is None:
            raise PermissionDenied(_("The API token is not valid."))
        user = token.user
    require(user, Action.VIEW)
    as_of, _bad = params.as_of(request)
    filters = {}
    if entity == "tasks":
        task_filter, _shown, problems = task_filter_from(request, OrgGraph.load())
        if problems:
            return HttpResponse("\n".join(problems), status=400,
                                content_type="text/plain; charset=utf-8")
        filters["tasks"] = filter_tasks(task_filter, as_of)
    elif entity == "assignments" and params.integer(request, "nhiem_vu"):
        filters["assignments"] = Assignment.objects.filter(
            task_id=params.integer(request, "nhiem_vu"))
    elif entity == "observations" and request.GET.get("chi_tieu"):
        filters["indicator"] = request.GET["chi_tieu"]
    data = render(entity, fmt, as_of, **filters)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{entity}-{as_of:%Y-%m-%d}.{fmt}"'
    return response
