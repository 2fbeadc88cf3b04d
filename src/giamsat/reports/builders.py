"""Report builders: the data → the report model (document.py), in the shapes the
programme's reports take today (the monthly report `000`, the half-year appendices `004`).

Every number comes from the same domain functions the dashboard uses (tasks/queries.py,
indicators/summary.py, reporting/expected.py); the figures the text quotes are kept in
`Report.figures` so that tests compare them with the dashboard.
"""

import datetime
import functools
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone, translation

from giamsat.difficulties import workflow as difficulty_workflow
from giamsat.indicators.blocs import MEMBERS, bloc_figure, bloc_figures
from giamsat.indicators.models import Indicator, Observation, Target, TargetSource
from giamsat.indicators.summary import (
    agency_table,
    indicator_cards,
    meets,
    national,
    target_value,
)
from giamsat.ingest import behind
from giamsat.lib.months import month_end, next_month, previous_month
from giamsat.lib.text import fold
from giamsat.orgs.models import CENTRAL_KINDS, Organisation
from giamsat.rankings.tables import league, on_time_groups, on_time_thresholds, ranked_periods
from giamsat.reporting import rules as regime_rules
from giamsat.reporting.expected import reporting_status
from giamsat.reporting.rules import expected_for
from giamsat.reports import charts
from giamsat.reports import formats as f
from giamsat.reports.document import Appendix, Paragraph, Report, Table
from giamsat.tasks.models import Assignment, ReviewState, Role, Task, Update, monthly_updates
from giamsat.tasks.queries import (
    COMPLETED,
    RECURRING_KINDS,
    agencies_overview,
    with_status,
)
from giamsat.tasks.status import TaskStatus

# How the steering documents are cited in the opening paragraph.
BASIS = ("Thực hiện Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát "
         "triển khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số quốc gia và Nghị quyết "
         "số 71/NQ-CP ngày 01/4/2025 của Chính phủ sửa đổi, bổ sung, cập nhật Chương trình hành "
         "động của Chính phủ thực hiện Nghị quyết số 57-NQ/TW")
RECIPIENTS = [
    "Thủ tướng Chính phủ (để b/c);",
    "Các Phó Thủ tướng Chính phủ (để b/c);",
    "Văn phòng Chính phủ;",
    "Các bộ, cơ quan ngang bộ, cơ quan thuộc Chính phủ;",
    "UBND các tỉnh, thành phố trực thuộc trung ương;",
]


@dataclass(frozen=True)
class Scope:
    """Which tasks a report covers: all of them, or those of some directives, or those
    read from one imported document (e.g. a half-year report's own appendices)."""

    directives: tuple[int, ...] = ()
    document: str = ""  # part of an imported file's name

    def tasks(self):
        tasks = Task.objects.all()
        if self.directives:
            tasks = tasks.filter(directive_id__in=self.directives)
        if self.document:
            tasks = tasks.filter(appearances__path__contains=self.document).distinct()
        return tasks

    def as_json(self) -> dict:
        return {"directives": list(self.directives), "document": self.document}

    @classmethod
    def from_json(cls, data: dict | None) -> "Scope":
        data = data or {}
        return cls(tuple(data.get("directives") or ()), data.get("document") or "")


@dataclass
class Issuer:
    name: str = field(default_factory=lambda: settings.REPORT_ISSUER)
    short: str = field(default_factory=lambda: settings.REPORT_ISSUER_SHORT)
    parent: str = field(default_factory=lambda: settings.REPORT_ISSUER_PARENT)
    place: str = field(default_factory=lambda: settings.REPORT_PLACE)
    signer_name: str = field(default_factory=lambda: settings.REPORT_SIGNER)


@dataclass
class Signing:
    """What the clerk fills in on the day the report is sent: its number, its date (today
    unless given; never the date the figures are taken at) and who signs it."""

    number: str = ""
    issued_on: datetime.date | None = None
    signer_name: str = ""
    signer_title: tuple[str, ...] = ()

    @property
    def day(self) -> datetime.date:
        return self.issued_on or timezone.localdate()

    def as_json(self) -> dict:
        return {"number": self.number, "signer_name": self.signer_name,
                "signer_title": list(self.signer_title),
                "issued_on": self.issued_on.isoformat() if self.issued_on else ""}

    @classmethod
    def from_json(cls, data: dict | None) -> "Signing":
        data = data or {}
        day = data.get("issued_on") or ""
        return cls(data.get("number", ""), datetime.date.fromisoformat(day) if day else None,
                   data.get("signer_name", ""), tuple(data.get("signer_title") or ()))


def _report(kind: str, title: str, issuer: Issuer | None,
            signing: Signing | None = None) -> Report:
    issuer, signing = issuer or Issuer(), signing or Signing()
    report = Report(kind=kind, title=title, issuer=issuer.name.upper(),
                    issuer_short=issuer.short, parent=issuer.parent.upper(),
                    place=issuer.place, date=signing.day, number=signing.number,
                    recipients=list(RECIPIENTS), archive=f"Lưu: VT, {issuer.short}.",
                    signer_name=signing.signer_name or issuer.signer_name)
    if signing.signer_title:
        report.signer_title = list(signing.signer_title)
    return report


def attached_line(report: Report, issuer: Issuer | None) -> Paragraph:
    """"(Kèm theo Báo cáo số 12/BC-BKHCN ngày 05/07/2025 của …)" under an appendix title."""
    number = report.number or "      "
    return Paragraph(f"(Kèm theo Báo cáo số {number}/BC-{report.issuer_short} ngày "
                     f"{f.dmy(report.date)} của {(issuer or Issuer()).name})", style="note")


def default_as_of(period_end: datetime.date) -> datetime.date:
    """A report is written on its period's last day, or today if that is still ahead."""
    return min(timezone.localdate(), period_end)


# Shared pieces -------------------------------------------------------------------------

# A task given to at least this many agencies was given to a group ("Các bộ, ngành, địa
# phương"): the clerk writes the group's name, not 56 names.
GROUP_SIZE = 10


def group_name(organisations) -> str:
    central = any(o.kind in CENTRAL_KINDS for o in organisations)
    local = any(o.kind not in CENTRAL_KINDS for o in organisations)
    if central and local:
        return "Các bộ, ngành, địa phương"
    return "Các bộ, ngành" if central else "Các địa phương"


def lead_cells(task_ids, open_on: datetime.date) -> tuple[dict[int, str], dict[int, str]]:
    """Task id → (its leads, the leads not complete on `open_on`) as a clerk writes them:
    a group's name when many agencies lead, and then only the exceptions."""
    leads: dict[int, list] = defaultdict(list)
    open_: dict[int, list] = defaultdict(list)
    # Plain values and one Organisation per agency: at national scale the appendices'
    # tasks have some 200,000 lead assignments, too many to build as model instances.
    rows = list(Assignment.objects.filter(task_id__in=list(task_ids), role=Role.LEAD)
                .order_by("organisation__sort_order", "organisation__name_key",
                          "organisation__valid_from")
                .values_list("task_id", "organisation_id", "completed_on"))
    organisations = Organisation.objects.only("name", "kind").in_bulk(
        {organisation_id for _task, organisation_id, _done in rows})
    named: dict[int, set] = defaultdict(set)
    named_open: dict[int, set] = defaultdict(set)
    for task_id, organisation_id, completed_on in rows:
        organisation = organisations[organisation_id]
        # One line per name: a former agency and its successor's record may share it.
        if organisation.name not in named[task_id]:
            named[task_id].add(organisation.name)
            leads[task_id].append(organisation)
        if (completed_on is None or completed_on > open_on) and \
                organisation.name not in named_open[task_id]:
            named_open[task_id].add(organisation.name)
            open_[task_id].append(organisation)
    written, still = {}, {}
    for task_id, orgs in leads.items():
        pending = open_.get(task_id, [])
        if len(orgs) < GROUP_SIZE:
            written[task_id] = ", ".join(o.name for o in orgs)
            still[task_id] = ", ".join(o.name for o in pending)
            continue
        written[task_id] = group_name(orgs)
        done = [o for o in orgs if o.name not in named_open[task_id]]
        if len(pending) == len(orgs):
            still[task_id] = f"{group_name(orgs)} (chưa cơ quan nào hoàn thành)"
        elif len(pending) <= len(done):
            still[task_id] = ", ".join(o.name for o in pending)
        else:
            still[task_id] = (f"{len(pending)}/{len(orgs)} cơ quan, trừ "
                              + ", ".join(o.name for o in done) + " đã hoàn thành")
    return written, still


