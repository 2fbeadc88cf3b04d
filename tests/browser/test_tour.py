"""Every main page at desktop and phone width, on the demo data: screenshots to look at.

Besides the pictures (test-artifacts/screenshots/), each page must load without a script
error or a blocked resource (the Content-Security-Policy allows only the project's own
files), and the chart and the map must have been drawn.
"""

import io

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from giamsat import demo
from giamsat.reporting.models import Submission, SubmissionState
from giamsat.reporting.periods import last_closed_period, period_key
from giamsat.tasks.models import Task
from tests.browser.conftest import VIEWPORTS, login, shoot

PASSWORD = "giamsat-demo"
TODAY = demo.as_of()  # the live demo runs to today
AS_OF = TODAY.strftime("%d/%m/%Y")
OPEN = period_key(demo.open_period(TODAY))  # the round agencies are reporting on
MONTH = last_closed_period(TODAY)  # the latest monthly report


@pytest.fixture
def demo_data(db):
    demo.generate(today=TODAY)
    demo.ensure_users(PASSWORD)


def visit(page, url, name, wait_for=None, status=200):
    response = page.goto(url)
    assert response.status == status, (name, response.status)
    if wait_for:
        expect(page.locator(wait_for)).to_have_attribute("data-ready", "1", timeout=15_000)
    shoot(page, name)
    # The browser reports the refusal itself as a console error; nothing else may fail.
    problems = [p for p in page.problems if status == 200 or f"status of {status}" not in p]
    assert not problems, (name, problems)
    page.problems.clear()


@pytest.mark.parametrize("viewport", sorted(VIEWPORTS))
def test_every_main_page(live_server, new_page, demo_data, viewport):
    url = live_server.url
    page = new_page(viewport)
    login(page, url, "vpthuongtruc", PASSWORD)
    task = Task.objects.filter(assignments__updates__isnull=False).order_by("pk").first()
    waiting = Submission.objects.filter(state=SubmissionState.SUBMITTED).first()
    visit(page, f"{url}/", "dashboard")  # today, the default
    expect(page.locator('[data-metric="total"]')).to_have_text("22")  # 20 + 2 imported
    visit(page, f"{url}/nhiem-vu/?ngay={AS_OF}", "tasks")
    visit(page, f"{url}/nhiem-vu/?ngay={AS_OF}&trang_thai=overdue&q=bo+cong+an", "tasks-search")
    visit(page, f"{url}/nhiem-vu/{task.pk}/?ngay={AS_OF}", "task-detail")
    visit(page, f"{url}/chi-tieu/?ngay={AS_OF}", "indicators")
    visit(page, f"{url}/chi-tieu/ho-so-truc-tuyen-toan-trinh/?ngay={AS_OF}", "indicator-detail",
          wait_for="#province-map")
    expect(page.locator("#indicator-chart")).to_have_attribute("data-ready", "1")
    visit(page, f"{url}/chi-tieu/ho-so-truc-tuyen-toan-trinh/?ngay={AS_OF}&co_quan=tuyen-quang",
          "indicator-agency-chart", wait_for="#indicator-chart")
    visit(page, f"{url}/co-quan/?nhom=provinces&ngay={AS_OF}", "organisations")
    visit(page, f"{url}/co-quan/ha-noi/?ngay={AS_OF}", "scorecard")
    visit(page, f"{url}/duyet/", "review-queue")
    expect(page.locator('[data-metric="waiting_days"]').first).to_be_visible()
    visit(page, f"{url}/duyet/?ky={OPEN}", "review-queue-open")
    visit(page, f"{url}/duyet/{waiting.pk}/", "review-submission")
    visit(page, f"{url}/nhap-du-lieu/", "import")
    visit(page, f"{url}/bao-cao/", "reports")
    page.get_by_label("Tháng (báo cáo tháng)").fill(f"{MONTH:%m/%Y}")
    page.get_by_label("Số liệu đến ngày (không bắt buộc)").fill(AS_OF)
    page.get_by_role("button", name="Viết báo cáo").click()
    expect(page.get_by_role("link", name=f"Tải về bao-cao-thang-{MONTH:%m-%Y}.docx")).to_be_visible(
        timeout=60_000)
    shoot(page, "report-written")
    with page.expect_download() as download:
        page.get_by_role("link", name=f"Tải về bao-cao-thang-{MONTH:%m-%Y}.docx").click()
    assert download.value.suggested_filename == f"bao-cao-thang-{MONTH:%m-%Y}.docx"

    call_command("remind", "--as-of", TODAY.isoformat(), stdout=io.StringIO())
    visit(page, f"{url}/thu-gui/", "outbox")
    page.goto(f"{url}/api/v1/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("giamsat API",
                                                                     timeout=15_000)
    expect(page.locator(".opblock").first).to_be_visible()
    shoot(page, "api-docs")
    assert not page.problems, page.problems

    reporter = new_page(viewport)
    login(reporter, url, "hanoi.canbo", PASSWORD)
    visit(reporter, f"{url}/cap-nhat/ha-noi/{OPEN}/", "agency-report")
    visit(reporter, f"{url}/duyet/", "refused", status=403)
    expect(reporter.locator("h1")).to_have_text("Không được phép")

    anonymous = new_page(viewport)
    visit(anonymous, f"{url}/", "login")
    expect(anonymous.locator("h1")).to_have_text("Đăng nhập")
