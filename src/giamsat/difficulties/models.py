"""The register of difficulties and proposals (vướng mắc, kiến nghị), followed to the end.

An item is raised by an agency (in its monthly report or through the API) or by the
standing office from a document (appendix 07 of the half-year report: problem, solution,
responsible agencies, deadline). The office accepts it and says who must act, each
agency with its own action; the agencies report their part done; the item is resolved
when every part is, or the office closes it, declines it with a reason, or merges it into
another that says the same. workflow.py holds the rules; pages, API and reports call it.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class State(models.TextChoices):
    RAISED = "raised", _("Raised, waiting for the standing office")
    ACCEPTED = "accepted", _("Accepted and assigned")
    HANDLING = "handling", _("Being handled")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")
    MERGED = "merged", _("Merged into another item")


OPEN_STATES = (State.RAISED, State.ACCEPTED, State.HANDLING)


class Difficulty(models.Model):
    problem = models.TextField(_("difficulty"))
    solution = models.TextField(_("proposed solution"), blank=True)
    area = models.CharField(_("area"), max_length=400, blank=True)
    raised_by = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("raised by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="difficulties_raised",
        help_text=_("Empty: the standing office, from a document."))
    raised_for = models.DateField(_("in the report of"), null=True, blank=True,
                                  help_text=_("First day of the month of the agency's report."))
    raised_on = models.DateField(_("raised on"))
    document = models.ForeignKey(
        "ingest.ImportedDocument", verbose_name=_("document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="difficulties")
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)
    raw_text = models.TextField(_("text as read"), blank=True)
    directive = models.ForeignKey(
        "directives.Directive", verbose_name=_("directive"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="difficulties")
    deadline_text = models.CharField(_("deadline as written"), max_length=200, blank=True)
    deadline_due = models.DateField(_("due date"), null=True, blank=True)
    state = models.CharField(_("state"), max_length=20, choices=State.choices,
                             default=State.RAISED, db_index=True)
    decline_reason = models.TextField(_("reason for declining"), blank=True)
    merged_into = models.ForeignKey(
        "self", verbose_name=_("merged into"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="merged")
    resolved_on = models.DateField(_("resolved on"), null=True, blank=True)
    resolution = models.TextField(_("how it was resolved"), blank=True)
    tasks = models.ManyToManyField("tasks.Task", verbose_name=_("tasks"), blank=True,
                                   related_name="difficulties")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("difficulty or proposal")
        verbose_name_plural = _("difficulties and proposals")
        ordering = ["-raised_on", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["source_sha256", "line"],
                                    condition=~models.Q(source_sha256=""),
                                    name="difficulty_once_per_document_line"),
        ]

    def __str__(self) -> str:
        return self.problem[:100]

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Responsibility(models.Model):
    """One agency's part in resolving an item: its own action and its report of it."""

    difficulty = models.ForeignKey(Difficulty, verbose_name=_("difficulty"),
                                   on_delete=models.CASCADE, related_name="responsibilities")
    organisation = models.ForeignKey("orgs.Organisation", verbose_name=_("organisation"),
                                     on_delete=models.PROTECT, related_name="responsibilities")
    action = models.TextField(_("its action"), blank=True)
    resolved_on = models.DateField(_("done on"), null=True, blank=True)
    resolution = models.TextField(_("what it did"), blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("responsibility")
        verbose_name_plural = _("responsibilities")
        ordering = ["difficulty", "organisation__sort_order", "organisation__name_key"]
        constraints = [models.UniqueConstraint(fields=["difficulty", "organisation"],
                                               name="responsibility_once_per_agency")]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.difficulty}"
