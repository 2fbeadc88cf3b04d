"""The REST API: tokens scoped to an organisation, bulk writes all or nothing and once."""

import datetime
import json

import pytest
import time_machine
from django.apps import apps
from django.test import Client
from django.utils import timezone

from giamsat.api.models import ApiToken
from giamsat.api.tokens import create_token, revoke
from giamsat.indicators.catalogue import sync_indicators
from giamsat.orgs.models import Organisation
from giamsat.reporting import workflow
from giamsat.tasks.models import Assignment, Role, Task, Update

D = datetime.date
NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
BULK = "/api/v1/agency-reports/{org}/2025-07/bulk"


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


def audit_rows() -> int:
    return sum(m.objects.count() for m in apps.get_models() if m.__name__.startswith("Historical"))


def client_with(secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


@pytest.fixture
def scene(db, org, roles):
    sync_indicators()
    task = Task(title="Ban hành kế hoạch chuyển đổi số")
    task.set_deadline("Tháng 9/2025")
    task.save()
    hanoi = Assignment.objects.create(task=task, organisation=org("Hà Nội"), role=Role.LEAD)
    tuyen = Assignment.objects.create(task=task, organisation=org("Tuyên Quang"), role=Role.LEAD)
    # Tuyên Quang has a draft of its own.
    draft = workflow.start_report(org("Tuyên Quang"), D(2025, 7, 1), roles["other_reporter"])
    workflow.save_update(draft, tuyen, workflow.UpdateInput("in_progress", result="Bản nháp TQ"),
                         0, roles["other_reporter"])
    _token, hanoi_secret = create_token("Hệ thống Hà Nội", "agency_leader", org("Hà Nội"))
    _token, office_secret = create_token("Văn phòng", "standing_office")
    return {"task": task, "hanoi": hanoi, "tuyen": tuyen, "draft": draft,
            "api": client_with(hanoi_secret), "office": client_with(office_secret),
            "secret": hanoi_secret}


def body(**changes) -> dict:
    data = {"idempotency_key": "hn-2025-07-lan-1",
            "updates": [], "values": [{"indicator": "ho-so-truc-tuyen-toan-trinh",
                                       "numerator": "453", "denominator": "1000"}],
            "targets": [{"indicator": "ho-so-truc-tuyen-toan-trinh", "value": "50"}]}
    data.update(changes)
    return data


def post(client, url, data):
    return client.post(url, json.dumps(data), content_type="application/json")


def test_tokens_are_stored_hashed_and_can_be_revoked(scene):
    token = ApiToken.objects.get(name="Hệ thống Hà Nội")
    assert scene["secret"] not in {token.digest, token.prefix} and len(token.digest) == 64
    assert scene["api"].get("/api/v1/tasks").status_code == 200
    revoke(token)
    response = scene["api"].get("/api/v1/tasks")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthorized"
    assert Client().get("/api/v1/tasks").status_code == 401


def test_a_province_token_cannot_read_another_provinces_draft(scene):
    mine = scene["api"].get("/api/v1/updates").json()["items"]
    assert all(u["organisation"] != "tuyen-quang" for u in mine)
    assert scene["api"].get("/api/v1/agency-reports?organisation=tuyen-quang").json()[
        "count"] == 0
    # The standing office does not see drafts either; Tuyên Quang's own reporter does.
    assert scene["office"].get("/api/v1/updates").json()["count"] == 0


def test_a_province_token_cannot_write_for_another_organisation(scene):
    before = audit_rows()
    response = post(scene["api"], BULK.format(org="tuyen-quang"), body())
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    response = post(scene["office"], BULK.format(org="ha-noi"), body())
    assert response.status_code == 403  # the office reviews; it does not write reports
    assert audit_rows() == before


def test_a_bulk_write_repeated_with_the_same_key_changes_nothing(scene):
    data = body(updates=[{"assignment_id": scene["hanoi"].pk, "status": "completed",
                          "completed_on": "2025-07-15",
                          "evidence": "Kế hoạch số 12/KH-UBND ngày 15/7/2025"}], submit=True)
    first = post(scene["api"], BULK.format(org="ha-noi"), data)
    assert first.status_code == 200, first.content
    answer = first.json()
    assert answer["replayed"] is False and answer["state"] == "submitted"
    assert (answer["updates_saved"], answer["values_saved"]) == (1, 2)
    update = Update.objects.get(assignment=scene["hanoi"])
    assert update.history.first().history_user.api_token.name == "Hệ thống Hà Nội"
    before = audit_rows()
    again = post(scene["api"], BULK.format(org="ha-noi"), data)
    assert again.status_code == 200 and again.json()["replayed"] is True
    assert {k: v for k, v in again.json().items() if k != "replayed"} == \
        {k: v for k, v in answer.items() if k != "replayed"}
    assert audit_rows() == before
    other = post(scene["api"], BULK.format(org="ha-noi"), body(values=[]))
    assert other.status_code == 409 and other.json()["error"]["code"] == "conflict"
    assert "hn-2025-07-lan-1" in other.json()["error"]["message"]


def test_one_bad_row_rejects_the_whole_request_and_is_named(scene):
    before = audit_rows()
    data = body(idempotency_key="k2",
                updates=[{"assignment_id": scene["hanoi"].pk, "status": "in_progress"},
                         {"assignment_id": scene["tuyen"].pk, "status": "in_progress"}],
                values=[{"indicator": "ho-so-truc-tuyen-toan-trinh", "value": "45.3"},
                        {"indicator": "dvctt-toan-trinh", "value": "145"}])
    response = post(scene["api"], BULK.format(org="ha-noi"), data)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "validation_error"
    fields = {d["field"] for d in error["details"]}
    assert fields == {"updates[1].assignment_id", "values[1].value"}
    assert audit_rows() == before
    assert not Update.objects.filter(assignment=scene["hanoi"]).exists()


def test_a_malformed_body_gets_the_one_error_format(scene):
    response = scene["api"].post(BULK.format(org="ha-noi"), "{not json",
                                 content_type="application/json")
    assert response.status_code == 400 and response.json()["error"]["code"] == \
        "validation_error"
    response = post(scene["api"], BULK.format(org="ha-noi"), {"updates": "x"})
    assert response.status_code == 400
    assert {d["field"] for d in response.json()["error"]["details"]} >= {"payload.updates",
                                                                         "payload.idempotency_key"}
    assert scene["api"].get("/api/v1/tasks/999999").json()["error"]["code"] == "not_found"


def test_a_closed_period_is_refused_as_a_conflict(scene):
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 8, 10, 9)),
                             tick=False):
        response = post(scene["api"], BULK.format(org="ha-noi"), body(idempotency_key="k3"))
    assert response.status_code == 409 and response.json()["error"]["code"] == "refused"
    assert "05/08/2025" in response.json()["error"]["message"]


