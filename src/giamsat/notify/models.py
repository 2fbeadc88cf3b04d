"""Reminders claimed once, and the outbox of the digests sent for them."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
