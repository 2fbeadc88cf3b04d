"""Notifications: each event of a report tells the right people, in the app and by email
(at once or in the daily email, as each chose); the bell counts them; marking read."""

import datetime
import json

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from giamsat.api.tokens import create_token
from giamsat.indicators.catalogue import sync_indicators
from giamsat.notify import notices
from giamsat.notify.models import EmailPreference, Kind, Message, Notification
from giamsat.notify.reminders import run
from giamsat.orgs.models import Organisation
from giamsat.reporting import workflow
from giamsat.tasks.models import Assignment, Role, Task

D = datetime.date
JULY = D(2025, 7, 1)
IN_JULY = D(2025, 7, 20)
COMMENT = "Bổ sung minh chứng cho nhiệm vụ kế hoạch chuyển đổi số."


@pytest.fixture
def people(roles):
    """Everybody of `roles` with an email address, plus a second officer and a reporter
    of Hà Nội without one."""
    for name, user in roles.items():
        user.email = f"{name}@example.gov.vn"
        user.first_name, user.last_name = "", name.replace("_", " ").title()
        user.save()
    return roles


@pytest.fixture
def more(make_user):
    officer = make_user("standing_office", username="vptt-2")
    officer.email = "vptt-2@mst.gov.vn"
    officer.save()
    return {"officer": officer,
            "no_address": make_user("agency_reporter", "ha-noi", username="hn-no-address")}


@pytest.fixture
def submitted(people, org, django_capture_on_commit_callbacks):
    """Hà Nội's July report, submitted by its leader; the outbox emptied afterwards."""
    task = Task(title="Ban hành kế hoạch chuyển đổi số năm 2025")
    task.set_deadline("Tháng 9/2025")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=org("Hà Nội"),
                                           role=Role.LEAD)
    report = workflow.start_report(org("Hà Nội"), JULY, people["agency_reporter"],
                                   today=IN_JULY)
    workflow.save_update(report, assignment, workflow.UpdateInput(status="in_progress"), 0,
                         people["agency_reporter"], today=IN_JULY)
    report.refresh_from_db()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(report, people["agency_leader"], report.version, today=IN_JULY)
    report.refresh_from_db()
    return report


def told(kind) -> dict[str, Notification]:
    return {n.user.username: n for n in Notification.objects.filter(kind=kind)
            .select_related("user")}


def mailed_to() -> set[str]:
    return {address for message in mail.outbox for address in message.to}


def test_a_submitted_report_tells_the_standing_office_by_email_at_once(submitted, people):
    assert set(told(Kind.SUBMITTED)) == {"standing_office-all"}  # not the leader who sent it
    assert mailed_to() == {"standing_office@example.gov.vn"}
    (email,) = mail.outbox
    assert email.subject == "[giamsat] Hà Nội đã gửi báo cáo tháng 07/2025"
    assert "Kính gửi Standing Office," in email.body
    assert "Người thực hiện: Agency Leader" in email.body
    assert f"http://127.0.0.1:8000/duyet/{submitted.pk}/" in email.body
    message = Message.objects.get(recipient="standing_office@example.gov.vn")
    assert message.sent_at is not None and message.attempts == 1
    assert told(Kind.SUBMITTED)["standing_office-all"].message == message


