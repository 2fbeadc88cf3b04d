"""API tokens for agencies' own systems, and the record that makes a bulk write idempotent.

A token acts as a service account: a user of its own, with the token's role and
organisation in its profile. So the access policy, the workflow and the audit trail treat
a system exactly like a person of that role: nothing is decided twice.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ApiToken(models.Model):
    name = models.CharField(_("name"), max_length=200,
                            help_text=_("Which system uses it, e.g. “Hệ thống báo cáo tỉnh”."))
    # The first characters of the token, shown to tell tokens apart; never the token.
    prefix = models.CharField(_("prefix"), max_length=12, db_index=True)
    # SHA-256 of the token: the token itself is shown once, when it is created.
    digest = models.CharField(max_length=64, unique=True)
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name=_("service account"),
                                on_delete=models.PROTECT, related_name="api_token")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class IdempotentRequest(models.Model):
    """A bulk write done once: the same key again returns what it returned the first time.

    A key belongs to its caller and to the one report it wrote (organisation, regime and
    period; a row without a regime is of a monthly report, as all were before 0004):
    sent to another report's URL it is refused, never answered with the first report's
    result. Rows from before the report was recorded have it filled in from their answer's
    agency_report_id (migration 0003); a row whose report is unknown stays empty.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="+")
    key = models.CharField(max_length=200)
    organisation = models.ForeignKey("orgs.Organisation", null=True, on_delete=models.CASCADE,
                                     related_name="+")
    period = models.DateField(null=True)
    regime = models.ForeignKey("reporting.Regime", null=True, on_delete=models.CASCADE,
                               related_name="+")
    # SHA-256 of the request body: the same key with another body is refused.
    body_digest = models.CharField(max_length=64)
    status = models.PositiveSmallIntegerField()
    response = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "key"],
                                               name="idempotency_key_once_per_user")]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class RequestCount(models.Model):
    """How many API requests one caller made in one minute: the rate limit's counter.

    In the database, not the cache: the default cache is files, whose increment is a read
    then a write, so parallel requests of one caller counted once between them. Here
    every request adds one in a single UPSERT (api/ratelimit.py), which SQLite and
    PostgreSQL both do atomically for every thread of every server process.
    """

    caller = models.CharField(max_length=80)
    minute = models.BigIntegerField()  # minutes since the epoch: a fixed window
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["caller", "minute"],
                                               name="one_request_count_per_caller_minute")]

    def __str__(self) -> str:
        return f"{self.caller}@{self.minute}: {self.count}"
