"""The REST API, /api/v1/, for agencies' own systems (django-ninja, OpenAPI 3.1).

Read what the web application shows, with the same filters and the same domain
functions; write an agency's monthly report in bulk. Authentication: an API token
(`Authorization: Bearer gs_…`, scoped to one organisation and role) or the browser's
session. Every answer that is not a success has one shape: {"error": {code, message,
details}}.
"""

import datetime
from decimal import Decimal

from django.core.exceptions import ObjectDoesNotExist, PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, NinjaAPI, Query, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError
from ninja.pagination import PageNumberPagination, paginate
from ninja.security import HttpBearer, django_auth

from giamsat.accounts.policy import Action, require, visible_submissions, visible_updates
from giamsat.api import schemas as s
from giamsat.api import tokens
from giamsat.api.bulk import BulkRejected, bulk_write
from giamsat.api.errors import error_body
from giamsat.api.ratelimit import PerCallerMinuteThrottle
from giamsat.api.schemas import Day, Id, Period, RegimeCode, ReportPeriod
from giamsat.difficulties import workflow as difficulty_workflow
from giamsat.difficulties.models import State
from giamsat.directives.models import Directive
from giamsat.indicators.blocs import bloc_figures
from giamsat.indicators.models import Indicator, Observation, Target
from giamsat.indicators.rollup import rollup
from giamsat.indicators.summary import indicator_card, national
from giamsat.ingest import behind
from giamsat.lib.text import fold
from giamsat.orgs.history import OrgGraph, carried_ids
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.rankings import tables as rankings_tables
from giamsat.reporting import rules as regime_rules
from giamsat.reporting import workflow
from giamsat.reporting.models import Regime
from giamsat.reports.models import GeneratedReport, ReportState
from giamsat.tasks.models import Assignment, Role, Task, Update
from giamsat.tasks.queries import (
    TaskFilter,
    filter_tasks,
    status_summary,
    with_assignment_status,
)
from giamsat.tasks.status import TaskStatus


class TokenAuth(HttpBearer):
    openapi_scheme = "bearer"

    def authenticate(self, request, token):
        found = tokens.find(token)
        if found is None:
            # A caller that sent a token meant it: say it is not valid (401), rather than
            # fall through to the session, whose CSRF check would answer a write with 403.
            raise AuthenticationError
        now = timezone.now()
        if found.last_used_at is None or now - found.last_used_at > datetime.timedelta(
                minutes=5):
            type(found).objects.filter(pk=found.pk).update(last_used_at=now)  # no audit
        request.user = found.user
        return found.user


api = NinjaAPI(
    title="giamsat API", version="1",
    description=__doc__, urls_namespace="api",
    auth=[TokenAuth(), django_auth],
    # settings.API_RATE_PER_MINUTE per token or user: a province's report fits in one request.
    throttle=[PerCallerMinuteThrottle()],
)

# 414: a URL longer than the middleware accepts (web/middleware.py), in the same shape.
READ_ERRORS = {code: s.Error for code in (400, 401, 403, 404, 414, 429)}
# 413: a body over GIAMSAT_MAX_REQUEST_MB, refused before it is read.
WRITE_ERRORS = {**READ_ERRORS, 409: s.Error, 413: s.Error}


def _error(request, status: int, code: str, message: str, details=()):
    return api.create_response(request, error_body(code, message, details), status=status)


@api.exception_handler(ValidationError)
def _invalid(request, exc):
    details = [{"field": ".".join(str(p) for p in e.get("loc", ()) if p not in ("body",
                                                                                 "query")),
                "message": e.get("msg", "")} for e in exc.errors]
    return _error(request, 400, "validation_error", _("The request is not valid."), details)


