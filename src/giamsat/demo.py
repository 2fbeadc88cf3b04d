"""A realistic demo dataset, generated deterministically from the reference registry.

Tasks of the 2025 programme for real agencies, with deadlines in the forms the documents
use and every status (on time, late, overdue, in progress, recurring, not started);
indicators with monthly values per agency, registered targets and national targets.
Values before 01/07/2025 belong to the 63 former provinces, later ones to the 34.
"""

import csv
import datetime
import random
from collections import defaultdict
from decimal import Decimal
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from giamsat.accounts.models import Role
from giamsat.difficulties import workflow
from giamsat.difficulties.models import Difficulty
from giamsat.directives.models import Directive, DirectiveKind
from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.ingest.write import run_import
from giamsat.lib.months import month_end
from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import Organisation
from giamsat.orgs.resolve import Resolver
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.tasks import facts
from giamsat.tasks.models import Assignment, ReportedStatus, ReviewState, Task, Update
from giamsat.tasks.models import Role as AssignmentRole

DEMO_SOURCE = "demo"
# The demo's "today": the data runs to the end of October 2025.
AS_OF = datetime.date(2025, 10, 31)

DIRECTIVES = [
    (DirectiveKind.RESOLUTION, "57-NQ/TW", datetime.date(2024, 12, 22),
     "Nghị quyết về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo "
     "và chuyển đổi số quốc gia"),
    (DirectiveKind.NOTICE, "56/TB-VPCP", datetime.date(2025, 2, 23),
     "Kết luận Phiên họp tổng kết hoạt động Ủy ban Quốc gia về chuyển đổi số "
     "và Đề án 06 năm 2024"),
    (DirectiveKind.RESOLUTION, "71/NQ-CP", datetime.date(2025, 4, 1),
     "Sửa đổi, bổ sung, cập nhật Chương trình hành động của Chính phủ "
     "thực hiện Nghị quyết số 57-NQ/TW"),
]

# One row a task: directive, area, title, expected output, deadline as written, lead and
# coordinating agencies (";"-separated names as documents write them), assigned on.
TASKS_FILE = Path(__file__).resolve().parent / "data" / "demo_tasks.csv"

# How the demo's agencies fare, drawn once per assignment (weights are percentages).
OUTCOMES = [("on_time", 50), ("late", 15), ("in_progress", 20), ("silent", 15)]

# Indicators of the catalogue (indicators/data/indicators.csv) that the demo fills in.
DOSSIERS = "ho-so-truc-tuyen-toan-trinh"  # every agency reports it monthly, with counts
NATIONAL_SERIES = {  # code: (value in January, change per month, national target)
    "ho-gia-dinh-cap-quang": (82.1, 0.25, 85),
    "thue-bao-di-dong-smartphone": (84.0, 0.5, 90),
}
MONTHS = [datetime.date(2025, m, 1) for m in range(1, 11)]
PROVINCE_MERGER = datetime.date(2025, 7, 1)


def demo_data_present() -> bool:
    return Task.objects.filter(source=DEMO_SOURCE).exists()


@transaction.atomic
def generate(seed: int = 2025) -> dict:
    """Write the demo dataset; returns counts. Call once (see demo_data_present)."""
    rng = random.Random(seed)
    resolver = Resolver()
    directives = {
        number: Directive.objects.get_or_create(
            kind=kind, number=number, issued_on=issued, defaults={"title": title}
        )[0]
        for kind, number, issued, title in DIRECTIVES
    }
    counts = {"tasks": 0, "assignments": 0, "updates": 0, "observations": 0, "targets": 0}
    with open(TASKS_FILE, encoding="utf-8", newline="") as f:
        tasks = list(csv.reader(f))[1:]
    for number, area, title, output, deadline_text, lead, coordinating, assigned in tasks:
        assigned_on = datetime.date.fromisoformat(assigned)
        task = Task(title=title, directive=directives[number], area=area,
                    expected_output=output, source=DEMO_SOURCE)
        task.set_deadline(deadline_text, context_date=assigned_on)
        task.save()
        counts["tasks"] += 1
        for role, names in ((AssignmentRole.LEAD, lead), (AssignmentRole.COORDINATE, coordinating)):
            for name in names.split("; "):
                resolution = resolver.resolve(name, assigned_on)
                if not resolution.is_sure:
                    continue  # "Các doanh nghiệp viễn thông": no one to hold to account
                for organisation in resolution.organisations:
                    assignment = Assignment.objects.create(
                        task=task, organisation=organisation, role=role, named_as=name
                    )
                    counts["assignments"] += 1
                    if role == AssignmentRole.LEAD:
                        counts["updates"] += _play_out(rng, task, assignment, assigned_on)
    counts.update(_indicators(rng))
    counts["reports"] = _reporting_round()
    counts["difficulties"] = _difficulties(resolver)
    facts.refresh_all()  # the updates were written in bulk, past the signals
    return counts


