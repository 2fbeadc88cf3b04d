"""Nhập dữ liệu: upload a document, look at what it would import, confirm."""

from django.conf import settings
from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from giamsat import jobs
from giamsat.accounts.policy import Action, require
from giamsat.ingest import uploads
from giamsat.ingest.models import ImportRun, Upload, UploadState
from giamsat.tasks.matching import confirm_match, reject_match
from giamsat.tasks.models import MatchState, TaskMatch
from giamsat.web import params
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
    name = uploads.job_name(upload)
    progress = jobs.progress(name) or {}
    running = upload.state in RUNNING
    share = progress["done"] / progress["total"] if progress.get("total") else None
    preview = upload.preview or {}
    return {
        "upload": upload, "running": running,
        "stale": running and jobs.is_stale(name),
        "progress": progress, "share": share,
        "preview": preview, "files": preview.get("files", []),
        "totals": preview.get("totals", {}),
        "matches": preview.get("matches", []),
        "result": preview.get("result"),
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
               .select_related("task", "candidate").order_by("-score", "pk"))
    decided = (TaskMatch.objects.exclude(state=MatchState.PROPOSED)
               .select_related("task", "decided_by").order_by("-decided_at")[:20])
    return render(request, "web/matches.html", {"matches": matches[:100],
                                                "count": matches.count(), "decided": decided})


@require_POST
@write_action(Action.DECIDE_MATCH)
def match_decide(request, pk):
    match = get_object_or_404(TaskMatch, pk=pk)
    decision = request.POST.get("decision")
    if match.state != MatchState.PROPOSED:
        messages.error(request, _("This pair was already decided: %(state)s.")
                       % {"state": match.get_state_display()})
    elif decision == "confirm":
        if match.candidate is None:
            messages.error(request, _("The newly read task no longer exists."))
        else:
            task = confirm_match(match, request.user)
            messages.success(request, _("Merged into task %(id)s; every appearance is kept.")
                             % {"id": task.pk})
    elif decision == "reject":
        reject_match(match, request.user)
        messages.success(request, _("Kept as two different tasks."))
    else:
        messages.error(request, _("Choose whether the two tasks are the same."))
    return redirect("web:matches")
