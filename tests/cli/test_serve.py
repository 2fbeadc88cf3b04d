"""`giamsat serve` runs a background worker beside gunicorn: started with it, started again
when it dies, stopped with it."""

import contextlib
import fcntl
import os
import signal
import socket
import subprocess
import time
import urllib.request

import pytest

from tests.cli.test_commands import GIAMSAT, run

pytestmark = pytest.mark.slow


def worker_pids(folder) -> list[int]:
    """The workers holding their lock beside the SQLite file (giamsat.jobs.WorkerLock)."""
    pids = []
    for path in folder.glob("gs.*.lock"):
        with contextlib.suppress(FileNotFoundError), path.open() as file:
            try:
                fcntl.flock(file, fcntl.LOCK_SH | fcntl.LOCK_NB)
            except BlockingIOError:
                pids.append(int(path.read_text().split()[0]))
    return pids


def wait_for(condition, what, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"not within {seconds} s: {what}")


def test_serve_runs_a_worker_starts_it_again_and_stops_it(tmp_path):
    data_dir = tmp_path / "var"
    assert run(["migrate"], data_dir, GIAMSAT_DEBUG="1").returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    environment = {k: v for k, v in os.environ.items()
                   if not k.startswith(("GIAMSAT_", "DJANGO_"))}
    environment.update(GIAMSAT_DATA_DIR=str(data_dir), GIAMSAT_DEBUG="1")
    serve = subprocess.Popen([*GIAMSAT, "serve", "--port", str(port), "--workers", "1"],
                             env=environment, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL)
    locks = data_dir / "giamsat.sqlite3-workers"
    try:
        (first,) = wait_for(lambda: worker_pids(locks), "the worker")
        page = wait_for(lambda: _get(f"http://127.0.0.1:{port}/dang-nhap/"), "the web server")
        assert page == 200
        os.kill(first, signal.SIGKILL)  # the worker dies: serve starts another
        (second,) = wait_for(lambda: [p for p in worker_pids(locks) if p != first],
                             "another worker")
        serve.send_signal(signal.SIGTERM)
        assert serve.wait(90) == 0
        assert worker_pids(locks) == []
        with pytest.raises(ProcessLookupError):
            os.kill(second, 0)
    finally:
        if serve.poll() is None:
            serve.kill()
            serve.wait()


def _get(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except OSError:
        return None
