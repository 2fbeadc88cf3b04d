"""Nhập dữ liệu: upload a document, look at what it would import, confirm."""

import datetime

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST, require_safe

from giamsat import jobs
from giamsat.accounts.policy import Action, require
from giamsat.ingest import uploads
from giamsat.ingest.columns import KIND_LABELS, MEANING_LABELS
from giamsat.ingest.mappings import KINDS, MEANINGS, MappingRefused, mapping_for, remember
from giamsat.ingest.models import ImportRun, Unplaced, Upload, UploadState
from giamsat.tasks.merging import MergeRefused, confirm_match, reject_match, undo_merge
from giamsat.tasks.models import MatchState, Role, TaskMatch, TaskMerge
from giamsat.web import params
from giamsat.web.jobs import job_context
from giamsat.web.writes import write_action

RUNNING = (UploadState.PREVIEWING, UploadState.IMPORTING)


@write_action(Action.IMPORT)
def import_home(request):
    """The upload form (POST: store the document and start its preview) and the recent
    uploads and imports."""
    if request.method == "POST":
        return _upload(request)
    return render(request, "web/import_home.html", _home_context())


def _home_context(error=None) -> dict:
    return {
        "uploads": Upload.objects.select_related("user", "import_run")[:20],
        "runs": ImportRun.objects.select_related("user")[:20],
        "error": error, "accepted": ", ".join(sorted(uploads.ACCEPTED_SUFFIXES)),
        "max_mb": settings.MAX_IMPORT_MB,
        "proposed_matches": TaskMatch.objects.filter(state=MatchState.PROPOSED).count(),
        "unplaced_names": Unplaced.objects.filter(placed_at=None).values(
            "kind", "key").distinct().count(),
    }


def _upload(request):
    uploaded = request.FILES.get("file")
    as_of_text = request.POST.get("as_of", "").strip()
    as_of, problem = params.read_day(as_of_text)
    if uploaded is None:
        problem = _("Choose a file to import.")
    if not problem:
        try:
            upload = uploads.accept(uploaded, request.user, as_of)
        except uploads.UploadRefused as refused:
            problem = str(refused)
        else:
            return redirect("web:upload", pk=upload.pk)
    return render(request, "web/import_home.html", _home_context(problem), status=400)


@require_safe
def upload_detail(request, pk):
    require(request.user, Action.IMPORT)
    upload = get_object_or_404(Upload.objects.select_related("user", "import_run"), pk=pk)
    template = "web/_upload_state.html" if request.headers.get("HX-Request") else \
        "web/upload.html"
    return render(request, template, _upload_context(upload))


def _upload_context(upload: Upload) -> dict:
    progress = jobs.progress(upload)
    running = upload.state in RUNNING
    share = progress["done"] / progress["total"] if progress.get("total") else None
    preview = upload.preview or {}
    return {
        "upload": upload, "running": running, **job_context(upload),
        "progress": progress, "share": share,
        "preview": preview, "files": [_with_columns(file) for file in preview.get("files", [])],
        "totals": preview.get("totals", {}),
        "matches": preview.get("matches", []),
        "result": preview.get("result"),
        "kinds": [(k, KIND_LABELS[k]) for k in KINDS],
        "meanings": [(m, MEANING_LABELS[m]) for m in MEANINGS],
    }


@require_POST
@write_action(Action.IMPORT)
def upload_confirm(request, pk):
    upload = get_object_or_404(Upload, pk=pk)
    try:
        uploads.confirm(upload, request.user)
    except uploads.UploadRefused as refused:
        messages.error(request, str(refused))
    return redirect("web:upload", pk=pk)


@require_POST
@write_action(Action.IMPORT)
def upload_retry(request, pk):
    upload = get_object_or_404(Upload, pk=pk)
    text = request.POST.get("as_of", "").strip()
    as_of, problem = params.read_day(text)
    if problem:
        messages.error(request, problem)
        return redirect("web:upload", pk=pk)
    try:
        uploads.retry(upload, request.user, as_of)
    except uploads.UploadRefused as refused:
        messages.error(request, str(refused))
    return redirect("web:upload", pk=pk)


@require_POST
@write_action(Action.IMPORT)
def upload_map(request, pk):
    """Say what the columns of a held table mean (or that it is not data): remembered for
    every table with that header, then the document is read again with it."""
    upload = get_object_or_404(Upload, pk=pk)
    held = _held_table(upload, request.POST.get("line", ""))
    if held is None:
        messages.error(request, _("This document holds no such table; it may have been "
                                  "mapped already."))
        return redirect("web:upload", pk=pk)
    kind = request.POST.get("kind", "")
    columns = {i: request.POST.get(f"col_{i}", "") for i in range(len(held["header"]))}
    try:
        mapping = mapping_for(held["raw_header"], kind,
                              {i: m for i, m in columns.items() if m} if kind != "skip" else {})
    except MappingRefused as refused:
        messages.error(request, str(refused))
        return redirect("web:upload", pk=pk)
    remember({held["signature"]: mapping}, request.user)
    try:
        uploads.retry(upload, request.user, upload.as_of)
    except uploads.UploadRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("Saved: every table with this header will be read so. "
                                    "The document is read again; check what it now gives, "
                                    "then import."))
    return redirect("web:upload", pk=pk)


