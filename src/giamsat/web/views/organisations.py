from collections import Counter

from django.db.models import Count, OuterRef, Q, Subquery
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from giamsat.accounts.policy import visible_submissions
from giamsat.indicators.models import Observation, Target
from giamsat.indicators.rollup import latest_month, rollups
from giamsat.indicators.summary import meets, target_value
from giamsat.ingest import behind
from giamsat.lib.months import month_end
from giamsat.lib.text import fold
from giamsat.orgs.communes import communes_of
from giamsat.orgs.history import OrgGraph, carried_ids
from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgEvent, OrgKind
from giamsat.reporting import rules as regime_rules
from giamsat.tasks.models import Assignment, Role
from giamsat.tasks.queries import summary_by_agency, with_assignment_status
from giamsat.tasks.status import TaskStatus
from giamsat.web import params
from giamsat.web.audit import change_log

INDICATORS_SHOWN = 30

# The tabs of the organisation list: what a civil servant looks for first.
SCOPES = {
    "central": {"kind__in": CENTRAL_KINDS},
    "provinces": {"kind": OrgKind.PROVINCE},
    "communes": {"kind": OrgKind.COMMUNE},
    "other": {"kind__in": [k for k in OrgKind.values
                           if k not in (*CENTRAL_KINDS, OrgKind.PROVINCE, OrgKind.COMMUNE)]},
}
# Administrative codes (GSO's) exist for provinces and communes only: the central
# agencies' and other bodies' tabs have no code column, which would be all dashes.
CODED_SCOPES = ("provinces", "communes")
COMMUNES_SHOWN = 200  # a search across the 3,321 communes shows this many at most


@require_safe
def organisation_list(request):
    scope = request.GET.get("nhom", "central")
    if scope not in SCOPES:
        scope = "central"
    as_of, bad_date = params.as_of(request)
    include_former = request.GET.get("ca_giai_the") == "1"
    graph = OrgGraph.load()
    queryset = Organisation.objects.filter(**SCOPES[scope])
    if scope == "provinces":
        queryset = queryset.order_by("name_key", "valid_from")
    if not include_former:
        queryset = queryset.valid_on(as_of)
    extra, more = {}, 0
    if scope == "communes":
        # 3,321 communes: those of one province, or those whose name holds the words asked.
        province = Organisation.objects.provinces().filter(
            slug=request.GET.get("tinh", "")).first()
        search = request.GET.get("q", "").strip()
        queryset = queryset.select_related("parent").order_by("name_key", "code")
        if province:
            queryset = queryset.filter(parent=province)
        if search:
            queryset = queryset.filter(name_key__contains=fold(search))
        if not province and not search:
            queryset = queryset.none()
        total = queryset.count()
        queryset, more = queryset[:COMMUNES_SHOWN], max(0, total - COMMUNES_SHOWN)
        extra = {"province": province, "search": search,
                 "province_choices": Organisation.objects.provinces().valid_on(as_of)
                 .order_by("name_key")}
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
        "rows": rows, "scope": scope, "as_of": as_of, "bad_date": bad_date,
        "include_former": include_former, "scopes": SCOPES,
        "show_code": scope in CODED_SCOPES, "more": more, **extra,
    })


