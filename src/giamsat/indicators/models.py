"""Indicators, their targets, and the values organisations report for them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.lib.text import fold


class Unit(models.TextChoices):
    PERCENT = "percent", _("Percent (%)")
    COUNT = "count", _("Count")
    VND_BILLION = "vnd_billion", _("Billion VND")
    USD_MILLION = "usd_million", _("Million USD")
    RANK = "rank", _("Rank")
    INDEX = "index", _("Index")
    # Speeds and capacities, as the monthly reports write them ("166,99 Mbps", "52 Tbps").
    MBPS = "mbps", _("Megabits per second (Mbps)")
    TBPS = "tbps", _("Terabits per second (Tbps)")


class Direction(models.IntegerChoices):
    HIGHER_IS_BETTER = 1, _("Higher is better")
    LOWER_IS_BETTER = -1, _("Lower is better")


class Frequency(models.TextChoices):
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    YEARLY = "yearly", _("Yearly")


class Accumulation(models.TextChoices):
    # A value "from the start of the year up to this month" (e.g. dossiers processed).
    YEAR_TO_DATE = "ytd", _("Cumulative from the start of the year")
    # A state at a moment (e.g. share of households on fibre).
    POINT = "point", _("Point in time")
    # What happened within the period only (e.g. new enterprises this month).
    FLOW = "flow", _("Flow within the period")


class Indicator(models.Model):
    code = models.SlugField(_("code"), max_length=80, unique=True)
    name = models.CharField(_("name"), max_length=400)
    name_key = models.CharField(max_length=400, editable=False, db_index=True)
    unit = models.CharField(_("unit"), max_length=20, choices=Unit.choices)
    direction = models.SmallIntegerField(
        _("direction"), choices=Direction.choices, default=Direction.HIGHER_IS_BETTER
    )
    frequency = models.CharField(
        _("frequency"), max_length=20, choices=Frequency.choices, default=Frequency.MONTHLY
    )
    accumulation = models.CharField(
        _("accumulation"), max_length=10, choices=Accumulation.choices,
        default=Accumulation.POINT,
    )
    area = models.CharField(_("area"), max_length=200, blank=True)
    description = models.TextField(_("definition"), blank=True)
    numerator_label = models.CharField(_("numerator"), max_length=300, blank=True)
    denominator_label = models.CharField(_("denominator"), max_length=300, blank=True)
    # Read by an import from a document's text but not in the catalogue: a person decides.
    proposed = models.BooleanField(_("proposed by an import"), default=False)
    lead = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("lead agency"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="indicators_led",
        help_text=_("The agency that leads the work the indicator measures."),
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("indicator")
        verbose_name_plural = _("indicators")
        ordering = ["area", "name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)


class TargetSource(models.TextChoices):
    DIRECTIVE = "directive", _("Set by a directive")
    REGISTERED = "registered", _("Registered by the agency")


class Target(models.Model):
    """A value to reach by `period_end`: national (the Việt Nam organisation) or an agency's.

    Two levels as directives write them: "tối thiểu 50%, phấn đấu đạt 70%".
    """

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE, related_name="targets"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="targets",
    )
    period_start = models.DateField(_("period start"), null=True, blank=True)
    period_end = models.DateField(_("target date"))
    minimum = models.DecimalField(_("minimum"), max_digits=20, decimal_places=4, null=True,
                                  blank=True)
    aspiration = models.DecimalField(_("aspiration (phấn đấu)"), max_digits=20,
                                     decimal_places=4, null=True, blank=True)
    source = models.CharField(_("source"), max_length=20, choices=TargetSource.choices)
    directive = models.ForeignKey(
        "directives.Directive", verbose_name=_("directive"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="targets",
    )
    raw_text = models.TextField(_("text as read"), blank=True)
    import_run = models.ForeignKey(
        "ingest.ImportRun", verbose_name=_("import"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="targets",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["indicator", "organisation", "period_end"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period_end", "source"],
                name="target_unique_per_period",
            ),
            models.CheckConstraint(
                condition=models.Q(minimum__isnull=False) | models.Q(aspiration__isnull=False),
                name="target_has_a_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.organisation.name} ({self.period_end:%d/%m/%Y})"


class Observation(models.Model):
    """The value of an indicator for one organisation and one period."""

    indicator = models.ForeignKey(
        Indicator, verbose_name=_("indicator"), on_delete=models.CASCADE,
        related_name="observations",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="observations",
    )
    period = models.DateField(_("period"), help_text=_("First day of the month, quarter or year."))
    observed_on = models.DateField(
        _("value as of"), null=True, blank=True,
        help_text=_("When the value is for part of the period, e.g. “đến 09/7”."),
    )
    value = models.DecimalField(_("value"), max_digits=20, decimal_places=4)
    # Kept when the source gives them, so that a merged province's rate is recomputed
    # from its predecessors' counts rather than averaged.
    numerator = models.DecimalField(_("numerator"), max_digits=20, decimal_places=4,
                                    null=True, blank=True)
    denominator = models.DecimalField(_("denominator"), max_digits=20, decimal_places=4,
                                      null=True, blank=True)
    source = models.TextField(_("source"), blank=True)
    # What the source says beside the number: "Đạt", "ước đạt", a remark of the agency.
    note = models.TextField(_("note"), blank=True)
    raw_text = models.TextField(_("text as read"), blank=True)
    import_run = models.ForeignKey(
        "ingest.ImportRun", verbose_name=_("import"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="observations",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        ordering = ["indicator", "organisation", "period"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "organisation", "period"], name="observation_unique"
            )
        ]
        indexes = [models.Index(fields=["indicator", "period"])]

    def __str__(self) -> str:
        return f"{self.indicator} — {self.organisation.name} {self.period:%m/%Y}: {self.value}"
