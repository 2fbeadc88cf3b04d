"""Who a user is in the programme: one role, and for agency roles one organisation.

A user has exactly one role. An agency reporter or leader belongs to one organisation and
acts for it and for the organisations it carries forward (its predecessors in the 2025
restructuring). What each role may do is decided in policy.py and nowhere else.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    ADMINISTRATOR = "administrator", _("Administrator")
    STANDING_OFFICE = "standing_office", _("Standing office")
    AGENCY_LEADER = "agency_leader", _("Agency leader")
    AGENCY_REPORTER = "agency_reporter", _("Agency reporter")
    VIEWER = "viewer", _("Viewer")


AGENCY_ROLES = (Role.AGENCY_LEADER, Role.AGENCY_REPORTER)


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE,
        related_name="profile",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="members",
        help_text=_("Required for agency reporters and leaders: the agency they report for."),
    )
    job_title = models.CharField(_("job title"), max_length=200, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(role__in=[r.value for r in AGENCY_ROLES])
                | models.Q(organisation__isnull=False),
                name="agency_role_has_organisation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user.get_username()} ({self.get_role_display()})"

    def clean(self):
        if self.role in AGENCY_ROLES and self.organisation_id is None:
            raise ValidationError(
                {"organisation": _("An agency reporter or leader needs an organisation.")}
            )
