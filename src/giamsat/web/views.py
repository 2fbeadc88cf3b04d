import datetime

from django.db.models import Q
from django.shortcuts import get_object_or_404, render
from django.utils import timezone

from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgEvent, OrgKind
from giamsat.web.audit import change_log

# The tabs of the organisation list: what a civil servant looks for first.
SCOPES = {
    "central": {"kind__in": CENTRAL_KINDS},
    "provinces": {"kind": OrgKind.PROVINCE},
    "other": {"kind__in": [k for k in OrgKind.values
                           if k not in (*CENTRAL_KINDS, OrgKind.PROVINCE, OrgKind.COMMUNE)]},
}


def _as_of(request) -> datetime.date:
    try:
        return datetime.date.fromisoformat(request.GET.get("ngay", ""))
    except ValueError:
        return timezone.localdate()


def organisation_list(request):
    scope = request.GET.get("nhom", "central")
    if scope not in SCOPES:
        scope = "central"
    as_of = _as_of(request)
    include_former = request.GET.get("ca_giai_the") == "1"
    graph = OrgGraph.load()
    queryset = Organisation.objects.filter(**SCOPES[scope])
    if scope == "provinces":
        queryset = queryset.order_by("name_key", "valid_from")
    if not include_former:
        queryset = queryset.valid_on(as_of)
    rows = [
        {
            "org": org,
            "current": org.is_valid_on(as_of),
            "successors": [] if org.is_valid_on(as_of) else graph.successors(org, as_of),
            "predecessors": graph.predecessors(org),
        }
        for org in queryset
    ]
    return render(request, "web/organisation_list.html", {
        "rows": rows, "scope": scope, "as_of": as_of, "include_former": include_former,
        "scopes": SCOPES,
    })


def organisation_detail(request, slug):
    org = get_object_or_404(Organisation, slug=slug)
    graph = OrgGraph.load()
    events = OrgEvent.objects.filter(Q(source=org) | Q(target=org)).select_related(
        "source", "target"
    )
    return render(request, "web/organisation_detail.html", {
        "org": org,
        "aliases": org.aliases.all(),
        "events": events,
        "predecessors": graph.predecessors(org),
        "successors": graph.successors(org, timezone.localdate()),
        "history": change_log(org),
    })