# The standing office's September report (names agencies behind, appendix 07 of problems),
# read by the importer as any document is.
REPORT_FILE = Path(__file__).resolve().parent / "data" / "demo_report.txt"
# Difficulties agencies raised in their reports: (agency, month, problem, proposal, who
# must act, done on).
RAISED = [
    ("Hà Nội", 9, "Hệ thống giải quyết TTHC chưa kết nối được với Cơ sở dữ liệu quốc gia về "
     "dân cư ở một số thủ tục", "Đề nghị Bộ Công an hướng dẫn kết nối", "Bộ Công an",
     datetime.date(2025, 10, 20)),
    ("Nghệ An", 10, "Thiếu kinh phí số hóa hồ sơ, giấy tờ còn hiệu lực", "Đề nghị Bộ Tài "
     "chính hướng dẫn nguồn kinh phí", "Bộ Tài chính", None),
    ("Bộ Y tế", 10, "Chưa có hướng dẫn về lưu trữ hồ sơ bệnh án điện tử", "", None, None),
]


def _difficulties(resolver) -> int:
    run_import([str(REPORT_FILE)])
    for name, month, problem, proposal, actor, done_on in RAISED:
        period = datetime.date(2025, month, 1)
        agency = resolver.resolve(name, period).organisations[0]
        item = workflow.raise_item(agency, problem, proposal, period=period,
                                   today=datetime.date(2025, month, 25))
        if actor:
            ministry = resolver.resolve(actor, period).organisations[0]
            workflow.accept(item, [(ministry, proposal.removeprefix("Đề nghị "))],
                            deadline_text="Tháng 11/2025", today=datetime.date(2025, month, 28))
            if done_on:
                workflow.report_done(item, ministry, "Đã ban hành văn bản hướng dẫn",
                                     on=done_on)
    return Difficulty.objects.count()


def _reporting_round() -> int:
    """Put the open round's updates (October 2025) into the agencies' reports, so that the
    review queue and the list of who has not reported have something to show."""
    period = AS_OF.replace(day=1)
    graph = OrgGraph.load()
    by_org = defaultdict(list)
    for update in (Update.objects.filter(period=period).exclude(review_state=ReviewState.APPROVED)
                   .select_related("assignment__organisation")):
        org = update.assignment.organisation
        holder = (graph.successors(org, month_end(period)) or [org])[0]
        by_org[holder].append(update)
    submitted_at = timezone.make_aware(datetime.datetime(2025, 11, 4, 16, 30))
    for org, updates in by_org.items():
        states = {u.review_state for u in updates}
        state = (SubmissionState.RETURNED if ReviewState.RETURNED in states else
                 SubmissionState.SUBMITTED if ReviewState.SUBMITTED in states else
                 SubmissionState.DRAFT)
        sent = state != SubmissionState.DRAFT
        submission = Submission.objects.create(
            organisation=org, period=period, state=state,
            submitted_at=submitted_at if sent else None,
            first_submitted_at=submitted_at if sent else None,
            review_comment="Đề nghị bổ sung số liệu cụ thể."
            if state == SubmissionState.RETURNED else "")
        for update in updates:
            update.submission, update.review_state = submission, state
            update.save()
    return len(by_org)


def _play_out(rng: random.Random, task: Task, assignment: Assignment, assigned_on) -> int:
    """Give a lead assignment a plausible history of updates; returns how many."""
    due = task.deadline_due or month_end(AS_OF)
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    if task.deadline.is_recurring or outcome == "silent":
        return 0
    start = assigned_on + datetime.timedelta(days=rng.randint(10, 40))
    if start > AS_OF:
        return 0
    updates = [Update(assignment=assignment, period=start.replace(day=1),
                      status=ReportedStatus.IN_PROGRESS, result="Đang triển khai thực hiện.",
                      review_state=ReviewState.APPROVED)]
    finished = None
    if outcome == "on_time":
        finished = due - datetime.timedelta(days=rng.randint(0, 20))
    elif outcome == "late":
        finished = due + datetime.timedelta(days=rng.randint(5, 60))
    if finished and max(start, assigned_on) < finished <= AS_OF:
        number = rng.randint(100, 2000)
        issuer = rng.choice(["UBND", "BKHCN", "BNV", "BTC"])
        evidence = f"Văn bản số {number}/BC-{issuer} ngày {finished:%d/%m/%Y}"
        assignment.completed_on = finished
        assignment.evidence = evidence
        assignment.save()
        updates.append(Update(
            assignment=assignment, period=finished.replace(day=1),
            status=ReportedStatus.COMPLETED, completed_on=finished,
            result="Đã hoàn thành.", evidence=evidence, review_state=ReviewState.APPROVED,
        ))
    elif rng.random() < 0.4:
        # The end-of-month round that is still open: a draft, a submission, a return.
        state = rng.choice([ReviewState.DRAFT, ReviewState.SUBMITTED, ReviewState.RETURNED])
        updates.append(Update(
            assignment=assignment, period=AS_OF.replace(day=1),
            status=ReportedStatus.IN_PROGRESS, review_state=state,
            result="Đang hoàn thiện dự thảo, xin ý kiến các cơ quan liên quan.",
            difficulties="Chưa bố trí đủ kinh phí." if rng.random() < 0.5 else "",
            review_comment=(
                "Đề nghị bổ sung số liệu cụ thể." if state == ReviewState.RETURNED else ""
            ),
        ))
    bulk_create_with_history(updates, Update)
    return len(updates)


