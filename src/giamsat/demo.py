"""A realistic demo dataset, generated deterministically from the reference registry.

Tasks of the programme for real agencies, with deadlines in the forms the documents use
and every status (on time, late, overdue, in progress, recurring, not started);
indicators with monthly values per agency, registered targets and national targets;
agencies' monthly reports, reviewed or waiting; an imported document and difficulties.

The demo is live: it runs up to today. The programme is written (data/demo_tasks.csv,
data/demo_report.txt, RAISED) as it stood at the end of October 2025 (ANCHOR); every
date of the programme's own (assignments, deadlines, updates, completions, reports, the
document, difficulties) is moved by whole months so that October 2025 becomes the
period agencies are reporting on today, and a deadline's text is rewritten for the
month or quarter it moved to ("Tháng 6/2025" → "Tháng 7/2026"). The indicator series
and the reports cover the HISTORY months before today. The organisations keep their real
history: the ministries merged on 01/03/2025 and the 63 provinces became 34 on
01/07/2025, so values of months before 07/2025 belong to the former provinces and later
ones to the 34. The directives keep their real numbers and dates. The same seed and the
same `today` give the same data.
"""

import csv
import datetime
import random
import re
import tempfile
from dataclasses import dataclass
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
from giamsat.lib.months import add_months, month_end, month_start, previous_month
from giamsat.orgs.history import OrgGraph
from giamsat.orgs.models import Organisation
from giamsat.orgs.resolve import Resolver
from giamsat.reporting.expected import REPORTING_KINDS
from giamsat.reporting.models import Submission, SubmissionState, monthly_regime_id
from giamsat.reporting.periods import current_period, due_date
from giamsat.tasks import facts
from giamsat.tasks.areas import Catalogue, place
from giamsat.tasks.models import Assignment, ReportedStatus, ReviewState, Task, Update
from giamsat.tasks.models import Role as AssignmentRole

DEMO_SOURCE = "demo"
# The month the programme's files are written for: its round was open, the data ran to
# 31/10/2025. It becomes the period agencies report on today (current_period).
ANCHOR = datetime.date(2025, 10, 1)
# How many months of indicator values and agency reports the demo holds, up to today.
HISTORY = 18

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
# How an agency's monthly report goes, drawn once per agency and month (percentages):
# by the due day, after it, or never.
REPORTS = [("on_time", 86), ("late", 8), ("never", 6)]
RETURNED_SHARE = 0.08  # reports the standing office sends back once
BACKLOG_SHARE = 0.1  # reports sent by the due day that wait weeks for their review

# Indicators of the catalogue (indicators/data/indicators.csv) that the demo fills in.
DOSSIERS = "ho-so-truc-tuyen-toan-trinh"  # every agency reports it monthly, with counts
NATIONAL_SERIES = {  # code: (value in the latest month, change per month, national target)
    "ho-gia-dinh-cap-quang": (84.35, 0.25, 85),
    "thue-bao-di-dong-smartphone": (88.5, 0.5, 90),
}
PROVINCE_MERGER = datetime.date(2025, 7, 1)


def as_of(today: datetime.date | None = None) -> datetime.date:
    """The day the demo's data runs to: today (or the `today` it was generated for)."""
    return today or timezone.localdate()


def offset(today: datetime.date | None = None) -> int:
    """Whole months the programme is moved by: ANCHOR → the period open on `today`
    (never backwards: before November 2025 the programme stays as written)."""
    period = current_period(as_of(today))
    return max(0, (period.year - ANCHOR.year) * 12 + period.month - ANCHOR.month)


def open_period(today: datetime.date | None = None) -> datetime.date:
    """The reporting period the demo's open round is for (the anchor, moved)."""
    return add_months(ANCHOR, offset(today))


def months(today: datetime.date | None = None) -> list[datetime.date]:
    """The HISTORY months with indicator values: those that have ended by `today`."""
    day = as_of(today)
    last = month_start(day) if day == month_end(day) else previous_month(month_start(day))
    return [add_months(last, -i) for i in reversed(range(HISTORY))]


def shift_date(day: datetime.date, by: int) -> datetime.date:
    """`day` moved by whole months, the day of the month kept where the month has it."""
    first = add_months(day, by)
    return first.replace(day=min(day.day, month_end(first).day))