def _with_columns(file: dict) -> dict:
    """A file of the preview with each held table's columns and their guessed meanings,
    as the mapping form lists them."""
    held = [{**table, "columns": [
        {"index": i, "header": header, "guess": table.get("guess", {}).get(str(i), "")}
        for i, header in enumerate(table["header"])]} for table in file.get("held_tables", [])]
    return {**file, "held_tables": held}


def _held_table(upload: Upload, line: str) -> dict | None:
    """A held table of the upload's last reading, by the line it starts on."""
    for file in (upload.preview or {}).get("files", []):
        for held in file.get("held_tables", []):
            if str(held["line"]) == line:
                return held
    return None


@require_POST
@write_action(Action.IMPORT)
def upload_cancel(request, pk):
    upload = get_object_or_404(Upload, pk=pk)
    try:
        uploads.cancel(upload, request.user)
    except uploads.UploadRefused as refused:
        messages.error(request, str(refused))
        return redirect("web:upload", pk=pk)
    messages.success(request, _("Cancelled; nothing was imported from %(name)s.")
                     % {"name": upload.name})
    return redirect("web:imports")


@require_safe
def import_run(request, pk):
    require(request.user, Action.IMPORT)
    run = get_object_or_404(ImportRun.objects.select_related("user"), pk=pk)
    return render(request, "web/import_run.html", {
        "run": run, "summary": run.summary, "files": run.summary.get("files", []),
        "totals": run.summary.get("totals", {}),
        "documents": run.documents.all(),
        "tasks": run.tasks.order_by("pk")[:200],
    })


@require_safe
def match_list(request):
    require(request.user, Action.DECIDE_MATCH)
    matches = (TaskMatch.objects.filter(state=MatchState.PROPOSED)
               .select_related("task__directive", "candidate__directive")
               .order_by("-score", "pk"))
    shown = list(matches[:100])
    return render(request, "web/matches.html", {
        "matches": [(m, [_side(m.task), _side(m.candidate)]) for m in shown],
        "count": matches.count(),
        "merges": TaskMerge.objects.select_related("kept", "merged_by").order_by(
            "-merged_at")[:30],
    })


def _side(task) -> dict | None:
    """What a person compares of one task of a pair: wording, deadline, leads, documents."""
    if task is None:
        return None
    leads = [a.organisation.name for a in task.assignments.filter(role=Role.LEAD)
             .select_related("organisation").order_by("organisation__sort_order")]
    documents = sorted({(a.path.rsplit("/", 1)[-1], a.as_of) for a in task.appearances.all()},
                       key=lambda d: (d[1] or datetime.date.min, d[0]))
    return {"task": task, "leads": leads, "documents": documents}


@require_POST
@write_action(Action.DECIDE_MATCH)
def match_decide(request, pk):
    return _decide(request, [pk], request.POST.get("decision"))


@require_POST
@write_action(Action.DECIDE_MATCH)
def match_decide_many(request):
    ids = [int(i) for i in request.POST.getlist("match") if i.isdigit() and len(i) < 12]
    if not ids:
        messages.error(request, _("Tick the pairs to decide first."))
        return redirect("web:matches")
    return _decide(request, ids, request.POST.get("decision"))


def _decide(request, ids: list[int], decision: str | None):
    if decision not in ("confirm", "reject"):
        messages.error(request, _("Choose whether the two tasks are the same."))
        return redirect("web:matches")
    done, refused = 0, []
    for match in TaskMatch.objects.filter(pk__in=ids).order_by("-score", "pk"):
        try:
            if match.state != MatchState.PROPOSED:
                raise MergeRefused(_("This pair was already decided: %(state)s.")
                                   % {"state": match.get_state_display()})
            if decision == "confirm":
                confirm_match(match, request.user)
            else:
                reject_match(match, request.user)
            done += 1
        except MergeRefused as error:
            refused.append(f"#{match.pk}: {error}")
    if done:
        messages.success(request, (ngettext(
            "%(count)s pair merged into one task; every appearance is kept.",
            "%(count)s pairs merged into one task each; every appearance is kept.", done)
            if decision == "confirm" else ngettext(
            "%(count)s pair kept as two different tasks.",
            "%(count)s pairs kept as two different tasks.", done)) % {"count": done})
    for message in refused:
        messages.error(request, message)
    return redirect("web:matches")


@require_POST
@write_action(Action.DECIDE_MATCH)
def merge_undo(request, pk):
    merge = get_object_or_404(TaskMerge, pk=pk)
    try:
        task = undo_merge(merge, request.user)
    except MergeRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("The merge was undone: task %(id)s is back with its "
                                    "appearances and agencies.") % {"id": task.pk})
    return redirect("web:matches")
