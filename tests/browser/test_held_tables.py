"""The standing office maps a table the import could not understand, in a real browser."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from giamsat.ingest.models import TableMapping
from giamsat.tasks.models import Task
from tests.browser.conftest import login, shoot

REPORT = Path(__file__).resolve().parents[1] / "data" / "province_report.txt"


@pytest.mark.parametrize("viewport", ["desktop", "phone"])
def test_the_office_says_what_a_held_tables_columns_mean(live_server, new_page, make_user,
                                                         viewport):
    make_user("standing_office", username="vpthuongtruc")
    page = new_page(viewport)
    login(page, live_server.url, "vpthuongtruc")
    page.goto(live_server.url + "/nhap-du-lieu/")
    page.get_by_label("Văn bản", exact=True).set_input_files(str(REPORT))
    page.get_by_role("button", name="Đọc và xem trước").click()
    held = page.locator("#bang-81")
    expect(held).to_be_visible(timeout=60_000)
    expect(page.locator(".held-table")).to_have_count(2)
    expect(held.get_by_text("Hướng dẫn kết nối nền tảng định danh")).to_be_visible()
    shoot(page, "import-held-table")

    held.get_by_label("Cột “Mục” chứa gì").select_option("title")
    held.get_by_label("Cột “Bên thực thi” chứa gì").select_option("leads")
    held.get_by_label("Cột “Dự kiến xong” chứa gì").select_option("deadline")
    held.get_by_label("Các dòng là").select_option("tasks")
    held.get_by_role("button", name="Lưu và đọc lại").click()
    expect(page.get_by_text("Đã lưu")).to_be_visible(timeout=60_000)
    expect(page.locator("#bang-81")).to_have_count(0)
    page.locator("#bang-98").get_by_label("Các dòng là").select_option("skip")
    page.locator("#bang-98").get_by_role("button", name="Lưu và đọc lại").click()
    expect(page.locator(".held-table")).to_have_count(0, timeout=60_000)
    shoot(page, "import-held-table-mapped")
    assert page.problems == []

    page.get_by_role("button", name="Nhập dữ liệu").click()
    expect(page.get_by_text("Đã nhập lúc")).to_be_visible(timeout=60_000)
    task = Task.objects.get(title__startswith="Hướng dẫn kết nối nền tảng định danh")
    assert task.assignments.get().organisation.slug == "bo-cong-an"
    assert TableMapping.objects.count() == 2
