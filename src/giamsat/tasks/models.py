"""Tasks, the agencies assigned to them, and what the agencies report on them.

Status is never stored: status.py derives it from the deadline, the assignments'
completion dates and the as-of date, so every page and report agrees.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from giamsat.lib.text import fold
from giamsat.tasks.deadlines import Deadline, DeadlineKind, parse_deadline

# What each kind of deadline is called on screen (deadlines.py itself has no Django).
DEADLINE_KIND_LABELS = {
    DeadlineKind.DATE: _("Exact date"),
    DeadlineKind.BEFORE: _("Before a date"),
    DeadlineKind.MONTH: _("Month"),
    DeadlineKind.QUARTER: _("Quarter"),
    DeadlineKind.HALF: _("Half-year"),
    DeadlineKind.YEAR: _("Year"),
    DeadlineKind.RECURRING: _("Recurring"),
    DeadlineKind.YEARLY: _("Every year"),
    DeadlineKind.QUARTERLY: _("Every quarter"),
    DeadlineKind.MONTHLY: _("Every month"),
    DeadlineKind.NONE: _("No deadline"),
    DeadlineKind.UNPARSED: _("Not understood"),
}


class Area(models.Model):
    """One of the programme's areas (thể chế số, hạ tầng số, dữ liệu số, …): data the
    standing office may edit; headings of documents map to it (tasks/areas.py)."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    name = models.CharField(_("name"), max_length=200)
    # One per line: the headings documents write for it ("Về thể chế", "Thể chế số").
    aliases = models.TextField(_("headings that mean it"), blank=True)
    # One per line: words in a task's title that place it here when no heading does.
    keywords = models.TextField(_("words in titles"), blank=True)
    sort_order = models.PositiveIntegerField(_("order"), default=100)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["sort_order", "name"]

    def __str__(self) -> str:
        return self.name


class AreaBasis(models.TextChoices):
    HEADING = "heading", _("From the heading above it")
    TITLE = "title", _("From words of its title")
    PERSON = "person", _("Set by a person")


