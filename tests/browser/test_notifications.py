"""Notifications in the browser, at phone width: the standing office is told of a submitted
report, returns it with a comment, and the agency's reporter finds the comment behind the
bell, opens the report from it, and the bell no longer counts it."""

import re
import time

from django.core import mail
from django.utils import timezone
from playwright.sync_api import expect

from giamsat.notify.models import Kind, Message, Notification
from giamsat.reporting import workflow
from giamsat.reporting.periods import current_period, period_key
from giamsat.tasks.models import Assignment, Role, Task
from tests.browser.conftest import login, shoot

COMMENT = "Bổ sung số hiệu văn bản làm minh chứng cho nhiệm vụ đã hoàn thành."


def wait_for(condition, seconds: float = 30):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.2)


def office_returns(page, report, period, comment: str) -> None:
    """The standing office sees the bell count the submitted report, goes to it from
    there and returns it with a comment."""
    bell = page.locator('[data-metric="bell"]')
    expect(bell.locator(".count")).to_have_text("1")
    bell.click()
    submitted = page.locator("li.notice.unread")
    expect(submitted).to_contain_text(f"Hà Nội đã gửi báo cáo tháng {period:%m/%Y}")
    submitted.get_by_role("button", name="Xem và duyệt báo cáo").click()
    expect(page).to_have_url(re.compile(rf"/duyet/{report.pk}/$"))
    expect(bell.locator(".count")).to_have_count(0)
    page.get_by_label("Cơ quan cần chỉnh sửa nội dung gì?").fill(comment)
    page.get_by_role("button", name="Trả lại cơ quan").click()
    expect(page.get_by_role("status").first).to_contain_text("Đã trả lại báo cáo")


def reporter_reads_why(agency, url, period, comment: str, by: str = "") -> None:
    """Hà Nội's reporter: the bell counts one, the notice gives the comment, and opening
    the report from it marks it read."""
    agency.reload()  # the bell is counted when a page is served
    bell = agency.locator('[data-metric="bell"]')
    expect(bell.locator(".count")).to_have_text("1")
    shoot(agency, "notice-bell")
    bell.click()
    returned = agency.locator("li.notice.unread")
    expect(returned).to_have_count(1)
    expect(returned).to_contain_text(
        f"Cơ quan thường trực đã trả lại báo cáo tháng {period:%m/%Y} của Hà Nội")
    expect(returned).to_contain_text(comment)
    if by:
        expect(returned).to_contain_text(by)
    shoot(agency, "notice-list")
    returned.get_by_role("button", name="Mở báo cáo").click()
    expect(agency).to_have_url(re.compile(rf"/cap-nhat/ha-noi/{period_key(period)}/$"))
    expect(agency.locator('[data-metric="bell"] .count')).to_have_count(0)
    agency.goto(url + "/thong-bao/")
    expect(agency.locator("li.notice.unread")).to_have_count(0)
    expect(agency.locator("li.notice")).to_contain_text(comment)


def test_the_office_returns_a_report_and_the_reporter_reads_why(live_server, new_page,
                                                                 make_user, org):
    url = live_server.url
    office = make_user("standing_office", username="vpthuongtruc")
    reporter = make_user("agency_reporter", "ha-noi", username="hanoi.canbo")
    leader = make_user("agency_leader", "ha-noi", username="hanoi.lanhdao")
    for user, name in ((office, "Trần Thị Thu"), (reporter, "Nguyễn Văn An"),
                       (leader, "Lê Minh")):
        user.last_name, user.email = name, f"{user.username}@example.gov.vn"
        user.save()
    # The submitted report, set up directly (its page is not what this test is about).
    hanoi = org("Hà Nội")
    period = current_period(timezone.localdate())
    task = Task(title="Ban hành Kế hoạch chuyển đổi số của Thành phố")
    task.set_deadline("31/12/2026")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=hanoi, role=Role.LEAD)
    report = workflow.start_report(hanoi, period, reporter)
    workflow.save_update(report, assignment, workflow.UpdateInput(
        status="in_progress", result="Đang lấy ý kiến các sở."), 0, reporter)
    report.refresh_from_db()
    workflow.submit(report, leader, report.version)

    page = new_page("phone")
    login(page, url, "vpthuongtruc")
    office_returns(page, report, period, COMMENT)
    shoot(page, "notice-office-returned")
    assert page.problems == []

    agency = new_page("phone")
    login(agency, url, "hanoi.canbo")
    reporter_reads_why(agency, url, period, COMMENT, by="Trần Thị Thu")
    assert agency.problems == []

    # …and by email: the background worker sent one to each of the agency's two people.
    returned_mail = Message.objects.filter(notifications__kind=Kind.RETURNED)
    wait_for(lambda: returned_mail.count() == 2
             and not returned_mail.filter(sent_at__isnull=True).exists())
    assert {m.to[0] for m in mail.outbox if COMMENT in m.body} == {
        "hanoi.canbo@example.gov.vn", "hanoi.lanhdao@example.gov.vn"}
    assert Notification.objects.get(user=reporter).read_at is not None
