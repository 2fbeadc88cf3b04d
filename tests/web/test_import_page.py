"""Nhập dữ liệu: upload → preview → confirm, with the real documents."""

import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from giamsat.ingest.models import ImportRun, ImportState, Upload, UploadState
from giamsat.tasks.models import Appearance, Task

D = datetime.date
SMALL_PLAN = Path(__file__).resolve().parents[1] / "data" / "small_plan.txt"


@pytest.fixture
def office(client, make_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(make_user("standing_office"))
    return client


def upload(client, path, **data):
    with open(path, "rb") as file:
        return client.post("/nhap-du-lieu/", {"file": SimpleUploadedFile(path.name, file.read()),
                                              **data})


@pytest.mark.corpus
def test_a_corpus_file_is_previewed_then_imported(office, corpus_dir):
    path = next(corpus_dir.glob("003_*.txt"))
    response = upload(office, path)
    assert response.status_code == 302
    item = Upload.objects.get()
    assert item.state == UploadState.READY and item.name == path.name
    assert not Task.objects.exists()  # the preview wrote nothing
    page = office.get(response["Location"]).content.decode()
    created = item.preview["totals"]["tasks_created"]
    assert created > 0 and f'data-metric="tasks_created">{created}<' in page
    assert "Dữ liệu sẽ được nhập" in page and "Nhập dữ liệu</button>" in page

    office.post(f"/nhap-du-lieu/{item.pk}/nhap/")
    item.refresh_from_db()
    assert item.state == UploadState.IMPORTED
    run = ImportRun.objects.get(pk=item.import_run_id)
    assert run.state == ImportState.SUCCEEDED and run.user.username == "standing_office-all"
    assert Task.objects.count() == created
    assert Appearance.objects.filter(path__endswith=path.name).count() >= created
    # The audit trail names the person who imported, though the work ran as a job.
    assert Task.objects.first().history.first().history_user == run.user
    page = office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    assert "Đã nhập lúc" in page
    # Confirming twice imports once.
    office.post(f"/nhap-du-lieu/{item.pk}/nhap/")
    assert ImportRun.objects.filter(state=ImportState.SUCCEEDED).count() == 1
    assert office.get(f"/nhap-du-lieu/lan-nhap/{run.pk}/").status_code == 200


def test_a_document_without_a_date_asks_for_one(office, tmp_path):
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(SMALL_PLAN.read_bytes())
    response = upload(office, path)
    item = Upload.objects.get()
    assert item.state == UploadState.FAILED and "--as-of" in item.error
    page = office.get(response["Location"]).content.decode()
    assert "Đọc lại" in page
    office.post(f"/nhap-du-lieu/{item.pk}/doc-lai/", {"as_of": "01/07/2025"})
    item.refresh_from_db()
    assert item.state == UploadState.READY and item.as_of == D(2025, 7, 1)
    assert item.preview["totals"]["tasks_created"] == 2


@pytest.mark.parametrize(("name", "body", "message"), [
    ("bao-cao.pptx", b"PK\x03\x04", "Không nhập được"),
    ("rong.txt", b"", "là tệp rỗng"),
])
def test_a_file_that_cannot_be_imported_is_refused_at_once(office, name, body, message):
    response = office.post("/nhap-du-lieu/", {"file": SimpleUploadedFile(name, body)})
    assert response.status_code == 400 and message in response.content.decode()
    assert not Upload.objects.exists()


def test_a_broken_document_fails_its_preview_and_writes_nothing(office, tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04 this is not a word document")
    upload(office, path)
    item = Upload.objects.get()
    assert item.state == UploadState.FAILED and item.error
    assert not Task.objects.exists() and not ImportRun.objects.exists()
    office.post(f"/nhap-du-lieu/{item.pk}/huy/")
    item.refresh_from_db()
    assert item.state == UploadState.CANCELLED


def upload_small_plan(client, tmp_path) -> Upload:
    """The two-task plan uploaded with its date: an upload ready to import."""
    path = tmp_path / "ke-hoach.txt"
    path.write_bytes(SMALL_PLAN.read_bytes())
    upload(client, path, as_of="01/07/2025")
    return Upload.objects.get()


def stop_the_job(item, state):
    """What a killed worker leaves: the upload says its job runs; the queue says it runs, on
    a worker that is gone."""
    from giamsat.ingest.uploads import read_upload
    from tests.jobhelpers import claimed_by

    Upload.objects.filter(pk=item.pk).update(state=state)
    claimed_by(item, read_upload, item.pk)


@pytest.mark.parametrize("state", [UploadState.PREVIEWING, UploadState.IMPORTING])
def test_a_stopped_job_offers_import_again_which_reads_the_document_again(office, tmp_path,
                                                                         state):
    item = upload_small_plan(office, tmp_path)
    stop_the_job(item, state)
    page = office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    assert "Nhập lại</button>" in page and "Hủy</button>" in page
    assert "hx-get" not in page  # no more polling of a dead job
    office.post(f"/nhap-du-lieu/{item.pk}/doc-lai/", {"as_of": "01/07/2025"})
    item.refresh_from_db()
    assert item.state == UploadState.READY and item.preview["totals"]["tasks_created"] == 2
    assert not Task.objects.exists()


def test_a_stopped_job_can_be_cancelled_and_its_file_is_removed(office, tmp_path):
    item = upload_small_plan(office, tmp_path)
    stop_the_job(item, UploadState.IMPORTING)
    response = office.post(f"/nhap-du-lieu/{item.pk}/huy/")
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.state == UploadState.CANCELLED
    assert not Path(item.path).exists() and not Path(item.path).parent.exists()
    assert not Task.objects.exists()


def test_a_running_job_can_be_neither_retried_nor_cancelled(office, tmp_path):
    from giamsat.ingest.uploads import import_upload
    from tests.jobhelpers import LiveWorker, claimed_by
    item = upload_small_plan(office, tmp_path)
    Upload.objects.filter(pk=item.pk).update(state=UploadState.IMPORTING)
    with LiveWorker() as worker:  # its worker's process is alive
        claimed_by(item, import_upload, item.pk, item.user_id, worker=worker)
        office.post(f"/nhap-du-lieu/{item.pk}/huy/")
        office.post(f"/nhap-du-lieu/{item.pk}/doc-lai/", {"as_of": "01/07/2025"})
        item.refresh_from_db()
        assert item.state == UploadState.IMPORTING and Path(item.path).exists()
        assert "hx-get" in office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    # The worker is gone (its lock is free): the page offers the import again.
    page = office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    assert "Nhập lại</button>" in page and "hx-get" not in page


def test_a_queued_job_waits_for_a_worker_and_says_when_none_runs(office, tmp_path, settings):
    from giamsat.ingest.uploads import read_upload
    from tests.jobhelpers import LiveWorker, queue_job
    item = upload_small_plan(office, tmp_path)
    Upload.objects.filter(pk=item.pk).update(state=UploadState.PREVIEWING)
    queue_job(item, read_upload, item.pk)
    settings.JOBS_INLINE = False  # as in production: the worker, not the request
    page = office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    assert "Đang chờ tiến trình chạy nền" in page and "hx-get" in page
    assert "Không có tiến trình chạy nền nào" in page
    with LiveWorker():
        page = office.get(f"/nhap-du-lieu/{item.pk}/").content.decode()
    assert "Đang chờ tiến trình chạy nền" in page
    assert "Không có tiến trình chạy nền nào" not in page


def test_retry_and_cancel_need_the_import_permission(client, make_user, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    client.force_login(make_user("standing_office"))
    item = upload_small_plan(client, tmp_path)
    stop_the_job(item, UploadState.IMPORTING)
    client.force_login(make_user("viewer"))
    assert client.post(f"/nhap-du-lieu/{item.pk}/huy/").status_code == 403
    assert client.post(f"/nhap-du-lieu/{item.pk}/doc-lai/").status_code == 403
    item.refresh_from_db()
    assert item.state == UploadState.IMPORTING and Path(item.path).exists()


def test_an_unreadable_upload_keeps_no_file(office, tmp_path):
    path = tmp_path / "hong.docx"
    path.write_bytes(b"PK\x03\x04 this is not a word document")
    upload(office, path)
    item = Upload.objects.get()
    assert item.state == UploadState.FAILED
    assert not Path(item.path).parent.exists()
    office.post(f"/nhap-du-lieu/{item.pk}/doc-lai/", {"as_of": "01/07/2025"})
    item.refresh_from_db()
    assert item.state == UploadState.FAILED  # nothing to read again: upload it again
