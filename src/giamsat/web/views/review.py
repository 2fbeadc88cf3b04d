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
from giamsat.reporting import workflow
from giamsat.reporting.expected import reporting_rounds, reporting_status, waiting_for_review
from giamsat.reporting.models import Submission, SubmissionState, ValueKind
from giamsat.reporting.periods import (
    due_date,
    parse_period,
    period_key,
    recent_periods,
)
from giamsat.web import params
from giamsat.web.audit import change_log
from giamsat.web.writes import write_action


@require_safe
def review_queue(request):
    require(request.user, Action.REVIEW)
    today = timezone.localdate()
    rounds = reporting_rounds(today)
    period = parse_period(request.GET.get("ky", ""))
    reporting = rounds.closed if period in (None, rounds.closed.period) else \
        rounds.open if period == rounds.open.period else reporting_status(period, today)
    period = reporting.period
    submissions = visible_submissions(request.user).select_related("organisation",
                                                                   "submitted_by")
    waiting = waiting_for_review(submissions, today)
    returned = submissions.filter(state=SubmissionState.RETURNED, period=period)
    approved = submissions.filter(state=SubmissionState.APPROVED, period=period).order_by(
        "-reviewed_at")
    return render(request, "web/review_queue.html", {
        "period": period, "waiting": waiting, "returned": returned, "approved": approved,
        "overdue_days": settings.REVIEW_OVERDUE_DAYS,
        "waiting_overdue": sum(w.overdue for w in waiting),
        "reporting": reporting, "open": rounds.open,
        "period_choices": [(period_key(p), p) for p in recent_periods(today, 13)],
    })


@require_safe
def submission_detail(request, pk):
    submission = get_object_or_404(Submission.objects.select_related(
        "organisation", "submitted_by", "reviewed_by"), pk=pk)
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
        "due": due_date(submission.period),
        "can_review": submission.state == SubmissionState.SUBMITTED
        and allowed(request.user, Action.REVIEW, submission.organisation),
        "can_reopen": submission.state != SubmissionState.APPROVED
        and allowed(request.user, Action.REOPEN, submission.organisation),
        "history": change_log(submission),
        "today": timezone.localdate(),
    })


def _submission(pk):
    return get_object_or_404(Submission.objects.select_related("organisation"), pk=pk)


@require_POST
@write_action(Action.REVIEW)
def approve(request, pk):
    submission = _submission(pk)
    try:
        workflow.approve(submission, request.user, _version(request))
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
        return redirect("web:submission", pk=pk)
    messages.success(request, _("Approved the report of %(org)s for %(period)s.") % {
        "org": submission.organisation.name, "period": submission.period.strftime("%m/%Y")})
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
    messages.success(request, _("Returned the report of %(org)s for %(period)s with your "
                                "comment.") % {"org": submission.organisation.name,
                                               "period": submission.period.strftime("%m/%Y")})
    return redirect("web:review_queue")


@require_POST
@write_action(Action.REOPEN)
def reopen(request):
    organisation = get_object_or_404(Organisation, slug=request.POST.get("co_quan", ""))
    period = parse_period(request.POST.get("ky", ""))
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
                                     request.POST.get("reason", ""))
    except workflow.WorkflowError as problem:
        messages.error(request, str(problem))
        return redirect(back or "web:review_queue")
    messages.success(request, _("The period %(period)s stays open for %(org)s until %(date)s.")
                     % {"org": organisation.name, "date": until.strftime("%d/%m/%Y"),
                        "period": period.strftime("%m/%Y")})
    return redirect(back or reverse("web:submission", args=[submission.pk]))


def _version(request) -> int:
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return -1
