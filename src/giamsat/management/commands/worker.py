"""`giamsat worker`: run the background jobs (imports, reports, queued reminders).

`giamsat serve` starts one beside gunicorn; run more, or on other servers sharing the
PostgreSQL database, with this command. It is django-tasks' database worker (`db_worker`),
with a lock that shows it alive for as long as its process lives (giamsat.jobs): jobs of
workers that died are marked failed (or queued again) when it starts and every
JOBS_REAP_SECONDS. SIGTERM or Ctrl+C: it finishes the job it runs, then stops; a second
one stops it at once (the job's transaction is rolled back and the job marked failed).
"""

import argparse
import threading

from django.conf import settings
from django_tasks_db.management.commands import db_worker

from giamsat import jobs


class Command(db_worker.Command):
    help = ("Run the background jobs: imports, reports, queued reminders. `giamsat serve` "
            "starts one; run more, or on other servers, with this command.")

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.set_defaults(interval=settings.JOBS_POLL_SECONDS, reload=False)
        # Internal: the worker `giamsat serve` started stops when serve is gone.
        parser.add_argument("--parent", type=int, default=None, help=argparse.SUPPRESS)

    def handle(self, *args, parent=None, **options):
        lock = jobs.WorkerLock()
        options["worker_id"] = lock.acquire()
        options["reload"] = False  # a reload would leave a job half-run
        stop = threading.Event()
        try:
            jobs.reap()
            threading.Thread(target=jobs.reap_every, name="reap",
                             args=(settings.JOBS_REAP_SECONDS, stop, parent),
                             daemon=True).start()
            super().handle(*args, **options)
        finally:
            stop.set()
            lock.release()
