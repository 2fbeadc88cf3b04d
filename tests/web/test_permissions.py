"""Every write of the web application, tried by every role, with direct POSTs.

The scenario: Hà Nội has a draft report for July 2025 (one assignment update with an
evidence file) and a submitted report for June; an uploaded document waits for
confirmation; two tasks wait to be judged the same. Each case POSTs as one role and checks
the outcome: allowed (the change is in the audit trail) or refused (403, or a redirect to
the login page for a visitor, and not one row written anywhere).
"""

import datetime
import shutil
from pathlib import Path

import pytest
import time_machine
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator
from giamsat.ingest.models import Upload, UploadState
from giamsat.orgs.models import Organisation
from giamsat.reporting import workflow
from giamsat.tasks.models import Assignment, Role, Task, TaskMatch
from giamsat.web.writes import WRITE_VIEWS

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
SMALL_PLAN = Path(__file__).resolve().parents[1] / "data" / "small_plan.txt"
ALL_ROLES = ["anonymous", "administrator", "standing_office", "agency_leader",
             "agency_reporter", "viewer", "other_reporter", "other_leader"]
HANOI_WRITERS = {"administrator", "agency_leader", "agency_reporter"}
HANOI_SUBMITTERS = {"administrator", "agency_leader"}
OFFICE = {"administrator", "standing_office"}
EVERYBODY = set(ALL_ROLES) - {"anonymous"}  # one's own notifications and their email


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(roles, org, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.DATA_DIR = tmp_path
    sync_indicators()
    hanoi = org("Hà Nội")
    task = Task(title="Ban hành kế hoạch chuyển đổi số")
    task.set_deadline("Tháng 9/2025")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=hanoi, role=Role.LEAD)
    reporter = roles["agency_reporter"]
    july = workflow.start_report(hanoi, D(2025, 7, 1), reporter)
    update = workflow.save_update(july, assignment, workflow.UpdateInput(
        status="in_progress", result="Đang dự thảo."), 0, reporter)
    evidence = workflow.attach_evidence(update, SimpleUploadedFile(
        "du-thao.pdf", b"%PDF-1.4\n%%EOF\n"), reporter)
    # June's report is the former Hà Nội's (until 30/06/2025), which the new one carries.
    former = Organisation.objects.get(slug="ha-noi-truoc-2025-07")
    june = workflow.start_report(former, D(2025, 6, 1), reporter, today=D(2025, 6, 30))
    earlier = Assignment.objects.create(task=task, organisation=former, role=Role.LEAD)
    workflow.save_update(june, earlier, workflow.UpdateInput(status="in_progress"), 0,
                         reporter, today=D(2025, 6, 30))
    june.refresh_from_db()
    workflow.submit(june, roles["agency_leader"], june.version, today=D(2025, 6, 30))
    folder = tmp_path / "imports" / "a"
    folder.mkdir(parents=True)
    shutil.copy(SMALL_PLAN, folder / SMALL_PLAN.name)
    upload = Upload.objects.create(user=roles["standing_office"], name=SMALL_PLAN.name,
                                   path=str(folder / SMALL_PLAN.name), size=1,
                                   sha256="0" * 64, as_of=D(2025, 7, 1),
                                   state=UploadState.READY, preview={"files": [{
                                       "held_tables": [{"line": 3, "signature": "s" * 32,
                                                        "header": ["TT", "Cột A"],
                                                        "raw_header": ["TT", "Cột A"],
                                                        "rows": [], "row_count": 1}]}]})
    other = Task.objects.create(title="Ban hành kế hoạch chuyển đổi số năm 2025")
    match = TaskMatch.objects.create(task=task, candidate=other, candidate_title=other.title,
                                     score=0.9)
    second = TaskMatch.objects.create(task=task, candidate=Task.objects.create(
        title="Ban hành kế hoạch chuyển đổi số 2025"), candidate_title="…", score=0.8)
    from giamsat.tasks.merging import merge_tasks

    merge = merge_tasks(Task.objects.create(title="Số hóa hồ sơ"),
                        Task.objects.create(title="Số hóa hồ sơ"), reason="confirmed")
    from giamsat.difficulties import workflow as register

    difficulty = register.raise_item(hanoi, "Thiếu hướng dẫn kết nối dữ liệu")
    assigned = register.accept(register.raise_item(hanoi, "Thiếu máy chủ"), [(hanoi, "")])
    from giamsat.notify import notices
    from giamsat.notify.models import Kind

    notices.notify(list(roles.values()), kind=Kind.REMINDER, day=D(2025, 7, 20),
                   text="Nhắc việc thử.", link="/")  # one unread notification for everybody
    july.refresh_from_db()
    june.refresh_from_db()
    update.refresh_from_db()
    commune = Organisation.objects.filter(parent=hanoi, kind="commune").order_by("pk").first()
    return {"difficulty": difficulty, "assigned": assigned, "july": july, "june": june,
            "commune": commune.slug,
            "update": update, "assignment": assignment,
            "evidence": evidence, "upload": upload, "match": match, "second": second,
            "merge": merge,
            "rate": Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")}


def _july(s):
    return ["ha-noi", "2025-07"]


# name: (url name, url args, form data, roles allowed)
WRITES = {
    "update an assignment": (
        "web:report_update", lambda s: [*_july(s), s["assignment"].pk],
        lambda s: {"status": "completed", "completed_on": "15/07/2025",
                   "evidence": "Kế hoạch số 10/KH-UBND ngày 15/7/2025",
                   "version": s["update"].version}, HANOI_WRITERS),
    "save the month's tasks": (
        "web:report_tasks", _july,
        lambda s: {"tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "1",
                   "tasks-0-assignment": s["assignment"].pk,
                   "tasks-0-version": s["update"].version, "tasks-0-status": "completed",
                   "tasks-0-completed_on": "15.07.2025",
                   "tasks-0-evidence": "Kế hoạch số 10/KH-UBND ngày 15/7/2025"},
        HANOI_WRITERS),
    "enter values and targets": (
        "web:report_values", _july,
        lambda s: {"values-TOTAL_FORMS": "1", "values-INITIAL_FORMS": "1",
                   "values-0-indicator": s["rate"].pk, "values-0-value": "45,3",
                   "values-0-target": "50", "values-0-value_version": "0",
                   "values-0-target_version": "0"}, HANOI_WRITERS),
    "submit the report": (
        "web:report_submit", _july, lambda s: {"version": s["july"].version},
        HANOI_SUBMITTERS),
    "remove an evidence file": (
        "web:evidence_delete", lambda s: [s["evidence"].pk], lambda s: {}, HANOI_WRITERS),
    "approve a report": (
        "web:approve", lambda s: [s["june"].pk], lambda s: {"version": s["june"].version},
        OFFICE),
    "return a report": (
        "web:return", lambda s: [s["june"].pk],
        lambda s: {"version": s["june"].version, "comment": "Bổ sung minh chứng."}, OFFICE),
    "open a period again": (
        "web:reopen", lambda s: [],
        lambda s: {"co_quan": "ha-noi", "ky": "2025-07", "until": "31/08/2025",
                   "reason": "Đổi cán bộ đầu mối"}, OFFICE),
    "upload a document": (
        "web:imports", lambda s: [],
        lambda s: {"file": SimpleUploadedFile("ke-hoach.txt", SMALL_PLAN.read_bytes()),
                   "as_of": "01/07/2025"}, OFFICE),
    "confirm an import": (
        "web:upload_confirm", lambda s: [s["upload"].pk], lambda s: {}, OFFICE),
    "read an upload again": (
        "web:upload_retry", lambda s: [s["upload"].pk], lambda s: {"as_of": "02/07/2025"},
        OFFICE),
    "map a held table": (
        "web:upload_map", lambda s: [s["upload"].pk], lambda s: {"line": "3", "kind": "skip"},
        OFFICE),
    "cancel an upload": (
        "web:upload_cancel", lambda s: [s["upload"].pk], lambda s: {}, OFFICE),
    "write a report": (
        "web:reports", lambda s: [],
        lambda s: {"kind": "monthly", "month": "06/2025", "format": "xlsx", "year": "2025",
                   "half": "1", "proposals": "Kiến nghị."}, OFFICE),
    "decide a possible duplicate": (
        "web:match_decide", lambda s: [s["match"].pk], lambda s: {"decision": "reject"}, OFFICE),
    "decide ticked pairs": (
        "web:match_decide_many", lambda s: [],
        lambda s: {"decision": "confirm", "match": [s["second"].pk]}, OFFICE),
    "correct a task": (
        "web:task_edit", lambda s: [s["assignment"].task_id],
        lambda s: {"title": "Ban hành kế hoạch (sửa)", "deadline": "Tháng 9/2025",
                   "reason": "Theo văn bản mới"}, OFFICE),
    "place a name": (
        "web:name_place", lambda s: [],
        lambda s: {"text": "Ban Cơ yếu Chính phủ", "not_an_agency": "1"}, OFFICE),
    "place an area heading": (
        "web:area_place", lambda s: [],
        lambda s: {"heading": "Về công tác cán bộ", "area": "none"}, OFFICE),
    "raise a difficulty": (
        "web:difficulty_raise", _july, lambda s: {"problem": "Thiếu máy chủ"}, HANOI_WRITERS),
    "accept a difficulty": (
        "web:difficulty_accept", lambda s: [s["difficulty"].pk],
        lambda s: {"agency": ["bo-tu-phap"], "action": "Hướng dẫn"}, OFFICE),
    "decline a difficulty": (
        "web:difficulty_decline", lambda s: [s["difficulty"].pk],
        lambda s: {"reason": "Trùng"}, OFFICE),
    "merge a difficulty": (
        "web:difficulty_merge", lambda s: [s["difficulty"].pk],
        lambda s: {"into": s["assigned"].pk}, OFFICE),
    "close a difficulty": (
        "web:difficulty_close", lambda s: [s["difficulty"].pk],
        lambda s: {"resolution": "Đã xử lý"}, OFFICE),
    "report a difficulty done": (
        "web:difficulty_done", lambda s: [s["assigned"].pk],
        lambda s: {"agency": "ha-noi", "resolution": "Đã rà soát"}, HANOI_WRITERS),
    "give a task to communes": (
        "web:task_communes", lambda s: [s["assignment"].task_id],
        lambda s: {"commune": [s["commune"]], "reason": "Giao các xã triển khai"},
        {"agency_leader"}),
    "undo a merge": (
        "web:merge_undo", lambda s: [s["merge"].pk], lambda s: {}, OFFICE),
    "mark notifications read": (
        "web:notifications_read", lambda s: [], lambda s: {"all": "1"}, EVERYBODY),
    "choose email preference": (
        "web:email_settings", lambda s: [], lambda s: {"email": "daily"}, EVERYBODY),
}


def audit_rows() -> int:
    """Rows in every audit table: a write anywhere adds at least one (marking one's
    notifications read, which is not audited, is counted with them)."""
    from giamsat.notify.models import Notification

    return sum(model.objects.count() for model in apps.get_models()
               if model.__name__.startswith("Historical")) \
        + Notification.objects.filter(read_at__isnull=False).count()


def client_for(client, roles, role):
    if role != "anonymous":
        client.force_login(roles[role])
    return client


@pytest.mark.parametrize("role", ALL_ROLES)
@pytest.mark.parametrize("write", sorted(WRITES))
def test_every_write_for_every_role(client, roles, scene, write, role):
    name, args, data, allowed = WRITES[write]
    client = client_for(client, roles, role)
    before = audit_rows()
    response = client.post(reverse(name, args=args(scene)), data(scene))
    if role == "anonymous":
        assert response.status_code == 302 and "/dang-nhap/" in response["Location"]
        assert audit_rows() == before
    elif role in allowed:
        assert response.status_code in (200, 302), response.content.decode()[:500]
        assert audit_rows() > before, f"{write} as {role} changed nothing"
    else:
        assert response.status_code == 403, (write, role, response.status_code)
        assert audit_rows() == before, f"{write} as {role} wrote something"
        assert "Không được phép" in response.content.decode()


def test_every_url_that_accepts_a_post_is_a_declared_write(client, roles, scene):
    """A view either declares its write action (and is in WRITES above) or answers 405."""
    declared = {f"web:{p.name}" for p in _patterns() if hasattr(p.callback, "write_action")}
    assert declared == {name for name, *_ in WRITES.values()}
    assert set(WRITE_VIEWS.values()) >= {"edit_report", "submit_report", "review", "import"}
    client.force_login(roles["administrator"])
    samples = {"slug": "ha-noi", "period": "2025-07", "pk": 1,
               "code": "ho-so-truc-tuyen-toan-trinh", "assignment_id": scene["assignment"].pk,
               "entity": "tasks", "fmt": "csv"}
    exempt = {"login", "logout"}  # Django's own views, with their own CSRF and checks
    for pattern in _patterns():
        if f"web:{pattern.name}" in declared or pattern.name in exempt:
            continue
        kwargs = {key: samples[key] for key in pattern.pattern.converters}
        response = client.post(reverse(f"web:{pattern.name}", kwargs=kwargs))
        assert response.status_code == 405, pattern.name


def _patterns():
    resolver = get_resolver()
    (web,) = [p for p in resolver.url_patterns
              if isinstance(p, URLResolver) and p.namespace == "web"]
    return [p for p in web.url_patterns if isinstance(p, URLPattern)]


# Reading: drafts are the agency's own ---------------------------------------------------

READS = {
    # what, url builder, roles that may see it
    "a draft report": (lambda s: reverse("web:submission", args=[s["july"].pk]),
                       HANOI_WRITERS | {"administrator"}),
    "a draft on the report page": (lambda s: reverse("web:report_period", args=_july(s)),
                                   HANOI_WRITERS),
    "a submitted report": (lambda s: reverse("web:submission", args=[s["june"].pk]),
                           HANOI_WRITERS | OFFICE),
    "an evidence file of a draft": (lambda s: reverse("web:evidence_file",
                                                      args=[s["evidence"].pk]),
                                    HANOI_WRITERS),
    "the review queue": (lambda s: reverse("web:review_queue"), OFFICE),
    "the import page": (lambda s: reverse("web:imports"), OFFICE),
    "an upload's preview": (lambda s: reverse("web:upload", args=[s["upload"].pk]), OFFICE),
    "the possible duplicates": (lambda s: reverse("web:matches"), OFFICE),
    "the reports": (lambda s: reverse("web:reports"), set(ALL_ROLES)),
    "the sent reminders": (lambda s: reverse("web:outbox"), OFFICE),
    "one's notifications": (lambda s: reverse("web:notifications"), EVERYBODY),
    "one's email preference": (lambda s: reverse("web:email_settings"), EVERYBODY),
}


@pytest.mark.parametrize("role", ALL_ROLES[1:])
@pytest.mark.parametrize("read", sorted(READS))
def test_who_may_read_what(client, roles, scene, read, role):
    url, allowed = READS[read]
    response = client_for(client, roles, role).get(url(scene))
    if role in allowed:
        assert response.status_code == 200, (read, role)
    else:
        assert response.status_code == 403, (read, role, response.status_code)


def test_a_draft_is_not_shown_on_the_task_page_to_other_agencies(client, roles, scene):
    url = reverse("web:task", args=[scene["assignment"].task_id])
    assert "Đang dự thảo." in client_for(client, roles, "agency_reporter").get(url).content \
        .decode()
    client.logout()
    for role in ("other_reporter", "viewer", "standing_office"):
        client.force_login(roles[role])
        assert "Đang dự thảo." not in client.get(url).content.decode(), role


def test_pages_need_a_login(client, scene):
    for url in ["/", "/nhiem-vu/", "/chi-tieu/", "/co-quan/", "/cap-nhat/", "/duyet/",
                "/xep-hang/", f"/nhiem-vu/{scene['assignment'].task_id}/"]:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")


def test_the_admin_shows_users_profiles_and_reports_but_cannot_change_a_report(
        client, roles, scene):
    client.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))
    for url in ["/admin/auth/user/", f"/admin/auth/user/{roles['agency_reporter'].pk}/change/",
                "/admin/accounts/profile/", "/admin/reporting/submission/",
                f"/admin/reporting/submission/{scene['june'].pk}/change/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/reporting/submission/add/").status_code == 403
    before = audit_rows()
    client.post(f"/admin/reporting/submission/{scene['june'].pk}/change/",
                {"state": "approved", "values-TOTAL_FORMS": 0, "values-INITIAL_FORMS": 0})
    scene["june"].refresh_from_db()
    assert scene["june"].state == "submitted"
    assert audit_rows() - before <= 1  # at most the admin's own log of a change to nothing


def test_the_update_list_the_api_shows_agrees_with_the_single_check(roles, scene):
    from giamsat.accounts.policy import can_view_update, visible_updates
    from giamsat.tasks.models import Update

    Update.objects.create(assignment=scene["assignment"], period=D(2025, 5, 1),
                          review_state="approved")
    Update.objects.create(assignment=scene["assignment"], period=D(2025, 4, 1),
                          review_state="submitted")
    for role, user in roles.items():
        expected = {u.pk for u in Update.objects.all() if can_view_update(user, u)}
        assert set(visible_updates(user).values_list("pk", flat=True)) == expected, role
