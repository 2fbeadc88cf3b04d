"""Background jobs: imports, reports and queued reminders, run by a worker process.

A job is a row of the database's job queue (Django's task framework, django-tasks, with its
database backend: django_tasks_db.DBTaskResult), taken by `giamsat worker`, a process of
its own that `giamsat serve` starts beside gunicorn. The queue is in the database, so a job
queued while no worker runs (a restart) is done when one starts, and several servers share
it (PostgreSQL), each with workers of its own. With GIAMSAT_JOBS_INLINE=1 (the tests) a job
runs inside the request that asked for it, through the task framework's immediate backend.

What the pages show lives in the rows they show (`JobRow`: an Upload, a GeneratedReport):
their state and error, the job's id, its progress. Progress is also kept in the cache: a
step inside the job's own transaction (an import's records) cannot be seen in the database
before the end.

A worker holds, for as long as its process lives, a lock that the system frees when the
process ends, however it ends (SIGKILL, power cut): an flock on a file beside the SQLite
database, or a PostgreSQL advisory lock held by a session of its own. A job the queue says
runs on a worker whose lock is free was cut off. Nothing of it was written (an import is one
transaction; a report's file is saved at the end), and its row is marked failed with
WORKER_DIED, its page offering it again; a job safe to run twice (`resumable`: reminders,
which are never sent twice) is queued again instead. Pages see a cut-off job at once
(`status`); workers mark them when they start and every JOBS_REAP_SECONDS (`reap`).
"""

import contextlib
import fcntl
import logging
import os
import re
import socket
import threading
import uuid
import zlib
from pathlib import Path

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import connections, models, transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

QUEUED, RUNNING, STOPPED = "queued", "running", "stopped"
WORKER_DIED = _("The server stopped in the middle of this work (it was restarted, or its "
                "background worker was stopped); nothing of it was written.")
# A resumable job is queued again when its worker died, until it has been tried this often.
MAX_ATTEMPTS = 3
# The ids of giamsat's workers: "gs." host "." pid "." random. A job claimed by another kind
# of worker (the package's own `db_worker`) has no lock to look at and is left alone.
_OURS = re.compile(r"^gs\.[A-Za-z0-9-]{0,30}\.\d+\.[A-Za-z0-9]+$")
_PG_NAMESPACE = 0x6A6F62  # advisory locks (key1, key2): key1 marks giamsat's workers


class WorkerDied(Exception):
    """The job's worker ended before the job did (recorded as the job's failure)."""


class JobRow(models.Model):
    """A row whose work is a background job: the job's id and its progress."""

    job_id = models.CharField(_("background job"), max_length=64, blank=True, editable=False)
    job_done = models.PositiveIntegerField(_("steps done"), default=0, editable=False)
    job_total = models.PositiveIntegerField(_("steps in all"), default=0, editable=False)

    # The values of `state` while the job has not finished; each model says how it fails.
    JOB_RUNNING_STATES: tuple[str, ...] = ()

    class Meta:
        abstract = True

    def job_running(self) -> bool:
        return self.state in self.JOB_RUNNING_STATES

    def job_stopped(self, message: str) -> None:
        """Record that the job was cut off (`message` says so) and save."""
        raise NotImplementedError


def resumable(task):
    """Mark a task as safe to run again after its worker died: it is queued again."""
    task.func.resumable = True
    return task


def _resumes(result) -> bool:
    """Whether the job, cut off, is queued again rather than marked failed."""
    try:
        task = import_string(result.task_path)
    except ImportError:
        return False
    return getattr(getattr(task, "func", None), "resumable", False) and \
        len(result.worker_ids) < MAX_ATTEMPTS


def enqueue(task, *args):
    """Queue a job with no row of its own (reminders); with JOBS_INLINE, run it now."""
    return task.using(backend="inline" if settings.JOBS_INLINE else "default").enqueue(*args)


