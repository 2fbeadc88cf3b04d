"""giamsat.jobs in one process: a job's status from the queue and its worker's lock, and the
jobs of dead workers marked (`reap`)."""

import datetime

import pytest
from django.db import connection
from django_tasks_db.models import DBTaskResult

from giamsat import jobs
from giamsat.notify.reminders import send_reminders
from giamsat.reports.generate import write_report
from giamsat.reports.models import GeneratedReport, ReportState
from tests.jobhelpers import LiveWorker, claimed_by, queue_job


def report_row() -> GeneratedReport:
    return GeneratedReport.objects.create(kind="monthly", period=datetime.date(2025, 6, 1),
                                          as_of=datetime.date(2025, 6, 30), format="docx")


def test_a_workers_lock_shows_it_alive_until_it_is_released(db):
    with LiveWorker() as worker:
        assert jobs.worker_alive(worker) and jobs.live_workers() == 1
        with LiveWorker() as second:
            assert second != worker and jobs.live_workers() == 2
    assert not jobs.worker_alive(worker) and jobs.live_workers() == 0


def test_the_status_follows_the_queue_and_the_workers_lock(db):
    report = report_row()
    assert jobs.status(report) == jobs.STOPPED  # no job in the queue (an old server's thread)
    job = queue_job(report, write_report, report.pk)
    assert jobs.status(report) == jobs.QUEUED
    with LiveWorker() as worker:
        job.claim(worker)
        assert jobs.status(report) == jobs.RUNNING
    assert jobs.status(report) == jobs.STOPPED  # its worker is gone
    report.state = ReportState.READY
    assert jobs.status(report) is None


def test_reap_marks_the_jobs_of_dead_workers_and_their_rows_failed_and_no_others(db):
    cut_off = report_row()
    cut_job = claimed_by(cut_off, write_report, cut_off.pk)
    waiting = report_row()
    queue_job(waiting, write_report, waiting.pk)
    foreign = report_row()  # taken by a worker giamsat does not know: nothing to look at
    foreign_job = claimed_by(foreign, write_report, foreign.pk, worker="aNyOtherWorkerId")
    with LiveWorker() as worker:
        running = report_row()
        running_job = claimed_by(running, write_report, running.pk, worker=worker)
        assert jobs.reap() == 2  # the job, then its report
        assert jobs.reap() == 0
        for row in (cut_off, waiting, foreign, running):
            row.refresh_from_db()
        for job in (cut_job, foreign_job, running_job):
            job.refresh_from_db()
        assert cut_off.state == ReportState.FAILED and cut_off.error == str(jobs.WORKER_DIED)
        assert cut_off.finished_at is not None
        assert cut_job.status == "FAILED" and cut_job.exception_class_path.endswith("WorkerDied")
        assert [waiting.state, foreign.state, running.state] == [ReportState.RUNNING] * 3
        assert foreign_job.status == running_job.status == "RUNNING"
        assert jobs.status(waiting) == jobs.QUEUED and jobs.status(running) == jobs.RUNNING


def test_a_resumable_job_is_queued_again_until_its_attempts_are_spent(db):
    job = DBTaskResult.objects.get(
        pk=send_reminders.using(backend="default").enqueue("2025-07-01").id)
    for attempt in range(1, jobs.MAX_ATTEMPTS + 1):
        job.claim(f"gs.gone.{attempt}.worker")
        assert jobs.reap() == 1
        job.refresh_from_db()
        assert job.status == ("READY" if attempt < jobs.MAX_ATTEMPTS else "FAILED")


def test_the_lock_files_of_dead_workers_are_removed(db):
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL workers hold advisory locks, not files")
    folder = jobs._lock_dir()
    folder.mkdir(parents=True, exist_ok=True)
    stale = folder / "gs.gone.77.worker.lock"
    stale.write_text("77\n")
    with LiveWorker() as worker:
        jobs.reap()
        assert not stale.exists() and (folder / f"{worker}.lock").exists()


def test_inline_jobs_run_in_the_request_and_keep_their_id(db, make_user):
    from giamsat.reports.generate import request_report

    report = request_report("monthly", datetime.date(2025, 6, 1), "docx",
                            make_user("standing_office"))
    assert report.state == ReportState.READY and report.job_id
    assert (report.job_done, report.job_total) == (3, 3)


def test_remind_queue_leaves_the_run_to_the_worker(db, settings, capsys):
    from django.core.management import call_command

    settings.JOBS_INLINE = False
    call_command("remind", "--queue", "--as-of", "2025-07-01")
    job = DBTaskResult.objects.get()
    assert job.status == "READY" and job.task_path == "giamsat.notify.reminders.send_reminders"
    assert job.args_kwargs == {"args": ["2025-07-01"], "kwargs": {}}
    assert f"job {job.pk}" in capsys.readouterr().out
