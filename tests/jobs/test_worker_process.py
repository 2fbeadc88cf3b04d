"""Background jobs in a real worker process (`giamsat worker`) on the test database: killed
in the middle of an import it leaves nothing written and the upload failed with its message,
offered again; a job queued while no worker runs is done when one starts; a worker told to
stop finishes its job first; logins go through while it imports.

Committed data: the worker is another process, it sees only what is committed.
"""

import datetime
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, connections
from django.test import Client
from django_tasks_db.models import DBTaskResult

from giamsat import jobs
from giamsat.ingest import uploads
from giamsat.ingest.models import ImportedDocument, ImportRun, ImportState, Upload, UploadState
from giamsat.notify.reminders import send_reminders
from giamsat.orgs.reference import load_reference
from giamsat.reports.generate import request_report
from giamsat.reports.models import GeneratedReport, ReportState
from giamsat.tasks.models import Assignment, Task

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.corpus, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
SMALL_PLAN = ROOT / "tests" / "data" / "small_plan.txt"
PASSWORD = "mật-khẩu-thử-1"


def database_url() -> str:
    """The test database, as the worker process is told it (GIAMSAT_DATABASE_URL)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + db["NAME"]
    return (f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@"
            f"{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}")


class Workers:
    def __init__(self, log_dir: Path):
        self.log_dir, self.started = log_dir, []

    def start(self, record_delay: float = 0, write_delay: float = 0) -> subprocess.Popen:
        env = {k: v for k, v in os.environ.items() if k != "GIAMSAT_JOBS_INLINE"}
        env.update({
            "GIAMSAT_DATABASE_URL": database_url(),
            "GIAMSAT_SECRET_KEY": "tests-only-secret-key",
            # The same data directory as this process: the same cache (progress).
            "GIAMSAT_DATA_DIR": os.environ["GIAMSAT_DATA_DIR"],
            "GIAMSAT_JOBS_POLL_SECONDS": "0.2", "GIAMSAT_JOBS_REAP_SECONDS": "0.5",
            "GIAMSAT_TEST_RECORD_DELAY": str(record_delay),
            "GIAMSAT_TEST_WRITE_DELAY": str(write_delay),
            "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p),
        })
        log = (self.log_dir / f"worker-{len(self.started)}.log").open("w")
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.jobs.slow_worker", "--no-startup-delay", "-v", "2"],
            cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        process.log = log.name
        self.started.append(process)
        return process

    def logs(self) -> str:
        return "\n".join(f"--- {p.log}\n{Path(p.log).read_text()[-3000:]}" for p in self.started)

    def wait_for(self, condition, what: str, seconds: float = 180):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            time.sleep(0.1)
        raise AssertionError(f"not within {seconds} s: {what}\n{self.logs()}")

    def stop_all(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.kill()
            process.wait()


@pytest.fixture
def workers(transactional_db, tmp_path, settings):
    """Worker processes a test starts, each killed at its end (before the database is
    emptied). Jobs go to the database queue, as in production."""
    load_reference()  # an earlier transactional test emptied the database after itself
    settings.JOBS_INLINE = False
    settings.DATA_DIR = tmp_path
    started = Workers(tmp_path)
    yield started
    started.stop_all()


@pytest.fixture
def office(make_user):
    user = make_user("standing_office", username="vpthuongtruc")
    client = Client()
    client.force_login(user)
    return user, client


def upload_file(path: Path, user, as_of=None) -> Upload:
    uploaded = SimpleUploadedFile(path.name, path.read_bytes())
    return uploads.accept(uploaded, user, as_of)


def state(upload: Upload) -> str:
    return Upload.objects.get(pk=upload.pk).state


def previewed_and_confirmed(workers, user, corpus_dir) -> Upload:
    """Document 004 uploaded, read into its preview by a worker that then stops between
    jobs, and confirmed: the import waits in the queue for the next worker."""
    (path,) = corpus_dir.glob("004_*.txt")
    upload = upload_file(path, user)
    preview_worker = workers.start()
    workers.wait_for(lambda: state(upload) == UploadState.READY, "the preview")
    preview_worker.send_signal(signal.SIGTERM)  # stops between jobs
    assert preview_worker.wait(30) == 0
    uploads.confirm(upload, user)
    return upload


def test_a_worker_killed_in_the_middle_of_an_import_leaves_nothing_and_the_import_is_offered_again(
        workers, office, corpus_dir):
    user, client = office
    upload = previewed_and_confirmed(workers, user, corpus_dir)
    slow = workers.start(record_delay=0.02)
    # Deciding its records, before its write transaction: nothing is written yet.
    workers.wait_for(lambda: jobs.progress(upload)["done"] >= 25, "records being written")
    done = jobs.progress(upload)["done"]
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait()
    assert 25 <= done < jobs.progress(upload)["total"]  # it was killed half-way

    # Nothing half-written.
    assert not ImportRun.objects.exists() and not ImportedDocument.objects.exists()
    assert not Task.objects.exists() and not Assignment.objects.exists()
    job = DBTaskResult.objects.get(pk=Upload.objects.get(pk=upload.pk).job_id)
    assert job.status == "RUNNING"  # as the queue was left
    # The page sees at once that its worker is gone and offers the import again.
    page = client.get(f"/nhap-du-lieu/{upload.pk}/").content.decode()
    assert "Nhập lại</button>" in page and "hx-get" not in page

    # A new worker marks the job and the upload failed, with the message.
    workers.start()
    workers.wait_for(lambda: state(upload) == UploadState.FAILED, "the upload marked failed")
    upload.refresh_from_db()
    assert upload.error.startswith("Máy chủ đã dừng giữa chừng")
    job.refresh_from_db()
    assert job.status == "FAILED" and job.exception_class_path == "giamsat.jobs.WorkerDied"
    page = client.get(f"/nhap-du-lieu/{upload.pk}/").content.decode()
    assert "Máy chủ đã dừng giữa chừng" in page and "Đọc lại</button>" in page
    assert not ImportRun.objects.exists()

    # Offered again: read again and imported, to the end, once.
    client.post(f"/nhap-du-lieu/{upload.pk}/doc-lai/", {"as_of": ""})
    workers.wait_for(lambda: state(upload) == UploadState.READY, "the preview again")
    client.post(f"/nhap-du-lieu/{upload.pk}/nhap/")
    workers.wait_for(lambda: state(upload) == UploadState.IMPORTED, "the import")
    upload.refresh_from_db()
    run = ImportRun.objects.get()
    assert run.state == ImportState.SUCCEEDED and upload.import_run == run
    assert Task.objects.count() == run.summary["totals"]["tasks_created"] > 400
    assert upload.job_done == upload.job_total > 0


def test_a_worker_killed_in_the_middle_of_the_write_transaction_leaves_nothing(
        workers, office, corpus_dir):
    user, _client = office
    upload = previewed_and_confirmed(workers, user, corpus_dir)
    jobs.report(upload, 0, 0, "", save=False)  # the preview's count, forgotten
    slow = workers.start(write_delay=120)
    total = workers.wait_for(lambda: (p := jobs.progress(upload))["total"] and
                             p["done"] == p["total"] and p["total"], "every record decided")
    time.sleep(1.5)  # in the write transaction: run and document rows written, not committed
    if connection.vendor == "sqlite":  # it holds the write lock
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            probe = sqlite3.connect(connection.settings_dict["NAME"], timeout=0)
            try:
                probe.execute("BEGIN IMMEDIATE")
            finally:
                probe.close()
    os.kill(slow.pid, signal.SIGKILL)
    slow.wait()
    assert total > 400
    assert not ImportRun.objects.exists() and not ImportedDocument.objects.exists()
    assert not Task.objects.exists() and not Assignment.objects.exists()
    workers.start()
    workers.wait_for(lambda: state(upload) == UploadState.FAILED, "the upload marked failed")
    assert not ImportRun.objects.exists()


def test_jobs_queued_while_no_worker_runs_are_done_when_one_starts(workers, office):
    user, client = office
    upload = upload_file(SMALL_PLAN, user, as_of=datetime.date(2025, 7, 1))
    report = request_report("monthly", datetime.date(2025, 6, 1), "docx", user)
    reminders = jobs.enqueue(send_reminders, "2025-07-01")
    # The server restarted: the jobs are in the queue, no worker runs.
    assert state(upload) == UploadState.PREVIEWING and jobs.status(upload) == jobs.QUEUED
    assert jobs.status(report) == jobs.QUEUED and jobs.live_workers() == 0
    page = client.get(f"/nhap-du-lieu/{upload.pk}/").content.decode()
    assert "Không có tiến trình chạy nền nào" in page and "hx-get" in page

    workers.start()
    workers.wait_for(lambda: jobs.live_workers() == 1, "the worker's lock")
    workers.wait_for(lambda: state(upload) == UploadState.READY, "the preview")
    workers.wait_for(lambda: GeneratedReport.objects.get(pk=report.pk).state
                     == ReportState.READY, "the report")
    workers.wait_for(lambda: DBTaskResult.objects.get(pk=reminders.id).status == "SUCCESSFUL",
                     "the reminders")
    report.refresh_from_db()
    assert report.file and report.size > 0 and (report.job_done, report.job_total) == (3, 3)
    assert Upload.objects.get(pk=upload.pk).preview["totals"]["tasks_created"] == 2
    assert DBTaskResult.objects.get(pk=reminders.id).return_value["day"] == "2025-07-01"


def test_a_worker_told_to_stop_finishes_its_import_first(workers, office, corpus_dir):
    user, _client = office
    (path,) = corpus_dir.glob("004_*.txt")
    upload = upload_file(path, user)
    worker = workers.start(record_delay=0.005)
    workers.wait_for(lambda: jobs.progress(upload)["done"] >= 5, "the preview under way",
                     seconds=60)
    worker.send_signal(signal.SIGTERM)  # as `giamsat serve` stopping does
    assert worker.wait(120) == 0
    assert state(upload) == UploadState.READY


def test_a_resumable_job_whose_worker_died_is_taken_up_again(workers):
    from tests.jobhelpers import GONE

    job = DBTaskResult.objects.get(pk=jobs.enqueue(send_reminders, "2025-07-01").id)
    job.claim(GONE)  # a worker took it, then its process ended
    workers.start()
    workers.wait_for(lambda: DBTaskResult.objects.get(pk=job.pk).status == "SUCCESSFUL",
                     "the reminders run again")
    assert DBTaskResult.objects.get(pk=job.pk).worker_ids[0] == GONE


def test_logins_go_through_while_a_worker_imports(workers, office, corpus_dir, make_user,
                                                  capsys):
    """Four people log in again and again while the largest corpus document is imported.
    On SQLite a login's writes (session, last login, the login log) wait while the import's
    write transaction holds the lock (the busy timeout is 20 s); the import decides its
    records before opening it, so logins wait for the writing only. None may fail."""
    user, _client = office
    for n in range(4):
        make_user("viewer", username=f"nguoixem{n}")
    (path,) = corpus_dir.glob("004_*.txt")
    upload = upload_file(path, user)
    workers.start()
    workers.wait_for(lambda: state(upload) == UploadState.READY, "the preview")

    def log_in_until(stop: threading.Event) -> list[tuple[float, int]]:
        timings = []

        def again_and_again(username):
            try:
                while not stop.is_set() and len(timings) < 400:
                    started = time.monotonic()
                    response = Client().post("/dang-nhap/", {"username": username,
                                                             "password": PASSWORD})
                    timings.append((time.monotonic() - started, response.status_code))
            finally:
                connections.close_all()

        people = [threading.Thread(target=again_and_again, args=(f"nguoixem{n}",))
                  for n in range(4)]
        for person in people:
            person.start()
        return timings, people

    def summary(timings) -> str:
        times = [t for t, _ in timings]
        return f"longest {max(times):.2f} s, mean {sum(times) / len(times):.2f} s"

    # The same logins with the worker idle: what the machine gives them anyway.
    idle_done = threading.Event()
    idle, people = log_in_until(idle_done)
    time.sleep(2)
    idle_done.set()
    for person in people:
        person.join(60)

    uploads.confirm(upload, user)
    imported = threading.Event()
    timings, people = log_in_until(imported)
    workers.wait_for(lambda: state(upload) == UploadState.IMPORTED, "the import")
    imported.set()
    for person in people:
        person.join(60)
    longest = max(t for t, _ in timings)
    run = ImportRun.objects.get()
    # The run is saved first in the write transaction, and finished last in it.
    transaction_seconds = (run.finished_at - run.started_at).total_seconds()
    with capsys.disabled():
        print(f"\n{connection.vendor}: {len(timings)} logins while importing 004 (its write "
              f"transaction {transaction_seconds:.1f} s, the whole import "
              f"{run.summary['elapsed_seconds']:.1f} s), {summary(timings)}; "
              f"{len(idle)} logins with no import, {summary(idle)}")
    assert idle and all(code == 302 for _t, code in idle), idle
    assert timings and all(code == 302 for _t, code in timings), timings
    assert longest < 15, timings  # far from the busy timeout: waited for the writing only
