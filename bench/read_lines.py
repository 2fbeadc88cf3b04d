"""Time reading a long text document: is parsing linear in the number of lines?

    python bench/read_lines.py [10000 100000 …]

Builds texts of N lines by repeating the lines of the four corpus documents (a
genre-typical mix of headings, prose, lists and pipe tables), parses each with
`parse_document` (no database writes) and prints seconds and µs per line; then reads a
1,000,000-line file through `read_document`, which must refuse it before parsing
(GIAMSAT_IMPORT_MAX_LINES, default 200,000). Report ratios: µs per line should stay flat.
"""

import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


def main(sizes: list[int]) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    os.environ.setdefault("GIAMSAT_DEBUG", "1")
    os.environ.setdefault("GIAMSAT_DATA_DIR", tempfile.mkdtemp(prefix="bench-lines-"))
    import django

    django.setup()
    from django.core.management import call_command

    from giamsat.ingest.document import parse_document
    from giamsat.ingest.sources import UnreadableDocument, read_document

    call_command("migrate", verbosity=0)
    source = [line for path in sorted(CORPUS.glob("0*.txt"))
              for line in path.read_text(encoding="utf-8").splitlines()]
    for n in sizes:
        lines = (source * (n // len(source) + 1))[:n]
        text = "\n".join(lines) + "\n"
        started = time.perf_counter()
        parsed = parse_document(f"bench-{n}.txt", text)
        seconds = time.perf_counter() - started
        records = sum(len(section.records) for section in parsed.sections)
        print(f"{n:>9,} lines  {len(text) / 1e6:6.1f} MB  parse {seconds:7.2f} s  "
              f"{seconds / n * 1e6:6.1f} µs/line  {records:,} records")
    with tempfile.NamedTemporaryFile("w", suffix=".txt", encoding="utf-8") as big:
        big.write("\n".join((source * (1_000_000 // len(source) + 1))[:1_000_000]) + "\n")
        big.flush()
        started = time.perf_counter()
        try:
            read_document(big.name)
            outcome = "read (not refused)"
        except UnreadableDocument as refused:
            outcome = f"refused: {refused}"
        print(f"1,000,000 lines: {outcome} in {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 50_000, 100_000, 200_000])