ROMAN = ["I", "II", "III", "IV"]
_DATES = re.compile(
    r"(?P<dmy>\b(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})\b)"
    r"|(?P<long>\bngày (?P<ld>\d{1,2}) tháng (?P<lm>\d{1,2}) năm (?P<ly>\d{4}))"
    r"|(?P<month>\b(?P<mw>[Tt]háng) (?P<mm>\d{1,2})(?P<msep>/| năm )(?P<my>\d{4}))"
    r"|(?P<quarter>\b(?P<qw>[Qq]uý) (?P<q>IV|I{1,3})(?P<qsep>/| năm )(?P<qy>\d{4}))"
    r"|(?P<year>\b(?P<yw>[Nn]ăm) (?P<yy>\d{4})\b)")


def shift_text(text: str, by: int) -> str:
    """Dates in a text of the programme moved by `by` months, each written as it was:
    "30/6/2025", "ngày 06 tháng 10 năm 2025", "Tháng 6/2025", "tháng 9 năm 2025",
    "Quý II/2025" (→ the quarter its last month moved into) and a year, "năm 2025" (→
    the year the programme's October 2025 moved into). Numbers such as "73/2019" are not
    dates and stay."""
    if not by:
        return text

    def width(old: str, new: int) -> str:  # "06" stays two digits, "6" one where it can
        return f"{new:02d}" if old.startswith("0") else str(new)

    def moved(match: re.Match) -> str:
        if match["dmy"]:
            day = shift_date(datetime.date(int(match["y"]), int(match["m"]), int(match["d"])),
                             by)
            return f"{width(match['d'], day.day)}/{width(match['m'], day.month)}/{day.year}"
        if match["long"]:
            day = shift_date(datetime.date(int(match["ly"]), int(match["lm"]),
                                           int(match["ld"])), by)
            return (f"ngày {width(match['ld'], day.day)} tháng "
                    f"{width(match['ld'], day.month)} năm {day.year}")
        if match["month"]:
            first = add_months(datetime.date(int(match["my"]), int(match["mm"]), 1), by)
            return f"{match['mw']} {width(match['mm'], first.month)}{match['msep']}{first.year}"
        if match["quarter"]:
            last = datetime.date(int(match["qy"]), ROMAN.index(match["q"]) * 3 + 3, 1)
            moved_to = add_months(last, by)
            return (f"{match['qw']} {ROMAN[(moved_to.month - 1) // 3]}{match['qsep']}"
                    f"{moved_to.year}")
        year = int(match["yy"]) + add_months(ANCHOR, by).year - ANCHOR.year
        return f"{match['yw']} {year}"

    return _DATES.sub(moved, text)


def demo_data_present() -> bool:
    return Task.objects.filter(source=DEMO_SOURCE).exists()


def generated_on() -> datetime.date | None:
    """The day the demo data in the database was generated (it runs up to that day)."""
    first = Task.history.filter(source=DEMO_SOURCE).order_by("history_date").first()
    return timezone.localdate(first.history_date) if first else None


@transaction.atomic
def generate(seed: int = 2025, today: datetime.date | None = None) -> dict:
    """Write the demo dataset as of `today` (default: today); returns counts. Call once
    (see demo_data_present)."""
    today = as_of(today)
    by = offset(today)
    rng = random.Random(seed)
    resolver = Resolver()
    rounds = Rounds(seed, today)
    directives = {
        number: Directive.objects.get_or_create(
            kind=kind, number=number, issued_on=issued, defaults={"title": title}
        )[0]
        for kind, number, issued, title in DIRECTIVES
    }
    counts = {"tasks": 0, "assignments": 0, "updates": 0, "observations": 0, "targets": 0}
    with open(TASKS_FILE, encoding="utf-8", newline="") as f:
        tasks = list(csv.reader(f))[1:]
    updates = []
    catalogue = Catalogue.load()
    for number, area, title, output, deadline_text, lead, coordinating, assigned in tasks:
        assigned_on = shift_date(datetime.date.fromisoformat(assigned), by)
        if assigned_on > today:
            continue  # only before November 2025, when the programme is not moved
        task = Task(title=shift_text(title, by), directive=directives[number], area=area,
                    expected_output=shift_text(output, by), source=DEMO_SOURCE)
        task.set_deadline(shift_text(deadline_text, by), context_date=assigned_on)
        place(task, catalogue)  # the programme's area, as an import places it
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
                        updates += _play_out(rng, task, assignment, assigned_on, rounds)
    counts["updates"] = len(updates)
    counts.update(_indicators(rng, today))
    counts["reports"] = rounds.write(updates)
    counts["difficulties"] = _difficulties(resolver, today)
    facts.refresh_all()  # the updates were written in bulk, past the signals
    return counts