class Task(models.Model):
    title = models.TextField(_("title"))
    title_key = models.TextField(editable=False, db_index=True)
    directive = models.ForeignKey(
        "directives.Directive", verbose_name=_("directive"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="tasks",
    )
    area = models.CharField(_("area as written"), max_length=400, blank=True)
    programme_area = models.ForeignKey(
        Area, verbose_name=_("area"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="tasks",
    )
    area_basis = models.CharField(_("area from"), max_length=20, choices=AreaBasis.choices,
                                  blank=True)
    expected_output = models.TextField(_("expected output"), blank=True)
    deadline_text = models.TextField(_("deadline (as written)"), blank=True)
    deadline_kind = models.CharField(
        _("deadline kind"), max_length=20,
        choices=[(k.value, DEADLINE_KIND_LABELS[k]) for k in DeadlineKind],
        default=DeadlineKind.NONE,
    )
    deadline_due = models.DateField(_("due date"), null=True, blank=True, db_index=True)
    notes = models.TextField(_("notes"), blank=True)
    source = models.TextField(
        _("source"), blank=True, help_text=_("Document and line the task was read from.")
    )
    import_run = models.ForeignKey(
        "ingest.ImportRun", verbose_name=_("import"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="tasks",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # Derived from the lead assignments and their approved updates (facts.py keeps them up
    # to date), so that status as of any day is a formula over the task's own columns:
    # pages count 20,000 tasks without a subquery per task. Not audited: they are sums.
    lead_count = models.PositiveIntegerField(default=0, editable=False)
    leads_open = models.PositiveIntegerField(default=0, editable=False)
    last_completed_on = models.DateField(null=True, blank=True, editable=False)
    first_started_on = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["lead_count", "leads_open",
                                                 "last_completed_on", "first_started_on"])

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["deadline_due", "id"]

    def __str__(self) -> str:
        return self.title if len(self.title) <= 100 else self.title[:99] + "…"

    def save(self, *args, **kwargs):
        self.title_key = fold(self.title)
        super().save(*args, **kwargs)

    @property
    def deadline(self) -> Deadline:
        return Deadline(raw=self.deadline_text, kind=DeadlineKind(self.deadline_kind),
                        due=self.deadline_due)

    def set_deadline(self, text: str, context_date=None) -> Deadline:
        """Store the deadline as written and what it means."""
        deadline = parse_deadline(text, context_date)
        self.deadline_text = deadline.raw
        self.deadline_kind = deadline.kind
        self.deadline_due = deadline.due
        return deadline


class Role(models.TextChoices):
    LEAD = "lead", _("Lead (chủ trì)")
    COORDINATE = "coordinate", _("Coordinating (phối hợp)")


class Assignment(models.Model):
    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="assignments"
    )
    organisation = models.ForeignKey(
        "orgs.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT,
        related_name="assignments",
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.LEAD)
    named_as = models.CharField(
        _("named in the source as"), max_length=300, blank=True,
        help_text=_("e.g. “Bộ TT&TT” for a task now carried by its successor."),
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    evidence = models.TextField(
        _("evidence"), blank=True, help_text=_("e.g. Quyết định số 1169/QĐ-TTg ngày 16/6/2025")
    )
    # Parsed references to documents: [{"kind", "number", "date", "raw"}].
    evidence_refs = models.JSONField(_("evidence references"), default=list, blank=True)
    # What this agency itself must do, when the task gives each agency its own action
    # ("Bộ Tài chính ban hành …; Bộ Công an …" in a problem group's solution).
    action = models.TextField(_("its own action"), blank=True)
    # Derived (facts.py): the first period an approved update reported work on it, and
    # the task's deadline, copied so that counting an agency's 100,000 assignments by
    # status needs no join with the tasks. Not audited: the task's history has it.
    first_reported_on = models.DateField(null=True, blank=True, editable=False)
    deadline_kind = models.CharField(max_length=20, default=DeadlineKind.NONE, editable=False)
    deadline_due = models.DateField(null=True, blank=True, editable=False)
    history = HistoricalRecords(excluded_fields=["first_reported_on", "deadline_kind",
                                                 "deadline_due"])

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["task", "role", "organisation__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["task", "organisation", "role"], name="assignment_unique"
            )
        ]
        indexes = [models.Index(fields=["organisation", "role"])]

    def __str__(self) -> str:
        return f"{self.organisation.name} — {self.task}"


class ReportedStatus(models.TextChoices):
    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")


class ReviewState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    RETURNED = "returned", _("Returned")


# The review workflow: draft → submitted → approved | returned; returned → submitted again.
REVIEW_TRANSITIONS = {
    ReviewState.DRAFT: {ReviewState.SUBMITTED},
    ReviewState.SUBMITTED: {ReviewState.APPROVED, ReviewState.RETURNED},
    ReviewState.RETURNED: {ReviewState.SUBMITTED, ReviewState.DRAFT},
    ReviewState.APPROVED: set(),
}


def monthly_updates(through: str = "") -> models.Q:
    """The updates of monthly reports, and those with no report (imported or older): what
    readers by month (the monthly report, a task's start, the exports) take. A quarterly,
    half-year or yearly report's update keeps its period's first day (1 April for Q2),
    which such a reader would take for a month's. `through`: the path to the updates
    from the model queried ("updates__" from Assignment)."""
    from giamsat.reporting.models import MONTHLY

    return (models.Q(**{f"{through}submission__isnull": True})
            | models.Q(**{f"{through}submission__regime__code": MONTHLY}))


class Update(models.Model):
    """An agency's report on one assignment for one reporting period."""

    assignment = models.ForeignKey(
        Assignment, verbose_name=_("assignment"), on_delete=models.CASCADE,
        related_name="updates",
    )
    period = models.DateField(_("reporting period"), help_text=_("First day of the period."))
    status = models.CharField(
        _("reported status"), max_length=20, choices=ReportedStatus.choices,
        default=ReportedStatus.IN_PROGRESS,
    )
    completed_on = models.DateField(_("completed on"), null=True, blank=True)
    result = models.TextField(_("result"), blank=True)
    evidence = models.TextField(_("evidence documents"), blank=True)
    # Parsed references to documents: [{"kind", "number", "date", "raw"}].
    evidence_refs = models.JSONField(_("evidence references"), default=list, blank=True)
    difficulties = models.TextField(_("difficulties"), blank=True)
    proposals = models.TextField(_("proposals"), blank=True)
    review_state = models.CharField(
        _("review state"), max_length=20, choices=ReviewState.choices,
        default=ReviewState.DRAFT, db_index=True,
    )
    review_comment = models.TextField(_("review comment"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("created by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("reviewed by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    # The agency's report for the period this update belongs to (none for imported or
    # older updates); its review state follows the report's.
    submission = models.ForeignKey(
        "reporting.Submission", verbose_name=_("agency report"), null=True, blank=True,
        on_delete=models.CASCADE, related_name="updates",
    )
    # Raised by every save through the web: a form opened on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("updated by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True, null=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("update")
        verbose_name_plural = _("updates")
        ordering = ["-period", "-id"]
        indexes = [models.Index(fields=["assignment", "period"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="completed") | models.Q(completed_on__isnull=False),
                name="update_completed_has_date",
            ),
            models.UniqueConstraint(fields=["submission", "assignment"],
                                    name="update_once_per_report"),
        ]

    def __str__(self) -> str:
        return f"{self.assignment} ({self.period:%m/%Y})"


def evidence_path(instance, filename: str) -> str:
    # The stored name is the content hash: no user-chosen path reaches the disk.
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"evidence/{instance.sha256[:2]}/{instance.sha256}.{suffix}"


class EvidenceFile(models.Model):
    """A document an agency attaches to an update as evidence (a decision, a report)."""

    update = models.ForeignKey(
        Update, verbose_name=_("update"), on_delete=models.CASCADE, related_name="files"
    )
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size in bytes"))
    sha256 = models.CharField(max_length=64)
    content_type = models.CharField(_("content type"), max_length=120)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evidence file")
        verbose_name_plural = _("evidence files")
        ordering = ["update", "uploaded_at"]

    def __str__(self) -> str:
        return self.name


class AppearanceState(models.TextChoices):
    PLANNED = "planned", _("Listed as a task to do")
    COMPLETED = "completed", _("Listed as completed")
    OVERDUE = "overdue", _("Listed as overdue")


class Appearance(models.Model):
    """One place a task was read from: a row of a document, as of that document's date.

    The same task appears in many documents (a plan, then a report's appendices), maybe
    with a new deadline or a successor agency; each appearance keeps what that document
    said, so the task's history can be told.
    """

    task = models.ForeignKey(
        Task, verbose_name=_("task"), on_delete=models.CASCADE, related_name="appearances"
    )
    document = models.ForeignKey(
        "ingest.ImportedDocument", verbose_name=_("document"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="appearances",
    )
    # The file's content hash and the line: the identity of a row across re-imports.
    source_sha256 = models.CharField(max_length=64)
    path = models.CharField(_("file"), max_length=500)
    line = models.PositiveIntegerField(_("line"))
    as_of = models.DateField(_("document date"), null=True, blank=True)
    section = models.TextField(_("section"), blank=True)
    state = models.CharField(_("listed as"), max_length=20, choices=AppearanceState.choices,
                             default=AppearanceState.PLANNED)
    title = models.TextField(_("title as written"))
    deadline_text = models.TextField(_("deadline as written"), blank=True)
    leads_text = models.TextField(_("lead agencies as written"), blank=True)
    coordinators_text = models.TextField(_("coordinating agencies as written"), blank=True)
    raw_text = models.TextField(_("text as read"))
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("appearance")
        verbose_name_plural = _("appearances")
        ordering = ["task", "as_of", "path", "line"]
        constraints = [
            models.UniqueConstraint(fields=["source_sha256", "line"], name="appearance_unique_row")
        ]

    def __str__(self) -> str:
        return f"{self.path.rsplit('/', 1)[-1]}:{self.line}"


class MatchState(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    CONFIRMED = "confirmed", _("Confirmed: the same task")
    REJECTED = "rejected", _("Rejected: different tasks")


class TaskMatch(models.Model):
    """A task read from one document that may be a task already known from another.

    Proposed by an import with a score; a person confirms (the newer task is folded into
    the older one, all appearances kept) or rejects it.
    """

    task = models.ForeignKey(
        Task, verbose_name=_("known task"), on_delete=models.CASCADE, related_name="matches"
    )
    candidate = models.ForeignKey(
        Task, verbose_name=_("newly read task"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    candidate_title = models.TextField(_("newly read title"))
    score = models.FloatField(_("similarity"))
    state = models.CharField(_("state"), max_length=20, choices=MatchState.choices,
                             default=MatchState.PROPOSED, db_index=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("decided by"), null=True, blank=True,
        on_delete=models.PROTECT, related_name="+",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("possible match")
        verbose_name_plural = _("possible matches")
        ordering = ["-score"]
        constraints = [
            models.UniqueConstraint(fields=["task", "candidate"], name="task_match_unique")
        ]

    def __str__(self) -> str:
        return f"{self.score:.2f}: {self.task} ≈ {self.candidate_title[:60]}"


class MergeReason(models.TextChoices):
    CERTAIN = "certain", _("Same title, leads and deadline: merged on import")
    CONFIRMED = "confirmed", _("Confirmed by a person")


class TaskMerge(models.Model):
    """Two tasks found to be one: the duplicate folded into the kept task, and everything
    needed to take it apart again (`snapshot`, see tasks/merging.py)."""

    kept = models.ForeignKey(Task, verbose_name=_("kept task"), on_delete=models.CASCADE,
                             related_name="merges")
    merged_task_id = models.PositiveIntegerField(_("merged task (id)"))
    merged_title = models.TextField(_("merged task"))
    reason = models.CharField(_("why"), max_length=20, choices=MergeReason.choices)
    match = models.ForeignKey(TaskMatch, verbose_name=_("possible match"), null=True,
                              blank=True, on_delete=models.SET_NULL, related_name="merges")
    # {"task": fields of the duplicate, "kept_before": fields of the kept task it changed,
    #  "appearances": [ids moved], "assignments": [ids moved],
    #  "folded": [{"assignment": fields, "into": id, "into_before": {…}, "updates": [ids]}],
    #  "matches": [[id, state, task id, candidate id]], "deleted_matches": [fields]}
    snapshot = models.JSONField(_("what the merge changed"), default=dict)
    merged_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("merged by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    undone_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("undone by"),
                                  null=True, blank=True, on_delete=models.PROTECT,
                                  related_name="+")
    undone_at = models.DateTimeField(_("undone at"), null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("task merge")
        verbose_name_plural = _("task merges")
        ordering = ["-merged_at", "-id"]

    def __str__(self) -> str:
        return f"#{self.merged_task_id} → #{self.kept_id}"

    @property
    def undone(self) -> bool:
        return self.undone_at is not None


class AreaChoice(models.Model):
    """What the standing office said a heading no area matched means (or that it names
    none): applied to the tasks under it, and to the next ones."""

    key = models.CharField(max_length=400, unique=True)
    heading = models.CharField(_("heading"), max_length=400)
    area = models.ForeignKey(Area, verbose_name=_("area"), null=True, blank=True,
                             on_delete=models.CASCADE, related_name="choices")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("decided by"),
                                   null=True, blank=True, on_delete=models.PROTECT,
                                   related_name="+")
    decided_at = models.DateTimeField(_("decided at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("area of a heading")
        verbose_name_plural = _("areas of headings")

    def __str__(self) -> str:
        return f"{self.heading} → {self.area or '—'}"
