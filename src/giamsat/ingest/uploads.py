"""The import page's steps: upload → preview (a dry run) → confirm → the import itself.

Both the preview and the import are `run_import` — the same code as `giamsat import` —
run as background jobs (giamsat.jobs: the worker process) with their progress shown on the
page. A job cut off half-way (a restart, a killed worker) wrote nothing: the import is one
transaction; the upload is marked failed and may be read again or cancelled.
"""

import contextlib
import datetime
import hashlib
import shutil
import time
import uuid
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from django_tasks import task
from simple_history.models import HistoricalRecords

from giamsat import jobs
from giamsat.accounts.policy import Action, require
from giamsat.ingest.models import Upload, UploadState
from giamsat.ingest.sources import SOURCE_FORMATS, UnreadableDocument
from giamsat.ingest.write import ImportFailed, run_import

ACCEPTED_SUFFIXES = {".txt", ".md", ".text", ".docx", ".xlsx", ".xlsm", ".pdf",
                     ".doc", ".odt", ".rtf", ".xls", ".ods"}


class UploadRefused(Exception):
    """The upload cannot go ahead; str() says why. Nothing was stored."""


def has_stopped(upload: Upload) -> bool:
    """Its job died (a restart, a killed worker) before it finished: the import is one
    transaction, so nothing of it was written and it may be read again or cancelled."""
    return jobs.status(upload) == jobs.STOPPED


def _may_start_again(upload: Upload) -> bool:
    return upload.state in (UploadState.FAILED, UploadState.READY, UploadState.IMPORTED) \
        or has_stopped(upload)


def _forget_file(upload: Upload) -> None:
    shutil.rmtree(Path(upload.path).parent, ignore_errors=True)


def accept(uploaded, user, as_of: datetime.date | None = None) -> Upload:
    """Store an uploaded document and start its preview."""
    require(user, Action.IMPORT)
    name = get_valid_filename(Path(uploaded.name or "document").name) or "document"
    suffix = Path(name).suffix.lower()
    limit = settings.MAX_IMPORT_MB * 1024 * 1024
    if uploaded.size > limit:
        raise UploadRefused(_("“%(name)s” is %(size).1f MB; a document to import may be at "
                              "most %(limit)s MB.") % {"name": uploaded.name,
                                                       "size": uploaded.size / 2**20,
                                                       "limit": settings.MAX_IMPORT_MB})
    if uploaded.size == 0:
        raise UploadRefused(_("“%(name)s” is empty.") % {"name": uploaded.name})
    if suffix not in ACCEPTED_SUFFIXES:
        raise UploadRefused(_("“%(name)s” cannot be imported. Accepted: %(formats)s.") % {
            "name": uploaded.name, "formats": "; ".join(str(v) for v in SOURCE_FORMATS.values())})
    folder = settings.DATA_DIR / "imports" / uuid.uuid4().hex
    folder.mkdir(parents=True)
    path = folder / name
    digest = hashlib.sha256()
    with path.open("wb") as out:
        for chunk in uploaded.chunks():
            digest.update(chunk)
            out.write(chunk)
    with transaction.atomic():
        upload = Upload.objects.create(user=user, name=uploaded.name[:255], path=str(path),
                                       size=uploaded.size, sha256=digest.hexdigest(),
                                       as_of=as_of)
        jobs.start(upload, read_upload, upload.pk)
    return upload


def retry(upload: Upload, user, as_of: datetime.date | None) -> Upload:
    """Preview again, e.g. with the document date the first preview asked for."""
    require(user, Action.IMPORT)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if not _may_start_again(upload):
            raise UploadRefused(_("This document is being read; wait until it is done."))
        if not Path(upload.path).is_file():
            raise UploadRefused(_("The file of this upload is no longer kept (it could not "
                                  "be read or was cancelled); upload it again."))
        upload.state, upload.as_of, upload.error, upload.preview = (
            UploadState.PREVIEWING, as_of, "", {})
        upload.save()
        jobs.start(upload, read_upload, upload.pk)
    return upload