def _indicators(rng: random.Random) -> dict:
    sync_indicators()
    nation = Organisation.objects.get(slug="viet-nam")
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in=[DOSSIERS, *NATIONAL_SERIES])}
    directive = Directive.objects.get(number="71/NQ-CP")
    year_end = datetime.date(2025, 12, 31)
    targets = [
        Target(indicator=indicators[DOSSIERS], organisation=nation,
               period_start=datetime.date(2025, 1, 1), period_end=year_end,
               minimum=Decimal(80), source=TargetSource.DIRECTIVE, directive=directive,
               raw_text="cả nước 80%"),
    ]
    observations = []
    for code, (start, step, goal) in NATIONAL_SERIES.items():
        targets.append(Target(indicator=indicators[code], organisation=nation,
                              period_start=datetime.date(2025, 1, 1), period_end=year_end,
                              minimum=Decimal(goal), source=TargetSource.DIRECTIVE,
                              directive=directive, raw_text=f"{goal}%"))
        for i, month in enumerate(MONTHS):
            value = Decimal(str(round(start + step * i + rng.uniform(-0.1, 0.1), 1)))
            observations.append(Observation(
                indicator=indicators[code], organisation=nation, period=month,
                observed_on=month_end(month), value=value, source=DEMO_SOURCE))
    dossiers = indicators[DOSSIERS]
    reporters = Organisation.objects.filter(kind__in=["ministry", "ministerial-agency",
                                                      "government-agency", "province"])
    # Counts from the start of the year, as the indicator is defined (cumulative).
    totals = {month: [0, 0] for month in MONTHS}
    for org in reporters:
        level = rng.uniform(15, 55)
        online = total = 0
        for month in MONTHS:
            if not org.is_valid_on(month_end(month)):
                continue
            level = min(98.0, level + rng.uniform(-1.5, 4.0))
            month_total = rng.randint(2_000, 80_000)
            online += round(month_total * level / 100)
            total += month_total
            totals[month][0] += online
            totals[month][1] += total
            observations.append(Observation(
                indicator=dossiers, organisation=org, period=month, observed_on=month_end(month),
                value=(Decimal(online) * 100 / total).quantize(Decimal("0.01")),
                numerator=online, denominator=total, source=DEMO_SOURCE))
            if rng.random() < 0.85:  # some agencies never register a target
                targets.append(Target(
                    indicator=dossiers, organisation=org, period_start=month,
                    period_end=month_end(month),
                    minimum=Decimal(round(level + rng.uniform(-3, 6))),
                    source=TargetSource.REGISTERED))
    # The national rate is computed from the agencies' counts, never averaged.
    for month, (online, total) in totals.items():
        observations.append(Observation(
            indicator=dossiers, organisation=nation, period=month, observed_on=month_end(month),
            value=(Decimal(online) * 100 / total).quantize(Decimal("0.01")),
            numerator=online, denominator=total, source=DEMO_SOURCE))
    bulk_create_with_history(targets, Target)
    bulk_create_with_history(observations, Observation, batch_size=1000)
    return {"observations": len(observations), "targets": len(targets)}


# Who can log in to the demo, one account per role (all with the demo password).
DEMO_USERS = [
    # user name, full name, role, organisation slug
    ("vpthuongtruc", "Nguyễn Thị Thường Trực", Role.STANDING_OFFICE, None),
    ("hanoi.canbo", "Trần Văn Báo Cáo", Role.AGENCY_REPORTER, "ha-noi"),
    ("hanoi.lanhdao", "Lê Thị Lãnh Đạo", Role.AGENCY_LEADER, "ha-noi"),
    ("bokhcn.canbo", "Phạm Minh Chuyên Viên", Role.AGENCY_REPORTER, "bo-khoa-hoc-va-cong-nghe"),
    ("bokhcn.lanhdao", "Hoàng Văn Vụ Trưởng", Role.AGENCY_LEADER, "bo-khoa-hoc-va-cong-nghe"),
    ("xem", "Đỗ Thị Theo Dõi", Role.VIEWER, None),
]


def ensure_users(password: str) -> list[tuple[str, str]]:
    """Create (or reset the password of) the demo accounts; (user name, role) of each."""
    from django.contrib.auth import get_user_model

    from giamsat.accounts.models import Profile

    made = []
    for username, full_name, role, slug in DEMO_USERS:
        user, _created = get_user_model().objects.get_or_create(username=username)
        # Vietnamese names start with the family name: keep the name whole, in order.
        user.first_name, user.last_name = full_name, ""
        user.email = f"{username}@example.gov.vn"  # reminders land in var/mail in the demo
        user.set_password(password)
        user.save()
        organisation = Organisation.objects.get(slug=slug) if slug else None
        Profile.objects.update_or_create(user=user, defaults={"role": role,
                                                              "organisation": organisation})
        made.append((username, str(role.label)))
    return made