# The standing office's September report (names agencies behind, appendix 07 of problems),
# read by the importer as any document is, its dates moved as the programme's.
REPORT_FILE = Path(__file__).resolve().parent / "data" / "demo_report.txt"
# Difficulties agencies raised in their reports: (agency, month of 2025, problem, proposal,
# who must act, done on), as written for the anchor; moved as the programme is.
RAISED = [
    ("Hà Nội", 9, "Hệ thống giải quyết TTHC chưa kết nối được với Cơ sở dữ liệu quốc gia về "
     "dân cư ở một số thủ tục", "Đề nghị Bộ Công an hướng dẫn kết nối", "Bộ Công an",
     datetime.date(2025, 10, 20)),
    ("Nghệ An", 10, "Thiếu kinh phí số hóa hồ sơ, giấy tờ còn hiệu lực", "Đề nghị Bộ Tài "
     "chính hướng dẫn nguồn kinh phí", "Bộ Tài chính", None),
    ("Bộ Y tế", 10, "Chưa có hướng dẫn về lưu trữ hồ sơ bệnh án điện tử", "", None, None),
]


def _difficulties(resolver, today: datetime.date) -> int:
    by = offset(today)
    text = shift_text(REPORT_FILE.read_text(encoding="utf-8"), by)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / REPORT_FILE.name
        path.write_text(text, encoding="utf-8")
        run_import([str(path)])
    for name, month, problem, proposal, actor, done_on in RAISED:
        period = add_months(datetime.date(2025, month, 1), by)
        if period > today:
            continue
        agency = resolver.resolve(name, period).organisations[0]
        raised_on = min(shift_date(datetime.date(2025, month, 25), by), today)
        item = workflow.raise_item(agency, problem, proposal, period=period, today=raised_on)
        if actor:
            ministry = resolver.resolve(actor, period).organisations[0]
            accepted_on = min(shift_date(datetime.date(2025, month, 28), by), today)
            workflow.accept(item, [(ministry, proposal.removeprefix("Đề nghị "))],
                            deadline_text=shift_text("Tháng 11/2025", by), today=accepted_on)
            if done_on and shift_date(done_on, by) <= today:
                workflow.report_done(item, ministry, "Đã ban hành văn bản hướng dẫn",
                                     on=shift_date(done_on, by))
    return Difficulty.objects.count()


@dataclass
class Report:
    """How one agency's report for one month stands on the demo's day."""

    state: SubmissionState
    first_submitted_at: datetime.datetime | None = None
    submitted_at: datetime.datetime | None = None
    reviewed_at: datetime.datetime | None = None
    returned: bool = False  # sent back once (its comment stays on it)


RETURN_COMMENT = "Đề nghị bổ sung số liệu cụ thể."


