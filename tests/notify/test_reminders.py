"""Reminders: what each rule selects on chosen days, one digest per agency and recipient,
never twice, even when two runs start at once."""

import datetime
import threading

import pytest
from django.core import mail
from django.db import connection

from giamsat.notify.models import Message, Reminder, Rule
from giamsat.notify.reminders import due_reminders, run
from giamsat.orgs.models import Organisation
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.tasks.models import Assignment, Role, Task

D = datetime.date
DAY = D(2025, 9, 15)


def task(org, due: str, title: str, done=None):
    t = Task(title=title)
    t.set_deadline(due)
    t.save()
    Assignment.objects.create(task=t, organisation=org, role=Role.LEAD, completed_on=done)
    return t


@pytest.fixture
def scene(db, org, make_user):
    hanoi = org("Hà Nội")
    for role in ("agency_reporter", "agency_leader"):
        user = make_user(role, "ha-noi", username=f"hn-{role}")
        user.email = f"{role}@hanoi.gov.vn"
        user.save()
    office = make_user("standing_office", username="vptt")
    office.email = "vpthuongtruc@mst.gov.vn"
    office.save()
    return {
        "in_7": task(hanoi, "22/9/2025", "Việc còn 7 ngày"),
        "in_3": task(hanoi, "18/9/2025", "Việc còn 3 ngày"),
        "in_1": task(hanoi, "16/9/2025", "Việc còn 1 ngày"),
        "today": task(hanoi, "15/9/2025", "Việc đến hạn hôm nay"),
        "late_3": task(hanoi, "12/9/2025", "Việc quá hạn 3 ngày"),
        "late_8": task(hanoi, "7/9/2025", "Việc quá hạn 8 ngày"),
        "late_15": task(hanoi, "31/8/2025", "Việc quá hạn 15 ngày"),
        "far": task(hanoi, "30/10/2025", "Việc còn xa"),
        "done": task(hanoi, "16/9/2025", "Việc đã xong", done=D(2025, 9, 1)),
        "always": task(hanoi, "Thường xuyên", "Việc thường xuyên"),
    }


def keys(day, rule=None):
    return {(r.rule, r.text.split(": ", 1)[-1]) for r in due_reminders(day)
            if r.rule != "period_open" and (rule is None or r.rule == rule)}


def test_each_deadline_rule_selects_what_it_should(scene):
    found = {r for r in due_reminders(DAY) if r.rule in ("before_deadline", "due_today",
                                                           "overdue")}
    titles = {(r.rule, r.text.split(": ", 1)[1]) for r in found}
    assert titles == {
        ("before_deadline", "Việc còn 7 ngày"), ("before_deadline", "Việc còn 3 ngày"),
        ("before_deadline", "Việc còn 1 ngày"), ("due_today", "Việc đến hạn hôm nay"),
        ("overdue", "Việc quá hạn 8 ngày"), ("overdue", "Việc quá hạn 15 ngày"),
    }  # 3 days late: the on-the-day reminder covers the first week; far, done, recurring: no
    text = {r.text for r in found}
    assert "Còn 3 ngày đến hạn 18/09/2025: Việc còn 3 ngày" in text
    assert "Quá hạn 15 ngày (hạn 31/08/2025): Việc quá hạn 15 ngày" in text


def test_reminders_go_out_once_as_one_digest_per_recipient(scene):
    first = run(DAY)
    hanoi = [m for m in mail.outbox if m.to[0].endswith("@hanoi.gov.vn")]
    assert sorted(m.to[0] for m in hanoi) == ["agency_leader@hanoi.gov.vn",
                                              "agency_reporter@hanoi.gov.vn"]
    body = hanoi[0].body
    assert body.startswith("Kính gửi Hà Nội,")
    assert "Nhiệm vụ quá hạn (2):" in body and "Nhiệm vụ sắp đến hạn (3):" in body
    assert hanoi[0].subject.startswith("[giamsat] Nhắc việc 15/09/2025: 2 nhiệm vụ quá hạn")
    assert first.claimed == Reminder.objects.count() and first.failed == 0
    sent = len(mail.outbox)
    again = run(DAY)
    assert (again.claimed, again.messages, again.sent) == (0, 0, 0)
    assert len(mail.outbox) == sent
    # A week on, the task 8 days late is 15 days late: its second weekly reminder.
    later = run(DAY + datetime.timedelta(days=7))
    assert Reminder.objects.filter(rule=Rule.OVERDUE, text__contains="Việc quá hạn 8 ngày",
                                   key__contains="week-2").exists()
    assert later.claimed > 0


