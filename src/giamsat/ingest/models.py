"""ImportRun: one run of `giamsat import` (or the web import page) and what it did."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.jobs import JobRow


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


class ImportedDocument(models.Model):
    """A file an import read, with all of its text: nothing read is ever lost."""

    import_run = models.ForeignKey(
        ImportRun, verbose_name=_("import"), on_delete=models.CASCADE, related_name="documents"
    )
    path = models.CharField(_("file"), max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.PositiveIntegerField(_("size in bytes"))
    as_of = models.DateField(_("document date"), null=True, blank=True)
    # For DOCX and XLSX: the text as rendered for reading (paragraphs, cells one per line),
    # so that the line numbers of warnings and appearances point into it.
    text = models.TextField(_("text as read"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("imported document")
        verbose_name_plural = _("imported documents")
        ordering = ["-import_run__started_at", "path"]

    def __str__(self) -> str:
        return self.path.rsplit("/", 1)[-1]


class Shortfall(models.Model):
    """An agency a document names as not having done something.

    Monthly reports list them ("Các cơ quan chưa ban hành: Bộ Ngoại giao, …"); kept so that
    who was named, for what and when, can be followed from report to report.
    """

    document = models.ForeignKey(
        ImportedDocument, verbose_name=_("document"), on_delete=models.CASCADE,
        related_name="shortfalls",
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="shortfalls",
    )
    named_as = models.CharField(_("named in the source as"), max_length=300)
    statement = models.TextField(_("what has not been done"))
    # What the statement concerns, when it names an indicator ("chưa đăng ký chỉ tiêu hồ
    # sơ trực tuyến toàn trình") or reads as one task's title; set on import, correctable.
    indicator = models.ForeignKey(
        "indicators.Indicator", verbose_name=_("indicator"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="shortfalls",
    )
    task = models.ForeignKey(
        "tasks.Task", verbose_name=_("task"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="shortfalls",
    )
    as_of = models.DateField(_("document date"), null=True, blank=True)
    line = models.PositiveIntegerField(_("line"))
    raw_text = models.TextField(_("text as read"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("shortfall")
        verbose_name_plural = _("shortfalls")
        ordering = ["-as_of", "line"]

    def __str__(self) -> str:
        return f"{self.organisation}: {self.statement[:80]}"


class UploadState(models.TextChoices):
    PREVIEWING = "previewing", _("Reading the document")
    READY = "ready", _("Ready to import")
    FAILED = "failed", _("Cannot be imported")
    IMPORTING = "importing", _("Importing")
    IMPORTED = "imported", _("Imported")
    CANCELLED = "cancelled", _("Cancelled")


class Upload(JobRow):
    """A document uploaded on the import page: previewed (a dry run), then confirmed.

    The file is kept under the data directory so that the import that is confirmed reads
    exactly the bytes that were previewed. Reading and importing are background jobs.
    """

    JOB_RUNNING_STATES = ("previewing", "importing")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"),
                             on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    name = models.CharField(_("file name"), max_length=255)
    path = models.CharField(_("stored at"), max_length=500)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    as_of = models.DateField(_("document date"), null=True, blank=True,
                             help_text=_("Given by the user when the document states none."))
    state = models.CharField(_("state"), max_length=20, choices=UploadState.choices,
                             default=UploadState.PREVIEWING)
    preview = models.JSONField(_("preview"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    import_run = models.ForeignKey(ImportRun, verbose_name=_("import"), null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="uploads")
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("uploaded document")
        verbose_name_plural = _("uploaded documents")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.name

    def job_stopped(self, message: str) -> None:
        """Its job was cut off: failed, with the file kept so that it can be read again."""
        self.state, self.error = UploadState.FAILED, message
        self.save()


class TableMapping(models.Model):
    """What the standing office said the columns of a table header mean.

    Kept by header (`signature`, columns.signature): every later table with the same
    header, in any document, is read with it. `kind` "skip" leaves such tables out.
    """

    signature = models.CharField(max_length=64, unique=True)
    header = models.JSONField(_("header"), default=list)  # the cells as first seen
    kind = models.CharField(_("kind of rows"), max_length=30)
    # {"column index": "meaning"} (columns.Meaning values); "ignore" leaves a column out.
    columns = models.JSONField(_("column meanings"), default=dict, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    created_at = models.DateTimeField(_("decided at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("changed at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("table mapping")
        verbose_name_plural = _("table mappings")
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return " | ".join(self.header)[:120]

    def as_mapping(self):
        from giamsat.ingest.table_records import Mapping  # plain data for the parser

        return Mapping(kind=self.kind, columns={int(i): m for i, m in self.columns.items()},
                       header=tuple(self.header))


class HeldState(models.TextChoices):
    HELD = "held", _("Held: its columns are not known")
    MAPPED = "mapped", _("Mapped and read")
    SKIPPED = "skipped", _("Left out: not data")


class HeldTable(models.Model):
    """A table an import could not understand and kept whole (nothing of it written)."""

    document = models.ForeignKey(ImportedDocument, verbose_name=_("document"),
                                 on_delete=models.CASCADE, related_name="held_tables")
    line = models.PositiveIntegerField(_("line"))
    signature = models.CharField(max_length=64, db_index=True)
    header = models.JSONField(_("header"), default=list)
    rows = models.JSONField(_("rows"), default=list)  # [{"line", "cells"}], raw
    title = models.TextField(_("title"), blank=True)
    reason = models.TextField(_("why it was held"), blank=True)
    state = models.CharField(_("state"), max_length=20, choices=HeldState.choices,
                             default=HeldState.HELD)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("held table")
        verbose_name_plural = _("held tables")
        ordering = ["document", "line"]
        constraints = [models.UniqueConstraint(fields=["document", "line"],
                                               name="held_table_once_per_document")]

    def __str__(self) -> str:
        return f"{self.document}:{self.line}"


class UnplacedKind(models.TextChoices):
    NAME = "name", _("Name of an agency")
    AREA = "area", _("Area heading")


class Unplaced(models.Model):
    """A name or an area heading an import could not place, where it stood, and what it
    would have written: applied when the standing office says what it means
    (ingest/placing.py), in past imports and (through the choice) in the next ones."""

    kind = models.CharField(_("kind"), max_length=10, choices=UnplacedKind.choices)
    key = models.CharField(max_length=400, db_index=True)  # name_key / area_key
    text = models.CharField(_("as written"), max_length=400)
    # lead, coordinate, open (named as not having completed), shortfall, value, target,
    # area: what the name was for.
    context = models.CharField(_("read as"), max_length=20)
    task = models.ForeignKey("tasks.Task", verbose_name=_("task"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey(ImportedDocument, verbose_name=_("document"), null=True,
                                 blank=True, on_delete=models.CASCADE, related_name="+")
    line = models.PositiveIntegerField(_("line"), default=0)
    message = models.TextField(_("why not placed"), blank=True)
    candidates = models.JSONField(_("close names"), default=list, blank=True)  # org ids
    payload = models.JSONField(_("what it would write"), default=dict, blank=True)
    placed_at = models.DateTimeField(_("placed at"), null=True, blank=True)

    class Meta:
        verbose_name = _("unplaced name")
        verbose_name_plural = _("unplaced names")
        indexes = [models.Index(fields=["kind", "key", "placed_at"])]

    def __str__(self) -> str:
        return self.text
