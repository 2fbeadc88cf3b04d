import logging
import os
import signal
import subprocess
import sys
import threading
import time

from django.conf import settings
from django.core.management.base import BaseCommand
from gunicorn.app.base import BaseApplication

from giamsat.wsgi import application

logger = logging.getLogger(__name__)


class _Gunicorn(BaseApplication):
    def __init__(self, options: dict):
        self.options = options
        super().__init__()

    def load_config(self):
        for key, value in self.options.items():
            self.cfg.set(key, value)

    def load(self):
        return application


class JobWorkers:
    """The background workers (`giamsat worker`) serve runs beside gunicorn: started with
    it, started again if one ends, stopped with it (each finishing the job it runs)."""

    def __init__(self, count: int, stop_timeout: float = 60):
        self.count, self.stop_timeout = count, stop_timeout
        self.processes: list[subprocess.Popen] = []
        self._stopping = threading.Event()

    def _spawn(self) -> subprocess.Popen:
        return subprocess.Popen([sys.executable, "-m", "giamsat.cli", "worker",
                                 "--parent", str(os.getpid())])

    def start(self) -> None:
        self.processes = [self._spawn() for _ in range(self.count)]
        if self.count:
            # Sleeps between looks: nothing is held while gunicorn forks its workers.
            threading.Thread(target=self._watch, name="job-workers", daemon=True).start()

    def _watch(self) -> None:
        started = [time.monotonic()] * len(self.processes)
        while not self._stopping.wait(2):
            for i, process in enumerate(self.processes):
                # gunicorn reaps every child; a worker it reaped polls as ended (0).
                if process.poll() is None or self._stopping.is_set():
                    continue
                if time.monotonic() - started[i] < 10:
                    time.sleep(5)  # it ends at once (the database is down?): not in a loop
                logger.warning("the background worker (pid %s) ended; starting another",
                               process.pid)
                self.processes[i], started[i] = self._spawn(), time.monotonic()

    def stop(self) -> None:
        self._stopping.set()
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + self.stop_timeout
        for process in self.processes:
            try:
                process.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()  # its job is rolled back and marked failed by the next worker
                process.wait()


class Command(BaseCommand):
    help = ("Serve giamsat with gunicorn (static files included) and its background worker "
            "(imports, reports).")

    def add_arguments(self, parser):
        parser.add_argument("--host", default=os.environ.get("GIAMSAT_HOST", "127.0.0.1"))
        parser.add_argument("--port", type=int, default=int(os.environ.get("GIAMSAT_PORT", 8000)))
        parser.add_argument(
            "--workers", type=int, default=int(os.environ.get("GIAMSAT_WORKERS", 2))
        )
        parser.add_argument("--threads", type=int, default=4)
        parser.add_argument(
            "--job-workers", type=int, default=settings.SERVE_JOB_WORKERS,
            help="Background workers to start beside the web server (0: none, when "
                 "`giamsat worker` runs elsewhere). Default 1 (GIAMSAT_JOB_WORKERS).")

    def handle(self, *args, host, port, workers, threads, job_workers, **options):
        self.stdout.write(f"giamsat: http://{host}:{port}/  (Ctrl+C to stop)")
        background = JobWorkers(job_workers)
        background.start()
        try:
            _Gunicorn(
                {
                    "bind": f"{host}:{port}",
                    "workers": workers,
                    "threads": threads,
                    "accesslog": "-",
                    "timeout": 120,
                    # Longer than a client's pause between requests: with gunicorn's 2 s,
                    # a client reusing a connection the server is closing at that moment got
                    # "connection reset" (46 of 14,720 requests in the load test). 75 s is
                    # nginx's default; idle connections wait in the poller, not in a thread.
                    "keepalive": 75,
                }
            ).run()
        finally:
            background.stop()