def test_the_reporting_period_rules(scene, org):
    hanoi, hue = org("Hà Nội"), org("Huế")
    Submission.objects.create(organisation=hue, period=D(2025, 8, 1),
                              state=SubmissionState.SUBMITTED,
                              first_submitted_at=datetime.datetime(2025, 9, 1, 9,
                                                                   tzinfo=datetime.UTC))
    opening = {r.rule for r in due_reminders(D(2025, 9, 1)) if r.organisation_id == hanoi.pk}
    assert "period_open" in opening and "period_closing" not in opening
    closing = [r for r in due_reminders(D(2025, 9, 3)) if r.rule == "period_closing"]
    assert hanoi.pk in {r.organisation_id for r in closing}
    assert hue.pk not in {r.organisation_id for r in closing}  # Huế has reported
    missing = [r for r in due_reminders(D(2025, 9, 6)) if r.rule == "not_reported"]
    assert len(missing) == 55 and hue.pk not in {r.organisation_id for r in missing}
    run(D(2025, 9, 6))
    office = [m for m in mail.outbox if m.to == ["vpthuongtruc@mst.gov.vn"]]
    assert len(office) == 1 and "55 cơ quan chưa gửi báo cáo" in office[0].subject
    # Agencies without anybody to write to are in the outbox, with the reason.
    assert Message.objects.filter(recipient="", error__contains="thư điện tử").exists()


def test_a_former_province_is_reminded_through_its_successor(db, org):
    former = Organisation.objects.get(slug="ha-giang-truoc-2025-07")
    task(former, "31/8/2025", "Việc giao Hà Giang")
    found = [r for r in due_reminders(DAY) if "Việc giao Hà Giang" in r.text]
    assert [r.organisation_id for r in found] == [org("Tuyên Quang").pk]
    june = [r for r in due_reminders(D(2025, 7, 2)) if r.rule == "period_open"
            and "Hà Giang" in r.text]
    assert {r.organisation_id for r in june} == {org("Tuyên Quang").pk}


def test_a_message_that_cannot_be_sent_is_tried_again(scene, settings):
    settings.EMAIL_BACKEND = "tests.notify.failing_mail.Backend"
    result = run(DAY)
    assert result.sent == 0 and result.failed == result.messages - Message.objects.filter(
        recipient="").count()
    failed = Message.objects.exclude(recipient="").first()
    assert failed.attempts == 1 and "relay refused" in failed.error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    again = run(DAY)
    assert again.claimed == 0 and again.sent == result.failed
    failed.refresh_from_db()
    assert failed.sent_at and failed.attempts == 2 and failed.error == ""


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_reminder_once(org, make_user):
    from giamsat.orgs.reference import load_reference

    load_reference()  # a transactional test starts from an emptied database
    hanoi = org("Hà Nội")
    user = make_user("agency_reporter", "ha-noi")
    user.email = "canbo@hanoi.gov.vn"
    user.save()
    for i in range(30):
        task(hanoi, "16/9/2025", f"Việc {i}")
    start = threading.Barrier(2)
    results, errors = [], []

    def one_run():
        try:
            start.wait()
            results.append(run(DAY))
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=one_run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    due = len(due_reminders(DAY))
    assert sum(r.claimed for r in results) == due == Reminder.objects.count()
    assert Reminder.objects.values("rule", "key").distinct().count() == due
    to_hanoi = [m for m in mail.outbox if m.to == ["canbo@hanoi.gov.vn"]]
    assert len(to_hanoi) == 1 and to_hanoi[0].body.count("Việc ") >= 30


def test_the_outbox_page_is_for_the_standing_office(scene, client, roles):
    run(DAY)
    client.force_login(roles["standing_office"])
    page = client.get("/thu-gui/", {"q": "ha noi"}).content.decode()
    assert "agency_reporter@hanoi.gov.vn" in page and "Nhắc việc 15/09/2025" in page
    message = Message.objects.filter(recipient__endswith="@hanoi.gov.vn").first()
    assert "Kính gửi" in client.get(f"/thu-gui/{message.pk}/").content.decode()
    client.force_login(roles["agency_reporter"])
    assert client.get("/thu-gui/").status_code == 403
