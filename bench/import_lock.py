"""How long an import holds SQLite's write lock, per corpus document.

    python bench/import_lock.py [CORPUS_DIR] [--dry-run]

On SQLite every transaction takes the database's one write lock at BEGIN (IMMEDIATE,
settings.py), and a login, an agency's save or another job waits for it (busy timeout
20 s). This times each transaction from BEGIN to COMMIT/ROLLBACK while importing
- each document alone, into a database that holds the reference registry only (a copy of
  one migrated and loaded once), and
- the four in sequence into one database: the last one (004) then merges and matches
  with the tasks of the others.
It prints the longest hold, the number of transactions and the whole import's time, and
the longest hold as a share of the import. Report ratios: they hold across machines.
"""

import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main(argv: list[str]) -> None:
    dry = "--dry-run" in argv
    argv = [a for a in argv if a != "--dry-run"]
    corpus = Path(argv[0]) if argv else CORPUS
    data = Path(tempfile.mkdtemp(prefix="giamsat-lock-"))
    os.environ.update(GIAMSAT_DATA_DIR=str(data), DJANGO_SETTINGS_MODULE="giamsat.settings",
                      GIAMSAT_DERIVED_CACHE="0")
    os.environ.setdefault("GIAMSAT_SECRET_KEY", "bench-only")
    os.environ.pop("GIAMSAT_DATABASE_URL", None)
    try:
        print(json.dumps(measure(corpus, data, dry), indent=1))
    finally:
        shutil.rmtree(data, ignore_errors=True)


def measure(corpus: Path, data: Path, dry: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, connections
    from django.db.backends.sqlite3.base import DatabaseWrapper

    from giamsat.ingest.write import run_import
    from giamsat.orgs.reference import load_reference

    held: list[float] = []
    began: list[float] = []
    start, commit, rollback = (DatabaseWrapper._start_transaction_under_autocommit,
                               DatabaseWrapper._commit, DatabaseWrapper._rollback)

    def timed_start(self):
        began[:] = [time.perf_counter()]
        return start(self)

    def timed_end(original):
        def end(self):
            result = original(self)
            if began:
                held.append(time.perf_counter() - began.pop())
            return result
        return end

    DatabaseWrapper._start_transaction_under_autocommit = timed_start
    DatabaseWrapper._commit = timed_end(commit)
    DatabaseWrapper._rollback = timed_end(rollback)

    call_command("migrate", verbosity=0)
    load_reference()
    connections.close_all()
    db = Path(connection.settings_dict["NAME"])
    template = data / "template.sqlite3"
    shutil.copy(db, template)

    def fresh() -> None:
        connections.close_all()
        for suffix in ("-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        shutil.copy(template, db)

    def one(path: Path) -> dict:
        held.clear()
        started = time.perf_counter()
        summary = run_import([str(path)], dry_run=dry)
        total = time.perf_counter() - started
        longest = max(held, default=0.0)
        return {"import_s": round(total, 3), "longest_lock_s": round(longest, 3),
                "transactions": len(held), "lock_share": round(longest / total, 2),
                "tasks_created": summary["totals"]["tasks_created"]}

    paths = sorted(corpus.glob("0*.txt"))
    results = {}
    for path in paths:
        fresh()
        results[f"alone {path.name[:3]}"] = one(path)
    fresh()
    for path in paths:
        results[f"in sequence {path.name[:3]}"] = one(path)
    return results


if __name__ == "__main__":
    main(sys.argv[1:])
