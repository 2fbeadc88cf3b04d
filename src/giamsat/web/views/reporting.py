"""Cập nhật: an agency writes its report for a month, then its leader submits it."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Exists, F, OuterRef, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from giamsat.accounts.policy import (
    Action,
    allowed,
    can_view_submission,
    home_organisation,
    require,
)
from giamsat.indicators.models import Frequency, Indicator, Observation, Target, TargetSource
from giamsat.indicators.summary import NATIONAL
from giamsat.lib import dates
from giamsat.lib.ids import parse_id
from giamsat.orgs.models import Organisation
from giamsat.reporting import regimes, rules, workflow
from giamsat.reporting.expected import REPORTING_KINDS
from giamsat.reporting.models import (
    REGIME_FREQUENCIES,
    RegimeIndicator,
    Submission,
    ValueKind,
)
from giamsat.tasks.models import Assignment, EvidenceFile, ReportedStatus, Role, Update
from giamsat.tasks.queries import with_assignment_status
from giamsat.tasks.status import TaskStatus
from giamsat.web import params, report_forms, report_rows, report_titles
from giamsat.web.views.difficulties import report_items
from giamsat.web.writes import write_action


@require_safe
def report_home(request):
    """The user's own report for the current period of the chosen regime (?che-do=quy;
    monthly by default); others choose an agency."""
    today = timezone.localdate()
    regime = _chosen_regime(request)
    period = rules.current_period(regime, today)
    home = home_organisation(request.user)
    chosen = request.GET.get("co_quan")
    if chosen:
        home = get_object_or_404(Organisation, slug=chosen)
    if home is not None and allowed(request.user, Action.EDIT_REPORT, home):
        return redirect("web:report_period", slug=home.slug, period=rules.key(regime, period))
    require(request.user, Action.EDIT_REPORT)
    organisations = Organisation.objects.filter(kind__in=REPORTING_KINDS).valid_on(today)
    return render(request, "web/report_choose.html", {
        "organisations": organisations, "period": period, "regime": regime,
        "period_label": rules.label(regime, period),
        "regime_choices": _regime_choices(None, today), "chosen_code": regime.code})


def _chosen_regime(request):
    """The regime of ?che-do= (an unknown one is the monthly regime: a link never fails)."""
    code = request.GET.get("che-do", "")
    found = next((r for r in rules.active_regimes() if r.code == code), None)
    return found or rules.regime()


def _regime_choices(organisation, today) -> list[dict]:
    """The active regimes the agency must report under, with the period open under each:
    a choice only when there is more than one."""
    choices = []
    for regime in rules.active_regimes():
        period = rules.current_period(regime, today)
        if organisation is not None and not rules.must_report(regime, period).filter(
                pk=organisation.pk).exists():
            continue
        choices.append({"regime": regime, "code": regime.code, "period": period,
                        "key": rules.key(regime, period),
                        "label": rules.label(regime, period),
                        "due": rules.due_date(regime, period)})
    return choices if len(choices) > 1 else []


def _context(request, slug: str, period_text: str):
    """(organisation, regime, period, report or None) of a report page's URL: the period
    key says the regime (2025-10 monthly, 2025-Q2 quarterly, 2025-H1, 2025)."""
    organisation = get_object_or_404(Organisation, slug=slug)
    try:
        regime, period = rules.resolve(period_text)
    except rules.UnknownPeriod as problem:
        raise Http404(str(problem)) from problem
    submission = Submission.objects.filter(organisation=organisation, regime=regime,
                                           period=period).select_related("regime").first()
    if submission is not None and not can_view_submission(request.user, submission):
        raise PermissionDenied(_("Only the agency itself can see a report it has not "
                                 "submitted."))
    if submission is None:
        require(request.user, Action.VIEW_DRAFT, organisation)
    return organisation, regime, period, submission


@require_safe
def report_period(request, slug, period):
    organisation, regime, period, submission = _context(request, slug, period)
    return _render_report(request, organisation, regime, period, submission)


def _render_report(request, organisation, regime, period, submission, tasks=None,
                   values=None, problems=None, status: int = 200):
    """The report page; `tasks` or `values` is a refused grid to show again as typed, with
    `problems` [(anchor, message)] listed above it."""
    today = timezone.localdate()
    carried = workflow.carried_organisation_ids(organisation)
    assignments = _report_assignments(carried, regime, period, submission)
    updates = {u.assignment_id: u for u in Update.objects.filter(submission=submission)
               .annotate(file_count=Count("files"))} if submission else {}
    for a in assignments:
        a.report_update = updates.get(a.pk)
    reopened_until = submission.reopened_until if submission else None
    period_open = rules.is_open(regime, period, today, reopened_until)
    editable = (submission is None or submission.is_editable) and period_open
    can_edit = editable and allowed(request.user, Action.EDIT_REPORT, organisation)
    view = report_rows.choose(assignments, request.GET, posted=None if tasks is None else [
        f.data.get(f.add_prefix("assignment")) for f in tasks.forms])
    if tasks is None:  # the rows shown only: the others are left as they are when saved
        tasks = report_forms.TaskFormSet(
            prefix="tasks", form_kwargs={"period": period, "today": today, "regime": regime},
            initial=[report_forms.task_initial(a, a.report_update) for a in view.rows])
    rows = {}
    for form in tasks.forms:
        pk = form.data.get(form.add_prefix("assignment")) if form.is_bound else \
            form.initial.get("assignment")
        rows[str(pk)] = form
    number = 0
    for a in assignments:  # numbered in the order shown, as the problems name them
        a.form = rows.get(str(a.pk))
        if a.role == Role.LEAD:
            number += 1
            a.row_number = number
    for a in assignments:
        if a.role != Role.LEAD:
            number += 1
            a.row_number = number
        if a.form is not None:
            a.form.row_number = a.row_number
    posted = [pk for pk in (parse_id(str(f.data.get(f.add_prefix("indicator"), "")))
                            for f in values.forms) if pk] if values is not None else []
    grid = value_grid(organisation, period, submission, posted, regime)
    if values is None:
        values = report_forms.ValueFormSet(
            prefix="values", form_kwargs={"units": {r["indicator"].pk: r["indicator"].unit
                                                    for r in grid}},
            initial=[report_forms.value_initial(r["indicator"], r["value"], r["target"])
                     for r in grid])
    value_rows = {}
    for form in values.forms:
        pk = form.data.get(form.add_prefix("indicator")) if form.is_bound else \
            form.initial.get("indicator")
        value_rows[str(pk)] = form
    for number, row in enumerate(grid, start=1):
        row["form"] = value_rows.get(str(row["indicator"].pk))
        row["number"] = number
        if row["form"] is not None:
            row["form"].row_number = number
    lead = [a for a in view.rows if a.role == Role.LEAD]
    monthly = report_titles.is_monthly(regime)
    return render(request, "web/report.html", {
        "organisation": organisation, "period": period, "submission": submission,
        "regime": regime, "monthly": monthly, "period_key": rules.key(regime, period),
        "period_label": rules.label(regime, period),
        "heading": report_titles.report_title(regime, period),
        "submit_title": report_titles.submit_title(regime, period),
        "window": rules.window(regime, period),
        "regime_choices": _regime_choices(organisation, today),
        "due": rules.due_date(regime, period), "editable": editable,
        "not_open": "" if period_open else workflow.not_open_message(period, today,
                                                                     reopened_until, regime),
        "can_edit": can_edit,
        "can_submit": editable and allowed(request.user, Action.SUBMIT_REPORT, organisation),
        "lead_groups": assignment_groups(lead, period, regime),
        "lead_count": sum(a.role == Role.LEAD for a in assignments), "rows": view,
        "coordinating": [a for a in view.rows if a.role == Role.COORDINATE],
        "tasks": tasks, "values": values, "problems": problems or [],
        "statuses": report_forms.STATUS_CHOICES, "hidden_fields": report_forms.TASK_HIDDEN,
        "value_hidden_fields": report_forms.VALUE_HIDDEN, "day_pattern": dates.WRITTEN_PATTERN,
        "problems_in": "tasks" if tasks.is_bound else "values" if values.is_bound else "",
        "grid": grid,
        "period_choices": [(rules.key(regime, p), rules.label(regime, p))
                           for p in _nearby_periods(regime, period, today)],
        # Difficulties are raised for a month (difficulties/): on the monthly report.
        "difficulties": report_items(organisation, period) if monthly else None,
        "can_raise": monthly and allowed(request.user, Action.RAISE_DIFFICULTY, organisation),
    }, status=status)


def _nearby_periods(regime, period, today, count: int = 6) -> list:
    """The last few periods up to today, and the one being viewed if it is older."""
    periods = rules.recent_periods(regime, today, count)
    if period not in periods:
        periods = [*periods[:count - 1], period]
    return periods


def _report_assignments(carried, regime, period, submission):
    """Assignments still open at the start of the period's data, or completed in it, or
    already in the report: what an agency has something to say about."""
    start, end = rules.window(regime, period)
    in_report = Update.objects.filter(submission=submission, assignment=OuterRef("pk")) \
        if submission else Update.objects.none()
    queryset = Assignment.objects.filter(organisation_id__in=carried).filter(
        Q(completed_on__isnull=True) | Q(completed_on__gte=start) | Exists(in_report))
    return list(with_assignment_status(queryset, end)
                .select_related("task", "organisation")
                # What falls due first; undated and recurring work last on every database
                # (SQLite sorts nulls first), so a page of the grid starts with what is due.
                .order_by("role", F("task__deadline_due").asc(nulls_last=True), "task_id"))


def assignment_groups(assignments, period, regime=None) -> list[tuple[str, list, bool]]:
    """(title, assignments, open by default): what needs saying this period comes first."""
    regime = regime or rules.regime()
    end = rules.window(regime, period)[1]
    groups = {"due": [], "recurring": [], "later": [], "done": []}
    for a in assignments:
        if TaskStatus(a.status).is_completed:
            groups["done"].append(a)
        elif a.status == "recurring":
            groups["recurring"].append(a)
        elif a.task.deadline_due is not None and a.task.deadline_due > end:
            groups["later"].append(a)
        else:
            groups["due"].append(a)
    monthly = report_titles.is_monthly(regime)
    titles = {"due": _("Due by the end of the month or overdue") if monthly
              else _("Due by the end of the period or overdue"),
              "recurring": _("Recurring"), "later": _("Due later"),
              "done": _("Completed in this month") if monthly
              else _("Completed in this period")}
    return [(titles[key], items, key == "due" or any(a.report_update for a in items))
            for key, items in groups.items() if items]


def reported_indicators(organisation, submission, also=(), regime=None):
    """The indicators of the report: those the regime says the agency must report, when
    it names any; else, monthly, those any agency has values or registered targets for
    (the others: the indicators of the frequencies they take); and any already in this
    report, and those of `also` (ids of a refused grid's rows, shown again as typed)."""
    regime = regime or rules.regime()
    named = RegimeIndicator.objects.filter(regime=regime)
    if named.exists():
        kinds = Q(pk__in=[])
        for rule in named.prefetch_related("exempt"):
            if organisation.kind in [k.strip() for k in rule.kinds.split(",")] and \
                    organisation not in rule.exempt.all():
                kinds |= Q(pk=rule.indicator_id)
        per_agency = Indicator.objects.filter(kinds, proposed=False)
    elif report_titles.is_monthly(regime):
        per_agency = Indicator.objects.filter(proposed=False, frequency=Frequency.MONTHLY)\
            .filter(Q(observations__in=Observation.objects.exclude(organisation__slug=NATIONAL))
                    | Q(targets__source=TargetSource.REGISTERED))
    else:
        # Without indicators of its own, a regime's grid holds those of the frequencies it
        # takes (models.REGIME_FREQUENCIES: a half-year regime, the quarterly ones).
        per_agency = Indicator.objects.filter(
            proposed=False, frequency__in=REGIME_FREQUENCIES.get(regime.period_type, ()))
    if submission is not None:
        per_agency = per_agency | Indicator.objects.filter(
            pk__in=submission.values.values("indicator"))
    if also:
        per_agency = per_agency | Indicator.objects.filter(pk__in=also, proposed=False)
    return per_agency.distinct().order_by("area", "name")


def value_grid(organisation, period, submission, also=(), regime=None) -> list[dict]:
    regime = regime or rules.regime()
    entries = {(v.indicator_id, v.kind): v for v in submission.values.all()} \
        if submission else {}

    def kept_under(p):  # the month an approved value of period p is kept under (workflow)
        return rules.window(regime, p)[1].replace(day=1)

    previous = regimes.previous_period(regime.period_type, period)
    last_values = dict(Observation.objects.filter(organisation=organisation,
                                                  period=kept_under(previous))
                       .values_list("indicator_id", "value"))
    official = dict(Observation.objects.filter(organisation=organisation,
                                               period=kept_under(period))
                    .values_list("indicator_id", "value"))
    official_targets = dict(Target.objects.filter(
        organisation=organisation, period_end=rules.calendar_end(regime, period),
        source=TargetSource.REGISTERED).values_list("indicator_id", "minimum"))
    return [{
        "indicator": indicator,
        "value": entries.get((indicator.pk, ValueKind.VALUE)),
        "target": entries.get((indicator.pk, ValueKind.TARGET)),
        "last": last_values.get(indicator.pk),
        "official": official.get(indicator.pk),
        "official_target": official_targets.get(indicator.pk),
    } for indicator in reported_indicators(organisation, submission, also, regime)]


# Writes -------------------------------------------------------------------------------

@write_action(Action.EDIT_REPORT)
def update_form(request, slug, period, assignment_id):
    organisation, regime, period_day, submission = _context(request, slug, period)
    assignment = get_object_or_404(Assignment.objects.select_related("task", "organisation"),
                                   pk=assignment_id)
    if assignment.organisation_id not in workflow.carried_organisation_ids(organisation):
        raise Http404(_("This assignment is not in this agency's report."))
    update = Update.objects.filter(submission=submission, assignment=assignment).first() \
        if submission else None
    back = reverse("web:report_period", args=[slug, period])
    form = {"status": (update.status if update else ReportedStatus.IN_PROGRESS),
            "completed_on": update.completed_on.strftime("%d/%m/%Y")
            if update and update.completed_on else "",
            "result": update.result if update else "", "evidence": update.evidence
            if update else "", "difficulties": update.difficulties if update else "",
            "proposals": update.proposals if update else "",
            "version": update.version if update else 0}
    error, status = None, 200
    if request.method == "POST":
        form = {key: request.POST.get(key, "") for key in form}
        try:
            error, status = _save_update(request, organisation, regime, period_day,
                                         assignment, form)
        except workflow.Conflict as problem:
            error, status = str(problem), 409
        except workflow.WorkflowError as problem:
            error, status = str(problem), 400
        if error is None:
            messages.success(request, _("Saved as a draft: %(task)s")
                             % {"task": str(assignment.task)[:80]})
            return redirect(back + f"#a{assignment.pk}")
    return render(request, "web/report_update.html", {
        "organisation": organisation, "period": period_day, "submission": submission,
        "heading": report_titles.report_title(regime, period_day),
        "period_label": rules.label(regime, period_day),
        "assignment": assignment, "update": update, "form": form, "error": error,
        "conflict": status == 409, "back": back, "statuses": ReportedStatus.choices,
        "max_evidence_mb": settings.MAX_EVIDENCE_MB, "day_pattern": dates.WRITTEN_PATTERN,
    }, status=status)


def _save_update(request, organisation, regime, period, assignment, form):
    """Save the form; (error, HTTP status) when the input itself is unreadable."""
    try:
        version = int(form["version"] or 0)
    except ValueError:
        return _("The form was damaged; reload the page."), 400
    completed_on, problem = params.read_day(form["completed_on"])
    if problem:
        return _("Completed on: %(problem)s") % {"problem": problem}, 400
    data = workflow.UpdateInput(
        status=form["status"], completed_on=completed_on, result=form["result"],
        evidence=form["evidence"], difficulties=form["difficulties"],
        proposals=form["proposals"])
    # One transaction: a refused file leaves the update unsaved too.
    with transaction.atomic():
        submission = workflow.start_report(organisation, period, request.user,
                                           regime=regime)
        update = workflow.save_update(submission, assignment, data, version, request.user)
        for uploaded in request.FILES.getlist("files"):
            workflow.attach_evidence(update, uploaded, request.user)
    return None, 200


@require_POST
@write_action(Action.EDIT_REPORT)
def save_tasks(request, slug, period):
    """The month's task grid, saved at once: every changed row, or none of them."""
    organisation, regime, period_day, submission = _context(request, slug, period)
    today = timezone.localdate()
    tasks = report_forms.TaskFormSet(request.POST, prefix="tasks",
                                     form_kwargs={"period": period_day, "today": today,
                                                  "regime": regime})

    def refused(status=400, said=None):
        titles = dict(Assignment.objects.filter(
            organisation_id__in=workflow.carried_organisation_ids(organisation))
            .values_list("pk", "task__title"))
        return _render_report(request, organisation, regime, period_day, submission,
                              tasks=tasks,
                              problems=said or report_forms.grid_problems(
                                  tasks, titles, "assignment"), status=status)

    if not tasks.is_valid():
        return refused()
    changed = [form for form in tasks.forms if form.changed_row]
    if not changed:
        messages.info(request, _("Nothing had changed."))
        return redirect(reverse("web:report_period", args=[slug, period])
                        + _view_query(request) + "#assignments")
    assignments = Assignment.objects.filter(
        organisation_id__in=workflow.carried_organisation_ids(organisation),
        pk__in=[form.cleaned_data["assignment"] for form in changed]).in_bulk()
    if len(assignments) < len({form.cleaned_data["assignment"] for form in changed}):
        return refused(said=[("", _("The form was damaged; reload the page."))])
    status = 400
    try:
        with transaction.atomic():
            submission = workflow.start_report(organisation, period_day, request.user,
                                               regime=regime)
            for form in changed:
                data = form.cleaned_data
                current = Update.objects.filter(submission=submission,
                                                assignment_id=data["assignment"]).first()
                try:
                    workflow.save_update(submission, assignments[data["assignment"]],
                                         workflow.UpdateInput(
                                             status=data["status"],
                                             completed_on=data["completed_on"],
                                             result=data["result"], evidence=data["evidence"],
                                             difficulties=current.difficulties if current
                                             else "",
                                             proposals=current.proposals if current else ""),
                                         data["version"], request.user, today=today)
                except workflow.Conflict as problem:
                    form.problem("", str(problem))
                    status = 409
                except workflow.WorkflowError as problem:
                    form.problem(problem.field, str(problem))
            if any(form.errors for form in changed):
                transaction.set_rollback(True)
    except workflow.WorkflowError as problem:  # the report cannot be written at all
        return refused(said=[("", str(problem))])
    if any(form.errors for form in changed):
        submission = Submission.objects.filter(organisation=organisation,
                                               regime=regime, period=period_day).first()
        return refused(status=status)
    messages.success(request, ngettext("Saved %(n)s task update as a draft.",
                                       "Saved %(n)s task updates as a draft.", len(changed))
                     % {"n": len(changed)})
    return redirect(reverse("web:report_period", args=[slug, period])
                    + _view_query(request) + "#assignments")


def _view_query(request) -> str:
    """The task grid's filter and page, as the form was posted with them."""
    kept = {k: v for k, v in request.GET.items()
            if k in (report_rows.SHOW, report_rows.PAGE_PARAM)}
    return "?" + urlencode(kept) if kept else ""


@require_POST
@write_action(Action.EDIT_REPORT)
def save_values(request, slug, period):
    """The indicator grid, saved at once through the same rule as the API."""
    organisation, regime, period_day, submission = _context(request, slug, period)
    back = reverse("web:report_period", args=[slug, period]) + "#values"
    ids = [request.POST.get(f"values-{i}-indicator", "") for i in range(
        min(parse_id(request.POST.get("values-TOTAL_FORMS", "")) or 0,
            report_forms.MAX_ROWS))]
    units = dict(Indicator.objects.filter(
        pk__in=[pk for pk in map(parse_id, ids) if pk is not None], proposed=False)
        .values_list("pk", "unit"))
    values = report_forms.ValueFormSet(request.POST, prefix="values",
                                       form_kwargs={"units": units})

    def refused(said=None, status=400):
        titles = dict(Indicator.objects.filter(pk__in=units).values_list("pk", "name"))
        return _render_report(request, organisation, regime, period_day, submission,
                              values=values,
                              problems=said or report_forms.grid_problems(
                                  values, titles, "indicator"), status=status)

    if not values.is_valid():
        return refused()
    changed = [form for form in values.forms if form.changed_row]
    entries = []
    for form in changed:
        data, clean = form.cleaned_data, form.cleaned_data["clean"]
        pk = data["indicator"]
        raw = request.POST.get(form.add_prefix("value"), "") or (
            f"{request.POST.get(form.add_prefix('numerator'), '')}/"
            f"{request.POST.get(form.add_prefix('denominator'), '')}"
            if clean.numerator is not None else "")
        entries.append(workflow.ValueInput(pk, ValueKind.VALUE, clean.value,
                                           data["value_version"], raw, clean.numerator,
                                           clean.denominator, data["note"]))
        entries.append(workflow.ValueInput(pk, ValueKind.TARGET, data["target"],
                                           data["target_version"],
                                           request.POST.get(form.add_prefix("target"), "")))
    if not entries:
        messages.info(request, _("Nothing had changed."))
        return redirect(back)
    try:
        workflow.clean_values(entries, regime)  # refused before a draft is created
        submission = workflow.start_report(organisation, period_day, request.user,
                                           regime=regime)
        changed_count = workflow.save_values(submission, entries, request.user)
    except workflow.Conflict as problem:
        return refused(said=[("", str(problem))], status=409)
    except workflow.WorkflowError as problem:
        return refused(said=[("", str(problem))])
    messages.success(request, _("Saved %(n)s values and targets as a draft.")
                     % {"n": changed_count} if changed_count else _("Nothing had changed."))
    return redirect(back)


@require_POST
@write_action(Action.SUBMIT_REPORT)
def submit_report(request, slug, period):
    _organisation, _regime, _period, submission = _context(request, slug, period)
    back = reverse("web:report_period", args=[slug, period])
    if submission is None:
        messages.error(request, _("The report is empty: update at least one assignment or "
                                  "enter at least one value before submitting."))
        return redirect(back)
    try:
        workflow.submit(submission, request.user, int(request.POST.get("version", -1)))
    except (ValueError, workflow.WorkflowError) as problem:
        messages.error(request, str(problem))
        return redirect(back)
    messages.success(request, report_titles.submitted_message(submission))
    return redirect(back)


@require_POST
@write_action(Action.EDIT_REPORT)
def delete_evidence(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related(
        "update__submission__organisation"), pk=pk)
    submission = evidence.update.submission
    if submission is None:
        raise Http404
    back = reverse("web:report_update", args=[submission.organisation.slug,
                                              submission.period_key,
                                              evidence.update.assignment_id])
    try:
        workflow.remove_evidence(evidence, request.user)
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
    else:
        messages.success(request, _("Removed %(name)s.") % {"name": evidence.name})
    return redirect(back)


@require_safe
def evidence_file(request, pk):
    evidence = get_object_or_404(EvidenceFile.objects.select_related(
        "update__submission", "update__assignment"), pk=pk)
    submission = evidence.update.submission
    visible = can_view_submission(request.user, submission) if submission else \
        allowed(request.user, Action.VIEW)
    if not visible:
        raise PermissionDenied(_("You cannot see the files of this report."))
    response = FileResponse(evidence.file.open("rb"), as_attachment=True,
                            filename=evidence.name, content_type=evidence.content_type)
    return response
