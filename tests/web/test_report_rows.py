"""A long report shows, by default, a page of the lead rows still to update this month;
saving that page leaves the rows not shown as they were (web/report_rows.py)."""

import datetime
import re

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from giamsat.tasks.models import Assignment, Role, Task, Update
from tests.web.test_report_grid import task_rows

NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
PAGE = "/cap-nhat/ha-noi/2025-07/"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def reporter(db, org, roles):
    client = Client()
    client.force_login(roles["agency_reporter"])
    return client


def lead_tasks(org, n: int, deadline: str = "Tháng 7/2025") -> list[Assignment]:
    made = []
    for i in range(n):
        task = Task(title=f"Nhiệm vụ số {i + 1}")
        task.set_deadline(deadline)
        task.save()
        made.append(Assignment.objects.create(task=task, organisation=org("Hà Nội"),
                                              role=Role.LEAD))
    return made


def shown_rows(page: str) -> list[int]:
    return [int(pk) for pk in re.findall(r'<tr id="a(\d+)"', page)]


def metric(page: str, name: str) -> str:
    return re.sub(r"\s+", " ", re.search(rf'data-metric="{name}">(.*?)</span>', page,
                                         re.S).group(1)).strip()


def test_a_long_report_shows_a_page_of_what_is_still_to_update(reporter, org):
    rows = lead_tasks(org, 45)
    page = reporter.get(PAGE).content.decode()
    assert shown_rows(page) == [a.pk for a in rows[:20]]
    assert metric(page, "rows_shown") == ("Đang hiện 20/45 nhiệm vụ: những nhiệm vụ còn cần "
                                          "cập nhật tháng này (45)")
    assert metric(page, "rows_page") == "trang 1/3" and "hiện tất cả" in page
    assert 'name="tasks-TOTAL_FORMS" value="20"' in page  # the others are not in the form
    # The first five saved from page 1: the rows not shown are untouched, the view kept.
    response = reporter.post(PAGE + "nhiem-vu/?hien=can-cap-nhat", task_rows(rows[:20], {
        i: {"status": "in_progress", "result": f"Đang làm {i}."} for i in range(5)}))
    assert response.status_code == 302
    assert response["Location"] == PAGE + "?hien=can-cap-nhat#assignments"
    assert set(Update.objects.values_list("assignment_id", flat=True)) == {
        a.pk for a in rows[:5]}
    page = reporter.get(response["Location"]).content.decode()
    assert shown_rows(page) == [a.pk for a in rows[5:25]]
    assert metric(page, "rows_shown").endswith("(40)")
    # All of them, on one page (a page number is ignored); the saved rows are there with
    # what was saved.
    page = reporter.get(PAGE, {"hien": "tat-ca", "trang": "3"}).content.decode()
    assert shown_rows(page) == [a.pk for a in rows]
    assert metric(page, "rows_shown") == "Đang hiện 45/45 nhiệm vụ"
    assert "chỉ những dòng cần cập nhật" in page and 'rel="prev"' not in page
    assert "Đang làm 0." in page


def test_a_refused_page_comes_back_with_exactly_the_rows_posted(reporter, org):
    rows = lead_tasks(org, 30)
    posted = rows[20:]  # page 2
    response = reporter.post(PAGE + "nhiem-vu/?hien=can-cap-nhat&trang=2", task_rows(
        posted, {0: {"status": "completed", "completed_on": "31.02.2025"},
                 3: {"status": "in_progress", "result": "Giữ nguyên chữ đã gõ"}}))
    assert response.status_code == 400
    page = response.content.decode()
    assert shown_rows(page) == [a.pk for a in posted] and "Giữ nguyên chữ đã gõ" in page
    assert metric(page, "rows_page") == "trang 2/2" and not Update.objects.exists()


def test_a_short_report_shows_every_row_without_a_switch(reporter, org):
    rows = lead_tasks(org, 3)
    page = reporter.get(PAGE).content.decode()
    assert shown_rows(page) == [a.pk for a in rows] and 'data-testid="row-view"' not in page


def test_when_everything_is_updated_the_filter_says_so(reporter, org):
    rows = lead_tasks(org, 25)
    for offset in (0, 20):
        chunk = rows[offset:offset + 20]
        assert reporter.post(PAGE + "nhiem-vu/?hien=can-cap-nhat", task_rows(chunk, {
            i: {"status": "in_progress", "result": "Đang làm."} for i in range(len(chunk))}
        )).status_code == 302
    page = reporter.get(PAGE).content.decode()
    assert shown_rows(page) == []
    assert "Mọi nhiệm vụ chủ trì đã được cập nhật trong báo cáo tháng này." in page


def test_the_first_page_of_all_rows_holds_the_agencys_own_tasks():
    """With every row shown (on one page), the lead rows come first."""
    from types import SimpleNamespace

    from giamsat.web import report_rows

    rows = [SimpleNamespace(pk=i, role="coordinate" if i < 25 else "lead",
                            report_update=None, status="not_started") for i in range(40)]
    view = report_rows.choose(rows, {report_rows.SHOW: report_rows.ALL})
    assert [r.pk for r in view.rows] == list(range(25, 40)) + list(range(25))
    assert view.pages == 1