@require_safe
def organisation_detail(request, slug):
    """The agency's scorecard: its tasks, indicators, reports and succession."""
    org = get_object_or_404(Organisation.objects.select_related("parent"), slug=slug)
    as_of, bad_date = params.as_of(request)
    graph = OrgGraph.load()
    predecessors = graph.predecessors(org)
    carried = carried_ids(org, graph)
    events = OrgEvent.objects.filter(Q(source=org) | Q(target=org)).select_related(
        "source", "target")
    assignments = Assignment.objects.filter(organisation_id__in=carried)
    current = org.is_valid_on(as_of)

    def own_row(role):
        rows = summary_by_agency(as_of, role, assignments, graph, rollup=current)
        return next((row for row in rows if row.organisation.pk == org.pk), None)

    # The 15 longest overdue by the assignment's own columns first (its copy of the
    # deadline), then their tasks: joining first would join all of a ministry's tasks.
    overdue_ids = list(with_assignment_status(assignments.filter(role=Role.LEAD), as_of)
                       .filter(status=TaskStatus.OVERDUE)
                       .order_by("deadline_due", "task_id").values_list("pk", flat=True)[:15])
    overdue = (Assignment.objects.filter(pk__in=overdue_ids)
               .select_related("task", "organisation").order_by("deadline_due", "task_id"))
    indicator_rows = agency_indicator_rows(org, predecessors, as_of)
    # A ministry may report on 200 indicators: those that missed their target first, and
    # the first INDICATORS_SHOWN unless the reader asks for all.
    show_all = request.GET.get("chi_tieu") == "tat-ca"
    indicator_rows.sort(key=lambda row: {False: 0, True: 1, None: 2}[row["met"]])
    indicators_hidden = 0 if show_all else max(0, len(indicator_rows) - INDICATORS_SHOWN)
    submissions = list(visible_submissions(request.user).filter(
        organisation_id__in=carried).select_related("organisation", "regime")[:12])
    for submission in submissions:
        submission.due = regime_rules.due_date(submission.regime, submission.period)
    return render(request, "web/organisation_detail.html", {
        **province_communes(org, as_of),
        "org": org, "as_of": as_of, "bad_date": bad_date,
        "aliases": org.aliases.all(),
        "events": events,
        "predecessors": predecessors,
        "successors": graph.successors(org, as_of),
        "lead": own_row(Role.LEAD),
        "coordinating": own_row(Role.COORDINATE),
        "overdue": overdue,
        "indicator_rows": indicator_rows if show_all else indicator_rows[:INDICATORS_SHOWN],
        "indicators_total": len(indicator_rows),
        "indicators_hidden": indicators_hidden,
        "submissions": submissions,
        "shortfalls": list(behind.named(carried)),
        "history": change_log(org),
        "TaskStatus": TaskStatus,
    })


def province_communes(org, as_of) -> dict:
    """A province's communes on its scorecard: each with its code and the tasks given to
    it, and the province's figures rolled up from its communes' values (rollup.py)."""
    if org.kind != OrgKind.PROVINCE:
        return {}
    communes = list(communes_of(org, as_of))
    tasks = Counter(dict(Assignment.objects.filter(organisation__in=communes)
                         .values_list("organisation_id").annotate(n=Count("pk"))
                         .values_list("organisation_id", "n")))
    for commune in communes:
        commune.tasks = tasks[commune.pk]
    month = latest_month(org, as_of) if communes else None
    return {"communes": communes,
            "commune_types": sorted(Counter(c.admin_type for c in communes).items()),
            "rollup_month": month, "rollups": rollups(org, month) if month else []}


def agency_indicator_rows(org, predecessors, as_of) -> list[dict]:
    """The latest value of each indicator an agency (or an organisation it carries)
    reported, with the target it registered for that month and whether it met it."""
    rows = []
    for holder in [org, *predecessors]:
        newest = (Observation.objects.filter(organisation=holder, period__lte=as_of,
                                             indicator=OuterRef("indicator"))
                  .order_by("-period").values("period")[:1])
        latest = {o.indicator_id: o for o in Observation.objects.filter(
            organisation=holder, period=Subquery(newest)).select_related("indicator")}
        ends = {month_end(o.period) for o in latest.values()}
        targets = {}
        for t in Target.objects.filter(organisation=holder, period_end__in=ends,
                                       indicator_id__in=list(latest)).order_by("-source"):
            targets[(t.indicator_id, t.period_end)] = t
        for observation in latest.values():
            target = targets.get((observation.indicator_id, month_end(observation.period)))
            goal = target_value(target) if target else None
            rows.append({"holder": holder, "indicator": observation.indicator,
                         "observation": observation, "target": goal,
                         "met": meets(observation.value, goal,
                                      observation.indicator.direction)})
    return rows
