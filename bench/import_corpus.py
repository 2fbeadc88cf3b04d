"""Time the corpus import in-process: parse, write, and the same rows by a bare bulk_create.

    python bench/import_corpus.py [CORPUS_DIR] [--postgres postgres://postgres@127.0.0.1/x]

Each database starts empty (SQLite in a temporary data directory; PostgreSQL: a database
named bench_import_corpus, created and dropped). In one run it measures
- the first import (`run_import`, audit trail and all): its parse (reading and parsing
  every file, as the import reports it) and its write time (the rest);
- the same import again (changes nothing) and a dry run;
- a bare `bulk_create` of exactly the rows the import wrote (same ids, no history), in a
  transaction rolled back: the floor for writing them through Django.
Report the ratios: they hold across machines, the seconds do not.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"
DATABASE = "bench_import_corpus"


def measure(corpus: Path) -> dict:
    """Inside a process set up for one database: the numbers of one run."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction

    from giamsat.indicators.models import Observation, Target
    from giamsat.ingest.document import parse_document
    from giamsat.ingest.models import Shortfall
    from giamsat.ingest.sources import read_document
    from giamsat.ingest.write import run_import
    from giamsat.tasks.models import Appearance, Assignment, Task, TaskMatch

    call_command("migrate", verbosity=0)
    paths = sorted(str(p) for p in corpus.glob("*.txt"))
    started = time.perf_counter()
    for path in paths:
        parse_document(path, read_document(path))
    parse = time.perf_counter() - started

    from giamsat.lib import text

    text._clean.cache_clear()  # the first import pays for its own reading
    text._fold.cache_clear()
    started = time.perf_counter()
    summary = run_import(paths)
    first = time.perf_counter() - started
    import_parse = summary["parse_seconds"]
    started = time.perf_counter()
    run_import(paths)
    again = time.perf_counter() - started
    started = time.perf_counter()
    run_import(paths, dry_run=True)
    dry = time.perf_counter() - started

    models = [Task, Appearance, Assignment, Observation, Target, Shortfall]
    rows = {model: list(model.objects.all()) for model in models}
    with transaction.atomic():
        with connection.cursor() as cursor:
            for model in [TaskMatch, *reversed(models)]:
                cursor.execute(f"DELETE FROM {model._meta.db_table}")
        started = time.perf_counter()
        for model in models:
            model.objects.bulk_create(rows[model], batch_size=500)
        bare = time.perf_counter() - started
        transaction.set_rollback(True)
    return {
        "database": connection.vendor, "files": len(paths),
        "rows": {model.__name__: len(found) for model, found in rows.items()},
        "totals": summary["totals"], "parse_s": import_parse, "parse_alone_s": parse,
        "first_import_s": first, "write_s": first - import_parse, "again_s": again,
        "dry_run_s": dry,
        "bare_bulk_create_s": bare,
    }


def run(corpus: Path, env: dict) -> dict:
    result = subprocess.run([sys.executable, __file__, "--inside", str(corpus)], env=env,
                            capture_output=True, text=True, check=False)
    if result.returncode:
        sys.exit(result.stderr[-3000:])
    return json.loads(result.stdout.strip().splitlines()[-1])


def postgres(url: str, action: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"DROP DATABASE IF EXISTS {DATABASE}")
        if action == "create":
            connection.execute(f"CREATE DATABASE {DATABASE}")


def show(numbers: dict) -> None:
    rows = numbers["rows"]
    print(f"== {numbers['database']}: {numbers['files']} files; written: "
          + ", ".join(f"{count} {name}" for name, count in rows.items()))
    first, parse, write, bare = (numbers[k] for k in ("first_import_s", "parse_s", "write_s",
                                                      "bare_bulk_create_s"))
    print(f"  first import {first:.2f} s = parse {parse:.2f} s + write {write:.2f} s "
          f"(parse/write {parse / write:.2f})")
    print(f"  bare bulk_create of the same rows, no history: {bare:.2f} s; "
          f"write / bare = {write / bare:.2f}×")
    print(f"  again {numbers['again_s']:.2f} s ({numbers['again_s'] / first:.2f}× first), "
          f"dry run {numbers['dry_run_s']:.2f} s ({numbers['dry_run_s'] / first:.2f}× first)")


def main(argv: list[str]) -> None:
    if argv[:1] == ["--inside"]:
        print(json.dumps(measure(Path(argv[1]))))
        return
    url = None
    if "--postgres" in argv:
        url = argv[argv.index("--postgres") + 1]
        argv = [a for a in argv if a not in ("--postgres", url)]
    corpus = Path(argv[0]) if argv else CORPUS
    base = {**os.environ, "DJANGO_SETTINGS_MODULE": "giamsat.settings", "GIAMSAT_DEBUG": "1",
            "GIAMSAT_DERIVED_CACHE": "0"}
    base.pop("GIAMSAT_DATABASE_URL", None)
    with tempfile.TemporaryDirectory() as data_dir:
        show(run(corpus, {**base, "GIAMSAT_DATA_DIR": data_dir}))
        if url:
            postgres(url, "create")
            try:
                target = url.rsplit("/", 1)[0] + "/" + DATABASE
                show(run(corpus, {**base, "GIAMSAT_DATA_DIR": data_dir,
                                  "GIAMSAT_DATABASE_URL": target}))
            finally:
                postgres(url, "drop")


if __name__ == "__main__":
    main(sys.argv[1:])