def evidence_of(task_ids) -> dict[int, str]:
    """Task id → the distinct evidence its leads gave, joined."""
    found: dict[int, list[str]] = defaultdict(list)
    for task_id, evidence in (Assignment.objects.filter(task_id__in=list(task_ids),
                                                        role=Role.LEAD)
                              .exclude(evidence="").order_by("pk")
                              .values_list("task_id", "evidence")):
        if evidence not in found[task_id]:
            found[task_id].append(evidence)
    return {task_id: "; ".join(items) for task_id, items in found.items()}


def _deadline(task) -> str:
    return task.deadline_text or (f.dmy(task.deadline_due) if task.deadline_due else "—")


def task_completion(tasks, due_by: datetime.date, as_of: datetime.date) -> dict:
    """The sentence of the monthly report: tasks due by `due_by`, complete on `as_of`."""
    due = with_status(tasks.filter(deadline_due__lte=due_by)
                      .exclude(deadline_kind__in=RECURRING_KINDS), as_of)
    counts = defaultdict(int)
    for status in due.values_list("status", flat=True):
        counts[status] += 1
    total = sum(counts.values())
    done = counts[TaskStatus.COMPLETED_ON_TIME] + counts[TaskStatus.COMPLETED_LATE]
    return {"due_total": total, "due_completed": done,
            "due_on_time": counts[TaskStatus.COMPLETED_ON_TIME],
            "due_late": counts[TaskStatus.COMPLETED_LATE],
            "overdue": counts[TaskStatus.OVERDUE], "open": total - done}


def overdue_table(tasks, as_of: datetime.date, sheet: str = "",
                  due_by: datetime.date | None = None) -> Table:
    """Tasks overdue on `as_of`, with the agencies that have not completed them
    (appendix 02). With `due_by`, only those due by then and not recurring: the same set
    `task_completion` counts, so the text and the appendix give one number."""
    if due_by is not None:
        tasks = tasks.filter(deadline_due__lte=due_by).exclude(deadline_kind__in=RECURRING_KINDS)
    overdue = list(with_status(tasks, as_of).filter(status=TaskStatus.OVERDUE)
                   .order_by("deadline_due", "pk"))
    leads, still_open = lead_cells([t.pk for t in overdue], as_of)
    rows = [[str(i), t.title, leads.get(t.pk) or "—", _deadline(t),
             still_open.get(t.pk) or "—"] for i, t in enumerate(overdue, 1)]
    return Table(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn",
                  "Đơn vị chưa hoàn thành"], rows, widths=[1.2, 10.5, 5.5, 3, 5.5],
                 sheet=sheet or "Quá hạn")


def tasks_due_table(tasks, start: datetime.date, end: datetime.date, as_of: datetime.date,
                    by_month: bool = False, sheet: str = "") -> Table:
    """Tasks due between `start` and `end`, optionally grouped by month (appendix 04)."""
    due = list(with_status(tasks.filter(deadline_due__gte=start, deadline_due__lte=end),
                           as_of).order_by("deadline_due", "pk"))
    leads, _open = lead_cells([t.pk for t in due], as_of)
    rows, groups, month = [], set(), None
    for number, task in enumerate(due, 1):
        if by_month and task.deadline_due.replace(day=1) != month:
            month = task.deadline_due.replace(day=1)
            groups.add(len(rows))
            rows.append([f"Tháng {month.month}/{month.year}", "", "", "", ""])
        rows.append([str(number), task.title, leads.get(task.pk) or "—",
                     _deadline(task), str(TaskStatus(task.status).label)])
    return Table(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn", "Tình trạng"], rows,
                 widths=[1.2, 11, 6, 3, 4.5], group_rows=groups, sheet=sheet or "Đến hạn")


def completed_table(tasks, start: datetime.date, as_of: datetime.date,
                    sheet: str = "") -> Table:
    """Tasks whose last lead completed between `start` and `as_of`, with the evidence."""
    done = list(with_status(tasks, as_of).filter(status__in=COMPLETED, finished__gte=start)
                .order_by("finished", "pk"))
    leads, _open = lead_cells([t.pk for t in done], as_of)
    evidence = evidence_of([t.pk for t in done])
    rows = [[str(i), t.title, leads.get(t.pk) or "—", _deadline(t),
             evidence.get(t.pk, "—"), f.dmy(t.finished)] for i, t in enumerate(done, 1)]
    return Table(["TT", "Tên nhiệm vụ", "Cơ quan chủ trì", "Thời hạn",
                  "Kết quả, văn bản ban hành", "Ngày hoàn thành"], rows,
                 widths=[1.2, 9, 4.5, 2.8, 6.5, 2.6], sheet=sheet or "Đã hoàn thành")


def bloc_sentence(indicator, month: datetime.date) -> str:
    """ " Trong đó, khối bộ, ngành đạt 51,82% (tháng 3: 50,1%); khối địa phương đạt …" from
    the blocs' own figures, or their members' (indicators/blocs.py); "" without any."""
    parts = []
    for figure in bloc_figures(indicator, month):
        if figure.value is None:
            continue
        unit = indicator.unit
        text = f"{figure.bloc.name[:1].lower()}{figure.bloc.name[1:]} đạt " \
               f"{f.value_in(figure.value, unit)}"
        before = bloc_figure(indicator, figure.bloc, previous_month(month))
        notes = []
        if before.value is not None:
            notes.append(f"tháng {before.period.month}: {f.value_in(before.value, unit)}")
        if figure.source == MEMBERS:
            notes.append(f"tính từ số liệu của {figure.reported}/{figure.members} cơ quan")
        if figure.goal is not None:
            notes.append(f"mục tiêu {f.value_in(figure.goal, unit)}")
        parts.append(text + (f" ({'; '.join(notes)})" if notes else ""))
    return f" Trong đó, {'; '.join(parts)}." if parts else ""


