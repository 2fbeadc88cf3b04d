"""What may happen to an item of the register, and when (models.py tells the story).

Plain functions: the pages, the API and the import call them, so a rule holds whichever
door a change comes through. A refused step raises Refused with the reason and changes
nothing (each step runs in one transaction).
"""

import datetime

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from giamsat.difficulties.models import OPEN_STATES, Difficulty, Responsibility, State
from giamsat.tasks.deadlines import parse_deadline

MAX_TEXT = 10_000


class Refused(Exception):
    pass


def _text(value: str, what: str, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise Refused(_("Write the %(what)s.") % {"what": what})
    if len(value) > MAX_TEXT:
        raise Refused(_("The %(what)s is longer than %(n)s characters.")
                      % {"what": what, "n": f"{MAX_TEXT:,}".replace(",", ".")})
    return value


def _save(item: Difficulty, user) -> Difficulty:
    item._history_user = user
    item.save()
    return item


def raise_item(organisation, problem: str, solution: str = "", *, period=None, area="",
               user=None, today: datetime.date | None = None) -> Difficulty:
    """An agency raises a difficulty, with what it proposes, in its report of `period`."""
    item = Difficulty(problem=_text(problem, _("difficulty")),
                      solution=_text(solution, _("proposal"), required=False),
                      area=area[:400], raised_by=organisation, raised_for=period,
                      raised_on=today or timezone.localdate(), created_by=user)
    return _save(item, user)


def _must_be(item: Difficulty, *states) -> None:
    if item.state not in states:
        raise Refused(_("This item is %(state)s: it cannot be changed that way.")
                      % {"state": item.get_state_display().lower()})


@transaction.atomic
def accept(item: Difficulty, parts: list[tuple[object, str]], *, deadline_text: str = "",
           user=None, today: datetime.date | None = None) -> Difficulty:
    """The standing office accepts the item and gives each agency its action."""
    _must_be(item, State.RAISED, State.ACCEPTED, State.HANDLING)
    if not parts:
        raise Refused(_("Choose at least one agency to act on it."))
    if deadline_text.strip():
        deadline = parse_deadline(deadline_text.strip(), today or timezone.localdate())
        if deadline.kind == "unparsed":
            raise Refused(_("The deadline “%(text)s” was not understood; write e.g. "
                            "“Tháng 9/2025”, “Quý IV/2025” or “30/09/2025”.")
                          % {"text": deadline_text.strip()})
        item.deadline_text, item.deadline_due = deadline.raw, deadline.due
    for organisation, action in parts:
        part, created = Responsibility.objects.get_or_create(
            difficulty=item, organisation=organisation,
            defaults={"action": _text(action, _("action"), required=False)})
        if not created and action.strip() and part.action != action.strip():
            part.action = _text(action, _("action"))
            part._history_user = user
            part.save()
    if item.state == State.RAISED:
        item.state = State.ACCEPTED
    return _save(item, user)


@transaction.atomic
def decline(item: Difficulty, reason: str, user=None) -> Difficulty:
    _must_be(item, *OPEN_STATES)
    item.decline_reason = _text(reason, _("reason"))
    item.state = State.DECLINED
    return _save(item, user)


@transaction.atomic
def merge(item: Difficulty, into: Difficulty, user=None) -> Difficulty:
    """A duplicate goes into the item it repeats; its agencies' parts go along."""
    _must_be(item, *OPEN_STATES)
    if into.pk == item.pk or not into.is_open:
        raise Refused(_("Merge only into another item that is still open."))
    for part in item.responsibilities.all():
        if not into.responsibilities.filter(organisation_id=part.organisation_id).exists():
            Responsibility.objects.create(difficulty=into, organisation_id=part.organisation_id,
                                          action=part.action)
    into.tasks.add(*item.tasks.all())
    item.state, item.merged_into = State.MERGED, into
    return _save(item, user)


@transaction.atomic
def report_done(item: Difficulty, organisation, resolution: str, *,
                on: datetime.date | None = None, user=None) -> Difficulty:
    """An agency reports its part done; the item is resolved when every part is."""
    _must_be(item, State.ACCEPTED, State.HANDLING)
    part = item.responsibilities.filter(organisation=organisation).first()
    if part is None:
        raise Refused(_("%(org)s has no part in this item.") % {"org": organisation})
    part.resolution = _text(resolution, _("what was done"))
    part.resolved_on = on or timezone.localdate()
    part._history_user = user
    part.save()
    # Read again: a caller may hold the parts prefetched from before this change.
    parts = list(Responsibility.objects.filter(difficulty=item).select_related("organisation"))
    if all(p.resolved_on for p in parts):
        item.state = State.RESOLVED
        item.resolved_on = max(p.resolved_on for p in parts)
        item.resolution = "\n".join(f"{p.organisation.name}: {p.resolution}" for p in parts)
    else:
        item.state = State.HANDLING
    return _save(item, user)


@transaction.atomic
def close(item: Difficulty, resolution: str, *, on: datetime.date | None = None,
          user=None) -> Difficulty:
    """The standing office records the item resolved (a decision settled it)."""
    _must_be(item, *OPEN_STATES)
    item.resolution = _text(resolution, _("how it was resolved"))
    item.resolved_on = on or timezone.localdate()
    item.state = State.RESOLVED
    return _save(item, user)


# Reading the register --------------------------------------------------------------------

def overdue_filter(as_of: datetime.date) -> Q:
    return Q(state__in=OPEN_STATES, deadline_due__lt=as_of)


def is_overdue(item: Difficulty, as_of: datetime.date) -> bool:
    return item.is_open and item.deadline_due is not None and item.deadline_due < as_of


def register(*, states=None, organisation_ids=None, area: str = "",
             overdue_on: datetime.date | None = None):
    """Items, newest first; an agency's are those it raised or must act on."""
    items = Difficulty.objects.select_related("raised_by", "directive", "document")
    if states:
        items = items.filter(state__in=list(states))
    if organisation_ids is not None:
        ids = list(organisation_ids)
        items = items.filter(Q(raised_by_id__in=ids)
                             | Q(responsibilities__organisation_id__in=ids)).distinct()
    if area:
        items = items.filter(area__icontains=area)
    if overdue_on is not None:
        items = items.filter(overdue_filter(overdue_on))
    return items.prefetch_related("responsibilities__organisation")


def proposals_raised(start: datetime.date, end: datetime.date):
    """Items agencies raised for reports of [start, end] with a proposal, not declined
    or merged away: the reports' proposals section lists them."""
    return (Difficulty.objects.filter(raised_for__gte=start, raised_for__lte=end,
                                      raised_by__isnull=False)
            .exclude(solution="").exclude(state__in=(State.DECLINED, State.MERGED))
            .select_related("raised_by").order_by("raised_by__sort_order", "pk"))


def in_period(start: datetime.date, as_of: datetime.date) -> dict:
    """What a report of a period from `start` says of the register, as it stood on
    `as_of` (often a few days after the period's end, and then its figures run to that
    day, as the task counts do): items resolved from the start to `as_of`, items raised by
    `as_of` and still open then, and the overdue ones among them."""
    base = register().filter(raised_on__lte=as_of)
    resolved = list(base.filter(state=State.RESOLVED, resolved_on__gte=start,
                                resolved_on__lte=as_of).order_by("resolved_on", "pk"))
    still_open = list(base.filter(Q(state__in=OPEN_STATES)
                                  | Q(state=State.RESOLVED, resolved_on__gt=as_of))
                      .order_by(F("deadline_due").asc(nulls_last=True), "pk"))
    overdue = [item for item in still_open
               if item.deadline_due is not None and item.deadline_due < as_of]
    return {"resolved": resolved, "open": still_open, "overdue": overdue}