@api.exception_handler(AuthenticationError)
def _unauthorized(request, exc):
    return _error(request, 401, "unauthorized",
                  _("Give a valid API token (Authorization: Bearer …) or log in."))


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):
    return _error(request, 403, "forbidden", str(exc) or _("Not allowed."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return _error(request, 404, "not_found", str(exc) or _("Not found."))


@api.exception_handler(ObjectDoesNotExist)
def _missing(request, exc):
    return _error(request, 404, "not_found", _("Not found."))


@api.exception_handler(BulkRejected)
def _rejected(request, exc):
    return _error(request, 400, "validation_error",
                  _("Nothing was written: some rows cannot be accepted."),
                  [{"field": path, "message": message} for path, message in exc.problems])


@api.exception_handler(workflow.Conflict)
def _conflict(request, exc):
    return _error(request, 409, "conflict", str(exc))


@api.exception_handler(workflow.WorkflowError)
def _refused(request, exc):
    return _error(request, 409, "refused", str(exc))


class BadReportPeriod(Exception):
    """A report's period or regime that names nothing (rules.UnknownPeriod), for `field`."""

    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field


@api.exception_handler(BadReportPeriod)
def _bad_period(request, exc):
    return _error(request, 400, "validation_error", _("The request is not valid."),
                  [{"field": exc.field, "message": str(exc)}])


def _report_period(key: str, code: str | None):
    """(regime, period) of a report's period key and optional regime code, or 400."""
    if code and not Regime.objects.filter(code=code).exists() and \
            code != regime_rules.MONTHLY:
        raise BadReportPeriod("regime", _("No reporting regime “%(code)s”.") % {"code": code})
    if code and code != regime_rules.MONTHLY and \
            not Regime.objects.filter(code=code, is_active=True).exists():
        raise BadReportPeriod("regime", _("The reporting regime “%(code)s” is not in use.")
                              % {"code": code})
    try:
        return regime_rules.resolve(key, code)
    except regime_rules.UnknownPeriod as problem:
        raise BadReportPeriod("period", str(problem)) from problem


@api.exception_handler(HttpError)
def _http(request, exc):
    codes = {429: "throttled", 400: "validation_error", 404: "not_found"}
    return _error(request, exc.status_code, codes.get(exc.status_code, "error"), str(exc))


def _organisation(slug: str) -> Organisation:
    return get_object_or_404(Organisation, slug=slug)


def _as_of(day: datetime.date | None) -> datetime.date:
    return day or timezone.localdate()


class Pages(PageNumberPagination):
    class Input(Schema):
        page: int = Field(1, ge=1, le=1_000_000)
        page_size: int = Field(100, ge=1, le=1000)


# Organisations and directives --------------------------------------------------------------

class OrganisationFilter(Schema):
    kind: str | None = None
    valid_on: Day | None = None
    q: str | None = None
    parent: str | None = Field(None, description="slug of a province: its communes")


@api.get("/organisations", response={200: list[s.OrganisationOut], **READ_ERRORS},
         tags=["organisations"])
@paginate(Pages)
def organisations(request, filters: Query[OrganisationFilter]):
    """Organisations with their succession: who carries a former one forward, and whom a
    current one carries."""
    queryset = Organisation.objects.all()
    if filters.kind:
        queryset = queryset.filter(kind=filters.kind)
    if filters.valid_on:
        queryset = queryset.valid_on(filters.valid_on)
    if filters.q:
        queryset = queryset.filter(name_key__contains=fold(filters.q))
    if filters.parent:
        queryset = queryset.filter(parent=_organisation(filters.parent))
    graph = OrgGraph.load()
    today = timezone.localdate()
    return Lazy(queryset.order_by("kind", "sort_order", "name_key", "pk"),
                lambda page: [_org_out(org, graph, today) for org in page])


@api.get("/organisations/{slug}", response={200: s.OrganisationOut, **READ_ERRORS},
         tags=["organisations"])
def organisation(request, slug: str):
    return _org_out(_organisation(slug), OrgGraph.load(), timezone.localdate())


def _org_out(org, graph, today) -> dict:
    parent = graph.organisations.get(org.parent_id) if org.parent_id else None
    return {"slug": org.slug, "name": org.name, "short_name": org.short_name,
            "kind": org.kind, "admin_type": org.admin_type, "code": org.code,
            "parent": parent.slug if parent else None, "valid_from": org.valid_from,
            "valid_to": org.valid_to,
            "predecessors": [p.slug for p in graph.predecessors(org)],
            "successors": [] if org.is_valid_on(today) else
            [x.slug for x in graph.successors(org, today)]}


@api.get("/directives", response={200: list[s.DirectiveOut], **READ_ERRORS},
         tags=["tasks"])
@paginate(Pages)
def directives(request):
    return Directive.objects.order_by("-issued_on", "number", "pk").values(
        "id", "kind", "number", "issued_on", "title")


# Tasks, assignments, updates ------------------------------------------------------------------

class TaskQuery(Schema):
    as_of: Day | None = None
    organisation: str | None = None
    role: Role | None = None
    directive: Id | None = None
    area: str | None = Field(None, description="code of a programme area; "
                                               "chua-phan-linh-vuc for the tasks with none")
    status: list[TaskStatus] = []
    due_from: Day | None = None
    due_to: Day | None = None
    q: str | None = None


@api.get("/tasks", response={200: list[s.TaskOut], **READ_ERRORS}, tags=["tasks"])
@paginate(Pages)
def tasks(request, query: Query[TaskQuery]):
    """Tasks with their status as of a date: the filters of the task list page (an
    organisation includes those it carries forward; q ignores diacritics)."""
    task_filter = TaskFilter(role=query.role or "", directive_id=query.directive,
                             area=query.area or "", statuses=[str(x) for x in query.status],
                             due_from=query.due_from, due_to=query.due_to, text=query.q or "")
    if query.organisation:
        task_filter.organisation_ids = carried_ids(_organisation(query.organisation))
    return Lazy(filter_tasks(task_filter, _as_of(query.as_of)).select_related("programme_area")
                .order_by("deadline_due", "pk"),
                _tasks_out)


class Lazy:
    """A queryset the paginator slices: only the page is read and turned into dicts, so a
    list of millions costs what its page costs. `out(page)` → the page's dicts."""

    def __init__(self, queryset, out):
        self.queryset, self.out = queryset, out

    def __len__(self):
        return self.queryset.count()

    def count(self):
        return self.queryset.count()

    def __getitem__(self, item):
        return self.out(list(self.queryset[item]))


def _tasks_out(page) -> list[dict]:
    """Tasks with their lead agencies, read for the page only."""
    leads: dict[int, list] = {}
    for task_id, slug in Assignment.objects.filter(
            task__in=[t.pk for t in page], role=Role.LEAD).order_by(
            "organisation__sort_order", "organisation__name_key").values_list(
            "task_id", "organisation__slug"):
        leads.setdefault(task_id, []).append(slug)
    return [_task_out(t, leads.get(t.pk, [])) for t in page]


def _task_out(task, leads) -> dict:
    return {"id": task.pk, "title": task.title, "directive_id": task.directive_id,
            "area": task.area, "expected_output": task.expected_output,
            "programme_area": task.programme_area.code if task.programme_area_id else None,
            "deadline_text": task.deadline_text, "deadline_kind": task.deadline_kind,
            "due_date": task.deadline_due, "status": task.status, "leads": task.leads,
            "leads_done": task.leads_done, "lead_organisations": leads}


@api.get("/tasks/{task_id}", response={200: s.TaskOut, **READ_ERRORS}, tags=["tasks"])
def task(request, task_id: Id, as_of: Day | None = None):
    found = filter_tasks(TaskFilter(), _as_of(as_of), Task.objects.filter(pk=task_id)).first()
    if found is None:
        raise Http404(_("No such task."))
    leads = list(found.assignments.filter(role=Role.LEAD).values_list("organisation__slug",
                                                                      flat=True))
    return _task_out(found, leads)


class AssignmentQuery(Schema):
    as_of: Day | None = None
    task: Id | None = None
    organisation: str | None = None
    role: Role | None = None


@api.get("/assignments", response={200: list[s.AssignmentOut], **READ_ERRORS},
         tags=["tasks"])
@paginate(Pages)
def assignments(request, query: Query[AssignmentQuery]):
    queryset = Assignment.objects.all()
    if query.task:
        queryset = queryset.filter(task_id=query.task)
    if query.organisation:
        queryset = queryset.filter(organisation_id__in=carried_ids(
            _organisation(query.organisation)))
    if query.role:
        queryset = queryset.filter(role=query.role)
    rows = with_assignment_status(queryset, _as_of(query.as_of)).order_by("task_id", "pk")
    return Lazy(rows.select_related("organisation"), lambda page: [
        {"id": a.pk, "task_id": a.task_id, "organisation": a.organisation.slug,
         "role": a.role, "named_as": a.named_as, "completed_on": a.completed_on,
         "evidence": a.evidence, "status": a.status} for a in page])


class UpdateQuery(Schema):
    organisation: str | None = None
    period: Period | None = None
    task: Id | None = None


@api.get("/updates", response={200: list[s.UpdateOut], **READ_ERRORS}, tags=["tasks"])
@paginate(Pages)
def updates(request, query: Query[UpdateQuery]):
    """Agencies' updates on their assignments; drafts only to their own agency."""
    queryset = Update.objects.select_related("assignment__organisation", "submission")
    if query.organisation:
        queryset = queryset.filter(assignment__organisation_id__in=carried_ids(
            _organisation(query.organisation)))
    if query.period:
        queryset = queryset.filter(period=query.period)
    if query.task:
        queryset = queryset.filter(assignment__task_id=query.task)
    return Lazy(visible_updates(request.user, queryset).order_by("-period", "pk"),
                lambda page: [_update_out(u) for u in page])


def _update_out(u) -> dict:
    return {"id": u.pk, "assignment_id": u.assignment_id, "task_id": u.assignment.task_id,
            "organisation": u.assignment.organisation.slug, "period": u.period,
            "status": u.status, "completed_on": u.completed_on, "result": u.result,
            "evidence": u.evidence, "difficulties": u.difficulties, "proposals": u.proposals,
            "review_state": u.review_state, "review_comment": u.review_comment,
            "agency_report_id": u.submission_id}


@api.get("/summary", response={200: s.SummaryOut, **READ_ERRORS}, tags=["tasks"])
def summary(request, as_of: Day | None = None):
    """The dashboard's figures for a date, from the same function (status_summary)."""
    day = _as_of(as_of)
    result = status_summary(Task.objects.all(), day)
    return {"as_of": day, "total": result.total, "due_total": result.due_total,
            "due_completed": result.due_completed,
            "due_on_time": result.due[TaskStatus.COMPLETED_ON_TIME],
            "due_late": result.due[TaskStatus.COMPLETED_LATE],
            "overdue": result.due[TaskStatus.OVERDUE],
            "recurring": result.counts[TaskStatus.RECURRING],
            "undated": result.undated,
            "unassigned": result.counts[TaskStatus.UNASSIGNED],
            "not_yet_due": result.not_yet_due, "completed_early": result.completed_early}


# Indicators -----------------------------------------------------------------------------------

@api.get("/indicators", response={200: list[s.IndicatorOut], **READ_ERRORS},
         tags=["indicators"])
@paginate(Pages)
def indicators(request, proposed: bool | None = None):
    queryset = Indicator.objects.order_by("code")
    if proposed is not None:
        queryset = queryset.filter(proposed=proposed)
    return queryset.values("code", "name", "unit", "direction", "frequency", "accumulation",
                           "area", "proposed")


@api.get("/indicators/{code}", response={200: s.IndicatorCardOut, **READ_ERRORS},
         tags=["indicators"])
def indicator(request, code: str, as_of: Day | None = None,
              organisation: str | None = None):
    """Progress against the target (Open SDG method) and the trend, as the card shows."""
    found = get_object_or_404(Indicator, code=code)
    holder = _organisation(organisation) if organisation else national()
    card = indicator_card(found, _as_of(as_of), holder)
    return {"code": found.code, "organisation": holder.slug, "as_of": card.as_of,
            "latest_value": card.latest.value if card.latest else None,
            "latest_period": card.latest.period if card.latest else None,
            "previous_value": card.previous.value if card.previous else None,
            "target": (card.target.minimum if card.target.minimum is not None
                       else card.target.aspiration) if card.target else None,
            "target_date": card.target.period_end if card.target else None,
            "status": str(card.status), "projected": card.projected,
            "reaches_target": card.reaches_target}


class ShortfallQuery(Schema):
    organisation: str | None = None
    indicator: str | None = None
    task: Id | None = None
    date_from: Day | None = None
    date_to: Day | None = None


@api.get("/shortfalls", response={200: list[s.ShortfallOut], **READ_ERRORS}, tags=["tasks"])
@paginate(Pages)
def shortfalls(request, query: Query[ShortfallQuery]):
    """Agencies documents named as behind; an organisation's include those it carries."""
    carried = (carried_ids(_organisation(query.organisation)) if query.organisation
               else None)
    rows = behind.named(carried, start=query.date_from, end=query.date_to)
    if query.indicator:
        rows = rows.filter(indicator__code=query.indicator)
    if query.task:
        rows = rows.filter(task_id=query.task)
    return Lazy(rows, lambda page: [
        {"id": r.pk, "organisation": r.organisation.slug, "named_as": r.named_as,
         "statement": r.statement, "indicator": r.indicator.code if r.indicator else None,
         "task_id": r.task_id, "document": str(r.document), "line": r.line,
         "as_of": r.as_of} for r in page])


@api.get("/regimes", response={200: list[s.RegimeOut], **READ_ERRORS}, tags=["agency reports"])
def regimes(request, period: Day | None = None):
    """The reporting regimes in use; with `period` (any day of it), each one's data window
    and due date for the period holding that day."""
    found = []
    for regime in Regime.objects.filter(is_active=True):
        start = end = due = None
        if period is not None:
            # The regime's period holding the day (after the 14th, under Decree 09: the
            # next one), not the calendar period of the day.
            held = regime_rules.period_of(regime, period)
            start, end = regime_rules.window(regime, held)
            due = regime_rules.due_date(regime, held)
        found.append({"code": regime.code, "name": regime.name,
                      "period_type": regime.period_type, "cutoff": regime.cutoff,
                      "due_day": regime.due_day,
                      "remind_days_before": regime_rules.reminder_days(regime),
                      "legal_basis": regime.legal_basis, "window_start": start,
                      "window_end": end, "due_date": due})
    return found


@api.get("/indicators/{code}/blocs", response={200: list[s.BlocOut], **READ_ERRORS},
         tags=["indicators"])
def indicator_blocs(request, code: str, period: Period):
    """The blocs' figures for a month, as the indicator page and the monthly report give
    them."""
    found = get_object_or_404(Indicator, code=code)
    return [{"bloc": b.bloc.slug, "name": b.bloc.name, "period": b.period, "value": b.value,
             "source": b.source, "members": b.members, "reported": b.reported,
             "members_value": b.computed.value,
             "target": b.goal,
             "target_date": b.target.period_end if b.target else None}
            for b in bloc_figures(found, period)]


@api.get("/indicators/{code}/rollup", response={200: s.RollupOut, **READ_ERRORS},
         tags=["indicators"])
def indicator_rollup(request, code: str, organisation: str, period: Period):
    """A province's value for a month rolled up from its communes' values, as its
    scorecard shows it: a rate is the sum of the numerators over the sum of the
    denominators, never an average of percentages."""
    found = get_object_or_404(Indicator, code=code)
    province = _organisation(organisation)
    if province.kind != OrgKind.PROVINCE:
        raise HttpError(400, _("Values roll up to a province from its communes; "
                               "“%(slug)s” is not a province.") % {"slug": province.slug})
    result = rollup(found, province, period)
    return {"indicator": found.code, "organisation": province.slug, "period": result.period,
            "communes": result.communes, "reported": result.reported, "value": result.value,
            "numerator": result.numerator, "denominator": result.denominator,
            "without_counts": [c.slug for c in result.without_counts],
            "complete": result.complete}


class ValueQuery(Schema):
    indicator: str | None = None
    organisation: str | None = None
    period_from: Day | None = None
    period_to: Day | None = None


@api.get("/targets", response={200: list[s.TargetOut], **READ_ERRORS}, tags=["indicators"])
@paginate(Pages)
def targets(request, query: Query[ValueQuery], source: str | None = None):
    queryset = Target.objects.select_related("indicator", "organisation")
    queryset = _values_filter(queryset, query, "period_end")
    if source:
        queryset = queryset.filter(source=source)
    return Lazy(queryset.order_by("indicator_id", "organisation_id", "period_end", "pk"),
                lambda page: [{"id": t.pk, "indicator": t.indicator.code,
                               "organisation": t.organisation.slug,
                               "period_start": t.period_start, "period_end": t.period_end,
                               "minimum": t.minimum, "aspiration": t.aspiration,
                               "source": t.source} for t in page])


@api.get("/observations", response={200: list[s.ObservationOut], **READ_ERRORS},
         tags=["indicators"])
@paginate(Pages)
def observations(request, query: Query[ValueQuery]):
    queryset = Observation.objects.select_related("indicator", "organisation")
    queryset = _values_filter(queryset, query, "period")
    # Ordered by the index (indicator, organisation, period): a page is read straight from it.
    return Lazy(queryset.order_by("indicator_id", "organisation_id", "period"),
                lambda page: [{"id": o.pk, "indicator": o.indicator.code,
                               "organisation": o.organisation.slug, "period": o.period,
                               "observed_on": o.observed_on, "value": o.value,
                               "numerator": o.numerator, "denominator": o.denominator,
                               "source": o.source} for o in page])


def _values_filter(queryset, query, field: str):
    if query.indicator:
        queryset = queryset.filter(indicator__code=query.indicator)
    if query.organisation:
        queryset = queryset.filter(organisation_id__in=carried_ids(
            _organisation(query.organisation)))
    if query.period_from:
        queryset = queryset.filter(**{f"{field}__gte": query.period_from})
    if query.period_to:
        queryset = queryset.filter(**{f"{field}__lte": query.period_to})
    return queryset


# The register of difficulties and proposals --------------------------------------------------

class DifficultyQuery(Schema):
    state: State | None = None
    organisation: str | None = Field(None, description="raised by it or it must act")
    overdue: bool | None = None
    as_of: Day | None = None


def _difficulty_out(item) -> dict:
    return {"id": item.pk, "state": item.state, "problem": item.problem,
            "solution": item.solution, "area": item.area,
            "raised_by": item.raised_by.slug if item.raised_by else None,
            "raised_on": item.raised_on, "raised_for": item.raised_for,
            "deadline_text": item.deadline_text, "deadline_due": item.deadline_due,
            "resolved_on": item.resolved_on, "resolution": item.resolution,
            "decline_reason": item.decline_reason, "merged_into": item.merged_into_id,
            "responsibilities": [
                {"organisation": p.organisation.slug, "action": p.action,
                 "resolved_on": p.resolved_on, "resolution": p.resolution}
                for p in item.responsibilities.all()]}


@api.get("/difficulties", response={200: list[s.DifficultyOut], **READ_ERRORS},
         tags=["difficulties"])
@paginate(Pages)
def difficulties(request, query: Query[DifficultyQuery]):
    items = difficulty_workflow.register(
        states=[query.state] if query.state else None,
        organisation_ids=carried_ids(_organisation(query.organisation))
        if query.organisation else None,
        overdue_on=_as_of(query.as_of) if query.overdue else None)
    return Lazy(items.order_by("pk"), lambda page: [_difficulty_out(i) for i in page])


@api.get("/difficulties/{item_id}", response={200: s.DifficultyOut, **READ_ERRORS},
         tags=["difficulties"])
def difficulty(request, item_id: Id):
    found = difficulty_workflow.register().filter(pk=item_id).first()
    if found is None:
        raise Http404(_("No such item."))
    return _difficulty_out(found)


@api.post("/difficulties/raised-by/{organisation}",
          response={201: s.DifficultyOut, **WRITE_ERRORS}, tags=["difficulties"])
def raise_difficulty(request, organisation: str, payload: s.DifficultyIn):
    """An agency raises a difficulty and what it proposes; the standing office decides."""
    org = _organisation(organisation)
    require(request.user, Action.RAISE_DIFFICULTY, org)
    item = difficulty_workflow.raise_item(
        org, payload.problem, payload.solution, user=request.user,
        period=payload.period)
    return Status(201, _difficulty_out(difficulty_workflow.register().get(pk=item.pk)))


@api.post("/difficulties/{item_id}/done-by/{organisation}",
          response={200: s.DifficultyOut, **WRITE_ERRORS}, tags=["difficulties"])
def difficulty_done(request, item_id: Id, organisation: str, payload: s.DoneIn):
    """A responsible agency reports its part done; the item is resolved when all are."""
    org = _organisation(organisation)
    require(request.user, Action.RESOLVE_DIFFICULTY, org)
    item = difficulty_workflow.register().filter(pk=item_id).first()
    if item is None:
        raise Http404(_("No such item."))
    difficulty_workflow.report_done(item, org, payload.resolution, on=payload.on,
                                    user=request.user)
    return _difficulty_out(difficulty_workflow.register().get(pk=item.pk))


@api.exception_handler(difficulty_workflow.Refused)
def _difficulty_refused(request, exc):
    return _error(request, 409, "refused", str(exc))
# Rankings -------------------------------------------------------------------------------------

def _groups_out(groups: dict, thresholds) -> list[dict]:
    return [{"name": t.name, "minimum": t.minimum,
             "organisations": [o.slug for o in groups.get(t.name, [])]} for t in thresholds]


@api.get("/rankings/{code}", response={200: s.RankingOut, **READ_ERRORS}, tags=["rankings"])
def ranking(request, code: str, period: Period | None = None, as_of: Day | None = None):
    """League tables of an indicator for a period (by default the latest with values known
    by as_of), ministries and provinces apart, as the rankings page shows them; each
    table whole (at most a few dozen agencies), so not paginated."""
    found = get_object_or_404(Indicator, code=code)
    result = rankings_tables.league(found, period, _as_of(as_of))
    return {"indicator": found.code, "period": result.period,
            "previous_period": result.previous, "as_of": result.as_of,
            "higher_is_better": result.higher_is_better,
            "blocs": [{"bloc": table.bloc,
                       "rows": [_ranking_row(table, row) for row in table.rows],
                       "groups": _groups_out(table.groups, result.thresholds)}
                      for table in result.tables]}


def _ranking_row(table, row) -> dict:
    return {"organisation": row.agency.slug, "name": row.agency.name, "rank": row.rank,
            "rank_change": row.rank_change, "previous_rank": row.previous_rank,
            "value": row.value, "target": row.target, "met": row.met, "change": row.change,
            "previous_value": row.previous_value,
            "previous_from": [o.slug for o in table.previous_from.get(row.agency.pk, [])],
            "target_share": _rounded(table.score(row)), "group": table.group(row)}


def _rounded(value):
    return None if value is None else value.quantize(Decimal("0.01"))


@api.get("/compliance-groups", response={200: s.ComplianceOut, **READ_ERRORS},
         tags=["rankings"])
def compliance_groups(request, as_of: Day | None = None):
    """Ministries and provinces grouped by the share of their lead assignments due by
    as_of that were completed on time (groups I–IV by default; GIAMSAT_ON_TIME_GROUPS)."""
    day = _as_of(as_of)
    thresholds = rankings_tables.on_time_thresholds()
    return {"as_of": day, "blocs": [
        {"bloc": bloc.bloc,
         "agencies": [{"organisation": line.organisation.slug, "name": line.organisation.name,
                       "due_total": line.due, "due_on_time": line.on_time,
                       "due_completed": line.completed,
                       "on_time_share": _rounded(line.share), "group": line.group}
                      for line in bloc.lines],
         "groups": _groups_out(bloc.groups, thresholds)}
        for bloc in rankings_tables.on_time_groups(day, thresholds)]}


# Agency reports ---------------------------------------------------------------------------------

@api.get("/agency-reports", response={200: list[s.AgencyReportOut], **READ_ERRORS},
         tags=["agency reports"])
@paginate(Pages)
def agency_reports(request, organisation: str | None = None,
                   period: ReportPeriod | None = None, regime: RegimeCode | None = None):
    """Agencies' reports the caller may see: its own in any state, others' once submitted
    (standing office) or approved. `period` is a month, quarter, half-year or year (its
    regime's reports); `regime` alone lists that regime's reports."""
    queryset = visible_submissions(request.user).select_related("organisation", "regime")
    if organisation:
        queryset = queryset.filter(organisation=_organisation(organisation))
    if period:
        found, day = _report_period(period, regime)
        queryset = queryset.filter(regime=found, period=day)
    elif regime:
        found = Regime.objects.filter(code=regime).first()
        if found is None:
            raise BadReportPeriod("regime", _("No reporting regime “%(code)s”.")
                                  % {"code": regime})
        queryset = queryset.filter(regime=found)
    return Lazy(queryset.order_by("-period", "organisation_id", "pk"), lambda page: [
        {"id": r.pk, "organisation": r.organisation.slug, "regime": r.regime.code,
         "period": r.period, "period_key": r.period_key, "period_label": r.period_label,
         "state": r.state, "version": r.version, "submitted_at": r.submitted_at,
         "first_submitted_at": r.first_submitted_at, "reviewed_at": r.reviewed_at,
         "review_comment": r.review_comment} for r in page])


@api.post("/agency-reports/{organisation}/{period}/bulk",
          response={200: s.BulkOut, **WRITE_ERRORS}, tags=["agency reports"])
def bulk(request, organisation: str, period: ReportPeriod, payload: s.BulkIn,
         regime: RegimeCode | None = None):
    """Write assignment updates, indicator values and registered targets into the agency's
    report for a period, all or nothing; optionally submit it. The period says the regime:
    2025-07 a monthly report, 2025-Q2 a quarterly one, 2025-H1, 2025 (or name it with
    `regime`). The same idempotency key with the same body does the work once, for that one
    report; a bad row refuses the whole request and is named in `details`. Everything
    written is in the audit trail under the token's service account."""
    found, day = _report_period(period, regime)
    return bulk_write(request.user, _organisation(organisation), day, payload, found)


# Generated reports ------------------------------------------------------------------------------

@api.get("/reports", response={200: list[s.GeneratedReportOut], **READ_ERRORS},
         tags=["reports"])
@paginate(Pages)
def reports(request):
    """Monthly and half-year reports written from the data, with where to download them."""
    return Lazy(GeneratedReport.objects.order_by("-created_at", "pk"), lambda page: [
        {"id": r.pk, "kind": r.kind, "period": r.period, "as_of": r.as_of, "format": r.format,
         "state": r.state, "created_at": r.created_at,
         "download_url": reverse("web:download_report", args=[r.pk])
         if r.state == ReportState.READY else None} for r in page])

