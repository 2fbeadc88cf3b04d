"""`run_import` on the real documents: what the issue says each appendix must give."""

import datetime
from decimal import Decimal

import pytest

from giamsat.indicators.models import Observation, Target, TargetSource
from giamsat.ingest.models import Shortfall
from giamsat.ingest.write import run_import
from giamsat.lib.text import clean
from giamsat.orgs.lists import resolve_list
from giamsat.orgs.models import Organisation, OrgKind
from giamsat.orgs.resolve import Resolver
from giamsat.tasks.models import Appearance, AppearanceState, Assignment, Role, Task

JUNE = datetime.date(2025, 6, 1)
REPORT_DAY = datetime.date(2025, 7, 18)
RATE = "ho-so-truc-tuyen-toan-trinh"


@pytest.fixture(scope="module")
def imported(imported_corpus):
    return imported_corpus


def file_summary(imported, prefix):
    return next(f for f in imported["summary"]["files"] if f"/{prefix}_" in f["path"])


def section(imported, prefix, kind, title_part):
    return next(s for s in file_summary(imported, prefix)["sections"]
                if s["kind"] == kind and title_part in s["title"])


def appearances(prefix, title_part, state=None):
    found = Appearance.objects.filter(path__contains=f"/{prefix}_",
                                      section__contains=title_part)
    return found.filter(state=state) if state else found


@pytest.mark.django_db
def test_document_date_is_read_from_the_appendix_title(imported):
    assert file_summary(imported, "004")["as_of"] == "2025-07-18"


@pytest.mark.django_db
def test_appendix_01_gives_76_completed_tasks_with_evidence(imported):
    rows = appearances("004", "PHỤ LỤC 01", AppearanceState.COMPLETED)
    assert rows.count() == 76
    first = Task.objects.get(appearances__in=rows.filter(line=15))
    lead = first.assignments.get(role=Role.LEAD)
    assert lead.organisation.name == "Bộ Khoa học và Công nghệ"
    assert lead.completed_on == datetime.date(2025, 6, 16)
    assert lead.evidence_refs[0]["number"] == "1169/QĐ-TTg"
    # Every row that has evidence keeps it on its lead assignments.
    for appearance in rows:
        task = appearance.task
        for assignment in task.assignments.filter(role=Role.LEAD):
            assert assignment.completed_on is not None, task


@pytest.mark.django_db
def test_appendix_02_gives_30_overdue_tasks_with_exactly_the_listed_agencies_open(imported):
    rows = appearances("004", "PHỤ LỤC 02", AppearanceState.OVERDUE).order_by("line")
    assert rows.count() == 30
    task3 = rows[2].task
    still_open = task3.assignments.filter(role=Role.LEAD, completed_on=None)
    kinds = sorted(o.organisation.kind for o in still_open)
    assert len(kinds) == 10
    assert sum(k == OrgKind.PROVINCE for k in kinds) == 5
    names = {a.organisation.name for a in still_open}
    assert "Bộ Nông nghiệp và Môi trường" in names
    assert task3.assignments.filter(role=Role.LEAD).exclude(completed_on=None).count() > 0
    # Each overdue task: the open leads are exactly the agencies its row names.
    resolver = Resolver()
    for appearance in rows:
        listed = appearance.raw_text.split("\n\t")[-1]
        named = {o.pk for n in resolve_list(listed, REPORT_DAY, resolver)
                 for o in n.resolution.organisations}
        if not listed.strip():  # no agency listed: the task as a whole is open
            named = set(appearance.task.assignments.filter(role=Role.LEAD)
                        .values_list("organisation_id", flat=True))
        open_leads = appearance.task.assignments.filter(role=Role.LEAD, completed_on=None)
        assert named and set(open_leads.values_list("organisation_id", flat=True)) == named, \
            appearance.line


@pytest.mark.django_db
def test_appendix_06_repeats_the_30_overdue_tasks_as_the_same_tasks(imported):
    overdue = {a.task_id for a in appearances("004", "PHỤ LỤC 02")}
    repeated = {a.task_id for a in appearances("004", "PHỤ LỤC 06")}
    assert overdue <= repeated


@pytest.mark.django_db
def test_appendix_03_registered_targets_and_rates(imported):
    ministries = Organisation.objects.filter(
        observations__indicator__code=RATE, observations__period=JUNE,
    ).filter(kind__in=[OrgKind.MINISTRY, OrgKind.MINISTERIAL_AGENCY, OrgKind.GOVERNMENT_AGENCY])
    assert ministries.distinct().count() == 15
    former = Organisation.objects.filter(kind=OrgKind.PROVINCE, valid_to__isnull=False)
    for month in (4, 5, 6):
        period = datetime.date(2025, month, 1)
        with_rate = former.filter(observations__indicator__code=RATE,
                                  observations__period=period).distinct()
        assert with_rate.count() == 63, month
    an_giang = Observation.objects.get(indicator__code=RATE, period=JUNE,
                                       organisation__name="An Giang",
                                       organisation__valid_to__isnull=False)
    assert an_giang.value == Decimal("14.28")
    target = Target.objects.get(indicator__code=RATE, organisation=an_giang.organisation,
                                period_end=datetime.date(2025, 6, 30),
                                source=TargetSource.REGISTERED)
    assert target.minimum == 30
    current = Observation.objects.filter(indicator__code=RATE,
                                         period=datetime.date(2025, 7, 1),
                                         observed_on=datetime.date(2025, 7, 9))
    assert current.count() == 34
    assert current.filter(organisation__valid_to__isnull=True).count() == 34


