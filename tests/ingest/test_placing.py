"""Names and headings the import could not place, placed once for every row; tasks
corrected by the standing office; areas; each agency's own action in a problem group."""

import datetime

import pytest
from django.urls import reverse

from giamsat.indicators.models import Observation
from giamsat.ingest.models import Unplaced, UnplacedKind
from giamsat.ingest.placing import place_area, place_as_new_organisation, place_name, unplaced
from giamsat.ingest.write import run_import
from giamsat.orgs.models import NameChoice, Organisation, OrgKind
from giamsat.orgs.resolve import Resolver, Status
from giamsat.tasks.editing import EditRefused, TaskEdit, edit_task
from giamsat.tasks.models import Area, Assignment, ReportedStatus, Role, Task, Update
from giamsat.tasks.queries import status_summary, summary_by_area

D = datetime.date

PLAN = """II. NHIỆM VỤ TRIỂN KHAI
1. Về thể chế
- Xây dựng quy chế bảo mật cho hệ thống thông tin cơ yếu.
+ Kết quả thực hiện: Quy chế.
+ Cơ quan chủ trì: Ban Cơ yếu Chính phủ.
+ Cơ quan phối hợp: các doanh nghiệp viễn thông.
+ Thời hạn hoàn thành: Tháng 6/2025.
- Triển khai chữ ký số chuyên dùng cho cán bộ.
+ Kết quả thực hiện: Chữ ký số.
+ Cơ quan chủ trì: Ban Cơ yếu Chính phủ, Bộ Nội vụ.
+ Thời hạn hoàn thành: Tháng 9/2025.
2. Về công tác cán bộ đặc thù
- Bồi dưỡng kỹ năng số cho cán bộ cơ sở.
+ Cơ quan chủ trì: Bộ Nội vụ.
+ Thời hạn hoàn thành: Tháng 12/2025.
"""


