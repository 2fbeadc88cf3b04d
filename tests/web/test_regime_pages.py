"""The report pages under a regime: the period key in the URL says it (2025-Q3 beside
2025-09), the monthly URLs keep working, the review queue names and filters the regime."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from giamsat.indicators.catalogue import sync_indicators
from giamsat.indicators.models import Indicator
from giamsat.reporting import rules, workflow
from giamsat.reporting.models import RegimeIndicator, Submission
from giamsat.tasks.models import Assignment, Role, Task

D = datetime.date
Q3 = D(2025, 7, 1)


@pytest.fixture
def scene(db, org, roles):
    sync_indicators()
    rate = Indicator.objects.get(code="doanh-so-thuong-mai-dien-tu")
    RegimeIndicator.objects.create(regime=rules.regime("quy"), indicator=rate, kinds="province")
    task = Task(title="Ban hành kế hoạch số hóa")
    task.set_deadline("Quý III/2025")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=org("Hà Nội"),
                                           role=Role.LEAD)
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 9, 20, 9)),
                             tick=False):
        yield {"assignment": assignment, "rate": rate}


def test_the_quarterly_report_page_and_its_grid(scene, client, roles):
    client.force_login(roles["agency_reporter"])
    page = client.get("/cap-nhat/ha-noi/2025-Q3/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Quý III/2025" in text and "20/10/2025" in text and "14/09/2025" in text
    assert 'data-list="regimes"' in text  # Hà Nội reports monthly and quarterly
    assert scene["rate"].name in text  # the regime's indicator
    monthly = client.get("/cap-nhat/ha-noi/2025-09/")
    assert monthly.status_code == 200 and "09/2025" in monthly.content.decode()
    for bad in ("2025-Q5", "2025-9", "Q3-2025"):
        assert client.get(f"/cap-nhat/ha-noi/{bad}/").status_code == 404
    # The grid saves into the quarterly report; a date after the 14th is refused.
    form = {"tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "1",
            "tasks-0-assignment": str(scene["assignment"].pk), "tasks-0-version": "0",
            "tasks-0-status": "completed", "tasks-0-completed_on": "15/09/2025",
            "tasks-0-result": "Đã ban hành", "tasks-0-evidence": "Kế hoạch số 1/KH-UBND"}
    refused = client.post("/cap-nhat/ha-noi/2025-Q3/nhiem-vu/", form)
    assert refused.status_code == 400 and "14/09/2025" in refused.content.decode()
    assert not Submission.objects.exists()
    form["tasks-0-completed_on"] = "14/09/2025"
    saved = client.post("/cap-nhat/ha-noi/2025-Q3/nhiem-vu/", form)
    assert saved.status_code == 302
    report = Submission.objects.get()
    assert (report.regime.code, report.period) == ("quy", Q3)


def test_the_home_opens_the_chosen_regime(scene, client, roles):
    client.force_login(roles["agency_reporter"])
    assert client.get("/cap-nhat/")["Location"].endswith("/cap-nhat/ha-noi/2025-09/")
    assert client.get("/cap-nhat/?che-do=quy")["Location"].endswith("/cap-nhat/ha-noi/2025-Q3/")


def test_the_review_queue_names_and_filters_the_regime(scene, client, roles, org):
    report = workflow.start_report(org("Hà Nội"), Q3, roles["agency_reporter"],
                                   regime=rules.regime("quy"))
    workflow.save_update(report, scene["assignment"], workflow.UpdateInput("in_progress"), 0,
                         roles["agency_reporter"])
    report.refresh_from_db()
    workflow.submit(report, roles["agency_leader"], report.version)
    client.force_login(roles["standing_office"])
    queue = client.get("/duyet/").content.decode()
    assert "Quý III/2025" in queue  # in the waiting list, under its own label
    assert 'data-regime="quy"' in queue  # the quarterly rate beside the monthly one
    only = client.get("/duyet/?che-do=quy&ky=2025-Q3").content.decode()
    assert f'data-submission="{report.pk}"' in only and "1/34" in only  # 34 provinces
    monthly = client.get("/duyet/?che-do=thang").content.decode()
    assert f'data-submission="{report.pk}"' not in monthly
    detail = client.get(f"/duyet/{report.pk}/").content.decode()
    assert "Quý III/2025" in detail and "20/10/2025" in detail


def test_an_agency_that_owes_no_quarterly_report_writes_none(scene, client, roles):
    RegimeIndicator.objects.filter(regime__code="quy").update(kinds="ministry")
    client.force_login(roles["agency_reporter"])
    form = {"tasks-TOTAL_FORMS": "1", "tasks-INITIAL_FORMS": "1",
            "tasks-0-assignment": str(scene["assignment"].pk), "tasks-0-version": "0",
            "tasks-0-status": "in_progress"}
    refused = client.post("/cap-nhat/ha-noi/2025-Q3/nhiem-vu/", form)
    assert refused.status_code == 400 and "Hà Nội" in refused.content.decode()
    assert not Submission.objects.exists()


def test_a_quarterly_grid_refuses_a_monthly_indicator(scene, client, roles):
    monthly = Indicator.objects.get(code="ho-so-truc-tuyen-toan-trinh")
    client.force_login(roles["agency_reporter"])
    form = {"values-TOTAL_FORMS": "1", "values-INITIAL_FORMS": "0",
            "values-0-indicator": str(monthly.pk), "values-0-value_version": "0",
            "values-0-target_version": "0", "values-0-value": "40"}
    refused = client.post("/cap-nhat/ha-noi/2025-Q3/chi-tieu/", form)
    assert refused.status_code == 400, refused.status_code
    assert monthly.name in refused.content.decode()
    assert not Submission.objects.exists()
