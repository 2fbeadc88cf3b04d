"""The dashboard rates the latest period whose due day has passed, with the open one
beside it; the review queue shows how long each report has waited and flags the old."""

import datetime
import re

import pytest
import time_machine
from django.utils import timezone

from giamsat.reporting.models import Submission, SubmissionState
from tests.web.test_pages import metric

D = datetime.date


def at(*args):
    return timezone.make_aware(datetime.datetime(*args))


@pytest.fixture
def reports(org):
    """July 2025: Hà Nội on time, Huế late and still waiting; August: Hà Nội waiting."""
    hanoi, hue = org("Hà Nội"), org("Huế")
    made = {}
    for key, organisation, period, sent, state in [
        ("july", hanoi, D(2025, 7, 1), at(2025, 8, 4, 9), SubmissionState.APPROVED),
        ("late", hue, D(2025, 7, 1), at(2025, 8, 20, 15), SubmissionState.SUBMITTED),
        ("august", hanoi, D(2025, 8, 1), at(2025, 9, 2, 10), SubmissionState.SUBMITTED),
    ]:
        made[key] = Submission.objects.create(organisation=organisation, period=period,
                                              state=state, first_submitted_at=sent,
                                              submitted_at=sent)
    return made


@pytest.fixture
def on_3_september():
    with time_machine.travel(at(2025, 9, 3, 10), tick=False):
        yield


def reporting_section(client, **query) -> str:
    response = client.get("/", query)
    assert response.status_code == 200
    page = response.content.decode()
    section = page[page.index('<section id="reporting">'):]
    return section[:section.index("</section>")]


def test_the_dashboard_rates_the_closed_period_and_shows_the_open_one(
        client, make_user, reports, on_3_september):
    viewer = make_user("viewer")
    client.force_login(viewer)
    section = reporting_section(client)
    # On 03/09 August's reports are due on 05/09: the rate is July's, its late report in.
    heading = re.search(r"<h2>(.*?)</h2>", section, re.S)[1]
    assert "07/2025" in heading and "05/08/2025" in heading
    closed, open_round = section.split('class="open-round"')
    assert 'data-period="2025-07"' in closed
    assert (metric(closed, "reports_received"), metric(closed, "reports_expected")) == \
        ("2", "56")
    assert "3,6%" in closed  # 2/56, with a decimal comma
    # August, still open, beside it: not a rate to judge anyone by.
    assert 'data-period="2025-08"' in open_round and "05/09/2025" in open_round
    assert metric(open_round, "open_round") == "đang mở"
    assert (metric(open_round, "open_reports_received"),
            metric(open_round, "open_reports_expected")) == ("1", "56")
    # After August's due day, August is the rate and September the open round.
    with time_machine.travel(at(2025, 9, 6, 10), tick=False):
        client.force_login(viewer)  # a session lasts a working day
        closed, open_round = reporting_section(client).split('class="open-round"')
    assert 'data-period="2025-08"' in closed and metric(closed, "reports_received") == "1"
    assert 'data-period="2025-09"' in open_round
    assert metric(open_round, "open_reports_received") == "0"
    # ?ngay= shows the rounds as they stood on that day: Huế's July report not yet in.
    client.force_login(viewer)
    closed, open_round = reporting_section(client, ngay="10/08/2025").split(
        'class="open-round"')
    assert 'data-period="2025-07"' in closed and metric(closed, "reports_received") == "1"
    assert 'data-period="2025-08"' in open_round


def test_the_review_queue_shows_each_reports_age_and_flags_the_old(
        client, make_user, reports, on_3_september, settings):
    client.force_login(make_user("standing_office"))
    page = client.get("/duyet/").content.decode()
    rows = {int(pk): row for pk, row in re.findall(
        r'<tr data-submission="(\d+)"(.*?)</tr>', page, re.S)}
    late, august = rows[reports["late"].pk], rows[reports["august"].pk]
    # Huế's July report has waited 14 days (since 20/08), over the 5-day default.
    assert metric(late, "waiting_days") == "14" and "review-overdue" in late
    assert metric(late, "waiting_overdue") == "quá 5 ngày"
    assert metric(august, "waiting_days") == "1" and "review-overdue" not in august
    assert "waiting_overdue" not in august
    assert list(rows) == [reports["late"].pk, reports["august"].pk]  # oldest first
    assert "1 báo cáo đã chờ duyệt quá 5 ngày." in page
    # The default period is the latest closed one, the open one named beside it.
    assert re.search(r'<option value="2025-07" selected>', page)
    assert "đang mở" in page and "?ky=2025-08" in page
    # The limit is the setting GIAMSAT_REVIEW_OVERDUE_DAYS.
    settings.REVIEW_OVERDUE_DAYS = 14
    page = client.get("/duyet/").content.decode()
    assert "review-overdue" not in page and "quá 14 ngày" not in page
    settings.REVIEW_OVERDUE_DAYS = 13
    assert "quá 13 ngày" in client.get("/duyet/").content.decode()
    # The open period, asked for, is labelled open.
    page = client.get("/duyet/", {"ky": "2025-08"}).content.decode()
    heading = re.search(r"<h2>(Báo cáo tháng 08/2025.*?)</h2>", page, re.S)[1]
    assert "đang mở" in heading
