"""Downloads of every list: /api/export/<entity>.<csv|json|xlsx>, with the list's filters.

The browser session or an API token (Authorization: Bearer …) may fetch them; only
approved information is exported (exporting.py). Under /api/, a refusal is in the API's
error shape.
"""

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from giamsat.accounts.policy import Action, require
from giamsat.api import tokens
from giamsat.api.errors import error_response
from giamsat.exporting import ENTITIES, FORMATS, render
from giamsat.indicators.models import Indicator
from giamsat.lib.ids import parse_id
from giamsat.orgs.history import OrgGraph
from giamsat.reporting.periods import parse_month_as_written
from giamsat.tasks.models import Assignment
from giamsat.tasks.queries import filter_tasks
from giamsat.web import params
from giamsat.web.views.difficulties import difficulty_filters
from giamsat.web.views.tasks import task_filter_from


@require_safe
def export(request, entity, fmt):
    if entity not in ENTITIES or fmt not in FORMATS:
        return error_response(404, "not_found", _("No such export."))
    user = request.user
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        token = tokens.find(header.removeprefix("Bearer ").strip())
        if token is None:
            return error_response(401, "unauthorized", _("The API token is not valid."))
        user = token.user
    if not user.is_authenticated:
        return error_response(401, "unauthorized", _("Give a valid API token (Authorization: "
                                                     "Bearer …) or log in."))
    try:
        require(user, Action.VIEW)
    except PermissionDenied as refused:
        return error_response(403, "forbidden", str(refused) or _("Not allowed."))
    # A page shows today instead of a date it cannot use, and says so; a file cannot.
    as_of, problem = params.read_day(request.GET.get("ngay"))
    if problem:
        return _refused([problem])
    as_of = as_of or timezone.localdate()
    filters = {}
    if entity == "tasks":
        task_filter, _shown, problems = task_filter_from(request, OrgGraph.load())
        if problems:
            return _refused(problems)
        filters["tasks"] = filter_tasks(task_filter, as_of)
    elif entity == "assignments" and request.GET.get("nhiem_vu"):
        task_id = parse_id(request.GET["nhiem_vu"])
        if task_id is None:
            return _refused([_("Unknown task.")])
        filters["assignments"] = Assignment.objects.filter(task_id=task_id)
    elif entity in ("observations", "shortfalls") and request.GET.get("chi_tieu"):
        filters["indicator"] = request.GET["chi_tieu"]
    elif entity == "difficulties":
        filters.update(difficulty_filters(request, as_of))
    elif entity == "rankings":
        problems = []
        code = request.GET.get("chi_tieu", "").strip()
        if code and not Indicator.objects.filter(code=code).exists():
            problems.append(_("There is no indicator “%(code)s”.") % {"code": code})
        written = request.GET.get("thang", "").strip()
        period = parse_month_as_written(written) if written else None
        if written and period is None:
            problems.append(_("“%(text)s” is not a month; write it as mm/yyyy.")
                            % {"text": written})
        if problems:
            return _refused(problems)
        filters.update(indicator=code or None, period=period)
    data = render(entity, fmt, as_of, **filters)
    response = HttpResponse(data, content_type=FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="{entity}-{as_of:%Y-%m-%d}.{fmt}"'
    return response


def _refused(problems: list[str]):
    """A filter that cannot be used: 400 and what was wrong, never a file of something else."""
    return error_response(400, "validation_error", " ".join(problems))
