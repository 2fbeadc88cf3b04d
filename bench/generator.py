"""A deterministic generator of national-scale data, for benchmarks (bench/generate).

Sizes (communes, tasks, indicators, months of values for every organisation):

    S    100 communes,    500 tasks,  20 indicators, 12 months
    M  1,000 communes,  2,000 tasks,  50 indicators, 24 months
    L  3,321 communes,  8,000 tasks, 100 indicators, 24 months
    XL 3,321 communes, 20,000 tasks, 200 indicators, 24 months  (~200,000 assignments,
       ~16 million observations)

On top of the real registry (22 central agencies, 34 provinces and the 63 former ones, and
the 3,321 real communes under their provinces, which `migrate` loads), the size's number of
communes take part: all of them at L and XL, an even spread across the provinces (every
n-th by code) at S and M. Tasks get lead and coordinating agencies (a tenth of
them every province), a history of approved updates, completions on time, late or not at
all; every organisation gets a monthly value of every indicator, and agencies register
monthly targets for a tenth of the indicators; the 56 reporting agencies have a monthly
report for every month.

Rows are written through bulk paths — PostgreSQL COPY, SQLite executemany — and without
audit-trail records: this is load, not history. The same size and seed give the same data.
"""

import datetime
import random
import time
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.utils import timezone

# The benchmark's "today": the values run for the months up to here.
AS_OF = datetime.date(2026, 10, 31)


@dataclass(frozen=True)
class Size:
    communes: int
    tasks: int
    indicators: int
    months: int


SIZES = {
    "S": Size(100, 500, 20, 12),
    "M": Size(1000, 2000, 50, 24),
    "L": Size(3321, 8000, 100, 24),
    "XL": Size(3321, 20000, 200, 24),
}

VERBS = ["Xây dựng", "Triển khai", "Hoàn thiện", "Ban hành", "Nâng cấp", "Kết nối",
         "Số hóa", "Đánh giá", "Rà soát", "Tổ chức"]
OBJECTS = ["cơ sở dữ liệu đất đai", "nền tảng tích hợp, chia sẻ dữ liệu",
           "dịch vụ công trực tuyến toàn trình", "hệ thống thông tin báo cáo",
           "trung tâm dữ liệu", "kho dữ liệu dùng chung", "chữ ký số cho người dân",
           "hạ tầng mạng 5G", "cơ sở dữ liệu dân cư", "hồ sơ sức khỏe điện tử",
           "học bạ số", "hệ thống quản lý văn bản", "kế hoạch chuyển đổi số",
           "quy chế khai thác dữ liệu", "phần mềm một cửa điện tử", "bản đồ số"]
PLACES = ["cấp tỉnh", "cấp xã", "toàn quốc", "của bộ, ngành", "tại các địa phương",
          "phục vụ người dân, doanh nghiệp"]
AREAS = ["Thể chế số", "Hạ tầng số", "Dữ liệu số", "Chính phủ số", "Kinh tế số", "Xã hội số",
         "An toàn thông tin", "Nhân lực số"]
DEADLINES = [("month", 60), ("quarter", 15), ("date", 10), ("year", 5), ("recurring", 10)]


def months_back(count: int) -> list[datetime.date]:
    months, day = [], AS_OF.replace(day=1)
    for _ in range(count):
        months.insert(0, day)
        day = (day - datetime.timedelta(days=1)).replace(day=1)
    return months


