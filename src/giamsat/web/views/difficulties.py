"""Vướng mắc, kiến nghị: the register of difficulties and proposals, and each item's steps.

Agencies raise items from their monthly report page; the standing office accepts and
assigns, declines, merges or closes them here; a responsible agency reports its part
done here. The rules are in difficulties/workflow.py.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from giamsat.accounts.policy import Action, allowed, require
from giamsat.difficulties import workflow
from giamsat.difficulties.models import OPEN_STATES, Difficulty, Responsibility, State
from giamsat.lib.ids import parse_id
from giamsat.orgs.history import carried_ids
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.reporting.periods import parse_period, period_key
from giamsat.web import params
from giamsat.web.audit import change_log, history_log
from giamsat.web.writes import write_action

PAGE = 100


def _shown_filters(request) -> dict:
    """The list's filters as the person chose them: state, agency, area, overdue."""
    return {
        "state": request.GET.get("trang_thai", ""),
        "agency": Organisation.objects.filter(slug=request.GET.get("co_quan", "")).first(),
        "area": request.GET.get("linh_vuc", "").strip()[:100],
        "overdue": request.GET.get("qua_han") == "1",
    }


def _register_filters(shown: dict, as_of) -> dict:
    state, agency = shown["state"], shown["agency"]
    return {
        "states": OPEN_STATES if state == "dang-mo" else [state] if state in State.values
        else None,
        "organisation_ids": carried_ids(agency) if agency else None,
        "area": shown["area"],
        "overdue_on": as_of if shown["overdue"] else None,
    }


def difficulty_filters(request, as_of) -> dict:
    """workflow.register()'s arguments for the list's filters (the page and its downloads)."""
    return _register_filters(_shown_filters(request), as_of)


@require_safe
def difficulty_list(request):
    require(request.user, Action.VIEW)
    as_of, bad_date = params.as_of(request)
    shown_filters = _shown_filters(request)
    items = workflow.register(**_register_filters(shown_filters, as_of))
    total = items.count()
    shown = list(items[:PAGE])
    for item in shown:
        item.overdue = workflow.is_overdue(item, as_of)
    return render(request, "web/difficulties.html", {
        "items": shown, "total": total, "as_of": as_of, "bad_date": bad_date,
        **shown_filters, "states": State.choices,
        "agencies": Organisation.objects.valid_on(as_of).exclude(
            kind__in=[OrgKind.COMMUNE, OrgKind.NATION]).order_by("sort_order", "name_key"),
        "export_query": request.GET.urlencode(),
    })


@require_safe
def difficulty_detail(request, pk):
    require(request.user, Action.VIEW)
    item = get_object_or_404(Difficulty.objects.select_related(
        "raised_by", "document", "directive", "merged_into"), pk=pk)
    today = timezone.localdate()
    parts = list(item.responsibilities.select_related("organisation"))
    for part in parts:
        part.mine = (item.state in (State.ACCEPTED, State.HANDLING) and not part.resolved_on
                     and allowed(request.user, Action.RESOLVE_DIFFICULTY, part.organisation_id))
    history = change_log(item) + history_log(
        Responsibility.history.filter(difficulty_id=item.pk), Responsibility,
        subject=lambda r: r.organisation.name if r.organisation_id else "")
    history.sort(key=lambda entry: entry.when, reverse=True)
    can_handle = item.is_open and allowed(request.user, Action.HANDLE_DIFFICULTY)
    return render(request, "web/difficulty.html", {
        "item": item, "parts": parts, "overdue": workflow.is_overdue(item, today),
        "can_handle": can_handle, "history": history, "State": State,
        "tasks": list(item.tasks.all()[:20]),
        "agencies": Organisation.objects.valid_on(today).exclude(
            kind__in=[OrgKind.COMMUNE, OrgKind.NATION]).order_by("sort_order", "name_key")
        if can_handle else [],
        "open_items": Difficulty.objects.filter(state__in=OPEN_STATES).exclude(pk=item.pk)
        .order_by("-raised_on")[:200] if can_handle else [],
    })