def start(row: JobRow, task, *args) -> None:
    """Queue `task(*args)`, the work of `row`; with JOBS_INLINE, do it now.

    The job and its id on the row are committed together: a worker never sees one without
    the other. Callers that changed the row's state call this in the same transaction.
    """
    report(row, 0, 0, "")
    model = type(row)._default_manager
    if settings.JOBS_INLINE:
        result = task.using(backend="inline").enqueue(*args)
        model.filter(pk=row.pk).update(job_id=result.id)
        for error in result.errors:
            logger.error("job %s failed: %s", task.name, error.traceback)
    else:
        with transaction.atomic():
            result = task.enqueue(*args)
            model.filter(pk=row.pk).update(job_id=result.id, job_done=0, job_total=0)
    row.job_id = result.id


def _key(row: JobRow) -> str:
    return f"job:{row._meta.label_lower}:{row.pk}"


def report(row: JobRow, done: int, total: int, detail: str, *, save: bool = True) -> None:
    """The job's progress; `save=False` inside the job's transaction (seen in the cache)."""
    cache.set(_key(row), {"done": done, "total": total, "detail": detail}, timeout=3600)
    if save:
        type(row)._default_manager.filter(pk=row.pk).update(job_done=done, job_total=total)


def progress(row: JobRow) -> dict:
    return cache.get(_key(row)) or {"done": row.job_done, "total": row.job_total, "detail": ""}


def _task_result(job_id: str):
    from django_tasks_db.models import DBTaskResult

    try:
        uuid.UUID(job_id)
    except ValueError:
        return None
    return DBTaskResult.objects.filter(pk=job_id).first()


def status(row: JobRow) -> str | None:
    """QUEUED, RUNNING or STOPPED while the row's work is not done; None once it is.

    STOPPED: the job is no longer in the queue (the inline backend, a pruned queue), its
    worker is dead, or it ended without saying how (its process was told to stop at once).
    """
    if not row.job_running():
        return None
    result = _task_result(row.job_id)
    if result is None:
        return STOPPED
    if result.status == "READY":
        return QUEUED
    if result.status == "RUNNING":
        if _cut_off(result):
            return QUEUED if _resumes(result) else STOPPED
        return RUNNING
    return STOPPED


def _cut_off(result) -> bool:
    worker = result.worker_ids[-1] if result.worker_ids else ""
    return bool(_OURS.match(worker)) and not worker_alive(worker)


# Workers' locks ------------------------------------------------------------------------

def _vendor() -> str:
    return connections["default"].vendor


def _lock_dir() -> Path:
    database = connections["default"].settings_dict
    if _vendor() == "sqlite":
        name = Path(database["NAME"])
        return name.with_name(name.name + "-workers")
    return settings.DATA_DIR / "workers"


def _pg_key(worker_id: str) -> int:
    return zlib.crc32(worker_id.encode()) & 0x7FFFFFFF


class WorkerLock:
    """What keeps a worker seen as alive, held until its process ends."""

    def __init__(self):
        self.worker_id = ""
        self._file = None
        self._session = None

    def acquire(self) -> str:
        host = re.sub(r"[^A-Za-z0-9-]", "-", socket.gethostname())[:30]
        for _attempt in range(20):
            worker_id = f"gs.{host}.{os.getpid()}.{get_random_string(12)}"
            if self._try(worker_id):
                self.worker_id = worker_id
                return worker_id
        raise RuntimeError("no lock could be taken for this worker")

    def _try(self, worker_id: str) -> bool:
        if _vendor() == "postgresql":
            params = connections["default"].get_connection_params()
            session = connections["default"].get_new_connection(params)
            session.autocommit = True
            with session.cursor() as cursor:
                cursor.execute("SELECT pg_try_advisory_lock(%s, %s)",
                               [_PG_NAMESPACE, _pg_key(worker_id)])
                taken = cursor.fetchone()[0]
            if not taken:
                session.close()
                return False
            self._session = session
            return True
        folder = _lock_dir()
        folder.mkdir(parents=True, exist_ok=True)
        final = folder / f"{worker_id}.lock"
        if final.exists():
            return False
        # Locked under another name, then renamed: no one sees the file unlocked (and
        # takes it for a dead worker's).
        temporary = folder / f".{worker_id}.new"
        file = temporary.open("w")
        fcntl.flock(file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        file.write(f"{os.getpid()} {timezone.now().isoformat()}\n")
        file.flush()
        temporary.rename(final)
        self._file = file
        self._path = final
        return True

    def release(self) -> None:
        if self._session is not None:
            # Unlocked before closing: the server frees a closed session's locks only when
            # its backend has ended, a moment later, and a check right after would still
            # see the worker alive.
            with contextlib.suppress(psycopg.Error), self._session.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s, %s)",
                               [_PG_NAMESPACE, _pg_key(self.worker_id)])
            self._session.close()
            self._session = None
        if self._file is not None:
            self._path.unlink(missing_ok=True)
            self._file.close()
            self._file = None


