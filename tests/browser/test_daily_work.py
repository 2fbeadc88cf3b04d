"""The day's work in a real browser: import a document, read the dashboard, report, review.

One test, desktop width, on the imported corpus: the standing office imports appendix
004 through the preview page (the other documents are imported beforehand, as the command
line would); the dashboard at 18/07/2025 shows exactly what the domain functions compute;
a reporter of Hà Nội updates an assignment in the month's grid and attaches its evidence
file on the assignment's page, the leader submits, the standing office
approves, and the task's status changes; a reporter's forbidden action is refused.
"""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from giamsat.ingest.write import run_import
from giamsat.lib.months import month_end
from giamsat.reporting.periods import current_period, period_key
from giamsat.tasks.models import Assignment, Role, Task
from giamsat.tasks.queries import status_summary
from tests.browser.conftest import login, shoot

D = datetime.date
PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def number(text: str) -> int:
    return int(text.replace(".", "").replace(",", ""))


@pytest.mark.corpus
def test_import_dashboard_report_review(live_server, new_page, make_user, corpus_dir,
                                        tmp_path, org):
    url = live_server.url
    others = sorted(str(p) for p in corpus_dir.glob("*.txt") if not p.name.startswith("004"))
    run_import(others)
    make_user("standing_office", username="vpthuongtruc")
    make_user("agency_reporter", "ha-noi", username="hanoi.canbo")
    make_user("agency_leader", "ha-noi", username="hanoi.lanhdao")

    # The standing office imports appendix 004 through the preview page.
    page = new_page("desktop")
    login(page, url, "vpthuongtruc")
    page.get_by_role("link", name="Nhập dữ liệu", exact=True).click()
    page.get_by_label("Văn bản", exact=True).set_input_files(
        str(next(corpus_dir.glob("004_*.txt"))))
    page.get_by_role("button", name="Đọc và xem trước").click()
    expect(page.get_by_role("heading", name="Dữ liệu sẽ được nhập")).to_be_visible(
        timeout=120_000)
    created = number(page.locator('[data-metric="tasks_created"]').first.inner_text())
    assert created > 100
    assert Task.objects.filter(appearances__path__contains="004_").count() == 0
    shoot(page, "import-preview")
    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_text("Đã nhập lúc")).to_be_visible(timeout=120_000)
    assert Task.objects.filter(appearances__path__contains="004_").distinct().count() >= created

    # The dashboard at the report's date shows the domain's numbers.
    page.goto(url + "/?ngay=18/07/2025")
    summary = status_summary(Task.objects.all(), D(2025, 7, 18))
    metrics = {name: number(page.locator(f'[data-metric="{name}"]').first.inner_text())
               for name in ("total", "due_total", "due_on_time", "due_late", "overdue",
                            "recurring", "not_yet_due")}
    assert metrics == {
        "total": summary.total, "due_total": summary.due_total,
        "due_on_time": summary.due["completed_on_time"],
        "due_late": summary.due["completed_late"], "overdue": summary.due["overdue"],
        "recurring": summary.counts["recurring"], "not_yet_due": summary.not_yet_due}
    assert summary.due["overdue"] >= 30  # appendix 02 lists 30 overdue tasks
    shoot(page, "dashboard-corpus")

    # A task of Hà Nội for the period being reported now.
    today = timezone.localdate()
    period = current_period(today)
    done_on = min(today, month_end(period))
    task = Task(title="Ban hành Kế hoạch chuyển đổi số của Thành phố năm 2026")
    task.set_deadline((month_end(period) + datetime.timedelta(days=60)).strftime("%d/%m/%Y"))
    task.save()
    Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    page.goto(f"{url}/nhiem-vu/{task.pk}/")
    expect(page.locator(".status-line .badge")).to_have_text("Chưa triển khai")

    # The reporter writes the update, with an evidence file.
    reporter = new_page("desktop")
    login(reporter, url, "hanoi.canbo")
    reporter.get_by_role("link", name="Cập nhật", exact=True).click()
    expect(reporter.locator("h1")).to_contain_text(f"Báo cáo tháng {period:%m/%Y}")
    # Hà Nội leads hundreds of the corpus's tasks: the page shows 20 still to update at
    # a time, the overdue first; the new task is not yet due, so the reporter asks for all.
    reporter.get_by_role("link", name="hiện tất cả").click()
    reporter.get_by_text("Chưa đến hạn", exact=False).first.click()  # the group is folded
    line = reporter.locator(f"tr:has(a:text('{task.title}'))")
    line.get_by_label("Tình trạng").select_option("completed")
    line.get_by_label("Ngày hoàn thành").fill(done_on.strftime("%d/%m/%Y"))
    line.get_by_label("Kết quả thực hiện").fill("Đã ban hành Kế hoạch.")
    line.get_by_label("Văn bản minh chứng").fill(
        f"Kế hoạch số 12/KH-UBND ngày {done_on:%d/%m/%Y}")
    shoot(reporter, "report-grid")
    reporter.get_by_role("button", name="Lưu nháp các nhiệm vụ").click()
    expect(reporter.get_by_role("status")).to_contain_text("Đã lưu nháp 1 cập nhật nhiệm vụ")
    # The evidence file goes on the task's own page, reached from its row.
    line.get_by_role("link", name="Tệp, vướng mắc…").click()
    expect(reporter.get_by_label("Ngày hoàn thành")).to_have_value(f"{done_on:%d/%m/%Y}")
    evidence = tmp_path / "ke-hoach-12.pdf"
    evidence.write_bytes(PDF)
    reporter.get_by_label("Đính kèm tệp minh chứng").set_input_files(str(evidence))
    shoot(reporter, "report-update")
    reporter.get_by_role("button", name="Lưu nháp").click()
    expect(reporter.get_by_role("status")).to_contain_text("Đã lưu nháp")
    expect(reporter.locator('[data-metric="report_state"]')).to_have_text("Bản nháp")
    # A reporter cannot submit, and cannot reach the review queue.
    expect(reporter.get_by_role("button", name=re.compile("Gửi báo cáo"))).to_have_count(0)
    reporter.goto(url + "/duyet/")
    expect(reporter.locator("h1")).to_have_text("Không được phép")

    # The leader submits.
    leader = new_page("desktop")
    login(leader, url, "hanoi.lanhdao")
    leader.goto(f"{url}/cap-nhat/ha-noi/{period_key(period)}/")
    shoot(leader, "report")
    leader.get_by_role("button", name=f"Gửi báo cáo tháng {period:%m/%Y}").click()
    expect(leader.get_by_role("status")).to_contain_text("Đã gửi báo cáo")
    expect(leader.locator('[data-metric="report_state"]')).to_have_text("Đã gửi, chờ duyệt")

    # A forbidden action sent straight to the server: the reporter approves the report.
    submission = task.assignments.get().updates.get().submission
    token = reporter.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    refused = reporter.request.post(f"{url}/duyet/{submission.pk}/phe-duyet/",
                                    form={"version": str(submission.version)},
                                    headers={"X-CSRFToken": csrf, "Referer": url + "/"})
    assert refused.status == 403 and "Chỉ Cơ quan thường trực" in refused.text()
    submission.refresh_from_db()
    assert submission.state == "submitted"

    # The standing office approves; the task is complete on time.
    page.get_by_role("link", name="Duyệt", exact=True).click()
    page.get_by_role("link", name="Hà Nội").first.click()
    expect(page.get_by_text("Đã ban hành Kế hoạch.")).to_be_visible()
    expect(page.get_by_role("link", name="ke-hoach-12.pdf")).to_be_visible()
    shoot(page, "submission")
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("Đã duyệt báo cáo")
    page.goto(f"{url}/nhiem-vu/{task.pk}/")
    expect(page.locator(".status-line .badge")).to_have_text("Hoàn thành đúng hạn")
    expect(page.locator("table.assignments")).to_contain_text(done_on.strftime("%d/%m/%Y"))
    expect(page.locator(".history")).to_contain_text("vpthuongtruc")
    for p in (page, reporter, leader):
        assert not [m for m in p.problems if "403" not in m], p.problems