@pytest.mark.django_db
def test_who_met_the_registered_june_target_agrees_with_the_report(imported):
    """Appendix 03: "Chỉ có 01 cơ quan đạt được chỉ tiêu hồ sơ đã đăng ký (Bộ Nội vụ)"."""
    met = [
        target.organisation.name
        for target in Target.objects.filter(
            indicator__code=RATE, source=TargetSource.REGISTERED,
            period_end=datetime.date(2025, 6, 30),
        ).select_related("organisation")
        if Observation.objects.filter(indicator=target.indicator,
                                      organisation=target.organisation, period=JUNE,
                                      value__gte=target.minimum).exists()
    ]
    assert met == ["Bộ Nội vụ"]


@pytest.mark.django_db
def test_appendices_04_05_06_give_tasks_with_deadlines_and_groups(imported):
    # Rows in the tables, less the group rows ("I  Về thể chế") that give the area.
    # ("a) Triển khai Kế hoạch …" is a sub-group row of appendix 04.)
    for appendix, count in (("PHỤ LỤC 04", 41 - 7 - 1), ("PHỤ LỤC 05", 43 - 7)):
        rows = appearances("004", appendix)
        assert rows.count() == count, appendix
        assert rows.exclude(task__area="").count() == rows.count(), appendix
        for appearance in rows:  # the deadline cell, as written, is the task's deadline
            cells = appearance.raw_text.split("\n\t")
            cell = clean(cells[4]) if len(cells) > 4 else ""
            assert clean(appearance.task.deadline_text) == cell, appearance.line
    subgroup = appearances("004", "PHỤ LỤC 04").get(line=2057).task
    assert subgroup.area.startswith("Về phát triển khoa học, công nghệ, đổi mới sáng tạo: a) ")
    later = appearances("004", "Nhiệm vụ tháng")
    assert later.count() == 2 + 9 + 56 + 3 + 8 + 106
    assert appearances("004", "Nhiệm vụ thường xuyên").count() == 23
    task = Task.objects.get(appearances__in=appearances("004", "Nhiệm vụ tháng 7/2025")
                            .filter(title__startswith="Xây dựng Nghị định quy định chính sách"))
    assert task.deadline_due == datetime.date(2025, 7, 31)


@pytest.mark.django_db
def test_appendix_07_gives_25_problem_groups(imported):
    problems = section(imported, "004", "problems", "PHỤ LỤC 07")
    assert problems["rows"] >= 25
    rows = appearances("004", "PHỤ LỤC 07")
    assert all(a.deadline_text for a in rows)
    with_leads = [a for a in rows if a.task.assignments.filter(role=Role.LEAD).exists()]
    # The 25 numbered groups; part H names only "các doanh nghiệp viễn thông" (which ones
    # the text does not say), so it is kept without an agency and with a warning.
    assert len(with_leads) == 25
    group1 = next(a.task for a in rows if a.title.startswith("Chưa ban hành, công bố"))
    leads = set(group1.assignments.filter(role=Role.LEAD)
                .values_list("organisation__name", flat=True))
    assert {"Bộ Tài chính", "Bộ Công Thương"} <= leads and len(leads) > 30


@pytest.mark.django_db
def test_001_targets_and_bullet_tasks(imported):
    signature = Target.objects.get(indicator__name__icontains="chữ ký số",
                                   source=TargetSource.DIRECTIVE,
                                   organisation__slug="viet-nam")
    assert (signature.minimum, signature.aspiration) == (50, 70)
    tasks = appearances("001", "")
    assert tasks.count() >= 90
    for appearance in tasks:
        task = appearance.task
        assert appearance.deadline_text, appearance.title
        assert task.deadline_kind != "unparsed", appearance.deadline_text
        assert appearance.leads_text, appearance.title


@pytest.mark.django_db
def test_000_april_and_march_values_and_agency_lists(imported):
    fibre = Observation.objects.filter(indicator__code="ho-gia-dinh-cap-quang",
                                       organisation__slug="viet-nam")
    values = {o.period: o.value for o in fibre}
    assert values[datetime.date(2025, 4, 1)] == Decimal("83.4")
    assert values[datetime.date(2025, 3, 1)] == Decimal("83.3")
    named = Shortfall.objects.filter(document__path__contains="/000_")
    assert named.filter(organisation__name="Văn phòng Chính phủ").exists()
    registered = named.filter(statement__icontains="đăng ký chỉ tiêu")
    assert registered.count() == 21


@pytest.mark.django_db
def test_importing_the_corpus_again_changes_nothing(imported):
    counts = (Task.objects.count(), Assignment.objects.count(), Observation.objects.count(),
              Target.objects.count(), Appearance.objects.count(), Shortfall.objects.count())
    again = run_import(imported["paths"])
    totals = again["totals"]
    assert totals["tasks_created"] == totals["tasks_updated"] == 0
    assert totals["assignments"] == totals["observations"] == totals["targets"] == 0
    assert totals["completions"] == totals["shortfalls"] == totals["matches_proposed"] == 0
    assert counts == (Task.objects.count(), Assignment.objects.count(),
                      Observation.objects.count(), Target.objects.count(),
                      Appearance.objects.count(), Shortfall.objects.count())
    assert again["elapsed_seconds"] > 0


@pytest.mark.django_db
def test_evidence_older_than_a_year_does_not_date_the_completion(imported):
    """“Đang khai thác, vận hành theo QĐ 933/QĐ-TTg ngày 19/4/2024” in the report of
    18/07/2025 cites the decision the work rests on, not the day it was done."""
    lead = Assignment.objects.get(role=Role.LEAD, evidence__contains="933/QĐ-TTg ngày 19/4/2024")
    assert lead.completed_on == REPORT_DAY
