"""Notifications: who is told what, in the app (the bell in the header) and by email.

- A report is submitted: the standing office, which reviews it.
- A report is returned (with the office's comment), approved, or its period opened again
  for the agency: the agency's reporters and leaders, that is the users whose profile
  organisation is the report's organisation or one that carries it forward (Tuyên Quang's
  people for Hà Giang's report of June 2025).
- The day's reminders (reminders.py): each recipient of a digest.

Nobody is told of what they did themselves. The workflow (reporting/workflow.py) calls
`report_event` inside the transaction of the change, so every way in (pages, the API, bulk
writes) notifies, and a change is never without its notifications nor the reverse.

Email goes through the outbox (models.Message, `/thu-gui/`): a user who wants each
notification at once (the default) gets a message sent by a background job after the
commit; one who chose the daily digest gets one message a day with what is waiting,
written by the daily run of `giamsat remind` (`write_digests`). A user without an email
address sees notifications in the app only. Emails are in Vietnamese.
"""

import datetime
from collections import defaultdict

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from giamsat.accounts.models import AGENCY_ROLES, Role
from giamsat.notify.mail import send_soon
from giamsat.notify.models import EmailChoice, EmailPreference, Kind, Message, Notification
from giamsat.orgs.history import OrgGraph

SETTINGS_PATH = "/thong-bao/cai-dat/"


def carriers(organisation_id: int, graph: OrgGraph | None = None) -> set[int]:
    """The organisation and every organisation that carries it forward, at any date."""
    graph = graph or OrgGraph.load()
    found, stack = set(), [organisation_id]
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(target for _effective, target in graph.forward.get(pk, []))
    return found


def agency_people(organisation) -> list:
    """The active reporters and leaders of `organisation` and of those carrying it."""
    pk = organisation if isinstance(organisation, int) else organisation.pk
    return list(get_user_model().objects.filter(
        is_active=True, profile__role__in=[r.value for r in AGENCY_ROLES],
        profile__organisation_id__in=carriers(pk)).select_related("profile").order_by("pk"))


def office_people() -> list:
    """The active users of the standing office: the reviewers."""
    return list(get_user_model().objects.filter(
        is_active=True, profile__role=Role.STANDING_OFFICE).select_related("profile")
        .order_by("pk"))


def report_event(kind: str, submission, actor, text: str = "",
                 day: datetime.date | None = None) -> list[Notification]:
    """Tell the people concerned that `submission` was submitted, returned, approved or
    opened again (kind); `text` is the comment or reason, `day` the new closing date."""
    if kind == Kind.SUBMITTED:
        people = office_people()
        link = reverse("web:submission", args=[submission.pk])
    else:
        people = agency_people(submission.organisation_id)
        link = reverse("web:report_period", args=[submission.organisation.slug,
                                                  submission.period_key])
    people = [user for user in people if actor is None or user.pk != actor.pk]
    return notify(people, kind=kind, organisation=submission.organisation,
                  submission=submission, period=submission.period, day=day, actor=actor,
                  text=text, link=link)


def preferences(users) -> dict[int, str]:
    return dict(EmailPreference.objects.filter(user__in=[u.pk for u in users])
                .values_list("user_id", "email"))


def preference(user) -> str:
    return preferences([user]).get(user.pk, EmailChoice.IMMEDIATE)


def notify(users, **fields) -> list[Notification]:
    """One notification per user; by email at once or in the daily digest, as each chose."""
    chosen = preferences(users)
    created, to_send = [], []
    for user in users:
        notification = Notification(user=user, **fields)
        if user.email:
            if chosen.get(user.pk, EmailChoice.IMMEDIATE) == EmailChoice.DAILY:
                notification.in_digest = True
            else:
                subject, body = compose(user, notification)
                notification.message = Message.objects.create(
                    organisation=_home(user), recipient=user.email, recipient_user=user,
                    subject=subject, body=body, run_date=timezone.localdate())
                to_send.append(notification.message.pk)
        notification.save()
        created.append(notification)
    send_soon(to_send)
    return created


def in_app(user, message: Message | None, **fields) -> Notification:
    """A notification whose email is already written (a reminders digest), or has none."""
    return Notification.objects.create(user=user, message=message, **fields)