def indicator_lines(indicators_cards, month: datetime.date) -> tuple[list[Paragraph], Table]:
    """ "- Tỷ lệ …: 90,5% (so với tháng 3 là 89,6%)." per indicator, by area, and a table."""
    paragraphs, rows = [], []
    previous = previous_month(month)
    by_area: dict[str, list] = defaultdict(list)
    for card in indicators_cards:
        this = next((o for o in card.series if o.period == month), None)
        last = next((o for o in card.series if o.period == previous), None)
        if this is None and last is None:
            continue
        by_area[card.indicator.area or "Khác"].append((card, this, last))
    for number, (area, items) in enumerate(sorted(by_area.items()), 1):
        paragraphs.append(Paragraph(f"{number}. Về {area}", style="heading2"))
        for card, this, last in items:
            unit = card.indicator.unit
            if this is not None:
                text = f"- {card.indicator.name}: {f.value_in(this.value, unit)}"
                if last is not None:
                    text += f" (so với tháng {previous.month} là {f.value_in(last.value, unit)})"
            else:
                text = (f"- {card.indicator.name}: chưa có số liệu tháng {month.month}; tháng "
                        f"{previous.month} là {f.value_in(last.value, unit)}")
            paragraphs.append(Paragraph(text + "." + bloc_sentence(card.indicator, month)))
            goal = target_value(card.target) if card.target else None
            rows.append([card.indicator.name, f.value_in(this.value if this else None, unit),
                         f.value_in(last.value if last else None, unit),
                         f.value_in(goal, unit) if goal is not None else "—",
                         f.dmy(card.target.period_end) if card.target else "—",
                         str(card.assessment.status.label) if card.assessment else
                         "Chưa đủ số liệu"])
    table = Table(["Chỉ tiêu", f"Tháng {month.month}/{month.year}",
                   f"Tháng {previous.month}/{previous.year}", "Mục tiêu", "Thời hạn",
                   "Đánh giá"], rows, widths=[7.5, 2.4, 2.4, 2.2, 2.4, 3.1], sheet="Chỉ tiêu")
    return paragraphs, table


def registered_indicators(months: list[datetime.date]):
    """Indicators for which agencies registered monthly targets in `months`."""
    ends = [month_end(m) for m in months]
    return Indicator.objects.filter(targets__source=TargetSource.REGISTERED,
                                    targets__period_end__in=ends).distinct().order_by("name")


def not_registered(indicator, month: datetime.date) -> list:
    """Agencies the monthly regime expects to register a target for `indicator` in
    `month` (reporting/rules.py: its kinds, less exempt bodies) that registered none."""
    registered = set(Target.objects.filter(indicator=indicator, period_end=month_end(month),
                                           source=TargetSource.REGISTERED)
                     .values_list("organisation_id", flat=True))
    return [o for o in expected_for(indicator, month) if o.pk not in registered]


def _names(organisations, limit: int = 0) -> str:
    names = [o.name for o in organisations]
    # "Bộ Văn hóa, Thể thao và Du lịch" has a comma: then agencies are parted by
    # semicolons, as the programme's documents write them.
    separator = "; " if any("," in name for name in names) else ", "
    if limit and len(names) > limit:
        return separator.join(names[:limit]) + f" và {len(names) - limit} cơ quan khác"
    return separator.join(names)


# The monthly report --------------------------------------------------------------------

def in_vietnamese(build):
    """Reports are Vietnamese documents, whatever language the person asking reads."""
    @functools.wraps(build)
    def wrapped(*args, **kwargs):
        with translation.override("vi"):
            return build(*args, **kwargs)

    return wrapped


@in_vietnamese
def monthly_report(month: datetime.date, as_of: datetime.date | None = None,
                   scope: Scope | None = None, proposals: str | None = None,
                   issuer: Issuer | None = None, with_charts: bool = True,
                   signing: Signing | None = None) -> Report:
    month = month.replace(day=1)
    end = month_end(month)
    as_of = as_of or default_as_of(end)
    scope = scope or Scope()
    tasks = scope.tasks()
    report = _report("monthly", f"Chuyển đổi số quốc gia {f.month_year(month)}", issuer,
                     signing)
    report.blocks.append(Paragraph(
        f"{BASIS}, {Issuer().name if issuer is None else issuer.name} báo cáo kết quả các "
        f"bộ, ngành, địa phương đạt được trong tháng {month.month:02d} năm {month.year} "
        f"(số liệu đến ngày {f.dmy(as_of)}) như sau:"))

    # I. Results.
    report.blocks.append(Paragraph("I. MỘT SỐ KẾT QUẢ ĐẠT ĐƯỢC", style="heading1"))
    cards = [c for c in indicator_cards(as_of) if c.latest is not None]
    lines, indicator_table = indicator_lines(cards, month)
    report.blocks += lines
    if indicator_table.rows:
        indicator_table.title = "Bảng 1. Các chỉ tiêu chuyển đổi số cả nước"
        report.blocks.append(indicator_table)
    completion = task_completion(tasks, end, as_of)
    report.figures.update(completion)
    section = len({c.indicator.area for c in cards}) + 1
    report.blocks.append(Paragraph(f"{section}. Kết quả thực hiện các nhiệm vụ được giao",
                                   style="heading2"))
    report.blocks.append(Paragraph(_completion_sentence(completion, month, as_of)))
    agencies = agencies_overview(as_of)
    report.figures["agencies"] = {row.organisation.slug: (row.due_total, row.due_completed,
                                                          row.overdue) for row in agencies}
    if agencies:
        # Per agency in an appendix, as the April 2025 report keeps its body to a few pages.
        report.blocks.append(Paragraph(
            f"Kết quả theo từng cơ quan của {len(agencies)} cơ quan tại Phụ lục 02."))
        report.appendices.append(Appendix("02", "NHIỆM VỤ CHỦ TRÌ ĐẾN HẠN THEO CƠ QUAN", [
            attached_line(report, issuer), _agency_table(agencies, as_of)]))
    if with_charts and agencies:
        report.blocks.append(charts.completion_by_agency(
            [r for r in agencies if r.organisation.kind in CENTRAL_KINDS],
            f"Hình 1. Tỷ lệ hoàn thành nhiệm vụ chủ trì đến hạn của các bộ, ngành "
            f"(đến {f.dmy(as_of)})"))
    status = reporting_status(month, as_of)
    report.figures.update(reports_expected=status.expected, reports_received=status.received)
    report.blocks.append(Paragraph(
        f"Về báo cáo định kỳ: {status.received}/{status.expected} cơ quan đã gửi báo cáo "
        f"tháng {month.month}/{month.year} (tỷ lệ {f.share(status.reporting_rate)}; đúng hạn "
        f"{f.share(status.on_time_rate)}), đã duyệt {status.approved} báo cáo."))

    # II. Difficulties, computed from the data.
    report.blocks.append(Paragraph("II. MỘT SỐ KHÓ KHĂN, VƯỚNG MẮC, TỒN TẠI HẠN CHẾ",
                                   style="heading1"))
    report.blocks += _difficulties(tasks, month, end, as_of, cards, status, report,
                                   with_charts, issuer)

    # III. Tasks of the coming month.
    following = next_month(month)
    report.blocks.append(Paragraph("III. NHIỆM VỤ, GIẢI PHÁP TRỌNG TÂM THỜI GIAN TỚI",
                                   style="heading1"))
    upcoming = tasks_due_table(tasks, following, month_end(following), as_of,
                               sheet="Tháng tới")
    report.figures["next_month_tasks"] = len(upcoming.data_rows)
    # Listed in appendix 03 (landscape), so that the body stays a few pages.
    report.blocks.append(Paragraph(
        f"Các bộ, ngành, địa phương tập trung hoàn thành {len(upcoming.data_rows)} nhiệm vụ "
        f"có thời hạn trong tháng {following.month}/{following.year}"
        + (" (Phụ lục 03)." if upcoming.rows else ".")))
    if upcoming.rows:
        report.appendices.append(Appendix(
            "03", f"DANH MỤC NHIỆM VỤ ĐẾN HẠN THÁNG {following.month}/{following.year}",
            [attached_line(report, issuer), upcoming]))
    number_appendices(report)  # before the office's own text, which is left as typed

    # IV. Proposals: the standing office's text, by default what agencies proposed.
    report.blocks.append(Paragraph("IV. ĐỀ XUẤT, KIẾN NGHỊ", style="heading1"))
    text = proposals if proposals is not None else default_proposals(month)
    for line in [line.strip() for line in text.splitlines() if line.strip()] or [
            "(Cơ quan thường trực bổ sung đề xuất, kiến nghị.)"]:
        report.blocks.append(Paragraph(line))
    return report