def test_the_summary_is_the_dashboards(scene, client, roles):
    api = scene["api"].get("/api/v1/summary?as_of=2025-10-01").json()
    client.force_login(roles["viewer"])
    page = client.get("/", {"ngay": "01/10/2025"}).content.decode()
    for name in ("total", "due_total", "overdue", "recurring", "not_yet_due"):
        assert f'data-metric="{name}">{api[name]}<' in page, name


def test_the_session_works_too_and_its_writes_need_the_csrf_token(scene, roles):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(roles["agency_leader"])
    assert browser.get("/api/v1/tasks?organisation=ha-noi").json()["count"] == 1
    response = post(browser, BULK.format(org="ha-noi"), body())
    assert response.status_code in (401, 403)
    assert not Update.objects.filter(assignment=scene["hanoi"]).exists()


def test_lists_page_and_filter(scene):
    page = scene["api"].get("/api/v1/organisations?kind=province&valid_on=2025-08-01"
                            "&page_size=10").json()
    assert page["count"] == 34 and len(page["items"]) == 10
    tuyen = next(o for o in scene["api"].get(
        "/api/v1/organisations?kind=province&valid_on=2025-08-01&page_size=100").json()[
        "items"] if o["slug"] == "tuyen-quang")
    assert "ha-giang-truoc-2025-07" in tuyen["predecessors"]
    gone = scene["api"].get("/api/v1/organisations/ha-giang-truoc-2025-07").json()
    assert gone["successors"] == ["tuyen-quang"]
    tasks = scene["api"].get("/api/v1/tasks?q=ke hoach chuyen doi so&status=not_started"
                             "&as_of=2025-07-20").json()
    assert tasks["count"] == 1 and tasks["items"][0]["leads"] == 2
    assert Organisation.objects.count() > 0