class Rounds:
    """The agencies' monthly reports over the HISTORY months up to the open period.

    Each agency's report for a month is drawn from its own generator (seed, agency,
    month), so it does not depend on what else the demo draws: submitted some days before
    the due day, or late, or never; reviewed one to four days later (late reports, and
    one in ten of the others, wait one to five weeks: the review queue's flag has
    something to show); now and then returned and submitted again. What is shown is
    where each report stands on `today`: only the events of the days before it happened."""

    def __init__(self, seed: int, today: datetime.date):
        self.seed, self.today = seed, today
        self.periods = [*months(today)]
        for period in (current_period(today), month_start(today)):
            if period not in self.periods:
                self.periods.append(period)
        self.graph = OrgGraph.load()
        self._reports: dict[tuple[int, datetime.date], Report | None] = {}

    def _moment(self, rng, day: datetime.date) -> datetime.datetime:
        return timezone.make_aware(datetime.datetime.combine(
            day, datetime.time(rng.randint(8, 16), rng.choice([0, 15, 30, 45]))))

    def report(self, organisation, period: datetime.date, has_updates: bool = False):
        """The report of `organisation` for `period` on the demo's day, or None if there
        is none (not even a draft). An agency that reported progress on a task did send
        its report, in time or late."""
        key = (organisation.pk, period)
        if key not in self._reports or (has_updates and self._reports[key] is None):
            self._reports[key] = self._draw(organisation, period, has_updates)
        return self._reports[key]

    def _draw(self, organisation, period, has_updates) -> Report | None:
        rng = random.Random(f"{self.seed}:{organisation.slug}:{period:%Y-%m}")
        how = rng.choices([h for h, _ in REPORTS], [w for _, w in REPORTS])[0]
        if how == "never" and has_updates:
            how = "on_time"
        if period == current_period(self.today) and organisation.slug in _DEMO_AGENCIES:
            # The demo accounts' agencies still write their open report: try it.
            return Report(SubmissionState.DRAFT)
        due = due_date(period)
        # Agencies start writing in the month's last week, or when they have news.
        draft = Report(SubmissionState.DRAFT) if has_updates or \
            self.today > month_end(period) - datetime.timedelta(days=7) else None
        if how == "never":
            return draft if self.today <= due else None  # none left once it has closed
        if how == "on_time":
            sent_on = max(due - datetime.timedelta(days=rng.randint(0, 6)), month_end(period))
            # Most are reviewed within days; in the rush some wait two or three weeks.
            waits = rng.randint(1, 4) if rng.random() >= BACKLOG_SHARE else rng.randint(8, 24)
        else:
            sent_on = due + datetime.timedelta(days=rng.randint(1, 20))
            waits = rng.randint(8, 35)
        returned = rng.random() < RETURNED_SHARE
        resent_after, second_wait = rng.randint(2, 6), rng.randint(1, 3)
        if sent_on >= self.today:
            return draft
        first = self._moment(rng, sent_on)
        reviewed_on = sent_on + datetime.timedelta(days=waits)
        if reviewed_on >= self.today:
            return Report(SubmissionState.SUBMITTED, first, first)
        reviewed = self._moment(rng, reviewed_on)
        if not returned:
            return Report(SubmissionState.APPROVED, first, first, reviewed)
        resent_on = reviewed_on + datetime.timedelta(days=resent_after)
        if resent_on >= self.today:
            return Report(SubmissionState.RETURNED, first, first, reviewed, returned=True)
        resent = self._moment(rng, resent_on)
        approved_on = resent_on + datetime.timedelta(days=second_wait)
        if approved_on >= self.today:
            return Report(SubmissionState.SUBMITTED, first, resent, reviewed, returned=True)
        return Report(SubmissionState.APPROVED, first, resent,
                      self._moment(rng, approved_on), returned=True)

    def holder(self, organisation, period: datetime.date):
        """Who reports for `organisation` in `period`: itself, or its successor once it
        has merged."""
        return (self.graph.successors(organisation, month_end(period)) or [organisation])[0]

    def write(self, updates: list[Update]) -> int:
        """Every expected agency's report for each month, with the updates `updates` put
        into the report of the agency that holds them; writes the updates; returns how
        many reports there are."""
        reporters = list(Organisation.objects.filter(kind__in=REPORTING_KINDS))
        for period in self.periods:
            for org in reporters:
                if org.is_valid_on(month_end(period)):
                    self.report(org, period)
        submissions = {}
        monthly = monthly_regime_id()  # once, not a query per report
        for (org_id, period), report in self._reports.items():
            if report is None:
                continue
            submissions[(org_id, period)] = Submission(
                organisation_id=org_id, regime_id=monthly, period=period, state=report.state,
                first_submitted_at=report.first_submitted_at,
                submitted_at=report.submitted_at, reviewed_at=report.reviewed_at,
                review_comment=RETURN_COMMENT if report.returned else "")
        bulk_create_with_history(list(submissions.values()), Submission, batch_size=500)
        if not all(s.pk for s in submissions.values()):  # a database that returns no ids
            saved = {(s.organisation_id, s.period): s for s in Submission.objects.all()}
            submissions = {key: saved[key] for key in submissions}
        for update in updates:
            holder = self.holder(update.assignment.organisation, update.period)
            submission = submissions[(holder.pk, update.period)]
            update.submission = submission
            update.review_state = ReviewState(submission.state)
            update.submitted_at = submission.submitted_at
            update.reviewed_at = submission.reviewed_at
            if submission.review_comment and update.review_state == ReviewState.RETURNED:
                update.review_comment = submission.review_comment
        bulk_create_with_history(updates, Update, batch_size=500)
        for update in updates:  # a completion counts once its report is approved
            if update.status == ReportedStatus.COMPLETED and \
                    update.review_state == ReviewState.APPROVED:
                assignment = update.assignment
                assignment.completed_on, assignment.evidence = update.completed_on, \
                    update.evidence
                assignment.save()
        return len(submissions)


