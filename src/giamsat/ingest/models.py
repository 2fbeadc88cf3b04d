"""ImportRun: one run of `giamsat import` (or the web import page) and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ImportState(models.TextChoices):
    RUNNING = "running", _("Running")
    SUCCEEDED = "succeeded", _("Succeeded")
    FAILED = "failed", _("Failed (nothing written)")
    DRY_RUN = "dry_run", _("Dry run (nothing written)")


class ImportRun(models.Model):
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    state = models.CharField(_("state"), max_length=20, choices=ImportState.choices,
                             default=ImportState.RUNNING)
    as_of = models.DateField(_("document date"), null=True, blank=True)
    # [{"path", "sha256", "size"}] of every file read.
    files = models.JSONField(_("files"), default=list)
    # The JSON summary `giamsat import --format json` prints: sections, counts, warnings.
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-started_at"]

    def __str__(self) -> str:
        names = ", ".join(f["path"].rsplit("/", 1)[-1] for f in self.files) or "—"
        return f"{self.started_at:%d/%m/%Y %H:%M} {names}"