def _completion_sentence(c: dict, month: datetime.date, as_of: datetime.date,
                         due_by: datetime.date | None = None) -> str:
    until = f"Tính đến ngày {f.dmy(due_by)}" if due_by else \
        f"Tính đến hết tháng {month.month}/{month.year}"
    if not c["due_total"]:
        return f"{until}, chưa có nhiệm vụ nào đến hạn."
    text = (f"{until}, có tổng số {c['due_total']} nhiệm "
            f"vụ cần hoàn thành. Đến ngày {f.dmy(as_of)}, đã hoàn thành {c['due_completed']} "
            f"nhiệm vụ (tương ứng {f.share(c['due_completed'] / c['due_total'])})")
    if c["due_completed"]:
        text += f", trong đó {c['due_on_time']} nhiệm vụ đúng hạn, {c['due_late']} nhiệm vụ quá hạn"
    text += (f"; {c['open']} nhiệm vụ chưa hoàn thành (tương đương "
             f"{f.share(c['open'] / c['due_total'])}).")
    return text


def _agency_table(rows, as_of: datetime.date) -> Table:
    lines = [[str(row.organisation), str(row.due_total), str(row.due_completed),
              str(row.overdue), f.share(row.completion)] for row in rows]
    return Table(["Cơ quan", "Đến hạn", "Hoàn thành", "Quá hạn", "Tỷ lệ"], lines,
                 widths=[8.5, 2, 2.2, 2, 2.2], sheet="Theo cơ quan",
                 title=f"Nhiệm vụ chủ trì đến hạn theo cơ quan (đến {f.dmy(as_of)})")


def _difficulties(tasks, month, end, as_of, cards, status, report, with_charts,
                  issuer=None, appendix="01") -> list:
    blocks = []
    number = 0

    def heading(text):
        nonlocal number
        number += 1
        blocks.append(Paragraph(f"{number}. {text}", style="heading2"))

    # The tasks due by the period's end that are overdue: the same set the completion
    # sentence counts, so "chưa hoàn thành" and "quá hạn" never disagree.
    # The appendix lists what the month needs: the tasks due in the month still not done;
    # the older overdue tasks are counted (the overview and appendix 02 of the half-year
    # report list them), not written out again every month.
    counted = tasks.filter(deadline_due__lte=end).exclude(deadline_kind__in=RECURRING_KINDS)
    all_overdue = with_status(counted, as_of).filter(status=TaskStatus.OVERDUE).count()
    overdue = overdue_table(tasks.filter(deadline_due__gte=month), as_of, due_by=end)
    report.figures.update(overdue=all_overdue, overdue_in_month=len(overdue.rows))
    if all_overdue:
        heading("Về thực hiện nhiệm vụ")
        text = f"Còn {all_overdue} nhiệm vụ đã quá hạn nhưng chưa hoàn thành"
        if overdue.rows:
            text += (f"; chi tiết {len(overdue.rows)} nhiệm vụ đến hạn trong tháng chưa hoàn "
                     f"thành tại Phụ lục {appendix}")
        blocks.append(Paragraph(text + "."))
    if overdue.rows:
        report.appendices.append(Appendix(
            appendix, f"DANH MỤC NHIỆM VỤ ĐẾN HẠN TRONG THÁNG {month.month}/{month.year} "
                      "CHƯA HOÀN THÀNH", [attached_line(report, issuer), overdue]))
    # Who a document of the month names as behind is the office's own finding, and the
    # agencies' scorecards show it: where it concerns an indicator it stands for that
    # indicator's registration count, so the report and the scorecards name the same.
    stated = behind.statements(month, end)
    stated_for = {}
    for statement in stated:
        if statement.indicator is not None:
            stated_for.setdefault(statement.indicator.pk, statement)  # the newest
    missing_targets, used = [], []
    for indicator in registered_indicators([month, previous_month(month)]):
        statement = stated_for.get(indicator.pk)
        if statement is not None:
            used.append(statement)
            missing_targets.append((indicator, statement.organisations,
                                    f"Còn {statement.count} cơ quan {statement.statement}"))
            continue
        missing = not_registered(indicator, month)
        if missing:
            missing_targets.append((indicator, missing,
                                    f"Còn {len(missing)} cơ quan chưa đăng ký chỉ tiêu "
                                    f"“{indicator.name}” tháng {month.month}/{month.year}"))
    report.figures["not_registered"] = {i.code: len(m) for i, m, _text in missing_targets}
    if missing_targets:
        heading("Về đăng ký chỉ tiêu")
        for _indicator, missing, text in missing_targets:
            blocks.append(Paragraph(f"- {text}: {_names(missing)}."))
    others = [s for s in stated if s not in used]
    report.figures["named_behind"] = [(s.statement, s.count) for s in others]
    if others:
        heading("Về các cơ quan được nêu tên chưa thực hiện")
        for statement in others:
            blocks.append(Paragraph(f"- Còn {statement.count} cơ quan {statement.statement}: "
                                    f"{_names(statement.organisations)}."))
    off_track = [c for c in cards if c.assessment and c.target and c.assessment.status in (
        "acceleration_needed", "limited_progress", "deterioration")]
    if off_track:
        heading("Về các chỉ tiêu khó đạt mục tiêu")
        for card in off_track:
            unit, goal = card.indicator.unit, target_value(card.target)
            text = (f"- {card.indicator.name}: đạt {f.value_in(card.latest.value, unit)} "
                    f"(tháng {card.latest.period.month}/{card.latest.period.year})")
            if card.projected is not None:
                text += (f"; theo xu hướng hiện nay, ước đến {f.dmy(card.target.period_end)} "
                         f"đạt {f.value_in(card.projected, unit)}")
            verdict = "khó đạt" if card.reaches_target is False else "cần đẩy nhanh để đạt"
            blocks.append(Paragraph(f"{text}, {verdict} mục tiêu {f.value_in(goal, unit)} "
                                    f"({str(card.assessment.status.label).lower()})."))
        if with_charts:
            card = off_track[0]
            blocks.append(charts.indicator_trend(card, f"Hình 2. {card.indicator.name}"))
    report.figures["off_track"] = [c.indicator.code for c in off_track]
    if status.missing:
        heading("Về chế độ báo cáo")
        blocks.append(Paragraph(
            f"Còn {len(status.missing)} cơ quan chưa gửi báo cáo tháng {month.month}/"
            f"{month.year}: {_names([r.organisation for r in status.missing], 30)}."))
    reported = (Update.objects.filter(monthly_updates(), period=month,
                                      review_state=ReviewState.APPROVED)
                .exclude(difficulties="").select_related("assignment__organisation"))
    if reported:
        heading("Khó khăn, vướng mắc các cơ quan báo cáo")
        for text, organisations in _same_difficulty(reported):
            if len(organisations) == 1:
                blocks.append(Paragraph(f"- {organisations[0].name}: {_ended(text)}"))
            else:
                blocks.append(Paragraph(f"- {text.rstrip('.')} ({_names(organisations)})."))
    register = register_section(month, as_of, report, attached_line(report, issuer),
                                next_appendix(report, after=3))
    if register:
        heading("Về các vướng mắc, kiến nghị")
        blocks += register
    if not blocks:
        blocks.append(Paragraph("Không có khó khăn, vướng mắc nào được ghi nhận trong tháng."))
    return blocks


