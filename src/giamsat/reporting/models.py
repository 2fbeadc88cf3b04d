"""An agency's report for one period: its assignment updates, indicator values and targets.

A report (Submission) is written as a draft by the agency's reporters, submitted by its
leader and approved or returned by the standing office. Values and registered targets
wait in ReportedValue until approval writes them into the official Observation and
Target tables, so that dashboards never show figures nobody has checked.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.reporting import regimes


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted, waiting for review")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned for correction")


# States in which the agency may still change its report.
EDITABLE_STATES = (SubmissionState.DRAFT, SubmissionState.RETURNED)


# The regime agencies reported under before there were others (rules.MONTHLY).
MONTHLY = "thang"

# The indicator frequencies (indicators.models.Frequency) a regime of each period type
# reports, when it is not the monthly regime (which reports any indicator, as it always
# has). An approved value is kept under the month the period's data end in, on the same
# key (indicator, organisation, month) the monthly report uses: a quarterly report of a
# monthly indicator would overwrite that month's approved monthly value. So a quarterly
# regime takes quarterly indicators, a yearly one yearly indicators, and a half-year one
# quarterly indicators: a half-year ends with a quarter (June, December), so its value is
# kept under a month where quarterly values live, while a yearly indicator holds one value
# a year and would get a mid-year one that is no value of its year.
REGIME_FREQUENCIES = {"quarter": ("quarterly",), "half_year": ("quarterly",),
                      "year": ("yearly",)}


def takes_indicator(regime, indicator) -> bool:
    """Whether `regime` may ask for `indicator` (see REGIME_FREQUENCIES)."""
    allowed = REGIME_FREQUENCIES.get(regime.period_type)
    return regime.code == MONTHLY or allowed is None or indicator.frequency in allowed


def refused_indicator_message(regime, indicator) -> str:
    return _("“%(indicator)s” is not reported under the regime “%(regime)s”: its values are kept "
             "%(frequency)s, and a value of this regime would be kept under the same month "
             "as another report's and replace it.") % {
        "regime": regime.name, "indicator": indicator.name,
        "frequency": indicator.get_frequency_display().lower()}


def monthly_regime() -> "Regime":
    """The monthly regime; made again if a test emptied the table its migration filled."""
    regime, _created = Regime.objects.get_or_create(code=MONTHLY, defaults={
        "name": "Báo cáo tháng", "period_type": "month", "cutoff": "calendar",
        "due_day": settings.REPORT_DUE_DAY, "remind_days_before": "3"})
    return regime


def monthly_regime_id() -> int:
    """A report made without a regime is a monthly one, as every report was before (only
    code and id are read: the migration that adds the field calls this too)."""
    found = Regime.objects.filter(code=MONTHLY).values_list("pk", flat=True).first()
    return found or monthly_regime().pk


class Submission(models.Model):
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="submissions",
    )
    regime = models.ForeignKey(
        "reporting.Regime", verbose_name=_("reporting regime"), on_delete=models.PROTECT,
        related_name="submissions", default=monthly_regime_id,
    )
    period = models.DateField(_("reporting period"),
                              help_text=_("First day of the period's first month."))
    state = models.CharField(_("state"), max_length=20, choices=SubmissionState.choices,
                             default=SubmissionState.DRAFT, db_index=True)
    # Raised by every change to the report or anything in it: a form that was opened on
    # an older version is refused instead of overwriting someone else's work.
    version = models.PositiveIntegerField(_("version"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("submitted by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    # The first submission decides whether the report came in on time.
    first_submitted_at = models.DateTimeField(_("first submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    review_comment = models.TextField(_("review comment"), blank=True)
    # An exception the standing office grants: the period stays open for this agency.
    reopened_until = models.DateField(_("open for this agency until"), null=True, blank=True)
    reopen_reason = models.TextField(_("reason for opening again"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("agency report")
        verbose_name_plural = _("agency reports")
        ordering = ["-period", "organisation__sort_order", "organisation__name_key"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "regime", "period"],
                                    name="submission_unique_per_regime_period")
        ]
        indexes = [models.Index(fields=["period", "state"])]

    def __str__(self) -> str:
        return f"{self.organisation.name} — {self.period_label}"

    @property
    def period_label(self) -> str:
        """Tháng 10/2025, Quý II/2025, 6 tháng đầu năm 2025, Năm 2025."""
        return regimes.period_label(self.regime.period_type, self.period)

    @property
    def period_key(self) -> str:
        """How URLs and the API write the period: 2025-10, 2025-Q2, 2025-H1, 2025."""
        return regimes.period_key(self.regime.period_type, self.period)

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES


class ValueKind(models.TextChoices):
    VALUE = "value", _("Achieved value")
    TARGET = "target", _("Registered target")


class ReportedValue(models.Model):
    """A value or a registered monthly target in a report, before approval."""

    submission = models.ForeignKey(
        Submission, verbose_name=_("agency report"), on_delete=models.CASCADE,
        related_name="values",
    )
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicator"), on_delete=models.PROTECT,
        related_name="+",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=ValueKind.choices)
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4,
                                    null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4,
                                      null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    raw_text = models.CharField(_("as typed"), max_length=100, blank=True)
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reported value")
        verbose_name_plural = _("reported values")
        ordering = ["submission", "indicator", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["submission", "indicator", "kind"],
                                    name="reported_value_unique")
        ]

    def __str__(self) -> str:
        return f"{self.submission}: {self.indicator} = {self.value}"


class Regime(models.Model):
    """A reporting regime (chế độ báo cáo): what period agencies report on, which days'
    data belong to it, when the report is due, who must report what, and its reminders.

    The monthly regime agencies report under today is one of them; quarterly, half-year
    and yearly regimes, with the calendar or the Decree 09/2019/NĐ-CP cut-off, are others
    (regimes.py holds the period arithmetic; rules.py reads a regime).
    """

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name = models.CharField(_("name"), max_length=200)
    period_type = models.CharField(_("period"), max_length=20, choices=[
        ("month", _("Month")), ("quarter", _("Quarter")), ("half_year", _("Half-year")),
        ("year", _("Year"))])
    cutoff = models.CharField(_("data cut-off"), max_length=20, choices=[
        ("calendar", _("The calendar period")),
        ("decree_09_2019", _("Decree 09/2019/NĐ-CP: from the 15th before to the 14th"))])
    due_day = models.PositiveSmallIntegerField(
        _("due day"), help_text=_("Day of the month after the period's last month on which "
                                  "the report is due."))
    remind_days_before = models.CharField(
        _("reminders, days before the due day"), max_length=40, blank=True, default="3",
        help_text=_("Comma-separated, e.g. “7,1”."))
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reporting regime")
        verbose_name_plural = _("reporting regimes")
        ordering = ["period_type", "code"]

    def __str__(self) -> str:
        return self.name


class RegimeIndicator(models.Model):
    """Who must report an indicator under a regime: organisations of some kinds, less the
    bodies the indicator does not concern (one without online public services does not
    register a target for online dossiers)."""

    regime = models.ForeignKey(Regime, verbose_name=_("reporting regime"),
                               on_delete=models.CASCADE, related_name="indicators")
    indicator = models.ForeignKey("indicators.Indicator", verbose_name=_("indicator"),
                                  on_delete=models.CASCADE, related_name="regimes")
    kinds = models.CharField(_("kinds of organisation that report it"), max_length=200,
                             help_text=_("Comma-separated kinds, e.g. “ministry,province”."))
    exempt = models.ManyToManyField("orgs.Organisation", verbose_name=_("exempt"),
                                    blank=True, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator of a regime")
        verbose_name_plural = _("indicators of a regime")
        constraints = [models.UniqueConstraint(fields=["regime", "indicator"],
                                               name="regime_indicator_once")]

    def __str__(self) -> str:
        return f"{self.regime}: {self.indicator}"

    def clean(self) -> None:
        super().clean()
        # getattr: an admin inline's row may be cleaned before its regime is chosen.
        regime, indicator = getattr(self, "regime", None), getattr(self, "indicator", None)
        if regime is not None and indicator is not None and \
                not takes_indicator(regime, indicator):
            raise ValidationError({"indicator": refused_indicator_message(regime, indicator)})
