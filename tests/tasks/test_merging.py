"""Two tasks that are one: merged on import when certain, by a person otherwise, and
taken apart again; nothing an agency reported is lost either way."""

import datetime

import pytest
from django.core.management import call_command
from django.urls import reverse

from giamsat.ingest.write import run_import
from giamsat.tasks.merging import MergeRefused, merge_tasks, undo_merge
from giamsat.tasks.models import (
    Appearance,
    Assignment,
    MatchState,
    MergeReason,
    ReportedStatus,
    ReviewState,
    Role,
    Task,
    TaskMatch,
    TaskMerge,
    Update,
)

D = datetime.date

PLAN = """II. NHIỆM VỤ TRIỂN KHAI
1. Về dữ liệu số
- Xây dựng cơ sở dữ liệu quốc gia về đất đai.
+ Kết quả thực hiện: Cơ sở dữ liệu.
+ Cơ quan chủ trì: Bộ Tài nguyên và Môi trường.
+ Cơ quan phối hợp: Bộ Công an.
+ Thời hạn hoàn thành: Tháng 6/2025.
- Xây dựng nền tảng học trực tuyến mở cho người dân.
+ Kết quả thực hiện: Nền tảng.
+ Cơ quan chủ trì: Bộ Giáo dục và Đào tạo, Bộ Thông tin và Truyền thông.
+ Thời hạn hoàn thành: Tháng 6/2025.
"""

REPORT = """PHỤ LỤC 01:
DANH MỤC NHIỆM VỤ ĐÃ HOÀN THÀNH
(Kèm theo Báo cáo ngày 18 tháng 7 năm 2025 của Bộ Khoa học và Công nghệ)

\tTT
\tTên nhiệm vụ
\tCơ quan chủ trì
\tThời gian hoàn thành
\tKết quả thực hiện

\t1
\tXây dựng cơ sở dữ liệu quốc gia về đất đai
\tBộ Nông nghiệp và Môi trường
\tTháng 6/2025
\tĐã hoàn thành

\t2
\tXây dựng nền tảng học trực tuyến mở cho người dân
\tBộ Khoa học và Công nghệ
\tTháng 9/2025
\tĐã hoàn thành theo Quyết định số 15/QĐ-BKHCN ngày 10/7/2025
"""


@pytest.fixture
def documents(tmp_path):
    plan, report = tmp_path / "ke-hoach.txt", tmp_path / "bao-cao.txt"
    plan.write_text(PLAN, encoding="utf-8")
    report.write_text(REPORT, encoding="utf-8")
    run_import([str(plan)], as_of=D(2024, 12, 22))
    summary = run_import([str(report)])
    return summary


def land():
    return Task.objects.get(title_key__startswith="xay dung co so du lieu quoc gia ve dat dai")


@pytest.mark.django_db
def test_a_certain_duplicate_is_merged_on_import_and_can_be_undone(documents):
    # Same title, the same lead once Bộ TN&MT is carried to its successor, same deadline.
    assert documents["totals"]["tasks_merged"] == 1
    task = land()
    assert sorted(a.path.rsplit("/", 1)[-1] for a in task.appearances.all()) == [
        "bao-cao.txt", "ke-hoach.txt"]
    merge = TaskMerge.objects.get()
    assert merge.reason == MergeReason.CERTAIN and merge.kept == task
    # The latest report says it is done: the plan's lead (the former ministry) is done too.
    leads = task.assignments.filter(role=Role.LEAD)
    assert {a.organisation.slug for a in leads} == {"bo-tai-nguyen-va-moi-truong",
                                                    "bo-nong-nghiep-va-moi-truong"}
    assert all(a.completed_on == D(2025, 7, 18) for a in leads)
    assert task.assignments.filter(role=Role.COORDINATE).get().organisation.slug == "bo-cong-an"

    restored = undo_merge(merge)
    assert restored.pk == merge.merged_task_id
    assert Task.objects.filter(title_key__startswith="xay dung co so du lieu quoc gia").count() == 2
    assert [a.path.rsplit("/", 1)[-1] for a in restored.appearances.all()] == ["bao-cao.txt"]
    kept = Task.objects.get(pk=merge.kept_id)
    assert kept.assignments.get(role=Role.LEAD).completed_on is None  # as before the merge
    merge.refresh_from_db()
    assert merge.undone and kept.history.first().history_type == "~"
    with pytest.raises(MergeRefused):
        undo_merge(merge)