@pytest.fixture
def plan(tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(PLAN, encoding="utf-8")
    run_import([str(path)], as_of=D(2025, 5, 1))
    return path


@pytest.mark.django_db
def test_an_unknown_body_is_listed_with_its_count_and_placed_once_everywhere(plan):
    names = {g.text: g for g in unplaced()}
    assert names["Ban Cơ yếu Chính phủ"].count == 2
    assert names["Ban Cơ yếu Chính phủ"].contexts == {"lead": 2}
    telecoms = names["các doanh nghiệp viễn thông"]
    assert {o.slug for o in telecoms.candidates} >= {"tap-doan-buu-chinh-vien-thong-viet-nam"}

    org, placed = place_as_new_organisation("Ban Cơ yếu Chính phủ", "Ban Cơ yếu Chính phủ",
                                            OrgKind.GOVERNMENT_AGENCY, "BCY")
    assert placed == 2
    assert Assignment.objects.filter(organisation=org, role=Role.LEAD).count() == 2
    assert "Ban Cơ yếu Chính phủ" not in {g.text for g in unplaced()}
    # A group: several organisations; the next import reads the choice.
    enterprises = list(Organisation.objects.filter(kind=OrgKind.ENTERPRISE))
    assert place_name("các doanh nghiệp viễn thông", enterprises) == 1
    security = Task.objects.get(title__startswith="Xây dựng quy chế bảo mật")
    assert security.assignments.filter(role=Role.COORDINATE).count() == len(enterprises)
    resolution = Resolver().resolve("Các doanh nghiệp viễn thông", D(2025, 8, 1))
    assert resolution.status == Status.GROUP and len(resolution.organisations) == len(
        enterprises)
    assert NameChoice.objects.get(name="các doanh nghiệp viễn thông").history.count() >= 1
    # The same plan again changes nothing, and names nothing to place.
    summary = run_import([str(plan)], as_of=D(2025, 5, 1))
    assert summary["totals"]["assignments"] == 0


@pytest.mark.django_db
def test_the_page_of_names_lists_them_and_places_one(plan, client, make_user):
    client.force_login(make_user("standing_office"))
    page = client.get(reverse("web:names")).content.decode()
    assert "“Ban Cơ yếu Chính phủ”" in page and "Về công tác cán bộ đặc thù" in page
    ministry = Organisation.objects.get(slug="bo-noi-vu")
    response = client.post(reverse("web:name_place"), {"text": "Ban Cơ yếu Chính phủ",
                                                       "organisation": [ministry.pk]})
    assert response.status_code == 302
    # Both tasks that named it (one already had Bộ Nội vụ as a lead).
    titles = ["Xây dựng quy chế bảo mật cho hệ thống thông tin cơ yếu.",
              "Triển khai chữ ký số chuyên dùng cho cán bộ."]
    assert Assignment.objects.filter(organisation=ministry, role=Role.LEAD,
                                     task__title__in=titles).count() == 2
    assert "“Ban Cơ yếu Chính phủ”" not in client.get(reverse("web:names")).content.decode()


@pytest.mark.django_db
def test_not_an_agency_is_quiet_from_then_on(tmp_path):
    path = tmp_path / "kh.txt"
    path.write_text(PLAN.replace("các doanh nghiệp viễn thông", "chuyên gia"), encoding="utf-8")
    run_import([str(path)], as_of=D(2025, 5, 1))
    place_name("chuyên gia", [], not_an_agency=True)
    assert "chuyên gia" not in {g.text for g in unplaced()}
    other = tmp_path / "kh2.txt"
    other.write_text(PLAN.replace("các doanh nghiệp viễn thông", "chuyên gia").replace(
        "Xây dựng quy chế", "Ban hành quy chế"), encoding="utf-8")
    summary = run_import([str(other)], as_of=D(2025, 5, 1))
    assert not any("chuyên gia" in w["message"] for w in summary["files"][0]["warnings"])


@pytest.mark.django_db
def test_a_value_of_an_unknown_agency_is_written_when_the_name_is_placed(tmp_path):
    path = tmp_path / "so-lieu.txt"
    path.write_text("BÁO CÁO\nKết quả tháng 6/2025\n\n\tTT\n\tĐơn vị\n\tTỷ lệ đạt được tháng 6"
                    "\n\n\t1\n\tTỉnh Hà Giang cũ\n\t55,5\n", encoding="utf-8")
    run_import([str(path)], as_of=D(2025, 6, 30))
    assert not Observation.objects.filter(value=55.5).exists()
    (group,) = [g for g in unplaced() if g.text == "Tỉnh Hà Giang cũ"]
    assert group.contexts == {"value": 1}
    former = Organisation.objects.get(slug="ha-giang-truoc-2025-07")
    place_name("Tỉnh Hà Giang cũ", [former])
    observation = Observation.objects.get(value=55.5)
    assert observation.organisation == former and observation.period == D(2025, 6, 1)


@pytest.mark.django_db
def test_areas_come_from_headings_and_titles_and_an_unknown_heading_is_asked(plan):
    task = Task.objects.get(title__startswith="Xây dựng quy chế bảo mật")
    assert task.programme_area.code == "the-che-so" and task.area_basis == "heading"
    odd = Task.objects.get(title__startswith="Bồi dưỡng kỹ năng số")
    (heading,) = unplaced(UnplacedKind.AREA)
    assert heading.text == "Về công tác cán bộ đặc thù"
    manpower = Area.objects.get(code="nhan-luc-so")
    place_area("Về công tác cán bộ đặc thù", manpower)
    odd.refresh_from_db()
    assert odd.programme_area == manpower
    # Every task in exactly one row: the rows add up to the total.
    rows = summary_by_area(Task.objects.all(), D(2025, 7, 1))
    assert sum(s.total for _area, s in rows) == status_summary(Task.objects.all(),
                                                               D(2025, 7, 1)).total
    assert [a.code for a, _s in rows][:3] == ["the-che-so", "ha-tang-so", "nen-tang-so"]


@pytest.mark.django_db
def test_the_office_corrects_a_task_and_an_agencys_report_is_never_lost(plan, org):
    task = Task.objects.get(title__startswith="Bồi dưỡng kỹ năng số")
    lead = task.assignments.get(role=Role.LEAD)
    Update.objects.create(assignment=lead, period=D(2025, 6, 1),
                          status=ReportedStatus.IN_PROGRESS, result="Đã mở 3 lớp")
    with pytest.raises(EditRefused, match="reported"):
        edit_task(task, TaskEdit(title=task.title, directive="", area_id=None,
                                 expected_output="", deadline="Tháng 12/2025", notes="",
                                 reason="Đổi cơ quan", remove=[lead.pk]))
    assert task.assignments.filter(pk=lead.pk).exists()
    ministry = org("Bộ Giáo dục và Đào tạo")
    edit_task(task, TaskEdit(title="Bồi dưỡng kỹ năng số cho cán bộ cấp xã",
                             directive="Nghị quyết số 71/NQ-CP", area_id=None,
                             expected_output="", deadline="Quý III/2025", notes="",
                             reason="Theo Nghị quyết 71", add_leads=[ministry]))
    task.refresh_from_db()
    assert (task.deadline_kind, task.deadline_due) == ("quarter", D(2025, 9, 30))
    assert str(task.directive.number) == "71/NQ-CP"
    assert task.assignments.filter(organisation=ministry, role=Role.LEAD).exists()
    assert task.history.first().history_change_reason == "Theo Nghị quyết 71"
    added = Assignment.history.filter(organisation_id=ministry.pk).first()
    assert added.history_change_reason == "Theo Nghị quyết 71"


@pytest.mark.django_db
def test_the_edit_page_shows_the_reason_in_the_history(plan, client, make_user, org):
    user = make_user("standing_office")
    client.force_login(user)
    task = Task.objects.get(title__startswith="Bồi dưỡng kỹ năng số")
    response = client.post(reverse("web:task_edit", args=[task.pk]), {
        "title": task.title, "deadline": "31/10/2025", "reason": "Lùi hạn theo công văn",
        "add_coordinators": [org("Bộ Tài chính").pk]})
    assert response.status_code == 302
    page = client.get(reverse("web:task", args=[task.pk])).content.decode()
    assert "Lùi hạn theo công văn" in page and "31/10/2025" in page
    refused = client.post(reverse("web:task_edit", args=[task.pk]), {
        "title": task.title, "deadline": "sau khi có kinh phí", "reason": "x"})
    assert refused.status_code == 200 and "sau khi có kinh phí" in refused.content.decode()
    viewer = make_user("viewer")
    client.force_login(viewer)
    assert client.get(reverse("web:task_edit", args=[task.pk])).status_code == 403


@pytest.mark.corpus
@pytest.mark.django_db
def test_each_agency_of_a_problem_group_carries_its_own_action(imported_corpus):
    """004, appendix 07, group 1: every ministry must review ("Các Bộ khẩn trương rà soát
    …"); Bộ Công Thương and Bộ Dân tộc và Tôn giáo have a sentence of their own too, and
    neither receives the other's."""
    def action(slug):
        return Assignment.objects.get(task__appearances__line=4422, role=Role.LEAD,
                                      organisation__slug=slug).action

    trade, religion, health = (action(s) for s in ("bo-cong-thuong", "bo-dan-toc-va-ton-giao",
                                                   "bo-y-te"))
    assert "Bộ Công Thương bổ sung quy định" in trade
    assert "Bộ Dân tộc và Tôn giáo bổ sung" not in trade
    assert "Bộ Dân tộc và Tôn giáo bổ sung" in religion and "Bộ Công Thương" not in religion
    assert health.startswith("Các Bộ khẩn trương rà soát") and "\n" not in health
    task = Assignment.objects.filter(task__appearances__line=4422).first().task
    assert task.directive.number == "336/TB-VPCP"


@pytest.mark.corpus
@pytest.mark.django_db
def test_after_the_corpus_no_task_is_without_an_area_unless_a_warning_says_so(imported_corpus):
    warned = {(f["path"], w["line"]) for f in imported_corpus["summary"]["files"]
              for w in f["warnings"] if "area" in w["message"] or "lĩnh vực" in w["message"]}
    for task in Task.objects.filter(programme_area=None):
        rows = {(a.path, a.line) for a in task.appearances.all()}
        assert rows & warned, task
    assert Unplaced.objects.filter(kind=UnplacedKind.AREA).count() == 0
