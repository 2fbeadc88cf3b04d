"""The standing office corrects what imports read, in a real browser: a name placed once
changes every task that had it; a task's leads edited; the history shows both."""

import datetime
import re

from playwright.sync_api import expect

from giamsat.ingest.write import run_import
from giamsat.tasks.models import Role, Task
from tests.browser.conftest import login, shoot
from tests.ingest.test_placing import PLAN


def test_the_office_places_a_name_and_edits_a_tasks_leads(live_server, new_page, make_user,
                                                          tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_text(PLAN, encoding="utf-8")
    run_import([str(path)], as_of=datetime.date(2025, 5, 1))
    make_user("standing_office", username="vpthuongtruc")
    page = new_page("desktop")
    login(page, live_server.url, "vpthuongtruc")

    page.goto(live_server.url + "/nhap-du-lieu/")
    page.get_by_role("link", name="không xác định được").click()
    card = page.locator("article.placing", has_text="“Ban Cơ yếu Chính phủ”")
    expect(card.get_by_text("đọc được 2 lần")).to_be_visible()
    shoot(page, "names-to-place")
    card.get_by_text("Đây là cơ quan chưa có trong danh mục: thêm mới").click()
    card.get_by_label("Tên ngắn").fill("BCY")
    card.get_by_label("Loại cơ quan").select_option("government-agency")
    card.get_by_role("button", name="Lưu và cập nhật mọi dòng").click()
    expect(page.get_by_text("2 chỗ có tên này đã được cập nhật")).to_be_visible()
    for task in Task.objects.filter(title__in=[
            "Xây dựng quy chế bảo mật cho hệ thống thông tin cơ yếu.",
            "Triển khai chữ ký số chuyên dùng cho cán bộ."]):
        assert task.assignments.filter(role=Role.LEAD,
                                       organisation__name="Ban Cơ yếu Chính phủ").exists()

    task = Task.objects.get(title__startswith="Triển khai chữ ký số")
    page.goto(f"{live_server.url}/nhiem-vu/{task.pk}/")
    expect(page.get_by_text("Ban Cơ yếu Chính phủ").first).to_be_visible()
    page.get_by_role("link", name="Sửa nhiệm vụ").click()
    page.get_by_role("checkbox", name=re.compile(r"Bộ Nội vụ")).check()
    page.get_by_label("Thêm cơ quan chủ trì").select_option(label="Bộ Công an")
    page.get_by_label("Lý do (lưu trong lịch sử)").fill("Theo Thông báo số 56/TB-VPCP")
    shoot(page, "task-edit")
    page.get_by_role("button", name="Lưu").click()
    expect(page.get_by_text("Đã lưu")).to_be_visible()
    leads = set(task.assignments.filter(role=Role.LEAD).values_list("organisation__slug",
                                                                    flat=True))
    assert "bo-cong-an" in leads and "bo-noi-vu" not in leads
    history = page.locator("table.history")
    expect(history.get_by_text("Theo Thông báo số 56/TB-VPCP").first).to_be_visible()
    expect(history.get_by_text("Phân công: Ban Cơ yếu Chính phủ")).to_be_visible()
    shoot(page, "task-history")
    assert page.problems == []