@pytest.mark.django_db
def test_a_proposed_pair_is_confirmed_on_the_command_line_then_undone(documents):
    # The platform: a new deadline and a successor: proposed, not merged.
    match = TaskMatch.objects.get(state=MatchState.PROPOSED)
    known, candidate = match.task, match.candidate
    update = Update.objects.create(
        assignment=candidate.assignments.get(role=Role.LEAD), period=D(2025, 7, 1),
        status=ReportedStatus.IN_PROGRESS, review_state=ReviewState.DRAFT, result="Đang làm")
    call_command("import", "--link-matches", "--confirm", str(match.pk))
    match.refresh_from_db()
    assert match.state == MatchState.CONFIRMED and match.candidate is None
    assert not Task.objects.filter(pk=candidate.pk).exists()
    kept = Task.objects.get(pk=known.pk)
    # The newer document's wording and deadline; every appearance; the agency's update.
    assert kept.deadline_text == "Tháng 9/2025"
    assert kept.appearances.count() == 2
    update.refresh_from_db()
    assert update.assignment.task_id == kept.pk
    # The report says it is done: every lead is, the ones only the plan named included.
    assert all(a.completed_on for a in kept.assignments.filter(role=Role.LEAD))

    merge = TaskMerge.objects.get(reason=MergeReason.CONFIRMED)
    call_command("import", "--undo-merge", str(merge.pk))
    back = Task.objects.get(pk=candidate.pk)
    update.refresh_from_db()
    assert update.assignment.task_id == back.pk
    assert Task.objects.get(pk=known.pk).deadline_text == "Tháng 6/2025"
    assert all(a.completed_on is None
               for a in Task.objects.get(pk=known.pk).assignments.filter(role=Role.LEAD))
    match.refresh_from_db()
    assert match.state == MatchState.PROPOSED and match.candidate_id == back.pk


@pytest.mark.django_db
def test_the_web_page_confirms_ticked_pairs_and_undoes_a_merge(documents, client, make_user):
    client.force_login(make_user("standing_office"))
    match = TaskMatch.objects.get(state=MatchState.PROPOSED)
    page = client.get(reverse("web:matches")).content.decode()
    assert f'id="cap-{match.pk}"' in page and "Tháng 9/2025" in page and "Tháng 6/2025" in page
    response = client.post(reverse("web:match_decide_many"),
                           {"decision": "confirm", "match": [match.pk]})
    assert response.status_code == 302
    match.refresh_from_db()
    assert match.state == MatchState.CONFIRMED
    merge = TaskMerge.objects.get(reason=MergeReason.CONFIRMED)
    client.post(reverse("web:merge_undo", args=[merge.pk]))
    merge.refresh_from_db()
    assert merge.undone and merge.undone_by.username.startswith("standing_office")
    assert Task.objects.filter(pk=merge.merged_task_id).exists()


@pytest.mark.django_db
def test_an_agencys_approved_completion_is_never_undone_by_a_merge(org):
    older, newer = Task.objects.create(title="Số hóa hồ sơ"), Task.objects.create(
        title="Số hóa hồ sơ")
    mine = Assignment.objects.create(task=older, organisation=org("Hà Nội"), role=Role.LEAD,
                                     completed_on=D(2025, 5, 2))
    Update.objects.create(assignment=mine, period=D(2025, 5, 1), completed_on=D(2025, 5, 2),
                          status=ReportedStatus.COMPLETED, review_state=ReviewState.APPROVED)
    Assignment.objects.create(task=newer, organisation=org("Hà Nội"), role=Role.LEAD)
    for task, day, state in ((older, D(2025, 4, 1), "planned"), (newer, D(2025, 7, 1),
                                                                   "overdue")):
        Appearance.objects.create(task=task, source_sha256=str(task.pk) * 4, path="x.txt",
                                  line=1, as_of=day, state=state, title=task.title,
                                  raw_text=task.title)
    merge_tasks(older, newer, reason=MergeReason.CONFIRMED)
    mine.refresh_from_db()
    assert mine.completed_on == D(2025, 5, 2)
    assert mine.updates.count() == 1
