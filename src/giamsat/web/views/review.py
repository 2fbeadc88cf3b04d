"""Duyệt: the standing office's queue of submitted reports; approve or return each."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from giamsat.accounts.policy import (
    Action,
    allowed,
    can_view_submission,
    require,
    visible_submissions,
)
from giamsat.orgs.models import Organisation
from giamsat.reporting import regimes, rules, workflow
from giamsat.reporting.expected import (
    other_rounds,
    reporting_rounds,
    reporting_status,
    waiting_for_review,
)
from giamsat.reporting.models import Submission, SubmissionState, ValueKind
from giamsat.web import params, report_titles
from giamsat.web.audit import change_log
from giamsat.web.writes import write_action


@require_safe
def review_queue(request):
    """Reports waiting for review (of every regime, or of the one chosen with ?che-do=),
    and one regime's round (?ky=, monthly by default) with the other regimes' rates."""
    require(request.user, Action.REVIEW)
    today = timezone.localdate()
    code = request.GET.get("che-do", "")
    active = rules.active_regimes()
    regime = next((r for r in active if r.code == code), None) or rules.regime()
    rounds = reporting_rounds(today, regime)
    parsed = regimes.parse_key(request.GET.get("ky", ""))
    period = parsed[1] if parsed and parsed[0] == regime.period_type else None
    reporting = rounds.closed if period in (None, rounds.closed.period) else \
        rounds.open if period == rounds.open.period else \
        reporting_status(regimes.calendar_period(regime.period_type, period), today, regime)
    period = reporting.period
    submissions = visible_submissions(request.user).select_related("organisation",
                                                                   "submitted_by", "regime")
    waiting = waiting_for_review(submissions.filter(regime=regime) if code else submissions,
                                 today)
    returned = submissions.filter(state=SubmissionState.RETURNED, regime=regime,
                                  period=period)
    approved = submissions.filter(state=SubmissionState.APPROVED, regime=regime,
                                  period=period).order_by("-reviewed_at")
    return render(request, "web/review_queue.html", {
        "period": period, "waiting": waiting, "returned": returned, "approved": approved,
        "overdue_days": settings.REVIEW_OVERDUE_DAYS,
        "waiting_overdue": sum(w.overdue for w in waiting),
        "reporting": reporting, "open": rounds.open, "regime": regime,
        "chosen_code": code, "regimes": active if len(active) > 1 else [],
        "round_title": report_titles.reports_title(regime, period),
        "open_title": report_titles.reports_title(regime, rounds.open.period),
        # The other regimes' rates, on the monthly queue only: one line each.
        "other_rounds": other_rounds(today) if regime.code == rules.MONTHLY else [],
        "period_choices": [(rules.key(regime, p), rules.label(regime, p))
                           for p in rules.recent_periods(regime, today, 13)],
        "period_key": reporting.key,
    })


@require_safe
def submission_detail(request, pk):
    submission = get_object_or_404(Submission.objects.select_related(
        "organisation", "submitted_by", "reviewed_by", "regime"), pk=pk)
    if not can_view_submission(request.user, submission):
        raise PermissionDenied(_("You can only see the reports of your own agency."))
    updates = (submission.updates.select_related("assignment__task",
                                                 "assignment__organisation")
               .prefetch_related("files").order_by("assignment__role", "assignment__task_id"))
    values = submission.values.select_related("indicator").order_by("indicator__name", "kind")
    rows: dict[int, dict] = {}
    for value in values:
        row = rows.setdefault(value.indicator_id, {"indicator": value.indicator})
        row["value" if value.kind == ValueKind.VALUE else "target"] = value
    return render(request, "web/submission.html", {
        "submission": submission, "updates": updates, "value_rows": list(rows.values()),
        "due": rules.due_date(submission.regime, submission.period),
        "heading": report_titles.report_title(submission.regime, submission.period),
        "can_review": submission.state == SubmissionState.SUBMITTED
        and allowed(request.user, Action.REVIEW, submission.organisation),
        "can_reopen": submission.state != SubmissionState.APPROVED
        and allowed(request.user, Action.REOPEN, submission.organisation),
        "history": change_log(submission),
        "today": timezone.localdate(),
    })


def _submission(pk):
    return get_object_or_404(Submission.objects.select_related("organisation", "regime"),
                             pk=pk)


@require_POST
@write_action(Action.REVIEW)
def approve(request, pk):
    submission = _submission(pk)
    try:
        workflow.approve(submission, request.user, _version(request))
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
        return redirect("web:submission", pk=pk)
    messages.success(request, report_titles.reviewed_message(submission, returned=False))
    return redirect("web:review_queue")


@require_POST
@write_action(Action.REVIEW)
def return_report(request, pk):
    submission = _submission(pk)
    try:
        workflow.return_report(submission, request.user, _version(request),
                               request.POST.get("comment", ""))
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
        return redirect("web:submission", pk=pk)
    messages.success(request, report_titles.reviewed_message(submission, returned=True))
    return redirect("web:review_queue")


@require_POST
@write_action(Action.REOPEN)
def reopen(request):
    organisation = get_object_or_404(Organisation, slug=request.POST.get("co_quan", ""))
    try:
        regime, period = rules.resolve(request.POST.get("ky", ""),
                                       request.POST.get("che-do", "") or None)
    except rules.UnknownPeriod:
        regime, period = None, None
    until = params.parse_day(request.POST.get("until", ""))
    back = request.POST.get("next") or ""
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = ""
    try:
        if period is None:
            raise workflow.WorkflowError(_("No such reporting period."))
        if until is None:
            raise workflow.WorkflowError(_("Give the new closing date as dd/mm/yyyy."))
        submission = workflow.reopen(organisation, period, request.user, until,
                                     request.POST.get("reason", ""), regime=regime)
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
        return redirect(back or "web:review_queue")
    messages.success(request, _("The period %(period)s stays open for %(org)s until %(date)s.")
                     % {"org": organisation.name, "date": until.strftime("%d/%m/%Y"),
                        "period": rules.label(regime, period)})
    return redirect(back or reverse("web:submission", args=[submission.pk]))


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1