def _ended(text: str) -> str:
    """What an agency typed, as a sentence of the report: ending in a full stop."""
    text = " ".join(text.split())
    return text if not text or text[-1] in ".!?…:;" else text + "."


def _same_difficulty(updates) -> list[tuple[str, list]]:
    """(difficulty, the agencies that reported it) once per difficulty: an agency writes
    the same one on several tasks, and several agencies the same words ("Chưa bố trí đủ
    kinh phí"), which a clerk writes once with the agencies after it."""
    said: dict[str, tuple[str, list]] = {}
    for update in updates.order_by("assignment__organisation__sort_order",
                                   "assignment__organisation__name_key", "pk"):
        text = " ".join(update.difficulties.split())
        _text, organisations = said.setdefault(fold(text).rstrip(" ."), (text, []))
        if update.assignment.organisation not in organisations:
            organisations.append(update.assignment.organisation)
    return list(said.values())


def _agencies_cell(organisations) -> str:
    """Who must act, as a clerk writes it: a group's name when many agencies must."""
    if len(organisations) >= GROUP_SIZE:
        return group_name(organisations)
    return _names(organisations)


_POINTER = re.compile(r"\bPhụ lục (\d\d)\b")
_SHEET_NUMBER = re.compile(r"^PL(\d\d)\b")


def number_appendices(report: Report) -> None:
    """Appendices numbered 01, 02, … in their order, as a clerk numbers them, and every
    "Phụ lục NN" of the text and every "PLNN" sheet moved with its appendix: a builder
    gives each appendix its place, and one that has nothing to list (the monthly report's
    01 when no task due in the month is open) must not leave a gap."""
    report.appendices.sort(key=lambda a: a.number)
    new = {a.number: f"{n:02d}" for n, a in enumerate(report.appendices, 1)}
    if all(old == number for old, number in new.items()):
        return

    def moved(match, prefix: str) -> str:
        return f"{prefix}{new.get(match[1], match[1])}"

    for appendix in report.appendices:
        appendix.number = new[appendix.number]
    for block in report.blocks + [b for a in report.appendices for b in a.blocks]:
        if isinstance(block, Paragraph):
            block.text = _POINTER.sub(lambda m: moved(m, "Phụ lục "), block.text)
        elif isinstance(block, Table) and block.sheet:
            block.sheet = _SHEET_NUMBER.sub(lambda m: moved(m, "PL"), block.sheet)


def next_appendix(report: Report, after: int) -> str:
    """The number after those already given, and after `after` (appendices the builder
    adds later, such as the coming period's tasks): appendices are numbered without gaps."""
    used = [int(a.number) for a in report.appendices if a.number.isdigit()]
    return f"{max([after, *used]) + 1:02d}"


def register_section(start: datetime.date, as_of: datetime.date, report: Report,
                     attached: Paragraph, appendix: str) -> list:
    """What the register of difficulties says of the period (difficulties/workflow.py):
    the items still open on `as_of` in an appendix, counted with the overdue ones, and
    the items resolved in the period one by one."""
    found = difficulty_workflow.in_period(start, as_of)
    still_open, resolved, overdue = found["open"], found["resolved"], found["overdue"]
    report.figures.update(difficulties_open=len(still_open),
                          difficulties_resolved=len(resolved),
                          difficulties_overdue=len(overdue))
    if not still_open and not resolved:
        return []
    text = (f"- Sổ theo dõi vướng mắc, kiến nghị (đến ngày {f.dmy(as_of)}): còn "
            f"{len(still_open)} vướng mắc, kiến nghị chưa giải quyết xong")
    if still_open:
        text += f" (Phụ lục {appendix})"
        if overdue:
            text += f", trong đó {len(overdue)} đã quá thời hạn xử lý"
    text += f"; {len(resolved)} vướng mắc, kiến nghị được giải quyết trong kỳ"
    blocks = [Paragraph(text + ("." if not resolved else ":"))]
    for item in resolved:
        parts = [p.organisation for p in item.responsibilities.all()]
        by = f"{_agencies_cell(parts)}, " if parts else ""
        blocks.append(Paragraph(f"+ Đã giải quyết: {_clip(item.problem)} ({by}"
                                f"{f.dmy(item.resolved_on)})."))
    if still_open:
        rows = []
        for number, item in enumerate(still_open, 1):
            parts = [p.organisation for p in item.responsibilities.all()]
            rows.append([str(number), _clip(item.problem, 400),
                         item.raised_by.name if item.raised_by else "Cơ quan thường trực",
                         _agencies_cell(parts) or "Chưa phân công",
                         item.deadline_text or "—",
                         str(item.get_state_display()) + (
                             " (quá hạn)" if item in overdue else "")])
        report.appendices.append(Appendix(appendix, "DANH MỤC VƯỚNG MẮC, KIẾN NGHỊ CHƯA "
                                                    "GIẢI QUYẾT XONG", [attached, Table(
            ["TT", "Vướng mắc, kiến nghị", "Cơ quan nêu", "Cơ quan xử lý", "Thời hạn",
             "Tình trạng"], rows, widths=[1, 9, 3.2, 4.5, 2.6, 3.2], sheet="Vướng mắc")]))
    return blocks


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1].rstrip() + "…"


def default_proposals(month: datetime.date) -> str:
    """What agencies proposed for the month, one per line: in their approved reports'
    updates, and with the difficulties they raised in the register (not declined)."""
    return proposal_lines(month, month)


def proposal_lines(start: datetime.date, end: datetime.date) -> str:
    """ "- <agency> kiến nghị: …" for the reports of the months from `start` to `end`."""
    lines = []
    for update in (Update.objects.filter(monthly_updates(), period__gte=start,
                                         period__lte=end, review_state=ReviewState.APPROVED)
                   .exclude(proposals="").select_related("assignment__organisation")
                   .order_by("assignment__organisation__sort_order", "period")):
        line = f"- {update.assignment.organisation.name} kiến nghị: {_ended(update.proposals)}"
        if line not in lines:
            lines.append(line)
    for item in difficulty_workflow.proposals_raised(start, month_end(end)):
        line = f"- {item.raised_by.name} kiến nghị: {_ended(item.solution)}"
        if line not in lines:
            lines.append(line)
    return "\n".join(lines)


# Quarterly, half-year and yearly reports: one builder, the period a parameter --------

ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


