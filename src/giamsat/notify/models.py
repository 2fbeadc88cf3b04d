"""Reminders claimed once, the outbox of the emails sent, and the notifications users
see in the app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Rule(models.TextChoices):
    BEFORE_DEADLINE = "before_deadline", _("Before a deadline")
    DUE_TODAY = "due_today", _("On the deadline")
    OVERDUE = "overdue", _("Weekly while overdue")
    PERIOD_OPEN = "period_open", _("Reporting period open")
    PERIOD_CLOSING = "period_closing", _("Reporting period closing")
    NOT_REPORTED = "not_reported", _("Agency has not reported")


class Message(models.Model):
    """One digest to one recipient: the outbox the standing office can read."""

    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    recipient = models.CharField(_("recipient"), max_length=254, blank=True)
    recipient_user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                       null=True, blank=True, on_delete=models.SET_NULL,
                                       related_name="+")
    subject = models.CharField(_("subject"), max_length=300)
    body = models.TextField(_("text"))
    run_date = models.DateField(_("for the day"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.recipient}: {self.subject}"


class Reminder(models.Model):
    """A reminder of one rule for one subject and occasion, claimed by the run that sends it.

    The unique key is what keeps a reminder from being sent twice, even when two runs of
    `giamsat remind` start at the same moment: only one can insert it.
    """

    rule = models.CharField(_("rule"), max_length=30, choices=Rule.choices)
    key = models.CharField(_("occasion"), max_length=200)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("text"))
    run_date = models.DateField(_("for the day"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    messages = models.ManyToManyField(Message, related_name="reminders", blank=True)

    class Meta:
        verbose_name = _("reminder")
        verbose_name_plural = _("reminders")
        ordering = ["-created_at", "rule"]
        constraints = [models.UniqueConstraint(fields=["rule", "key"],
                                               name="reminder_once")]

    def __str__(self) -> str:
        return f"{self.rule} {self.key}"


class Kind(models.TextChoices):
    SUBMITTED = "submitted", _("Report submitted")
    RETURNED = "returned", _("Report returned")
    APPROVED = "approved", _("Report approved")
    REOPENED = "reopened", _("Period opened again")
    REMINDER = "reminder", _("Reminders")


class Notification(models.Model):
    """Something one user should know, shown in the app (the bell) until marked read.

    Written inside the transaction of what it tells (a report returned, approved…), so a
    change and its notification exist together or not at all. `message` is the email that
    carried it: written at once for a user who wants each notification by email, in the
    daily digest for one who chose that (`in_digest` until then), none without an address.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"),
                                     null=True, blank=True, on_delete=models.PROTECT,
                                     related_name="+")
    submission = models.ForeignKey("reporting.Submission", verbose_name=_("agency report"),
                                   null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    period = models.DateField(_("reporting period"), null=True, blank=True)
    # The day it speaks of: the new closing date of a period opened again, the reminders' day.
    day = models.DateField(_("day"), null=True, blank=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("by"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="+")
    # What the person wrote (the standing office's comment, the reason) or the reminders.
    text = models.TextField(_("text"), blank=True)
    link = models.CharField(_("link"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    message = models.ForeignKey(Message, verbose_name=_("email"), null=True, blank=True,
                                on_delete=models.SET_NULL, related_name="notifications")
    in_digest = models.BooleanField(_("waits for the daily email"), default=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["user", "read_at"], name="notification_unread"),
            models.Index(fields=["user"], condition=models.Q(in_digest=True),
                         name="notification_digest"),
        ]

    def __str__(self) -> str:
        return f"{self.user}: {self.title}"

    @property
    def title(self) -> str:
        """One sentence, in the language of the page (or email) it is shown in."""
        from django.utils.translation import gettext

        org = self.organisation.name if self.organisation else ""
        period = self.period.strftime("%m/%Y") if self.period else ""
        if self.period and self.submission_id is not None and \
                self.submission.regime.period_type != "month":
            period = self.submission.period_label  # Quý II/2025: not a month
        day = self.day.strftime("%d/%m/%Y") if self.day else ""
        if self.kind == Kind.SUBMITTED:
            return gettext("%(org)s submitted its report for %(period)s") % {
                "org": org, "period": period}
        if self.kind == Kind.RETURNED:
            return gettext("The standing office returned the report of %(org)s for "
                           "%(period)s") % {"org": org, "period": period}
        if self.kind == Kind.APPROVED:
            return gettext("The standing office approved the report of %(org)s for "
                           "%(period)s") % {"org": org, "period": period}
        if self.kind == Kind.REOPENED:
            return gettext("The reporting period %(period)s is open again for %(org)s "
                           "until %(date)s") % {"org": org, "period": period, "date": day}
        return gettext("Reminders for %(date)s") % {"date": day}

    @property
    def action_label(self) -> str:
        """The words of the button that opens what the notification is about."""
        from django.utils.translation import gettext

        if self.kind == Kind.SUBMITTED:
            return gettext("Review the report")
        if self.kind == Kind.REMINDER:
            return gettext("Open the review") if self.link.startswith("/duyet/") \
                else gettext("Open my report")
        return gettext("Open the report")

    @property
    def text_label(self) -> str:
        """What `text` is, as a heading before it (empty for reminders: they are the text)."""
        from django.utils.translation import gettext

        return {Kind.RETURNED: gettext("What to correct"),
                Kind.REOPENED: gettext("Reason")}.get(self.kind, "")


class EmailChoice(models.TextChoices):
    IMMEDIATE = "immediate", _("An email for each notification, as it happens")
    DAILY = "daily", _("One email a day with the day's notifications")


class EmailPreference(models.Model):
    """How a user wants notifications by email; without a row, each one at once."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                                on_delete=models.CASCADE, related_name="email_preference")
    email = models.CharField(_("notifications by email"), max_length=20,
                             choices=EmailChoice.choices, default=EmailChoice.IMMEDIATE)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("email preference")
        verbose_name_plural = _("email preferences")

    def __str__(self) -> str:
        return f"{self.user}: {self.get_email_display()}"
