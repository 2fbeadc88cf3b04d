"""An import whose job was cut off (a killed worker) is taken up again, or cancelled, from its
page."""

from pathlib import Path

from playwright.sync_api import expect

from giamsat.ingest.models import Upload, UploadState
from giamsat.ingest.uploads import import_upload
from tests.browser.conftest import login, shoot
from tests.jobhelpers import claimed_by

SMALL_PLAN = Path(__file__).resolve().parents[1] / "data" / "small_plan.txt"


def test_the_office_imports_again_a_document_whose_job_stopped(live_server, new_page, make_user,
                                                              settings, tmp_path):
    settings.DATA_DIR = tmp_path
    make_user("standing_office", username="vpthuongtruc")
    page = new_page("desktop")
    login(page, live_server.url, "vpthuongtruc")
    page.goto(live_server.url + "/nhap-du-lieu/")
    page.get_by_label("Văn bản", exact=True).set_input_files(str(SMALL_PLAN))
    page.get_by_label("Ngày của văn bản").fill("01/07/2025")
    page.get_by_role("button", name="Đọc và xem trước").click()
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_visible(timeout=60_000)
    # What a killed worker leaves: the upload importing, its job taken by a worker now gone.
    upload = Upload.objects.get()
    Upload.objects.filter(pk=upload.pk).update(state=UploadState.IMPORTING)
    claimed_by(upload, import_upload, upload.pk, upload.user_id)
    page.reload()
    expect(page.get_by_role("alert")).to_contain_text("đã dừng")
    shoot(page, "import-stopped")
    page.get_by_role("button", name="Nhập lại").click()
    expect(page.get_by_role("button", name="Nhập dữ liệu")).to_be_visible(timeout=60_000)
    assert Upload.objects.get().state == UploadState.READY
    assert page.problems == []
