"""Reminders: which are due on a day (rules), claimed once, sent as one digest per agency
and recipient, in Vietnamese, through Django's email backend.

The rules, for a day D (`giamsat remind --as-of D`, daily by cron):
- before a deadline: an open lead assignment whose task is due within
  GIAMSAT_REMIND_DAYS_BEFORE days (default 7 and 1: one reminder in each window);
- on the deadline: due on D;
- weekly while overdue: one reminder in each week after the due date;
- the reporting period is open: from the first day after a period's data until its due
  day (a month: from the 1st of the next month);
- the period is closing: in each of the regime's windows before the due day (the monthly
  regime: within 3 days), for agencies that have not reported;
- not reported: after the due day, for agencies that still have not reported.
The period rules run for every active reporting regime (reporting/rules.py), each with its
own periods, due day, reminder days and agencies that must report.

A reminder is known by its rule and occasion (assignment 17, "7 days before"; Hà Nội's
report for 07/2025); the unique constraint on that key lets only one run claim it, so a
reminder is never sent twice, whatever runs at once. Claiming and writing the digests
happen in one transaction; sending comes after, each message locked while it is sent, and
a message whose sending failed is tried again by the next run (mail.py). Each recipient
also sees the reminders in the app (notices.py), as do the agency's people without an
address. The same run writes the daily emails of notifications for the users who chose
them. `giamsat remind --queue` runs it as a background job (`send_reminders`), taken up
again by another worker if its own died half-way.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from giamsat import jobs
from giamsat.accounts.models import AGENCY_ROLES, Profile, Role
from giamsat.notify import notices
from giamsat.notify.mail import MAX_ATTEMPTS, send_pending  # noqa: F401 (MAX_ATTEMPTS: API)
from giamsat.notify.models import Kind, Message, Reminder, Rule
from giamsat.orgs.history import OrgGraph
from giamsat.reporting import regimes, rules
from giamsat.reporting.expected import reporting_status
from giamsat.tasks.models import Assignment
from giamsat.tasks.queries import RECURRING_KINDS, with_assignment_status
from giamsat.tasks.status import TaskStatus

OPEN = (TaskStatus.NOT_STARTED, TaskStatus.IN_PROGRESS, TaskStatus.OVERDUE)


@dataclass(frozen=True)
class Due:
    """A reminder a rule finds for day D, before it is claimed."""

    rule: str
    key: str
    organisation_id: int
    text: str


def _d(day: datetime.date) -> str:
    return day.strftime("%d/%m/%Y")


def deadline_reminders(day: datetime.date) -> list[Due]:
    found = []
    windows = sorted(settings.REMIND_DAYS_BEFORE)
    horizon = day + datetime.timedelta(days=max(windows, default=0))
    assignments = (with_assignment_status(
        Assignment.objects.filter(role="lead", task__deadline_due__lte=horizon)
        .exclude(task__deadline_kind__in=RECURRING_KINDS), day)
        .filter(status__in=[s.value for s in OPEN]).select_related("task", "organisation"))
    graph = OrgGraph.load()
    for a in assignments:
        due = a.task.deadline_due
        holders = [o.pk for o in graph.successors(a.organisation, day)] or [a.organisation_id]
        title = a.task.title if len(a.task.title) <= 160 else a.task.title[:159] + "…"
        left = (due - day).days
        if left > 0:
            window = next(n for n in windows if left <= n)
            rule, key = Rule.BEFORE_DEADLINE, f"assignment:{a.pk}:before-{window}"
            text = f"Còn {left} ngày đến hạn {_d(due)}: {title}"
        elif left == 0:
            rule, key = Rule.DUE_TODAY, f"assignment:{a.pk}:due"
            text = f"Đến hạn hôm nay ({_d(due)}): {title}"
        else:
            week = (-left) // 7
            if week == 0:
                continue  # the on-the-day reminder covers the first week
            rule, key = Rule.OVERDUE, f"assignment:{a.pk}:overdue-week-{week}"
            text = f"Quá hạn {-left} ngày (hạn {_d(due)}): {title}"
        found += [Due(rule, f"{key}:to:{holder}", holder, text) for holder in holders]
    return found


def period_reminders(day: datetime.date) -> list[Due]:
    graph = OrgGraph.load()
    found = []
    rules.regime()  # the monthly regime, even in a database a test emptied
    for regime in rules.active_regimes():
        found += regime_reminders(regime, day, graph)
    return found


def _in_text(regime, period: datetime.date) -> str:
    """"tháng 07/2025", "quý II/2025", "6 tháng đầu năm 2025", "năm 2025"."""
    if regime.period_type == regimes.PeriodType.MONTH:
        return f"tháng {period:%m/%Y}"
    label = regimes.period_label(regime.period_type, period)
    return label[0].lower() + label[1:]


def regime_reminders(regime, day: datetime.date, graph=None) -> list[Due]:
    """The period rules for one regime on `day`."""
    found = []
    # The period whose data ended last: being reported on now, or just closed.
    period = regimes.previous_period(regime.period_type, rules.period_of(regime, day))
    due = rules.due_date(regime, period)
    status = reporting_status(period, day, regime)
    label = _in_text(regime, period)
    # The monthly regime's keys are those written before there were others.
    key = f"{period:%Y-%m}" if regime.code == rules.MONTHLY else \
        f"{regime.code}:{rules.key(regime, period)}"
    windows = rules.reminder_days(regime)  # largest first
    left = (due - day).days
    closing = min((n for n in windows if left <= n), default=None)
    occasion = "closing" if closing == max(windows, default=None) else f"closing-{closing}"
    graph = graph or OrgGraph.load()
    for row in status.rows:
        org = row.organisation
        # A province that ended with the month reports through its successor.
        holders = [o.pk for o in graph.successors(org, day)] or [org.pk]
        whose = "" if holders == [org.pk] else f" của {org.name}"
        items = []
        if day <= due:
            items.append((Rule.PERIOD_OPEN, "open", f"Kỳ báo cáo {label}{whose} đã mở; "
                                                     f"hạn gửi báo cáo {_d(due)}."))
            if not row.received and closing is not None:
                items.append((Rule.PERIOD_CLOSING, occasion,
                              f"Còn {left} ngày đến hạn gửi báo cáo {label}"
                              f"{whose} ({_d(due)}); báo cáo chưa được gửi."))
        elif not row.received:
            items.append((Rule.NOT_REPORTED, "missing",
                          f"Chưa gửi báo cáo {label}{whose} (hạn {_d(due)})."))
        for rule, said, text in items:
            found += [Due(rule, f"period:{key}:{said}:{org.pk}:to:{holder}",
                          holder, text) for holder in holders]
    return found


def due_reminders(day: datetime.date) -> list[Due]:
    return deadline_reminders(day) + period_reminders(day)


@dataclass
class RunResult:
    day: datetime.date
    found: int = 0
    claimed: int = 0
    messages: int = 0
    digests: int = 0  # daily emails of notifications (notices.py), for those who chose them
    sent: int = 0
    failed: int = 0


def run(day: datetime.date | None = None, dry_run: bool = False) -> RunResult:
    """Claim what is due on `day`, write the digests (and the daily emails of notifications
    of the users who chose them), send what is unsent."""
    day = day or timezone.localdate()
    due = due_reminders(day)
    result = RunResult(day, found=len(due))
    if dry_run:
        return result
    with transaction.atomic():
        claimed = _claim(due, day)
        result.claimed = len(claimed)
        result.messages = _digests(claimed, day)
        result.digests = notices.write_digests(day)
    result.sent, result.failed = send_pending()
    return result


def _claim(due: list[Due], day: datetime.date) -> list[Reminder]:
    claimed = []
    for item in due:
        try:
            with transaction.atomic():  # a savepoint: a reminder already claimed is skipped
                claimed.append(Reminder.objects.create(
                    rule=item.rule, key=item.key, organisation_id=item.organisation_id,
                    text=item.text, run_date=day))
        except IntegrityError:
            continue
    return claimed


def people(organisation_id: int) -> list:
    """The agency's active reporters and leaders: they see its reminders in the app."""
    return [p.user for p in Profile.objects.filter(
        organisation_id=organisation_id, role__in=[r.value for r in AGENCY_ROLES],
        user__is_active=True).select_related("user").order_by("user_id")]