def _play_out(rng: random.Random, task: Task, assignment: Assignment, assigned_on,
              rounds: Rounds) -> list[Update]:
    """A lead assignment's plausible history of updates up to the demo's day (one a month
    at most, the latest kept), each in its agency's report for its month."""
    today = rounds.today
    open_period = current_period(today)
    due = task.deadline_due or month_end(open_period)
    outcome = rng.choices([o for o, _ in OUTCOMES], [w for _, w in OUTCOMES])[0]
    if task.deadline.is_recurring or outcome == "silent":
        return []
    start = assigned_on + datetime.timedelta(days=rng.randint(10, 40))
    if start >= today:
        return []
    updates = {start.replace(day=1): Update(
        assignment=assignment, period=start.replace(day=1), status=ReportedStatus.IN_PROGRESS,
        result="Đang triển khai thực hiện.")}
    finished = None
    if outcome == "on_time":
        finished = due - datetime.timedelta(days=rng.randint(0, 20))
    elif outcome == "late":
        finished = due + datetime.timedelta(days=rng.randint(5, 60))
    if finished and max(start, assigned_on) < finished < today:
        number = rng.randint(100, 2000)
        issuer = rng.choice(["UBND", "BKHCN", "BNV", "BTC"])
        evidence = f"Văn bản số {number}/BC-{issuer} ngày {finished:%d/%m/%Y}"
        updates[finished.replace(day=1)] = Update(
            assignment=assignment, period=finished.replace(day=1),
            status=ReportedStatus.COMPLETED, completed_on=finished,
            result="Đã hoàn thành.", evidence=evidence)
    elif rng.random() < 0.4:
        # The end-of-month round that is open: what the agency writes in its report.
        updates[open_period] = Update(
            assignment=assignment, period=open_period, status=ReportedStatus.IN_PROGRESS,
            result="Đang hoàn thiện dự thảo, xin ý kiến các cơ quan liên quan.",
            difficulties="Chưa bố trí đủ kinh phí." if rng.random() < 0.5 else "")
    for period in updates:
        rounds.report(rounds.holder(assignment.organisation, period), period, has_updates=True)
    return list(updates.values())


def _indicators(rng: random.Random, today: datetime.date) -> dict:
    sync_indicators()
    window = months(today)
    nation = Organisation.objects.get(slug="viet-nam")
    indicators = {i.code: i for i in Indicator.objects.filter(
        code__in=[DOSSIERS, *NATIONAL_SERIES])}
    directive = Directive.objects.get(number="71/NQ-CP")
    years = sorted({month.year for month in window})
    targets = [
        Target(indicator=indicators[DOSSIERS], organisation=nation,
               period_start=datetime.date(year, 1, 1), period_end=datetime.date(year, 12, 31),
               minimum=Decimal(80), source=TargetSource.DIRECTIVE, directive=directive,
               raw_text="cả nước 80%")
        for year in years
    ]
    observations = []
    for code, (latest, step, goal) in NATIONAL_SERIES.items():
        targets += [Target(indicator=indicators[code], organisation=nation,
                           period_start=datetime.date(year, 1, 1),
                           period_end=datetime.date(year, 12, 31), minimum=Decimal(goal),
                           source=TargetSource.DIRECTIVE, directive=directive,
                           raw_text=f"{goal}%") for year in years]
        for i, month in enumerate(window):
            value = Decimal(str(round(latest - step * (len(window) - 1 - i)
                                      + rng.uniform(-0.1, 0.1), 1)))
            observations.append(Observation(
                indicator=indicators[code], organisation=nation, period=month,
                observed_on=month_end(month), value=value, source=DEMO_SOURCE))
    dossiers = indicators[DOSSIERS]
    reporters = Organisation.objects.filter(kind__in=["ministry", "ministerial-agency",
                                                      "government-agency", "province"])
    # Counts from the start of each year, as the indicator is defined (cumulative).
    totals = {month: [0, 0] for month in window}
    for org in reporters:
        level = rng.uniform(15, 55)
        online = total = 0
        for month in window:
            if month.month == 1:
                online = total = 0
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

_DEMO_AGENCIES = {slug for *_, slug in DEMO_USERS if slug}


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
