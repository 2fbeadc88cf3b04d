"""What a page says of a row's background job (giamsat.jobs): waiting for a worker, and
whether any runs; running; or cut off (`stale`: the page offers the work again)."""

from django.conf import settings

from giamsat import jobs


def job_context(row) -> dict:
    state = jobs.status(row)
    queued = state == jobs.QUEUED
    return {
        "stale": state == jobs.STOPPED,
        "queued": queued,
        "no_worker": queued and not settings.JOBS_INLINE and jobs.live_workers() == 0,
    }