@dataclass(frozen=True)
class Period:
    """A reporting period: kind "quarter" | "half_year" | "year", its year and number."""

    kind: str
    year: int
    number: int = 1

    def __post_init__(self):
        limit = {"quarter": 4, "half_year": 2, "year": 1}.get(self.kind)
        if limit is None or not 1 <= self.number <= limit:
            raise ValueError(f"no {self.kind} number {self.number}")

    @property
    def months(self) -> int:
        return {"quarter": 3, "half_year": 6, "year": 12}[self.kind]

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, 1 + (self.number - 1) * self.months, 1)

    @property
    def end(self) -> datetime.date:
        return month_end(datetime.date(self.year, self.start.month + self.months - 1, 1))

    @property
    def label(self) -> str:
        if self.kind == "quarter":
            return f"quý {ROMAN[self.number]} năm {self.year}"
        if self.kind == "half_year":
            return f"6 tháng {'đầu' if self.number == 1 else 'cuối'} năm {self.year}"
        return f"năm {self.year}"

    def following(self) -> "Period":
        last = 12 // self.months
        if self.number < last:
            return Period(self.kind, self.year, self.number + 1)
        return Period(self.kind, self.year + 1, 1)

    @classmethod
    def containing(cls, kind: str, day: datetime.date) -> "Period":
        months = {"quarter": 3, "half_year": 6, "year": 12}[kind]
        return cls(kind, day.year, (day.month - 1) // months + 1)


def half_bounds(year: int, half: int) -> tuple[datetime.date, datetime.date]:
    if half not in (1, 2):
        raise ValueError("half is 1 or 2")
    period = Period("half_year", year, half)
    return period.start, period.end


def period_as_of(period: Period) -> datetime.date:
    """Figures are taken some days after the period, when agencies' reports are in."""
    return default_as_of(period.end + datetime.timedelta(days=18))


@in_vietnamese
def half_year_report(year: int, half: int, as_of: datetime.date | None = None,
                     scope: Scope | None = None, issuer: Issuer | None = None,
                     with_charts: bool = True, signing: Signing | None = None,
                     proposals: str | None = None) -> Report:
    return period_report(Period("half_year", year, half), as_of, scope, issuer, with_charts,
                         signing, proposals)


@in_vietnamese
def quarterly_report(year: int, quarter: int, as_of: datetime.date | None = None,
                     scope: Scope | None = None, issuer: Issuer | None = None,
                     with_charts: bool = True, signing: Signing | None = None,
                     proposals: str | None = None) -> Report:
    return period_report(Period("quarter", year, quarter), as_of, scope, issuer, with_charts,
                         signing, proposals)


@in_vietnamese
def yearly_report(year: int, as_of: datetime.date | None = None, scope: Scope | None = None,
                  issuer: Issuer | None = None, with_charts: bool = True,
                  signing: Signing | None = None, proposals: str | None = None) -> Report:
    return period_report(Period("year", year), as_of, scope, issuer, with_charts, signing,
                         proposals)


@in_vietnamese
def period_report(period: Period, as_of: datetime.date | None = None,
                  scope: Scope | None = None, issuer: Issuer | None = None,
                  with_charts: bool = True, signing: Signing | None = None,
                  proposals: str | None = None) -> Report:
    start, end = period.start, period.end
    as_of = as_of or period_as_of(period)
    scope = scope or Scope()
    tasks = scope.tasks()
    label = period.label
    report = _report(period.kind, f"Kết quả thực hiện chuyển đổi số quốc gia {label}", issuer,
                     signing)
    attached = attached_line(report, issuer)

    done = completed_table(tasks, start, as_of, sheet="PL01 Đã hoàn thành")
    # Counted on the day the figures are taken (the half-year report of 18/07/2025 lists
    # what is overdue that day): the completion sentence and appendix 02 count one set.
    due_by = max(end, as_of)
    overdue = overdue_table(tasks, as_of, sheet="PL02 Quá hạn", due_by=due_by)
    completion = task_completion(tasks, due_by, as_of)
    report.figures.update(completion, completed_in_period=len(done.rows),
                          overdue=len(overdue.rows))
    report.blocks.append(Paragraph(
        f"{BASIS}, {(issuer or Issuer()).name} báo cáo kết quả thực hiện {label} của "
        f"các bộ, ngành, địa phương (số liệu đến ngày {f.dmy(as_of)}) như sau:"))
    report.blocks.append(Paragraph("I. KẾT QUẢ THỰC HIỆN NHIỆM VỤ", style="heading1"))
    report.blocks.append(Paragraph(_completion_sentence(completion, end.replace(day=1), as_of,
                                                        due_by if due_by > end else None)))
    report.blocks.append(Paragraph(
        f"Trong {label} đã hoàn thành {len(done.rows)} nhiệm vụ (Phụ lục 01). Trong số "
        f"{completion['open']} nhiệm vụ đến hạn chưa hoàn thành nói trên, "
        f"{len(overdue.rows)} nhiệm vụ đã quá hạn (Phụ lục 02)."))
    report.appendices.append(Appendix(
        "01", f"DANH MỤC NHIỆM VỤ ĐÃ HOÀN THÀNH {label.upper()}", [attached, done]))
    report.appendices.append(Appendix(
        "02", f"DANH MỤC NHIỆM VỤ QUÁ HẠN TRONG {label.upper()}", [attached, overdue]))
    if period.kind == "year":
        report.blocks += directive_results(tasks, end, as_of, report, attached)
    # The ministries' completion belongs with the tasks, before the indicators' section.
    if with_charts:
        agencies = [r for r in agencies_overview(as_of) if r.organisation.kind in CENTRAL_KINDS]
        if agencies:
            report.blocks.append(charts.completion_by_agency(
                agencies, f"Hình 1. Tỷ lệ hoàn thành nhiệm vụ chủ trì đến hạn của các bộ, ngành "
                          f"(đến {f.dmy(as_of)})"))

    months = [datetime.date(period.year, m, 1) for m in range(start.month, end.month + 1)]
    report.blocks.append(Paragraph("II. KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", style="heading1"))
    if period.kind == "year":
        report.blocks += indicator_results(as_of, report, attached)
    else:
        indicator_blocks = [attached]
        for indicator in registered_indicators(months):
            blocks, sentences = _indicator_appendix(indicator, months, report)
            indicator_blocks += blocks
            report.blocks += [Paragraph(s) for s in sentences]
        if len(indicator_blocks) > 1:
            report.appendices.append(Appendix("03", "BÁO CÁO SỐ LIỆU CHỈ TIÊU THEO CƠ QUAN",
                                              indicator_blocks))
    if period.kind in ("quarter", "year"):
        report.blocks += rankings_appendix(registered_indicators(months), period, as_of,
                                           report, attached)

    report.blocks.append(Paragraph("III. KHÓ KHĂN, VƯỚNG MẮC VÀ ĐỀ XUẤT, KIẾN NGHỊ",
                                   style="heading1"))
    report.blocks += difficulties_and_proposals(tasks, period, as_of, report, proposals,
                                                issuer)

    following = period.following()
    next_start, next_end = following.start, following.end
    upcoming = tasks_due_table(tasks, next_start, next_end, as_of, by_month=True,
                               sheet="PL04 Nhiệm vụ tới")
    report.figures["next_period_tasks"] = len(upcoming.data_rows)
    report.figures["next_half_tasks"] = len(upcoming.data_rows)
    report.blocks.append(Paragraph("IV. NHIỆM VỤ TRỌNG TÂM THỜI GIAN TỚI", style="heading1"))
    report.blocks.append(Paragraph(
        f"Có {len(upcoming.data_rows)} nhiệm vụ có thời hạn từ {f.dmy(next_start)} đến "
        f"{f.dmy(next_end)} (Phụ lục 04)."))
    report.appendices.append(Appendix(
        "04", f"DANH MỤC NHIỆM VỤ CẦN HOÀN THÀNH TỪ {f.dmy(next_start)} ĐẾN {f.dmy(next_end)}",
        [attached, upcoming]))
    number_appendices(report)
    return report


# The rankings appendix of the quarterly and yearly reports ---------------------------

BLOC_NAMES = {"central": "các bộ, ngành", "provinces": "các địa phương"}
BLOC_SHEETS = {"central": "bộ ngành", "provinces": "địa phương"}


def _rank_change(change: int | None) -> str:
    if change is None:
        return "—"
    return f"↑{change}" if change > 0 else f"↓{-change}" if change < 0 else "="


def _signed(value, unit: str) -> str:
    if value is None:
        return "—"
    text = f.number(abs(value), 2, keep=True)
    return f"+{text}" if value > 0 else f"-{text}" if value < 0 else text


def _groups_table(groups: dict, thresholds, shares: dict, criterion: str,
                  sheet: str) -> Table:
    """One row per group: its threshold, how many agencies, which (with their score)."""
    rows = []
    for threshold in thresholds:
        members = groups.get(threshold.name, [])
        rows.append([f"Nhóm {threshold.name}", f"≥ {f.number(threshold.minimum, 2, keep=True)}%",
                     str(len(members)),
                     ", ".join(f"{o.name} ({f.rate(shares.get(o.pk), 1)})" for o in members)
                     or "—"])
    return Table(["Nhóm", criterion, "Số cơ quan", "Các cơ quan"], rows,
                 widths=[2, 3.5, 2.2, 17], sheet=sheet)


def _leaders(rows, unit: str) -> str:
    return ", ".join(f"{row.agency.name} ({f.value_in(row.value, unit)})" for row in rows)


def rankings_appendix(indicators, period: "Period", as_of: datetime.date, report: Report,
                      attached: Paragraph) -> list[Paragraph]:
    """The league tables of the report's main indicators (those agencies register monthly
    targets for) for the last month of the period with values known by `as_of`, and the
    compliance groups by value against target and by tasks completed on time, from
    rankings/tables.py (the rankings page's functions). Returns the body's sentences."""
    number = f"{max([4, *(int(a.number) for a in report.appendices)]) + 1:02d}"
    blocks: list = [attached]
    sentences = [Paragraph(f"Xếp hạng các bộ, ngành, địa phương theo chỉ tiêu và phân nhóm "
                           f"theo tỷ lệ nhiệm vụ hoàn thành đúng hạn tại Phụ lục {number}.")]
    figures = report.figures.setdefault("rankings", {})
    section = 0
    for indicator in indicators:
        month = next((p for p in ranked_periods(indicator, as_of) if p <= period.end), None)
        if month is None:
            continue
        ranking = league(indicator, month, as_of)
        unit = indicator.unit
        section += 1
        label, before = f"tháng {month.month}/{month.year}", ranking.previous
        blocks.append(Paragraph(f"{section}. {indicator.name}, {label}", style="heading2"))
        # Kept as JSON with the generated report: text, not dates and Decimals.
        figures[indicator.code] = {"period": month.strftime("%Y-%m")}
        for table in ranking.tables:
            if not table.rows:
                continue
            figures[indicator.code][table.bloc] = [
                [row.agency.slug, row.rank, None if row.value is None else str(row.value)]
                for row in table.rows]
            blocks.append(Paragraph(f"Bảng xếp hạng {BLOC_NAMES[table.bloc]}", style="heading2"))
            blocks.append(Table(
                ["Hạng", "Thay đổi hạng", "Cơ quan", label.capitalize(), "Chỉ tiêu đăng ký",
                 "Đạt", f"So với tháng {before.month}/{before.year}", "Nhóm"],
                [[str(row.rank) if row.rank is not None else "—",
                  _rank_change(row.rank_change), row.agency.name, f.value_in(row.value, unit),
                  f.value_in(row.target, unit),
                  "—" if row.met is None else "Đạt" if row.met else "Không đạt",
                  _signed(row.change, unit), table.group(row) or "—"] for row in table.rows],
                widths=[1.4, 2, 7, 2.8, 2.8, 2.2, 3, 1.6],
                sheet=f"PL{number} {BLOC_SHEETS[table.bloc].capitalize()} {section}"))
            blocks.append(_groups_table(table.groups, ranking.thresholds, table.scores,
                                        "Giá trị so với chỉ tiêu đăng ký",
                                        f"PL{number} Nhóm {BLOC_SHEETS[table.bloc]} {section}"))
            sentences.append(Paragraph(
                f"- {indicator.name} {label}, {BLOC_NAMES[table.bloc]} cao nhất: "
                f"{_leaders(table.top(), unit)}; thấp nhất: {_leaders(table.bottom(), unit)}."))
    thresholds = on_time_thresholds()
    blocks.append(Paragraph(f"{section + 1}. Phân nhóm theo tỷ lệ nhiệm vụ chủ trì đến hạn "
                            f"hoàn thành đúng hạn (đến {f.dmy(as_of)})", style="heading2"))
    figures["on_time"] = {}
    for bloc in on_time_groups(as_of, thresholds):
        figures["on_time"][bloc.bloc] = {name: [o.slug for o in orgs]
                                         for name, orgs in bloc.groups.items()}
        blocks.append(Paragraph(f"Nhóm {BLOC_NAMES[bloc.bloc]}", style="heading2"))
        if not bloc.lines:
            blocks.append(Paragraph("Chưa có nhiệm vụ chủ trì nào đến hạn."))
            continue
        blocks.append(_groups_table(bloc.groups, thresholds, bloc.shares,
                                    "Tỷ lệ hoàn thành đúng hạn",
                                    f"PL{number} Đúng hạn {BLOC_SHEETS[bloc.bloc]}"))
        counts = "; ".join(f"nhóm {name}: {len(orgs)}" for name, orgs in bloc.groups.items())
        sentences.append(Paragraph(
            f"- Theo tỷ lệ nhiệm vụ chủ trì hoàn thành đúng hạn, {BLOC_NAMES[bloc.bloc]} "
            f"chia theo nhóm như sau: {counts}."))
    report.appendices.append(Appendix(
        number, "XẾP HẠNG VÀ PHÂN NHÓM CÁC BỘ, NGÀNH, ĐỊA PHƯƠNG", blocks))
    return sentences


def difficulties_and_proposals(tasks, period: Period, as_of: datetime.date, report: Report,
                               proposals: str | None = None, issuer: Issuer | None = None
                               ) -> list:
    """Section III of the quarterly, half-year and yearly reports: the difficulties the
    data shows (agencies that have not reported in the period's last month, indicators
    off track), the register of difficulties, and what agencies proposed in the period."""
    blocks = [Paragraph("1. Khó khăn, vướng mắc", style="heading2")]
    # Only a report already due can be missing: a yearly report written on 20/11 names who
    # has not sent October's, not December's (due on 05/01), and none if no month of the
    # period is due yet.
    monthly = regime_rules.regime()  # its due day, as data
    last_month = min(period.end.replace(day=1), regime_rules.last_closed_period(monthly, as_of))
    status = reporting_status(last_month, as_of) if last_month >= period.start else None
    report.figures["missing_reports"] = (
        (last_month.strftime("%Y-%m"), len(status.missing)) if status else None)
    if report.figures.get("overdue"):
        blocks.append(Paragraph(f"- Còn {report.figures['overdue']} nhiệm vụ đã quá hạn nhưng "
                                "chưa hoàn thành (Phụ lục 02)."))
    if status and status.missing:
        blocks.append(Paragraph(
            f"- Còn {len(status.missing)} cơ quan chưa gửi báo cáo tháng {last_month.month}/"
            f"{last_month.year}: {_names([r.organisation for r in status.missing], 30)}."))
    reported = list(Update.objects.filter(monthly_updates(), period__gte=period.start,
                                          period__lte=period.end,
                                          review_state=ReviewState.APPROVED)
                    .exclude(difficulties="").select_related("assignment__organisation")
                    .order_by("assignment__organisation__sort_order", "period"))
    seen = set()
    for update in reported:
        line = f"- {update.assignment.organisation.name}: {update.difficulties}"
        if line not in seen:
            seen.add(line)
            blocks.append(Paragraph(line))
    blocks += register_section(period.start, as_of, report,
                               attached_line(report, issuer),
                               next_appendix(report, after=4))
    if len(blocks) == 1:
        blocks.append(Paragraph("Không có khó khăn, vướng mắc nào được ghi nhận."))
    blocks.append(Paragraph("2. Đề xuất, kiến nghị", style="heading2"))
    if proposals is None:
        proposals = proposal_lines(period.start, period.end)
    for line in [line.strip() for line in proposals.splitlines() if line.strip()] or [
            "(Cơ quan thường trực bổ sung đề xuất, kiến nghị.)"]:
        blocks.append(Paragraph(line))
    return blocks


def directive_results(tasks, end: datetime.date, as_of: datetime.date, report: Report,
                      attached: Paragraph) -> list:
    """"Kết luận …: 16/29 nhiệm vụ hoàn thành" per directive, and its appendix 05."""
    from giamsat.directives.models import Directive

    counted = defaultdict(lambda: [0, 0])
    for directive_id, status in with_status(tasks.filter(deadline_due__lte=end).exclude(
            deadline_kind__in=RECURRING_KINDS), as_of).values_list("directive_id", "status"):
        counted[directive_id][1] += 1
        if status in COMPLETED:
            counted[directive_id][0] += 1
    directives = {d.pk: d for d in Directive.objects.filter(pk__in=[k for k in counted if k])}
    blocks, rows = [], []
    report.figures["directives"] = {}
    # By directive, and the tasks of no directive ("Nhiệm vụ khác") last.
    for directive_id, (done, total) in sorted(counted.items(), key=lambda kv: (
            kv[0] not in directives, str(directives.get(kv[0], "")))):
        name = str(directives[directive_id]) if directive_id in directives else \
            "Nhiệm vụ khác"
        report.figures["directives"][name] = (done, total)
        blocks.append(Paragraph(f"- {name}: {done}/{total} nhiệm vụ hoàn thành."))
        rows.append([str(len(rows) + 1), name, str(total), str(done), str(total - done),
                     f.share(done / total)])
    if rows:
        report.appendices.append(Appendix("05", "KẾT QUẢ THỰC HIỆN NHIỆM VỤ THEO VĂN BẢN", [
            attached, Table(["TT", "Văn bản", "Đến hạn", "Hoàn thành", "Chưa hoàn thành",
                             "Tỷ lệ"], rows, widths=[1.2, 11, 2.5, 2.5, 3, 2.5],
                            sheet="PL05 Theo văn bản")]))
        blocks.insert(0, Paragraph("Kết quả theo văn bản chỉ đạo (Phụ lục 05):"))
    return blocks


def indicator_results(as_of: datetime.date, report: Report, attached: Paragraph) -> list:
    """The yearly report's results by indicator: target, lead agency, progress, result
    (appendix 03), and the sentence that counts them."""
    cards = [c for c in indicator_cards(as_of) if c.latest is not None or c.target]
    rows = []
    met = 0
    for card in cards:
        unit, goal = card.indicator.unit, target_value(card.target) if card.target else None
        reached = bool(card.latest is not None and meets(card.latest.value, goal,
                                                         card.indicator.direction))
        met += reached
        rows.append([str(len(rows) + 1), card.indicator.name,
                     f.value_in(goal, unit) if goal is not None else "—",
                     card.indicator.lead.name if card.indicator.lead else "—",
                     f.value_in(card.latest.value, unit) if card.latest else "—",
                     "Đạt" if reached else (str(card.assessment.status.label)
                                           if card.assessment else "Chưa đủ số liệu")])
    report.figures.update(indicators=len(rows), indicators_met=met)
    if not rows:
        return [Paragraph("Chưa có số liệu chỉ tiêu.")]
    report.appendices.append(Appendix("03", "KẾT QUẢ THỰC HIỆN CÁC CHỈ TIÊU", [
        attached, Table(["TT", "Chỉ tiêu", "Mục tiêu", "Cơ quan chủ trì", "Kết quả",
                         "Đánh giá"], rows, widths=[1.2, 9, 2.8, 5, 2.8, 4.2],
                        sheet="PL03 Chỉ tiêu")]))
    return [Paragraph(f"Có {met}/{len(rows)} chỉ tiêu đạt mục tiêu (Phụ lục 03).")]


def _indicator_appendix(indicator, months, report) -> tuple[list, list[str]]:
    """The per-agency table of appendix 03 and the sentences that sum it up."""
    table = agency_table(indicator, months)
    with_data = [m for m in months if any(line.cells[table.months.index(m)].target is not None
                                          or line.cells[table.months.index(m)].value is not None
                                          for line in table.lines)]
    if not with_data:
        return [], []
    table = agency_table(indicator, with_data)
    last = with_data[-1]
    met = table.met(last)
    report.figures.setdefault("met", {})[indicator.code] = [o.name for o in met]
    unit = indicator.unit
    sentences = []
    count = f"{len(met):02d}"
    sentences.append(
        f"Chỉ có {count} cơ quan đạt được chỉ tiêu {indicator.name[:1].lower()}"
         f"{indicator.name[1:]} đã đăng ký tháng {last.month}/{last.year} ({_names(met)})."
         if 0 < len(met) <= 3 else
         f"Có {count} cơ quan đạt chỉ tiêu {indicator.name[:1].lower()}{indicator.name[1:]} "
         f"đã đăng ký tháng {last.month}/{last.year}"
         + (f": {_names(met)}." if met else ".")
    )
    nation = Observation.objects.filter(indicator=indicator, organisation=national(),
                                        period=last).first()
    if nation is not None:
        sentences.append(f"{indicator.name} cả nước đến hết tháng {last.month}/{last.year}: "
                         f"{f.value_in(nation.value, unit)}.")
    columns = ["TT", "Cơ quan"]
    for m in with_data:
        columns += [f"Đặt chỉ tiêu tháng {m.month}", f"Tỷ lệ đạt được tháng {m.month}"]
    columns.append("Ghi chú")
    blocks = [Paragraph(f"{indicator.name}", style="heading2")]
    for group, title in (("central", "a) Các bộ, ngành"), ("provinces", "b) Các địa phương")):
        lines = table.lines_in(group)
        if not lines:
            continue
        rows = []
        for i, line in enumerate(lines, 1):
            row = [str(i), str(line.organisation)]
            for cell in line.cells:
                row += [f.value_in(cell.target, unit) if cell.target is not None else "",
                        f.value_in(cell.value, unit) if cell.value is not None else ""]
            last_cell = line.cells[-1]
            row.append("Đạt chỉ tiêu đặt ra theo tháng" if last_cell.met else "")
            rows.append(row)
        widths = [1, 5.5] + [2.3] * (2 * len(with_data)) + [3.5]
        blocks.append(Paragraph(title, style="heading2"))
        blocks.append(Table(columns, rows, widths=widths,
                            sheet=f"PL03 {'Bộ ngành' if group == 'central' else 'Địa phương'}"))
    blocks.append(Paragraph(" ".join(sentences)))
    return blocks, sentences


