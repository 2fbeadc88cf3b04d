"""What the pages cannot use is said on the page or refused with a message, never a server
error: dates outside 1900–2199, ids no database holds, impossible completion dates, a period
written "2025-7", a period that has not begun."""

import datetime
from urllib.parse import urlencode

import pytest
import time_machine
from django.utils import timezone

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator
from giamsat.reporting.models import ReportedValue, Submission
from giamsat.tasks.models import Assignment, Role, Task, Update

NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
TODAY_SHOWN = 'value="20/07/2025"'
OUT_OF_RANGE = "nằm ngoài khoảng từ năm 1900 đến năm 2199"
TOO_BIG_IDS = (str(2**63), "9" * 5000, "0", "-1")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def viewer(client, make_user):
    sync_indicators()
    client.force_login(make_user("viewer"))
    return client


@pytest.fixture
def reporter(client, make_user, org):
    sync_indicators()
    task = Task(title="Ban hành kế hoạch chuyển đổi số")
    task.set_deadline("Tháng 9/2025")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=org("Hà Nội"),
                                           role=Role.LEAD)
    client.force_login(make_user("agency_reporter", "ha-noi"))
    return client, assignment


# Point 3 -----------------------------------------------------------------------------

@pytest.mark.parametrize("day", ["01/01/0001", "31/12/9999", "31/12/1899", "0001-01-01"])
@pytest.mark.parametrize("url", ["/", "/chi-tieu/ho-so-truc-tuyen-toan-trinh/", "/chi-tieu/",
                                 "/nhiem-vu/", "/co-quan/", "/co-quan/ha-noi/", "/xep-hang/"])
def test_a_date_outside_the_sane_range_is_said_and_today_shown(viewer, url, day):
    response = viewer.get(url, {"ngay": day})
    assert response.status_code == 200
    page = response.content.decode()
    assert OUT_OF_RANGE in page, url
    if url != "/co-quan/":  # the organisation list has a date field of its own
        assert TODAY_SHOWN in page


def test_the_first_and_last_days_of_the_range_are_read(viewer):
    for day in ("01/01/1900", "31/12/2199"):
        page = viewer.get("/", {"ngay": day}).content.decode()
        assert OUT_OF_RANGE not in page and f'value="{day}"' in page