def test_a_returned_report_tells_the_agency_with_the_comment(
        submitted, people, more, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_report(submitted, people["standing_office"], submitted.version,
                               COMMENT)
    notified = told(Kind.RETURNED)
    # The agency's reporters and leader, the one without an address too; not Tuyên Quang's,
    # nor the standing office.
    assert set(notified) == {"agency_reporter-ha-noi", "agency_leader-ha-noi",
                             "hn-no-address"}
    assert notified["agency_reporter-ha-noi"].text == COMMENT
    assert notified["hn-no-address"].message is None
    assert mailed_to() == {"agency_reporter@example.gov.vn", "agency_leader@example.gov.vn"}
    body = mail.outbox[0].body
    assert mail.outbox[0].subject == ("[giamsat] Cơ quan thường trực đã trả lại báo cáo "
                                      "tháng 07/2025 của Hà Nội")
    assert f"Nội dung cần chỉnh sửa:\n{COMMENT}" in body
    assert "http://127.0.0.1:8000/cap-nhat/ha-noi/2025-07/" in body


def test_approval_and_a_period_opened_again_tell_the_agency(
        submitted, people, org, django_capture_on_commit_callbacks):
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(submitted, people["standing_office"], submitted.version)
    assert set(told(Kind.APPROVED)) == {"agency_reporter-ha-noi", "agency_leader-ha-noi"}
    assert all("đã duyệt báo cáo tháng 07/2025 của Hà Nội" in m.subject for m in mail.outbox)
    assert len(mail.outbox) == 2
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        # June's report is the former Hà Nội's, which the new one carries forward.
        workflow.reopen(Organisation.objects.get(slug="ha-noi-truoc-2025-07"), D(2025, 6, 1),
                        people["standing_office"], D(2025, 8, 15), "Đổi cán bộ đầu mối",
                        today=IN_JULY)
    reopened = told(Kind.REOPENED)
    assert set(reopened) == {"agency_reporter-ha-noi", "agency_leader-ha-noi"}
    assert reopened["agency_leader-ha-noi"].day == D(2025, 8, 15)
    assert ("Kỳ báo cáo tháng 06/2025 được mở lại cho Hà Nội đến hết ngày 15/08/2025"
            in mail.outbox[0].subject)
    assert "Lý do:\nĐổi cán bộ đầu mối" in mail.outbox[0].body


def test_a_former_province_report_tells_the_people_of_the_province_carrying_it(
        people, org, django_capture_on_commit_callbacks):
    ha_giang = Organisation.objects.get(slug="ha-giang-truoc-2025-07")
    with django_capture_on_commit_callbacks(execute=True):
        workflow.reopen(ha_giang, D(2025, 6, 1), people["standing_office"], D(2025, 8, 15),
                        "Hồ sơ của tỉnh cũ", today=IN_JULY)
    assert set(told(Kind.REOPENED)) == {"agency_reporter-tuyen-quang",
                                        "agency_leader-tuyen-quang"}
    assert mailed_to() == {"other_reporter@example.gov.vn", "other_leader@example.gov.vn"}
    assert {o.slug for o in Organisation.objects.filter(pk__in=notices.carriers(ha_giang.pk))} \
        == {"ha-giang-truoc-2025-07", "tuyen-quang"}


def test_a_refused_action_notifies_nobody(submitted, people):
    before = Notification.objects.count()
    with pytest.raises(workflow.WorkflowError):
        workflow.return_report(submitted, people["standing_office"], submitted.version, "  ")
    with pytest.raises(workflow.Conflict):
        workflow.approve(submitted, people["standing_office"], submitted.version - 1)
    assert Notification.objects.count() == before


def test_who_chose_the_daily_email_gets_one_a_day_with_what_waits(
        submitted, people, django_capture_on_commit_callbacks):
    leader = people["agency_leader"]
    notices.choose_email(leader, "daily")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_report(submitted, people["standing_office"], submitted.version,
                               COMMENT)
    waiting = Notification.objects.get(user=leader, kind=Kind.RETURNED)
    assert waiting.in_digest and waiting.message is None
    assert mailed_to() == {"agency_reporter@example.gov.vn"}  # the reporter: at once
    submitted.refresh_from_db()
    mail.outbox.clear()
    result = run(D(2025, 7, 21))  # the daily run (reminders) writes and sends it
    assert result.digests == 1
    (daily,) = [m for m in mail.outbox if "thông báo, ngày" in m.subject]
    assert daily.to == ["agency_leader@example.gov.vn"]
    assert daily.subject == "[giamsat] 1 thông báo, ngày 21/07/2025"
    assert COMMENT in daily.body and "Cơ quan thường trực đã trả lại" in daily.body
    waiting.refresh_from_db()
    assert not waiting.in_digest and waiting.message.sent_at is not None
    mail.outbox.clear()
    assert run(D(2025, 7, 22)).digests == 0  # nothing is in two daily emails
    assert not [m for m in mail.outbox if "thông báo, ngày" in m.subject]


def test_an_email_that_fails_is_in_the_outbox_and_sent_by_the_next_run(
        submitted, people, settings, django_capture_on_commit_callbacks):
    settings.EMAIL_BACKEND = "tests.notify.failing_mail.Backend"
    with django_capture_on_commit_callbacks(execute=True):
        workflow.approve(submitted, people["standing_office"], submitted.version)
    failed = Message.objects.filter(notifications__kind=Kind.APPROVED)
    assert failed.count() == 2
    assert all(m.sent_at is None and m.attempts == 1 and "relay refused" in m.error
               for m in failed)
    # The app does not wait for the mail: the notifications are there.
    assert Notification.objects.filter(kind=Kind.APPROVED).count() == 2
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox.clear()
    run(D(2025, 7, 21))
    assert all(m.sent_at and m.attempts == 2 for m in failed.all())
    assert {"agency_reporter@example.gov.vn", "agency_leader@example.gov.vn"} <= mailed_to()


def test_without_inline_jobs_the_email_is_a_job_queued_with_the_change(
        submitted, people, settings):
    from django_tasks_db.models import DBTaskResult

    from giamsat.notify.mail import send_messages

    settings.JOBS_INLINE = False
    mail.outbox.clear()
    workflow.approve(submitted, people["standing_office"], submitted.version)
    (job,) = DBTaskResult.objects.filter(task_path="giamsat.notify.mail.send_messages")
    pks = job.args_kwargs["args"][0]
    assert set(pks) == set(Message.objects.filter(notifications__kind=Kind.APPROVED)
                           .values_list("pk", flat=True))
    assert mail.outbox == []  # nothing is sent inside the request
    assert send_messages.call(pks) == {"sent": 2, "failed": 0}
    assert send_messages.call(pks) == {"sent": 0, "failed": 0}  # never twice
    assert len(mail.outbox) == 2


def test_reminders_also_appear_in_the_app(people, more, org):
    task = Task(title="Việc đến hạn hôm nay")
    task.set_deadline("15/9/2025")
    task.save()
    Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    run(D(2025, 9, 15))
    reminded = {n.user.username: n for n in Notification.objects.filter(
        kind=Kind.REMINDER, organisation=org("Hà Nội")).select_related("user", "message")}
    assert set(reminded) == {"agency_reporter-ha-noi", "agency_leader-ha-noi",
                             "hn-no-address"}
    note = reminded["agency_reporter-ha-noi"]
    assert "Đến hạn hôm nay (15/09/2025): Việc đến hạn hôm nay" in note.text
    assert note.message.recipient == "agency_reporter@example.gov.vn"  # its digest
    assert reminded["hn-no-address"].message is None
    with_title = Notification.objects.filter(kind=Kind.REMINDER).first()
    assert with_title.title == "Reminders for 15/09/2025"
    # The standing office is told in the app which agencies have not reported.
    run(D(2025, 9, 6))
    office = Notification.objects.filter(kind=Kind.REMINDER, user=more["officer"],
                                         text__contains="chưa gửi báo cáo")
    assert office.count() == 1 and "- Hà Nội" in office.get().text


# The pages -------------------------------------------------------------------------------

def bell(page: str) -> str:
    start = page.index('data-metric="bell"')
    return page[start:page.index("</a>", start)]


def test_the_bell_counts_unread_and_marking_read_works(client, submitted, people,
                                                        django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.return_report(submitted, people["standing_office"], submitted.version,
                               COMMENT)
    reporter = people["agency_reporter"]
    client.force_login(reporter)
    assert 'class="count">1<' in bell(client.get("/").content.decode())
    page = client.get(reverse("web:notifications")).content.decode()
    assert "Cơ quan thường trực đã trả lại báo cáo tháng 07/2025 của Hà Nội" in page
    assert COMMENT in page and "chưa đọc" in page
    mine = Notification.objects.get(user=reporter)
    # Someone else's notification cannot be marked from this account.
    theirs = Notification.objects.get(user=people["agency_leader"], kind=Kind.RETURNED)
    client.post(reverse("web:notifications_read"), {"id": theirs.pk})
    theirs.refresh_from_db()
    assert theirs.read_at is None
    # Opening it marks it read and leads to the report.
    response = client.post(reverse("web:notifications_read"), {"id": mine.pk, "go": "1"})
    assert response.status_code == 302 and response["Location"] == "/cap-nhat/ha-noi/2025-07/"
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert 'class="count"' not in bell(client.get("/").content.decode())
    assert notices.unread_count(people["agency_leader"]) == 1
    client.force_login(people["agency_leader"])
    client.post(reverse("web:notifications_read"), {"all": "1"})
    assert notices.unread_count(people["agency_leader"]) == 0


def test_each_user_chooses_how_notifications_come_by_email(client, people):
    user = people["agency_reporter"]
    client.force_login(user)
    page = client.get(reverse("web:email_settings")).content.decode()
    assert "agency_reporter@example.gov.vn" in page and 'value="immediate" checked' in page
    response = client.post(reverse("web:email_settings"), {"email": "daily"})
    assert response.status_code == 302
    assert EmailPreference.objects.get(user=user).email == "daily"
    assert EmailPreference.objects.get(user=user).history.first().history_user == user
    assert 'value="daily" checked' in client.get(reverse("web:email_settings")).content \
        .decode()
    client.post(reverse("web:email_settings"), {"email": "weekly"})
    assert EmailPreference.objects.get(user=user).email == "daily"
    assert "một thư tổng hợp mỗi ngày" in client.get(reverse("web:notifications")).content \
        .decode()


def test_the_outbox_explains_itself_without_a_shell_command(client, people):
    client.force_login(people["standing_office"])
    page = client.get(reverse("web:outbox")).content.decode()
    assert "Mọi thư điện tử giamsat gửi đi" in page and "tối đa ba lần gửi" in page
    assert "giamsat remind" not in page and "`" not in page


def test_a_report_submitted_through_the_api_tells_the_office_too(people, org):
    """The workflow notifies, so every way in does: here a bulk write of the API."""
    sync_indicators()
    _token, secret = create_token("Hệ thống Hà Nội", "agency_leader", org("Hà Nội"))
    body = {"idempotency_key": "hn-2025-07", "updates": [], "submit": True,
            "values": [{"indicator": "ho-so-truc-tuyen-toan-trinh", "numerator": "453",
                        "denominator": "1000"}]}
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 7, 20, 10)),
                             tick=False):
        answer = Client(HTTP_AUTHORIZATION=f"Bearer {secret}").post(
            "/api/v1/agency-reports/ha-noi/2025-07/bulk", json.dumps(body),
            content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert set(told(Kind.SUBMITTED)) == {"standing_office-all"}


def test_the_admin_lists_notifications_and_email_preferences(client, submitted, people):
    notices.choose_email(people["agency_leader"], "daily")
    client.force_login(get_user_model().objects.create_superuser("root", password="x" * 12))
    for url in ["/admin/notify/notification/", "/admin/notify/emailpreference/",
                f"/admin/notify/notification/{Notification.objects.first().pk}/change/"]:
        assert client.get(url).status_code == 200, url
    assert client.get("/admin/notify/notification/add/").status_code == 403