def recipients(organisation_id: int) -> list:
    """The agency's reporters and leaders with an email address."""
    return [user for user in people(organisation_id) if user.email]


def office_people() -> list:
    return [p.user for p in Profile.objects.filter(
        role=Role.STANDING_OFFICE, user__is_active=True).select_related("user")
        .order_by("user_id")]


def office_recipients() -> list:
    return [user for user in office_people() if user.email]


HEADINGS = [
    (Rule.OVERDUE, "Nhiệm vụ quá hạn"),
    (Rule.DUE_TODAY, "Nhiệm vụ đến hạn hôm nay"),
    (Rule.BEFORE_DEADLINE, "Nhiệm vụ sắp đến hạn"),
    (Rule.NOT_REPORTED, "Báo cáo chưa gửi"),
    (Rule.PERIOD_CLOSING, "Kỳ báo cáo sắp đóng"),
    (Rule.PERIOD_OPEN, "Kỳ báo cáo"),
]


def _digests(claimed: list[Reminder], day: datetime.date) -> int:
    """One email per agency and recipient, and the same reminders in the app for each of
    the agency's people (with an email address or not)."""
    by_org: dict[int, list[Reminder]] = defaultdict(list)
    for reminder in claimed:
        by_org[reminder.organisation_id].append(reminder)
    count = 0
    for org_id, reminders in by_org.items():
        subject, body = _compose(reminders, day)
        members = people(org_id)
        written = [user for user in members if user.email]
        for user in written or [None]:
            message = Message.objects.create(
                organisation_id=org_id, recipient=user.email if user else "",
                recipient_user=user, subject=subject, body=body, run_date=day,
                error="" if user else "Cơ quan chưa có cán bộ nào có địa chỉ thư điện tử.")
            message.reminders.set(reminders)
            count += 1
            if user is not None:
                _in_app(user, message, org_id, day, _sections(reminders), "/cap-nhat/")
        for user in members:
            if not user.email:
                _in_app(user, None, org_id, day, _sections(reminders), "/cap-nhat/")
    missing = [r for r in claimed if r.rule == Rule.NOT_REPORTED]
    if missing:
        names = sorted({r.organisation.name for r in missing})
        listed = "Các cơ quan chưa gửi báo cáo:\n" + "\n".join(f"- {n}" for n in names)
        body = listed + f"\n\n{settings.BASE_URL}/duyet/\n"
        for user in office_people():
            message = None
            if user.email:
                message = Message.objects.create(
                    recipient=user.email, recipient_user=user, run_date=day, body=body,
                    subject=f"[giamsat] {len(names)} cơ quan chưa gửi báo cáo ({_d(day)})")
                message.reminders.set(missing)
                count += 1
            _in_app(user, message, None, day, listed, "/duyet/")
    return count


