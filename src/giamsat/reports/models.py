"""Reports generated from the data, kept with what they were asked for and their file."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.jobs import JobRow


class ReportKind(models.TextChoices):
    MONTHLY = "monthly", _("Monthly report")
    QUARTER = "quarter", _("Quarterly report with appendices")
    HALF_YEAR = "half_year", _("Half-year report with appendices")
    YEAR = "year", _("Yearly report with appendices")


class ReportFormat(models.TextChoices):
    DOCX = "docx", _("Word (.docx)")
    XLSX = "xlsx", _("Excel (.xlsx)")
    PDF = "pdf", _("PDF")


class ReportState(models.TextChoices):
    RUNNING = "running", _("Being written")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Failed")


def report_path(instance, filename: str) -> str:
    return f"reports/{instance.created_at:%Y/%m}/{filename}"


class GeneratedReport(JobRow):
    JOB_RUNNING_STATES = ("running",)

    kind = models.CharField(_("kind"), max_length=20, choices=ReportKind.choices)
    # The month of a monthly report, the first day of the quarter, half or year.
    period = models.DateField(_("period"))
    as_of = models.DateField(_("figures as of"))
    format = models.CharField(_("format"), max_length=10, choices=ReportFormat.choices)
    scope = models.JSONField(_("scope"), default=dict, blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    # The report's number, issue date and signer (builders.Signing), as the clerk gave them.
    signing = models.JSONField(_("number, date and signer"), default=dict, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=ReportState.choices,
                             default=ReportState.RUNNING)
    file = models.FileField(_("file"), upload_to=report_path, max_length=300, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)
    figures = models.JSONField(_("figures"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("created by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("generated report")
        verbose_name_plural = _("generated reports")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.filename

    def job_stopped(self, message: str) -> None:
        self.state, self.error, self.finished_at = ReportState.FAILED, message, timezone.now()
        self.save()

    @property
    def quarter(self) -> int:
        return (self.period.month - 1) // 3 + 1

    @property
    def filename(self) -> str:
        if self.kind == ReportKind.MONTHLY:
            stem = f"bao-cao-thang-{self.period:%m-%Y}"
        elif self.kind == ReportKind.QUARTER:
            stem = f"bao-cao-quy-{self.quarter}-nam-{self.period.year}"
        elif self.kind == ReportKind.YEAR:
            stem = f"bao-cao-nam-{self.period.year}"
        else:
            stem = f"bao-cao-6-thang-{'dau' if self.period.month == 1 else 'cuoi'}-nam-" \
                   f"{self.period.year}"
        return f"{stem}.{self.format}"
