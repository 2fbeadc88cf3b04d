"""Directives: the documents that give tasks (văn bản giao nhiệm vụ)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class DirectiveKind(models.TextChoices):
    RESOLUTION = "resolution", _("Resolution (Nghị quyết)")
    DECISION = "decision", _("Decision (Quyết định)")
    DIRECTIVE = "directive", _("Directive (Chỉ thị)")
    NOTICE = "notice", _("Notice (Thông báo)")
    PLAN = "plan", _("Plan (Kế hoạch)")
    PROGRAMME = "programme", _("Programme (Chương trình)")
    OFFICIAL_LETTER = "letter", _("Official letter (Công văn)")
    CONCLUSION = "conclusion", _("Conclusion (Kết luận)")
    OTHER = "other", _("Other document")


class Directive(models.Model):
    kind = models.CharField(_("kind"), max_length=20, choices=DirectiveKind.choices)
    # As written on the document: "71/NQ-CP", "05-TB/BCĐTW", "56/TB-VPCP".
    number = models.CharField(_("number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    issuer = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("issuer"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="directives",
    )
    title = models.TextField(_("title"), blank=True)
    raw_text = models.TextField(
        _("text as cited"), blank=True, help_text=_("How the source document cited it.")
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("directive")
        verbose_name_plural = _("directives")
        ordering = ["-issued_on", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "number", "issued_on"], name="directive_unique_number",
                condition=~models.Q(number=""),
            )
        ]

    def __str__(self) -> str:
        label = f"{self.get_kind_display().split(' (')[0]} {self.number}".strip()
        if self.issued_on:
            label += self.issued_on.strftime(" (%d/%m/%Y)")
        return label if self.number else (self.title[:80] or label)