def test_the_second_editor_gets_a_conflict(live_server, new_page, make_user, org):
    """Two people open the same assignment; the one who saves second is told, not lost."""
    url = live_server.url
    make_user("agency_reporter", "ha-noi", username="hanoi.canbo")
    make_user("agency_leader", "ha-noi", username="hanoi.lanhdao")
    task = Task(title="Số hóa hồ sơ lưu trữ")
    task.set_deadline("Thường xuyên")
    task.save()
    Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    period = period_key(current_period(timezone.localdate()))
    form_url = f"{url}/cap-nhat/ha-noi/{period}/nhiem-vu/{task.assignments.get().pk}/"
    first, second = new_page("desktop"), new_page("desktop")
    login(first, url, "hanoi.canbo")
    login(second, url, "hanoi.lanhdao")
    first.goto(form_url)
    second.goto(form_url)
    first.get_by_label("Kết quả thực hiện").fill("Đã số hóa 40% hồ sơ.")
    first.get_by_role("button", name="Lưu nháp").click()
    expect(first.get_by_role("status")).to_contain_text("Đã lưu nháp")
    second.get_by_label("Kết quả thực hiện").fill("Chưa triển khai.")
    second.get_by_role("button", name="Lưu nháp").click()
    expect(second.locator(".error.conflict")).to_contain_text("hanoi.canbo đã sửa")
    shoot(second, "conflict")
    assert task.assignments.get().updates.get().result == "Đã số hóa 40% hồ sơ."


def test_a_broken_file_is_refused_on_the_import_page(live_server, new_page, make_user,
                                                     tmp_path):
    make_user("standing_office", username="vpthuongtruc")
    page = new_page("phone")
    login(page, live_server.url, "vpthuongtruc")
    page.goto(live_server.url + "/nhap-du-lieu/")
    bad = tmp_path / "bao-cao.docx"
    bad.write_bytes(b"PK\x03\x04 not really a document")
    page.get_by_label("Văn bản", exact=True).set_input_files(str(bad))
    page.get_by_role("button", name="Đọc và xem trước").click()
    expect(page.get_by_role("alert")).to_be_visible(timeout=60_000)
    expect(page.get_by_text("Chưa nhập dữ liệu nào.")).to_be_visible()
    shoot(page, "import-refused")
    assert not Task.objects.exists()



