"""Time `giamsat import` on the corpus: first import, the same files again, a dry run.

    python bench/import_corpus.py [CORPUS_DIR]

Runs in a new SQLite database in a temporary data directory (set GIAMSAT_DATABASE_URL to
measure PostgreSQL). Report the ratios: they hold across machines, the seconds do not.
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CORPUS = Path(sys.argv[1] if len(sys.argv) > 1 else Path(__file__).parents[2] / "shared/corpus")


def giamsat(*args: str, env: dict) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run([sys.executable, "-m", "giamsat.cli", *args], env=env,
                            capture_output=True, text=True, check=True)
    return time.perf_counter() - started, result.stdout


def main() -> None:
    paths = sorted(str(p) for p in CORPUS.glob("*.txt"))
    with tempfile.TemporaryDirectory() as data_dir:
        env = {**os.environ, "GIAMSAT_DATA_DIR": data_dir, "GIAMSAT_DEBUG": "1"}
        giamsat("migrate", "--verbosity", "0", env=env)
        giamsat("load_reference", env=env)
        first, out = giamsat("import", *paths, "--format", "json", env=env)
        totals = json.loads(out)["totals"]
        again, _ = giamsat("import", *paths, "--format", "json", env=env)
        dry, _ = giamsat("import", *paths, "--dry-run", "--format", "json", env=env)
    records = totals["tasks_created"] + totals["assignments"] + totals["observations"] + \
        totals["targets"]
    print(f"files: {len(paths)}; written: {records} rows ({totals['tasks_created']} tasks, "
          f"{totals['assignments']} assignments)")
    print(f"first import: {first:.1f} s; again: {again:.1f} s ({again / first:.2f}× first); "
          f"dry run: {dry:.1f} s ({dry / first:.2f}× first)")


if __name__ == "__main__":
    main()