def worker_alive(worker_id: str) -> bool:
    if _vendor() == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT EXISTS (SELECT 1 FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid::bigint = %s AND objid::bigint = %s AND objsubid = 2"
                " AND database = (SELECT oid FROM pg_database"
                " WHERE datname = current_database()))",
                [_PG_NAMESPACE, _pg_key(worker_id)])
            return cursor.fetchone()[0]
    path = _lock_dir() / f"{worker_id}.lock"
    try:
        file = path.open("r")
    except FileNotFoundError:
        return False
    with file:
        try:
            fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            return True
        fcntl.flock(file, fcntl.LOCK_UN)
        return False


def live_workers() -> int:
    """How many of giamsat's workers are running (on every server, for PostgreSQL)."""
    if _vendor() == "postgresql":
        with connections["default"].cursor() as cursor:
            cursor.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                " AND classid::bigint = %s AND objsubid = 2 AND database = (SELECT oid FROM"
                " pg_database WHERE datname = current_database())", [_PG_NAMESPACE])
            return cursor.fetchone()[0]
    folder = _lock_dir()
    if not folder.is_dir():
        return 0
    return sum(1 for path in folder.glob("gs.*.lock") if worker_alive(path.stem))


# Jobs cut off ----------------------------------------------------------------------------

def job_models() -> list[type[JobRow]]:
    return [model for model in apps.get_models() if issubclass(model, JobRow)]


def reap() -> int:
    """Mark the jobs whose worker died, and their rows; resumable ones are queued again.
    How many jobs and rows were changed."""
    from django_tasks_db.models import DBTaskResult

    changed = 0
    for result in DBTaskResult.objects.running():
        if not _cut_off(result):
            continue
        with transaction.atomic():
            result = DBTaskResult.objects.select_for_update().filter(
                pk=result.pk, status="RUNNING").first()
            if result is None or not _cut_off(result):
                continue
            if _resumes(result):
                result.status, result.started_at = "READY", None
                result.save(update_fields=["status", "started_at"])
                logger.warning("job %s (%s): its worker died; queued again", result.pk,
                               result.task_path)
            else:
                result.set_failed(WorkerDied(str(WORKER_DIED)))
                logger.warning("job %s (%s): its worker died; marked failed", result.pk,
                               result.task_path)
            changed += 1
    for model in job_models():
        for row in model._default_manager.filter(state__in=model.JOB_RUNNING_STATES):
            if status(row) != STOPPED:
                continue
            with transaction.atomic():
                row = model._default_manager.select_for_update().get(pk=row.pk)
                if status(row) == STOPPED:
                    row.job_stopped(str(WORKER_DIED))
                    changed += 1
    if _vendor() != "postgresql" and _lock_dir().is_dir():
        for path in _lock_dir().glob("gs.*.lock"):  # the locks of workers that died
            if not worker_alive(path.stem):
                path.unlink(missing_ok=True)
    return changed


def reap_every(seconds: float, stop: threading.Event, parent: int | None = None) -> None:
    """A worker's thread: `reap` now and then; a worker started by `giamsat serve` is told
    to stop (finishing its job) when serve is gone."""
    try:
        while not stop.wait(seconds):
            if parent is not None and os.getppid() != parent:
                logger.warning("giamsat serve is gone: the worker stops after its job")
                os.kill(os.getpid(), 15)
                return
            try:
                reap()
            except Exception:
                logger.exception("looking for jobs whose worker died failed")
    finally:
        connections.close_all()