def test_a_due_date_filter_outside_the_range_is_said(viewer):
    response = viewer.get("/nhiem-vu/", {"han_tu": "01/01/0001", "han_den": "31/12/9999"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "“01/01/0001” " + OUT_OF_RANGE in page and "“31/12/9999” " + OUT_OF_RANGE in page


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_a_directive_id_no_database_holds_is_said(viewer, number):
    response = viewer.get("/nhiem-vu/", {"van_ban": number})
    assert response.status_code == 200
    assert "Không có văn bản này." in response.content.decode()


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_a_task_id_no_database_holds_refuses_the_download(viewer, number):
    response = viewer.get("/api/export/assignments.csv", {"nhiem_vu": number})
    assert response.status_code == (414 if len(number) > 2048 else 400)


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_a_grid_row_no_database_holds_is_refused_with_a_message(reporter, number):
    client, _assignment = reporter
    rate = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    # Form-encoded, as a browser sends the grid (multipart headers cannot hold 5,000 digits).
    response = client.post("/cap-nhat/ha-noi/2025-07/chi-tieu/", urlencode({
        "values-TOTAL_FORMS": "2", "values-INITIAL_FORMS": "2",
        "values-0-indicator": number, "values-0-value": "5", "values-0-value_version": "0",
        "values-0-target_version": "0",
        "values-1-indicator": rate.pk, "values-1-value": "45", "values-1-value_version": "0",
        "values-1-target_version": "0"}), content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    page = response.content.decode()
    assert page.count("Biểu mẫu bị lỗi; hãy tải lại trang.") == 1
    assert not ReportedValue.objects.exists()


def test_a_directive_id_no_database_holds_in_the_report_form(client, make_user):
    client.force_login(make_user("standing_office"))
    response = client.post("/bao-cao/", {"kind": "monthly", "month": "06/2025",
                                         "format": "docx", "directive": str(2**63)})
    assert response.status_code == 400
    assert "Không có văn bản này." in response.content.decode()


# Point 4 -----------------------------------------------------------------------------

def update(client, assignment, completed_on: str):
    return client.post(f"/cap-nhat/ha-noi/2025-07/nhiem-vu/{assignment.pk}/", {
        "status": "completed", "completed_on": completed_on, "version": "0",
        "evidence": "Kế hoạch số 12/KH-UBND ngày 15/7/2025"})


@pytest.mark.parametrize(("day", "says"), [
    ("01/01/0001", OUT_OF_RANGE), ("31/12/1899", OUT_OF_RANGE),
    ("31/12/1999", "trước ngày 01/01/2000"), ("21/07/2025", "trong tương lai"),
])
def test_a_completion_date_before_2000_or_after_today_is_refused(reporter, day, says):
    client, assignment = reporter
    response = update(client, assignment, day)
    assert response.status_code == 400
    page = response.content.decode()
    assert says in page and "Ngày hoàn thành" in page
    assert not Update.objects.exists()


def test_the_first_and_the_last_acceptable_completion_dates(reporter):
    client, assignment = reporter
    assert update(client, assignment, "01/01/2000").status_code == 302
    Update.objects.update(version=0)
    assert update(client, assignment, "20/07/2025").status_code in (302, 409)


@pytest.mark.parametrize("period", ["2025-7", "2025-07-01", "7-2025"])
def test_a_period_must_be_written_yyyy_mm(reporter, period):
    client, _assignment = reporter
    assert client.get(f"/cap-nhat/ha-noi/{period}/").status_code == 404
    assert client.get("/cap-nhat/ha-noi/2025-07/").status_code == 200


def test_a_period_that_has_not_begun_says_so(reporter):
    client, assignment = reporter
    page = client.get("/cap-nhat/ha-noi/2025-09/").content.decode()
    assert "chưa bắt đầu" in page and "01/09/2025" in page and "đã đóng" not in page
    response = client.post(f"/cap-nhat/ha-noi/2025-09/nhiem-vu/{assignment.pk}/",
                           {"status": "in_progress", "version": "0"})
    page = response.content.decode()
    assert response.status_code == 400
    assert "chưa bắt đầu" in page and "đã đóng" not in page
    assert not Submission.objects.exists()


def test_the_month_of_the_indicator_table_is_read_strictly(viewer):
    page = viewer.get("/chi-tieu/ho-so-truc-tuyen-toan-trinh/", {"thang": "2025-7"}
                      ).content.decode()
    assert "“2025-7” không phải là tháng" in page


@pytest.mark.parametrize("query", ["q=a%00", "co_quan=ha%00noi", "ngay=%00"])
def test_a_nul_character_in_a_query_is_refused(viewer, query):
    response = viewer.get("/nhiem-vu/?" + query)
    assert response.status_code == 400
    assert "NUL" in response.content.decode()


def test_a_nul_character_in_a_form_is_refused(reporter):
    client, assignment = reporter
    response = client.post(f"/cap-nhat/ha-noi/2025-07/nhiem-vu/{assignment.pk}/",
                           {"status": "in_progress", "version": "0", "result": "Đã\x00xong"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    assert not Update.objects.exists()


@pytest.mark.parametrize(("day", "says"), [("31/12/9999", OUT_OF_RANGE),
                                           ("31/02/2025", "không phải là ngày")])
def test_a_download_for_a_date_it_cannot_use_is_refused(viewer, day, says):
    response = viewer.get("/api/export/tasks.csv", {"ngay": day})
    assert response.status_code == 400 and says in response.json()["error"]["message"]