def _home(user):
    profile = getattr(user, "profile", None)
    return profile.organisation if profile and profile.role in AGENCY_ROLES else None


def _name(user) -> str:
    return user.get_full_name() or user.get_username()


def _url(link: str) -> str:
    return f"{settings.BASE_URL}{link}" if link.startswith("/") else link


def _lines(notification: Notification) -> list[str]:
    """The notification as a few lines of an email (in the active language)."""
    lines = [f"{notification.title}."]
    if notification.actor is not None and notification.kind != Kind.REMINDER:
        lines.append(_("By: %(name)s") % {"name": _name(notification.actor)})
    if notification.text:
        lines.append("")
        if notification.text_label:
            lines.append(f"{notification.text_label}:")
        lines += notification.text.splitlines()
    if notification.link:
        lines += ["", _("Open: %(url)s") % {"url": _url(notification.link)}]
    return lines


def compose(user, notification: Notification) -> tuple[str, str]:
    """The email of one notification, in Vietnamese: (subject, body)."""
    with translation.override("vi"):
        lines = [_("Dear %(name)s,") % {"name": _name(user)}, "", *_lines(notification), "",
                 _("You receive an email for each notification as it happens; to receive "
                   "one email a day instead, choose so at %(url)s.")
                 % {"url": _url(SETTINGS_PATH)},
                 _("This email was sent by giamsat; please do not reply to it.")]
        return f"[giamsat] {notification.title}", "\n".join(lines)


def compose_digest(user, notifications: list[Notification],
                   day: datetime.date) -> tuple[str, str]:
    """The daily email of a user who chose it, in Vietnamese: (subject, body)."""
    with translation.override("vi"):
        count = len(notifications)
        subject = ngettext("%(n)s notification, %(date)s", "%(n)s notifications, %(date)s",
                           count) % {"n": count, "date": day.strftime("%d/%m/%Y")}
        lines = [_("Dear %(name)s,") % {"name": _name(user)}, "",
                 _("The notifications of giamsat since its last daily email:"), ""]
        for number, notification in enumerate(notifications, start=1):
            when = timezone.localtime(notification.created_at).strftime("%H:%M %d/%m/%Y")
            first, *rest = _lines(notification)
            lines.append(f"{number}. {when} · {first}")
            lines += [f"   {line}" if line else "" for line in rest]
            lines.append("")
        lines += [_("You receive one email a day with the notifications; to receive each "
                    "as it happens instead, choose so at %(url)s.")
                  % {"url": _url(SETTINGS_PATH)},
                  _("This email was sent by giamsat; please do not reply to it.")]
        return f"[giamsat] {subject}", "\n".join(lines)


def write_digests(day: datetime.date) -> int:
    """Write the daily email of every user with notifications waiting for it; how many.

    Called in the transaction of the daily run: the rows are locked, so two runs at once
    cannot put the same notification in two emails.
    """
    waiting = list(Notification.objects.select_for_update(of=("self",))
                   .filter(in_digest=True)
                   .select_related("user", "organisation", "actor", "submission__regime")
                   .order_by("created_at", "pk"))
    by_user: dict[int, list[Notification]] = defaultdict(list)
    for notification in waiting:
        by_user[notification.user_id].append(notification)
    written = 0
    for items in by_user.values():
        user = items[0].user
        message = None
        if user.is_active and user.email:
            subject, body = compose_digest(user, items, day)
            message = Message.objects.create(
                organisation=_home(user), recipient=user.email, recipient_user=user,
                subject=subject, body=body, run_date=day)
            written += 1
        Notification.objects.filter(pk__in=[n.pk for n in items]).update(
            in_digest=False, message=message)
    return written


def unread_count(user) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def mark_read(user, pks=None) -> int:
    """Mark the user's notifications read (those of `pks`, or all); how many changed."""
    with transaction.atomic():
        unread = Notification.objects.filter(user=user, read_at__isnull=True)
        if pks is not None:
            unread = unread.filter(pk__in=pks)
        return unread.update(read_at=timezone.now())


def choose_email(user, choice: str) -> EmailPreference:
    if choice not in EmailChoice.values:
        raise ValueError(choice)
    found = EmailPreference.objects.filter(user=user).first() or EmailPreference(user=user)
    if found.pk is None or found.email != choice:
        found.email = choice
        found._history_user = user
        found.save()
    return found
