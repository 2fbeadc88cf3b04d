"""A difficulty followed to resolution in the browser: Hà Nội raises it in its monthly
report, the standing office accepts it and assigns it to a ministry, the ministry reports
it resolved, and the month's report lists it as resolved."""

from django.utils import timezone
from playwright.sync_api import expect

from giamsat.difficulties.models import Difficulty, State
from giamsat.reporting.periods import current_period, period_key
from giamsat.reports.builders import monthly_report
from tests.browser.conftest import login, shoot

PROBLEM = "Phần mềm một cửa của xã chưa kết nối được với cơ sở dữ liệu đất đai"


def test_raise_accept_resolve_and_report(live_server, new_page, make_user):
    url = live_server.url
    make_user("agency_reporter", "ha-noi", username="hanoi.canbo")
    make_user("standing_office", username="vpthuongtruc")
    make_user("agency_reporter", "bo-nong-nghiep-va-moi-truong", username="bnnmt.canbo")
    period = current_period(timezone.localdate())

    # Hà Nội raises it in its monthly report.
    page = new_page("phone")
    login(page, url, "hanoi.canbo")
    page.goto(f"{url}/cap-nhat/ha-noi/{period_key(period)}/")
    section = page.locator("#vuong-mac")
    section.get_by_label("Vướng mắc").fill(PROBLEM)
    section.get_by_label("Kiến nghị, đề xuất của cơ quan").fill(
        "Đề nghị Bộ Nông nghiệp và Môi trường mở dịch vụ chia sẻ dữ liệu")
    section.get_by_role("button", name="Gửi Cơ quan thường trực").click()
    expect(page.get_by_text("Đã gửi Cơ quan thường trực")).to_be_visible()
    expect(page.locator('[data-list="raised"]')).to_contain_text(PROBLEM[:40])
    item = Difficulty.objects.get()
    assert item.state == State.RAISED and item.raised_by.slug == "ha-noi"
    assert page.problems == []

    # The standing office accepts it and assigns it to the ministry.
    office = new_page("desktop")
    login(office, url, "vpthuongtruc")
    office.get_by_role("link", name="Vướng mắc, kiến nghị", exact=True).click()
    office.get_by_role("link", name=PROBLEM).click()
    accept = office.locator('[data-step="accept"]')
    accept.get_by_label("Cơ quan phải xử lý").select_option(
        label="Bộ Nông nghiệp và Môi trường")
    accept.get_by_label("Nhiệm vụ của các cơ quan").fill("Mở dịch vụ chia sẻ dữ liệu đất đai")
    accept.get_by_label("Thời hạn").fill("Quý I/2027")
    accept.get_by_role("button", name="Tiếp nhận và giao xử lý").click()
    expect(office.get_by_text("Đã tiếp nhận và giao 1 cơ quan xử lý.")).to_be_visible()
    expect(office.locator("[data-state]")).to_have_text("Đã tiếp nhận, giao xử lý")
    shoot(office, "difficulty-accepted")
    assert office.problems == []

    # The ministry finds it on its report page and reports it resolved.
    ministry = new_page("phone")
    login(ministry, url, "bnnmt.canbo")
    ministry.goto(f"{url}/cap-nhat/bo-nong-nghiep-va-moi-truong/{period_key(period)}/")
    ministry.locator("#vuong-mac").get_by_role("link", name=PROBLEM[:40], exact=False).click()
    row = ministry.locator('tr[data-org="bo-nong-nghiep-va-moi-truong"]')
    row.get_by_label("Kết quả xử lý").fill("Đã mở dịch vụ chia sẻ dữ liệu đất đai trên NDXP")
    row.get_by_role("button", name="Báo cáo đã xử lý xong").click()
    expect(ministry.locator("[data-state]")).to_have_text("Đã giải quyết")
    shoot(ministry, "difficulty-resolved")
    item.refresh_from_db()
    assert item.state == State.RESOLVED and item.resolved_on == timezone.localdate()

    # The register shows it resolved, and the month's report lists it.
    office.goto(f"{url}/vuong-mac/?trang_thai=resolved")
    expect(office.locator(f'tr[data-item="{item.pk}"]')).to_contain_text("Đã giải quyết")
    shoot(office, "difficulties")
    report = monthly_report(period, as_of=timezone.localdate(), with_charts=False)
    text = "\n".join(getattr(block, "text", "") for block in report.blocks)
    assert f"+ Đã giải quyết: {PROBLEM} (Bộ Nông nghiệp và Môi trường, " in text
    assert report.figures["difficulties_resolved"] == 1
