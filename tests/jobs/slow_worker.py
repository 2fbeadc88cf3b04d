"""`giamsat worker`, with each record an import decides slowed by GIAMSAT_TEST_RECORD_DELAY
seconds, and its writing (inside the write transaction, once the run and document rows are
written) by GIAMSAT_TEST_WRITE_DELAY seconds (default none): long enough for a test to kill
it while it decides, or in the middle of the transaction. Only the tests run it:
`python -m tests.jobs.slow_worker [worker options]`."""

import os
import sys
import time


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    django.setup()
    delay = float(os.environ.get("GIAMSAT_TEST_RECORD_DELAY", "0"))
    if delay:
        from giamsat.ingest import write

        record = write._Writer._write

        def slowed(self, *args, **kwargs):
            time.sleep(delay)
            return record(self, *args, **kwargs)

        write._Writer._write = slowed
    write_delay = float(os.environ.get("GIAMSAT_TEST_WRITE_DELAY", "0"))
    if write_delay:
        from giamsat.ingest import write

        flush = write._Writer.flush

        def slowed_flush(self, *args, **kwargs):
            time.sleep(write_delay)
            return flush(self, *args, **kwargs)

        write._Writer.flush = slowed_flush
    from giamsat.cli import main as giamsat

    giamsat(["giamsat", "worker", *sys.argv[1:]])


if __name__ == "__main__":
    main()
