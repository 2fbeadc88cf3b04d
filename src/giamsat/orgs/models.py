"""Organisations and their history.

An organisation is never renamed or deleted in place: a merger, rename or transfer is an
OrgEvent dated on its effective day, and the organisations on both sides stay, each with
its validity interval. Name resolution (resolve.py) and succession (history.py) read these.
"""

import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.lib.text import fold


class OrgKind(models.TextChoices):
    NATION = "nation", _("Nation")
    MINISTRY = "ministry", _("Ministry")
    MINISTERIAL_AGENCY = "ministerial-agency", _("Ministerial-level agency")
    GOVERNMENT_AGENCY = "government-agency", _("Government agency")
    PROVINCE = "province", _("Province or centrally-run city")
    COMMUNE = "commune", _("Commune, ward or special zone")
    PARTY_BODY = "party-body", _("Party body")
    ASSEMBLY_BODY = "assembly-body", _("National Assembly body")
    JUDICIAL_BODY = "judicial-body", _("Judicial or audit body")
    ENTERPRISE = "enterprise", _("State enterprise")
    # "Khối bộ, ngành", "khối địa phương": a grouping a document gives values and targets
    # of its own ("khối bộ đạt tối thiểu 85%").
    BLOC = "bloc", _("Bloc of agencies")
    OTHER = "other", _("Other organisation")


# The Government's own agencies: what "các bộ, ngành" means in a directive.
CENTRAL_KINDS = (OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY, OrgKind.GOVERNMENT_AGENCY)


class OrganisationQuerySet(models.QuerySet):
    def valid_on(self, day: datetime.date):
        return self.filter(
            models.Q(valid_from__isnull=True) | models.Q(valid_from__lte=day),
            models.Q(valid_to__isnull=True) | models.Q(valid_to__gte=day),
        )

    def central(self):
        return self.filter(kind__in=CENTRAL_KINDS)

    def provinces(self):
        return self.filter(kind=OrgKind.PROVINCE)


class Organisation(models.Model):
    slug = models.SlugField(_("identifier"), max_length=120, unique=True)
    name = models.CharField(_("name"), max_length=300)
    short_name = models.CharField(_("short name"), max_length=60, blank=True)
    kind = models.CharField(_("kind"), max_length=30, choices=OrgKind.choices)
    admin_type = models.CharField(
        _("administrative type"), max_length=60, blank=True,
        help_text=_("e.g. tỉnh, thành phố trực thuộc trung ương, xã, phường"),
    )
    code = models.CharField(
        _("administrative code"), max_length=10, blank=True,
        help_text=_("Codes are reused with a new meaning after a merger: read with the dates."),
    )
    parent = models.ForeignKey(
        "self", verbose_name=_("parent"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="children",
    )
    valid_from = models.DateField(_("valid from"), null=True, blank=True)
    valid_to = models.DateField(
        _("valid to"), null=True, blank=True, help_text=_("Last day the organisation existed.")
    )
    name_key = models.CharField(max_length=300, editable=False, db_index=True)
    # Protocol order within a kind (Bộ Quốc phòng, Bộ Công an, …); names sort after it.
    sort_order = models.PositiveIntegerField(_("order"), default=1000)
    notes = models.TextField(_("notes"), blank=True)
    history = HistoricalRecords()

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["sort_order", "name_key", "valid_from"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_from__isnull=True)
                | models.Q(valid_to__isnull=True)
                | models.Q(valid_from__lte=models.F("valid_to")),
                name="org_validity_ordered",
            )
        ]

    def __str__(self) -> str:
        if self.valid_to:
            return _("%(name)s (until %(date)s)") % {
                "name": self.name, "date": self.valid_to.strftime("%d/%m/%Y")
            }
        return self.name

    def save(self, *args, **kwargs):
        self.name_key = fold(self.name)
        super().save(*args, **kwargs)

    def is_valid_on(self, day: datetime.date) -> bool:
        return (self.valid_from is None or self.valid_from <= day) and (
            self.valid_to is None or day <= self.valid_to
        )


class OrgAlias(models.Model):
    """Another way documents name an organisation: abbreviation, old spelling, variant."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE,
        related_name="aliases",
    )
    name = models.CharField(_("alias"), max_length=300)
    key = models.CharField(max_length=300, editable=False, db_index=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("alias")
        verbose_name_plural = _("aliases")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "key"], name="alias_unique_per_org")
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        from giamsat.orgs.resolve import name_key  # resolve imports models

        self.key = name_key(self.name)
        super().save(*args, **kwargs)


class OrgEventKind(models.TextChoices):
    MERGE = "merge", _("Merger")
    RENAME = "rename", _("Rename")
    SPLIT = "split", _("Split")
    TRANSFER = "transfer", _("Transfer of functions")


# Events after which the target carries the source's tasks and series forward.
SUCCESSION_KINDS = (OrgEventKind.MERGE, OrgEventKind.RENAME, OrgEventKind.SPLIT)


class OrgEvent(models.Model):
    """One link of a restructuring: `source` → `target` on `effective_date`.

    A merger of three provinces into one is three events sharing the date and legal basis;
    a transfer moves some functions only, so the source's tasks do not follow it.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=OrgEventKind.choices)
    effective_date = models.DateField(_("effective date"))
    source = models.ForeignKey(
        Organisation, verbose_name=_("from"), on_delete=models.PROTECT, related_name="events_out"
    )
    target = models.ForeignKey(
        Organisation, verbose_name=_("to"), on_delete=models.PROTECT, related_name="events_in"
    )
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    note = models.TextField(_("note"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("organisation event")
        verbose_name_plural = _("organisation events")
        ordering = ["effective_date", "target__name", "source__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "source", "target", "effective_date"], name="org_event_unique"
            ),
            models.CheckConstraint(
                condition=~models.Q(source=models.F("target")), name="org_event_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.source.name} → {self.target.name} ({self.effective_date:%d/%m/%Y})"


class NameChoice(models.Model):
    """What the standing office said a name documents use means: one organisation (then
    also an alias), several (a group such as "các doanh nghiệp viễn thông"), or no agency
    at all ("chuyên gia"). Name resolution reads it (resolve.py); the import's rows that
    had the name are placed with it (ingest/placing.py)."""

    key = models.CharField(max_length=300, unique=True)
    name = models.CharField(_("name as written"), max_length=300)
    organisations = models.ManyToManyField(Organisation, verbose_name=_("organisations"),
                                           blank=True, related_name="name_choices")
    not_an_agency = models.BooleanField(_("not an agency"), default=False)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    history = HistoricalRecords(m2m_fields=[organisations])

    class Meta:
        verbose_name = _("meaning of a name")
        verbose_name_plural = _("meanings of names")

    def __str__(self) -> str:
        return self.name
