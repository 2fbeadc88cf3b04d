"""After the load test: every write the clients saw succeed is in the database, once.

    GIAMSAT_DATABASE_URL=… python bench/load/check.py

Counts, for the period of the test (prepare.py emptied it first): the idempotency records
of the successful keys; the agency reports, and which of them are submitted; the updates
(one per assignment that any successful write of the agency named) and the values (one
per indicator and kind). Exits 1 if anything is missing or more than the clients wrote.
"""

import json
import os
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("GIAMSAT_DEBUG", "1")
os.environ.setdefault("GIAMSAT_DATA_DIR", str(ROOT / "var" / "load"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")


def main() -> int:
    import django

    django.setup()
    from django.db.models import Count

    from giamsat.api.models import IdempotentRequest
    from giamsat.reporting.models import Submission

    period = json.loads((ROOT / "var" / "load" / "tokens.json").read_text())["period"]
    writes = [json.loads(line) for path in (ROOT / "var" / "load").glob("done-*.jsonl")
              for line in path.read_text().splitlines() if line]
    keys = {w["key"] for w in writes}
    stored = set(IdempotentRequest.objects.filter(key__in=keys).values_list("key", flat=True))
    expected = defaultdict(lambda: {"updates": set(), "values": set(), "submitted": False})
    for write in writes:
        agency = expected[write["agency"]]
        agency["updates"] |= set(write["assignments"])
        agency["values"] |= {(code, "value") for code in write["values"]}
        agency["values"] |= {(code, "target") for code in write["targets"]}
        agency["submitted"] |= write["submitted"]
    reports = {s.organisation.slug: s for s in Submission.objects.filter(
        period=f"{period}-01").select_related("organisation").annotate(
        n_updates=Count("updates", distinct=True), n_values=Count("values", distinct=True))}
    problems = []
    for slug, agency in expected.items():
        report = reports.get(slug)
        if report is None:
            problems.append(f"{slug}: no report")
            continue
        if report.n_updates != len(agency["updates"]):
            problems.append(f"{slug}: {report.n_updates} updates, "
                            f"{len(agency['updates'])} written")
        if report.n_values != len(agency["values"]):
            problems.append(f"{slug}: {report.n_values} values, {len(agency['values'])} written")
        if agency["submitted"] != (report.state == "submitted"):
            problems.append(f"{slug}: state {report.state}")
    problems += [f"{slug}: a report no successful write made" for slug in reports
                 if slug not in expected]
    submitted = sum(1 for a in expected.values() if a["submitted"])
    print(f"{len(writes)} bulk writes succeeded ({len(keys - stored)} of their keys missing); "
          f"{len(expected)} agency reports written, {submitted} submitted; in the database "
          f"{len(reports)} reports, {sum(r.state == 'submitted' for r in reports.values())} "
          f"submitted, {sum(r.n_updates for r in reports.values())} updates, "
          f"{sum(r.n_values for r in reports.values())} values.")
    problems += [f"key {key} not stored" for key in sorted(keys - stored)]
    for problem in problems[:20]:
        print("  " + problem)
    print(f"{len(problems)} problems: {'none lost' if not problems else 'LOST OR EXTRA DATA'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
