"""Long work (imports) run beside the request that asked for it.

A background thread of the web process does the work and records its progress in the
cache (shared by all server processes); the page polls it. With GIAMSAT_JOBS_INLINE=1
(the tests) the work runs inside the request instead. Work interrupted by a restart is
seen as stale: no progress for STALE_AFTER seconds.
"""

import logging
import threading
import time

from django.conf import settings
from django.core.cache import cache
from django.db import connections

logger = logging.getLogger(__name__)
STALE_AFTER = 300


def start(name: str, func, *args, **kwargs) -> None:
    report(name, 0, 0, "")
    if settings.JOBS_INLINE:
        func(*args, **kwargs)
        return
    thread = threading.Thread(target=_run, args=(func, args, kwargs), name=name, daemon=True)
    thread.start()


def _run(func, args, kwargs) -> None:
    try:
        func(*args, **kwargs)
    except Exception:
        logger.exception("background job failed")
    finally:
        connections.close_all()


def report(name: str, done: int, total: int, detail: str) -> None:
    cache.set(f"job:{name}", {"done": done, "total": total, "detail": detail,
                              "at": time.time()}, timeout=STALE_AFTER * 12)


def progress(name: str) -> dict | None:
    return cache.get(f"job:{name}")


def is_stale(name: str) -> bool:
    state = progress(name)
    return state is None or time.time() - state["at"] > STALE_AFTER