def _day(request) -> object:
    """The date typed for a step, or None for today; a date that cannot be read is refused."""
    day, problem = params.read_day(request.POST.get("on", ""))
    if problem:
        raise workflow.Refused(problem)
    return day


def _step(request, pk, step, done_message):
    item = get_object_or_404(Difficulty, pk=pk)
    try:
        step(item)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, done_message)
    return redirect("web:difficulty", pk=pk)


@require_POST
@write_action(Action.RAISE_DIFFICULTY)
def raise_difficulty(request, slug, period):
    organisation = get_object_or_404(Organisation, slug=slug)
    require(request.user, Action.RAISE_DIFFICULTY, organisation)
    month = parse_period(period)
    back = redirect("web:report_period", slug=slug, period=period)
    if month is None:
        messages.error(request, _("No such reporting period."))
        return back
    try:
        item = workflow.raise_item(organisation, request.POST.get("problem", ""),
                                   request.POST.get("solution", ""), period=month,
                                   user=request.user)
    except workflow.Refused as refused:
        messages.error(request, str(refused))
        return back
    messages.success(request, _("Raised to the standing office as item %(number)s of the "
                                "register.") % {"number": item.pk})
    return redirect(f"{back['Location']}#vuong-mac")


@require_POST
@write_action(Action.HANDLE_DIFFICULTY)
def accept_difficulty(request, pk):
    slugs = request.POST.getlist("agency")
    agencies = list(Organisation.objects.filter(slug__in=slugs))
    action = request.POST.get("action", "")
    return _step(request, pk, lambda item: workflow.accept(
        item, [(agency, action) for agency in agencies],
        deadline_text=request.POST.get("deadline", ""), user=request.user),
        _("Accepted and assigned to %(n)s agencies.") % {"n": len(agencies)})


@require_POST
@write_action(Action.HANDLE_DIFFICULTY)
def decline_difficulty(request, pk):
    return _step(request, pk, lambda item: workflow.decline(
        item, request.POST.get("reason", ""), user=request.user), _("Declined, with the reason."))


@require_POST
@write_action(Action.HANDLE_DIFFICULTY)
def merge_difficulty(request, pk):
    into_id = parse_id(request.POST.get("into", ""))

    def merge(item):
        into = Difficulty.objects.filter(pk=into_id).first() if into_id else None
        if into is None:
            raise workflow.Refused(_("Choose the item it repeats."))
        workflow.merge(item, into, user=request.user)

    return _step(request, pk, merge, _("Merged into the item it repeats."))


@require_POST
@write_action(Action.HANDLE_DIFFICULTY)
def close_difficulty(request, pk):
    return _step(request, pk, lambda item: workflow.close(
        item, request.POST.get("resolution", ""), on=_day(request), user=request.user),
        _("Recorded as resolved."))


@require_POST
@write_action(Action.RESOLVE_DIFFICULTY)
def resolve_part(request, pk):
    organisation = get_object_or_404(Organisation, slug=request.POST.get("agency", ""))
    require(request.user, Action.RESOLVE_DIFFICULTY, organisation)
    return _step(request, pk, lambda item: workflow.report_done(
        item, organisation, request.POST.get("resolution", ""), on=_day(request),
        user=request.user),
        _("Reported done for %(org)s.") % {"org": organisation.name})


def report_items(organisation, period):
    """For the agency's report page: what it raised for the period, and the open items it
    must act on."""
    carried = carried_ids(organisation)
    return {
        "raised": list(Difficulty.objects.filter(raised_by_id__in=carried, raised_for=period)
                       .order_by("pk")),
        "to_act": list(Responsibility.objects.filter(
            organisation_id__in=carried, resolved_on__isnull=True,
            difficulty__state__in=(State.ACCEPTED, State.HANDLING))
            .select_related("difficulty").order_by("difficulty__deadline_due", "pk")[:50]),
        "period_key": period_key(period),
    }