def month_end(day: datetime.date) -> datetime.date:
    following = (day.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
    return following - datetime.timedelta(days=1)


def insert(table: str, columns: list[str], rows) -> int:
    """Write many rows the fastest way the database has: COPY, or executemany."""
    count = 0
    if connection.vendor == "postgresql":
        raw = connection.connection
        with raw.cursor() as cursor, cursor.copy(
                f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({', '.join('?' * len(columns))})"
    batch = []
    with connection.cursor() as cursor:
        for row in rows:
            batch.append(row)
            if len(batch) == 20000:
                cursor.executemany(sql, batch)
                count += len(batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)
            count += len(batch)
    return count


def _day(value) -> datetime.date | None:
    """A date as the database returns it (SQLite: text)."""
    if value is None or isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)


def _ids(table: str, where: str = "") -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT id FROM {table} {where} ORDER BY id")
        return [row[0] for row in cursor.fetchall()]


def refresh_facts() -> int:
    from giamsat.tasks.facts import refresh_all

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner must know how large the tables now are
    refresh_all()
    return 1


def generate(size_name: str, seed: int = 57, say=print) -> dict:
    """Write the data of `size_name` into an empty database with the registry loaded."""
    from giamsat.indicators.models import Indicator
    from giamsat.lib.text import fold
    from giamsat.orgs.models import CENTRAL_KINDS, Organisation, OrgKind
    from giamsat.reporting.models import monthly_regime_id
    from giamsat.tasks.deadlines import parse_deadline

    size = SIZES[size_name]
    rng = random.Random(seed)
    counts: dict[str, int] = {}
    started = time.monotonic()

    def step(name: str, count: int) -> None:
        counts[name] = count
        say(f"  {name}: {count:,} ({time.monotonic() - started:.0f} s)")

    merger = datetime.date(2025, 7, 1)
    with transaction.atomic():
        provinces = list(Organisation.objects.provinces().valid_on(AS_OF).order_by("pk"))
        central = list(Organisation.objects.filter(kind__in=CENTRAL_KINDS).valid_on(AS_OF)
                       .order_by("pk"))
        registry = list(Organisation.objects.filter(kind=OrgKind.COMMUNE).valid_on(AS_OF)
                        .order_by("code"))
        if len(registry) < size.communes:
            raise RuntimeError(f"the registry has {len(registry)} communes, the size needs "
                               f"{size.communes}: run `giamsat migrate` (or load_reference)")
        step_by = len(registry) / size.communes
        communes = [registry[int(i * step_by)] for i in range(size.communes)]
        step("communes", len(communes))
        reporting = central + provinces

        indicators = [Indicator(code=f"chi-tieu-thu-{i:03d}", name=f"Chỉ tiêu thử nghiệm {i:03d}",
                                name_key=fold(f"Chỉ tiêu thử nghiệm {i:03d}"),
                                unit="percent" if i % 2 == 0 else "count",
                                area=AREAS[i % len(AREAS)], frequency="monthly",
                                accumulation="point", direction=1)
                      for i in range(size.indicators)]
        Indicator.objects.bulk_create(indicators)
        indicators = list(Indicator.objects.filter(code__startswith="chi-tieu-thu-")
                          .order_by("pk"))
        step("indicators", len(indicators))

        now = timezone.now()
        deadlines = {}

        def deadline(kind: str) -> tuple[str, str, datetime.date | None]:
            year = rng.choice([2025, 2026, 2026, 2027])
            text = {"month": f"Tháng {rng.randint(1, 12)}/{year}",
                    "quarter": f"Quý {rng.choice(['I', 'II', 'III', 'IV'])}/{year}",
                    "date": f"{rng.randint(1, 28)}/{rng.randint(1, 12)}/{year}",
                    "year": f"Năm {year}", "recurring": "Thường xuyên"}[kind]
            if text not in deadlines:
                parsed = parse_deadline(text)
                deadlines[text] = (text, parsed.kind.value, parsed.due)
            return deadlines[text]

        from giamsat.tasks.areas import Catalogue

        catalogue = Catalogue.load()
        area_ids = {name: catalogue.of_heading(name)[1].pk for name in AREAS}

        def task_rows():
            kinds = [k for k, _w in DEADLINES]
            weights = [w for _k, w in DEADLINES]
            for i in range(size.tasks):
                title = (f"{rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(PLACES)} "
                         f"(nhiệm vụ {i + 1})")
                text, kind, due = deadline(rng.choices(kinds, weights)[0])
                area = rng.choice(AREAS)
                yield (title, fold(title), area, area_ids[area], "heading", "", text, kind, due,
                       "", "bench", now, 0, 0)

        step("tasks", insert("tasks_task", ["title", "title_key", "area", "programme_area_id",
                                            "area_basis", "expected_output",
                                            "deadline_text", "deadline_kind", "deadline_due",
                                            "notes", "source", "created_at", "lead_count",
                                            "leads_open"], task_rows()))
        task_ids = _ids("tasks_task")
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, deadline_due, deadline_kind FROM tasks_task")
            deadlines = {pk: (_day(due), kind) for pk, due, kind in cursor.fetchall()}

        province_ids = [o.pk for o in provinces]
        central_ids = [o.pk for o in central]
        commune_ids = [o.pk for o in communes]
        completions = {}

        def assignment_rows():
            for task_id in task_ids:
                roll = rng.random()
                if roll < 0.1:
                    leads = province_ids  # "các địa phương"
                elif roll < 0.2 and commune_ids:
                    leads = rng.sample(commune_ids, min(len(commune_ids), rng.randint(5, 40)))
                else:
                    leads = rng.sample(central_ids, rng.randint(1, 3))
                others = [o for o in rng.sample(central_ids + province_ids, rng.randint(2, 8))
                          if o not in leads]
                due, kind = deadlines[task_id]
                for org in leads:
                    done = None
                    outcome = rng.random()
                    if due is not None and outcome < 0.55:
                        done = due - datetime.timedelta(days=rng.randint(0, 60))
                    elif due is not None and outcome < 0.75:
                        done = due + datetime.timedelta(days=rng.randint(1, 90))
                    if done is not None and done > AS_OF:
                        done = None
                    completions[(task_id, org)] = done
                    yield (task_id, org, "lead", "", done, "Văn bản số 12/BC ngày 01/01/2026"
                           if done else "", "[]", kind, due, "")
                for org in others:
                    yield (task_id, org, "coordinate", "", None, "", "[]", kind, due, "")

        step("assignments", insert("tasks_assignment",
                                   ["task_id", "organisation_id", "role", "named_as",
                                    "completed_on", "evidence", "evidence_refs",
                                    "deadline_kind", "deadline_due", "action"],
                                   assignment_rows()))
        with connection.cursor() as cursor:
            cursor.execute("SELECT id, completed_on FROM tasks_assignment WHERE role = 'lead'")
            leads = cursor.fetchall()

        def update_rows():
            for assignment_id, _done in leads:
                for _ in range(rng.randint(0, 3)):
                    period = AS_OF.replace(day=1) - datetime.timedelta(
                        days=30 * rng.randint(0, size.months - 1))
                    yield (assignment_id, period.replace(day=1), "in_progress", None,
                           "Đang triển khai.", "", "[]", "", "", "approved", "", None,
                           None, None, None, 1, now)

        step("updates", insert("tasks_update",
                               ["assignment_id", "period", "status", "completed_on", "result",
                                "evidence", "evidence_refs", "difficulties", "proposals",
                                "review_state", "review_comment", "created_by_id",
                                "submitted_at", "reviewed_at", "submission_id", "version",
                                "updated_at"], update_rows()))

        months = months_back(size.months)
        holders = [(o.pk, o.valid_from) for o in reporting] + [(o.pk, merger) for o in communes]

        def observation_rows():
            for indicator in indicators:
                percent = indicator.unit == "percent"
                for org, valid_from in holders:
                    level = rng.uniform(10, 70) if percent else rng.uniform(100, 100000)
                    for month in months:
                        if valid_from and month < valid_from.replace(day=1):
                            continue
                        level = min(99.0, level + rng.uniform(-1, 3)) if percent \
                            else level * rng.uniform(0.98, 1.05)
                        yield (indicator.pk, org, month, month_end(month),
                               Decimal(f"{level:.2f}"), None, None, "bench", "", "")

        step("observations", insert("indicators_observation",
                                    ["indicator_id", "organisation_id", "period", "observed_on",
                                     "value", "numerator", "denominator", "source", "raw_text",
                                     "note"],
                                    observation_rows()))

        registered = indicators[: max(1, len(indicators) // 10)]

        def target_rows():
            for indicator in registered:
                for org in [o.pk for o in reporting] + commune_ids:
                    for month in months:
                        yield (indicator.pk, org, month, month_end(month),
                               Decimal(rng.randint(20, 90)), None, "registered", "")

        step("targets", insert("indicators_target",
                               ["indicator_id", "organisation_id", "period_start", "period_end",
                                "minimum", "aspiration", "source", "raw_text"], target_rows()))

        monthly = monthly_regime_id()

        def submission_rows():
            for org in reporting:
                for month in months:
                    if org.valid_from and month < org.valid_from.replace(day=1):
                        continue
                    sent = timezone.make_aware(datetime.datetime.combine(
                        month_end(month) + datetime.timedelta(days=rng.randint(1, 9)),
                        datetime.time(9)))
                    yield (org.pk, monthly, month, "approved", 3, now, sent, sent, sent, "",
                           None, "")

        step("agency reports", insert("reporting_submission",
                                      ["organisation_id", "regime_id", "period", "state",
                                       "version",
                                       "created_at", "submitted_at", "first_submitted_at",
                                       "reviewed_at", "review_comment", "reopened_until",
                                       "reopen_reason"], submission_rows()))
        step("derived task facts", refresh_facts())
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # the planner needs to know the tables grew
    counts["seconds"] = round(time.monotonic() - started, 1)
    return counts