def confirm(upload: Upload, user) -> Upload:
    """Import what the preview showed; once only, however often the button is pressed."""
    require(user, Action.IMPORT)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.state != UploadState.READY:
            raise UploadRefused(_("Only a document whose preview is ready can be imported; "
                                  "this one is: %(state)s.")
                                % {"state": UploadState(upload.state).label.lower()})
        upload.state = UploadState.IMPORTING
        upload.save()
        jobs.start(upload, import_upload, upload.pk, user.pk)
    return upload


def cancel(upload: Upload, user) -> Upload:
    require(user, Action.IMPORT)
    with transaction.atomic():
        upload = Upload.objects.select_for_update().get(pk=upload.pk)
        if upload.state not in (UploadState.READY, UploadState.FAILED) \
                and not has_stopped(upload):
            raise UploadRefused(_("This document can no longer be cancelled: %(state)s.")
                                % {"state": UploadState(upload.state).label.lower()})
        upload.state = UploadState.CANCELLED
        upload.save()
    _forget_file(upload)
    return upload


@contextlib.contextmanager
def acting_as(user):
    """Attribute the audit trail's records to `user` outside a request (a job thread)."""
    context = HistoricalRecords.context
    previous = getattr(context, "request", None)
    context.request = SimpleNamespace(user=user)
    try:
        yield
    finally:
        if previous is None:
            del context.request
        else:
            context.request = previous


def _progress_reporter(upload: Upload):
    """Records decided so far, in the cache (the upload's row is saved once, at the end);
    the last count is kept on the upload when it is saved."""
    last = [0.0]

    def progress(done: int, total: int, path: str) -> None:
        upload.job_done, upload.job_total = done, total
        now = time.monotonic()
        if now - last[0] >= 0.3 or done == total:  # the cache is a file: not every record
            last[0] = now
            jobs.report(upload, done, total, Path(path).name, save=False)

    return progress


@task()
def read_upload(upload_id: int) -> None:
    """The job of a preview: a dry run of the import, its summary kept on the upload."""
    upload = Upload.objects.get(pk=upload_id)
    if upload.state != UploadState.PREVIEWING:  # cancelled, or read by another job
        return
    try:
        summary = run_import([upload.path], as_of=upload.as_of, dry_run=True, user=upload.user,
                             progress=_progress_reporter(upload))
    except UnreadableDocument as error:  # reading it again cannot help: keep no copy
        upload.state, upload.error = UploadState.FAILED, str(error)
        _forget_file(upload)
    except ImportFailed as error:
        upload.state, upload.error = UploadState.FAILED, str(error)
    except Exception as error:  # shown to the user; the log has the traceback
        upload.state, upload.error = UploadState.FAILED, _("Unexpected error: %(error)s") % {
            "error": error}
        upload.save()
        raise
    else:
        upload.state, upload.preview = UploadState.READY, summary
    upload.save()


@task()
def import_upload(upload_id: int, user_id: int) -> None:
    """The job of an import: what the preview showed, written in one transaction."""
    from django.contrib.auth import get_user_model

    upload = Upload.objects.get(pk=upload_id)
    if upload.state != UploadState.IMPORTING:  # imported already: once only
        return
    user = get_user_model().objects.get(pk=user_id)
    try:
        with acting_as(user):
            summary = run_import([upload.path], as_of=upload.as_of, user=user,
                                 progress=_progress_reporter(upload))
    except (ImportFailed, UnreadableDocument) as error:
        upload.state, upload.error = UploadState.FAILED, str(error)
    except Exception as error:
        upload.state, upload.error = UploadState.FAILED, _("Unexpected error: %(error)s") % {
            "error": error}
        upload.save()
        raise
    else:
        upload.state, upload.import_run_id = UploadState.IMPORTED, summary["import_run"]
        upload.preview = {**upload.preview, "result": summary}
    upload.save()