def _in_app(user, message, org_id, day, text: str, link: str) -> None:
    notices.in_app(user, message, kind=Kind.REMINDER, organisation_id=org_id, day=day,
                   text=text, link=link)


def _sections(reminders: list[Reminder]) -> str:
    """The reminders under their headings, as the digest lists them."""
    lines = []
    for rule, heading in HEADINGS:
        items = [r for r in reminders if r.rule == rule]
        if not items:
            continue
        if lines:
            lines.append("")
        lines.append(f"{heading} ({len(items)}):")
        lines += [f"- {r.text}" for r in sorted(items, key=lambda r: r.text)]
    return "\n".join(lines)


def _compose(reminders: list[Reminder], day: datetime.date) -> tuple[str, str]:
    org = reminders[0].organisation
    counts = [f"{n} {heading.lower()}" for rule, heading in HEADINGS
              if (n := sum(1 for r in reminders if r.rule == rule))]
    lines = [f"Kính gửi {org.name},", "", f"giamsat nhắc việc ngày {_d(day)}:", "",
             _sections(reminders), "", f"Cập nhật tại: {settings.BASE_URL}/cap-nhat/", "",
             "Thư này do hệ thống giamsat gửi tự động; vui lòng không trả lời."]
    return f"[giamsat] Nhắc việc {_d(day)}: " + ", ".join(counts), "\n".join(lines)


@jobs.resumable
@task()
def send_reminders(day: str = "") -> dict:
    """`run` as a background job; safe to run again, as a reminder is never sent twice."""
    result = run(datetime.date.fromisoformat(day) if day else None)
    return {"day": result.day.isoformat(), "found": result.found, "claimed": result.claimed,
            "messages": result.messages, "digests": result.digests, "sent": result.sent,
            "failed": result.failed}
