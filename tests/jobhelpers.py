"""Background jobs in the states a restart or a killed worker leaves them (giamsat.jobs)."""

from django_tasks_db.models import DBTaskResult

from giamsat import jobs

GONE = "gs.gone.4242.deadworker"  # the id of a worker whose process ended: no lock held


def queue_job(row, task, *args) -> DBTaskResult:
    """`row`'s job in the database queue, waiting for a worker."""
    result = task.using(backend="default").enqueue(*args)
    type(row)._default_manager.filter(pk=row.pk).update(job_id=result.id)
    row.job_id = result.id
    return DBTaskResult.objects.get(pk=result.id)


def claimed_by(row, task, *args, worker: str = GONE) -> DBTaskResult:
    """`row`'s job, taken by `worker` (by default one that is gone)."""
    result = queue_job(row, task, *args)
    result.claim(worker)
    return result


class LiveWorker:
    """This process holding a worker's lock, as a running `giamsat worker` does."""

    def __enter__(self) -> str:
        self.lock = jobs.WorkerLock()
        return self.lock.acquire()

    def __exit__(self, *exc) -> None:
        self.lock.release()
