"""Time the operations of bench/run on one generated database; prints one JSON object.

    python bench/measure.py SIZE [--repeat N]

The database is the one bench/generate wrote: var/bench-SIZE/ (SQLite) or
GIAMSAT_DATABASE_URL. Pages and the API are requested in-process through Django's test
client (the server's own time, no network), as a standing office user; each operation
runs once to warm up, then N times, and the median is kept.
"""

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))
sys.path.insert(0, str(HERE.parent / "src"))
CORPUS = HERE.parents[1] / "shared" / "corpus"


def setup(size: str) -> None:
    os.environ.setdefault("GIAMSAT_DEBUG", "0")
    os.environ.setdefault("GIAMSAT_SECRET_KEY", "bench-only")
    os.environ["GIAMSAT_DATA_DIR"] = str(HERE.parent / "var" / f"bench-{size}")
    os.environ["GIAMSAT_ALLOWED_HOSTS"] = "testserver,localhost"
    os.environ["GIAMSAT_SECURE_COOKIES"] = "0"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "giamsat.settings")
    import django

    django.setup()


def timed(action, repeat: int) -> float:
    action()  # warm up: caches, the connection, the query plans
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        samples.append(time.perf_counter() - started)
    return round(1000 * statistics.median(samples), 1)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("size")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--only", default="", help="operation names separated by ;")
    args = parser.parse_args()
    setup(args.size)

    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.test import Client

    from bench.generator import AS_OF
    from giamsat.accounts.models import Profile
    from giamsat.api.tokens import create_token
    from giamsat.ingest.write import run_import
    from giamsat.orgs.models import Organisation
    from giamsat.reports.builders import (
        half_year_report,
        monthly_report,
        quarterly_report,
        yearly_report,
    )
    from giamsat.reports.excel import render_xlsx
    from giamsat.reports.word import render_docx

    user, _ = get_user_model().objects.get_or_create(username="bench-office")
    Profile.objects.get_or_create(user=user, defaults={"role": "standing_office"})
    client = Client()
    client.force_login(user)
    api = Client(HTTP_AUTHORIZATION=f"Bearer {_token(create_token)}")
    day = AS_OF.strftime("%d/%m/%Y")
    month = AS_OF.replace(day=1)

    def page(url):
        def get():
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        return get

    def api_get(url):
        def get():
            response = api.get(url)
            assert response.status_code == 200, (url, response.status_code, response.content)
        return get

    def import_corpus():
        with transaction.atomic():
            run_import(sorted(str(p) for p in CORPUS.glob("*.txt")))
            transaction.set_rollback(True)

    from giamsat.derived import bump

    def after_a_change(action):
        def run():
            bump()  # as after any committed write: the cached figures are stale
            action()
        return run

    operations = {
        "dashboard": page(f"/?ngay={day}"),
        "dashboard, first view after a change": after_a_change(page(f"/?ngay={day}")),
        "task list, filtered and searched": page(
            f"/nhiem-vu/?ngay={day}&trang_thai=overdue&q=co+so+du+lieu"),
        "task list of an agency": page(
            f"/nhiem-vu/?ngay={day}&co_quan=bo-khoa-hoc-va-cong-nghe&vai_tro=lead"),
        "agency scorecard": page(f"/co-quan/bo-khoa-hoc-va-cong-nghe/?ngay={day}"),
        "indicator: per-agency table and map": page(f"/chi-tieu/chi-tieu-thu-000/?ngay={day}"),
        "indicator list": page(f"/chi-tieu/?ngay={day}"),
        "API tasks (overdue)": api_get(f"/api/v1/tasks?as_of={AS_OF}&status=overdue"),
        "API observations": api_get("/api/v1/observations?indicator=chi-tieu-thu-000"),
        "API summary": api_get(f"/api/v1/summary?as_of={AS_OF}"),
        "monthly report (DOCX)": lambda: render_docx(monthly_report(
            month, AS_OF, with_charts=True)),
        "quarterly report (DOCX)": lambda: render_docx(quarterly_report(
            AS_OF.year, (AS_OF.month - 1) // 3 + 1, AS_OF, with_charts=True)),
        "half-year report (DOCX)": lambda: render_docx(half_year_report(
            AS_OF.year, 2 if AS_OF.month > 6 else 1, AS_OF, with_charts=True)),
        "yearly report (DOCX)": lambda: render_docx(yearly_report(
            AS_OF.year, AS_OF, with_charts=True)),
        "half-year report (XLSX)": lambda: render_xlsx(half_year_report(
            AS_OF.year, 2 if AS_OF.month > 6 else 1, AS_OF, with_charts=False)),
        "yearly report (XLSX)": lambda: render_xlsx(yearly_report(
            AS_OF.year, AS_OF, with_charts=False)),
        "import the corpus": import_corpus,
    }
    only = {name.strip() for name in args.only.split(";") if name.strip()}
    results = {}
    for name, action in operations.items():
        if only and name not in only:
            continue
        repeat = 1 if name in ("import the corpus",) or "report" in name else args.repeat
        results[name] = timed(action, repeat)
        print(f"  {name}: {results[name]} ms", file=sys.stderr)
    print(json.dumps({"size": args.size, "organisations": Organisation.objects.count(),
                      "results": results}, ensure_ascii=False))


def _token(create_token) -> str:
    from giamsat.api.models import ApiToken

    ApiToken.objects.filter(name="bench").delete()
    _token_row, secret = create_token("bench", "standing_office")
    return secret


if __name__ == "__main__":
    main()
