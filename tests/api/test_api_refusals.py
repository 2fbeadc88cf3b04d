"""What the API cannot accept is refused with its one error shape, naming the field: never
a server error, never a silent guess (duplicate rows, impossible dates, loose types, a
period written "2026-1", an idempotency key sent to another report, a bad token, a body or
a URL too large)."""

import datetime
import json

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from giamsat.api.tokens import create_token, revoke
from giamsat.indicators.catalogue import sync_indicators
from giamsat.reporting.models import Submission
from giamsat.tasks.models import Assignment, Role, Task, Update

NOW = timezone.make_aware(datetime.datetime(2025, 7, 20, 10, 0))
BULK = "/api/v1/agency-reports/ha-noi/{period}/bulk"
JULY = BULK.format(period="2025-07")
DOSSIERS, DOCUMENTS, SUPERVISION = ("ho-so-truc-tuyen-toan-trinh", "van-ban-dien-tu-toan-trinh",
                                    "nhiem-vu-giam-sat-dien-tu")
TOO_BIG_IDS = (str(2**63), "9" * 5000, "0", "-1", "1e3")


@pytest.fixture(autouse=True)
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def scene(db, org):
    sync_indicators()
    task = Task(title="Ban hành kế hoạch chuyển đổi số")
    task.set_deadline("Tháng 9/2025")
    task.save()
    assignment = Assignment.objects.create(task=task, organisation=org("Hà Nội"),
                                           role=Role.LEAD)
    token, secret = create_token("Hệ thống Hà Nội", "agency_leader", org("Hà Nội"))
    return {"assignment": assignment, "token": token, "secret": secret,
            "api": Client(HTTP_AUTHORIZATION=f"Bearer {secret}")}


def post(client, url, data, **extra):
    return client.post(url, json.dumps(data), content_type="application/json", **extra)


def body(**changes) -> dict:
    return {"idempotency_key": "hn-1", "values": [{"indicator": DOSSIERS, "value": "45"}],
            **changes}


def error_of(response, status: int) -> dict:
    """The error of a response that must have `status` and the API's one error shape."""
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    answer = response.json()
    assert set(answer) == {"error"}
    assert set(answer["error"]) == {"code", "message", "details"}
    for detail in answer["error"]["details"]:
        assert set(detail) == {"field", "message"}
    return answer["error"]


def fields(error: dict) -> dict[str, str]:
    return {detail["field"]: detail["message"] for detail in error["details"]}


def completed(assignment, on: str, **changes) -> dict:
    return {"assignment_id": assignment.pk, "status": "completed", "completed_on": on,
            "evidence": "Kế hoạch số 12/KH-UBND ngày 15/7/2025", **changes}


# Point 3: answers of the error shape where there were server errors ------------------------

def test_the_same_indicator_twice_in_values_names_both_rows(scene):
    values = [{"indicator": DOSSIERS, "value": "45"}, {"indicator": DOCUMENTS, "value": "60"},
              {"indicator": SUPERVISION, "value": "10"}, {"indicator": DOSSIERS, "value": "50"}]
    error = error_of(post(scene["api"], JULY, body(values=values)), 400)
    assert error["code"] == "validation_error"
    assert list(fields(error)) == ["values[3].indicator"]
    assert "values[0]" in fields(error)["values[3].indicator"]
    assert not Submission.objects.exists()


def test_the_same_indicator_twice_in_targets_names_both_rows(scene):
    targets = [{"indicator": DOSSIERS, "value": "50"}, {"indicator": DOSSIERS, "value": "60"}]
    # A value and a target of one indicator are two different things: that is allowed.
    error = error_of(post(scene["api"], JULY, body(targets=targets)), 400)
    assert list(fields(error)) == ["targets[1].indicator"]
    assert "targets[0]" in fields(error)["targets[1].indicator"]
    assert not Submission.objects.exists()


def test_two_updates_of_one_assignment_are_refused_not_collapsed(scene):
    first = {"assignment_id": scene["assignment"].pk, "status": "in_progress", "result": "A"}
    second = {**first, "result": "B"}
    error = error_of(post(scene["api"], JULY, body(updates=[first, second])), 400)
    assert list(fields(error)) == ["updates[1].assignment_id"]
    assert "updates[0]" in fields(error)["updates[1].assignment_id"]
    assert not Update.objects.exists()


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01", "0",
                                 "20250701"])
def test_a_date_outside_1900_to_2199_or_not_iso_is_refused(scene, day):
    for url in ("/api/v1/summary", "/api/v1/tasks", "/api/v1/assignments",
                f"/api/v1/indicators/{DOSSIERS}"):
        error = error_of(scene["api"].get(url, {"as_of": day}), 400)
        assert list(fields(error)) == ["as_of"], url
    error = error_of(scene["api"].get("/api/v1/tasks", {"due_from": day}), 400)
    assert list(fields(error)) == ["due_from"]


@pytest.mark.parametrize("number", TOO_BIG_IDS)
def test_the_export_filters_refuse_ids_no_database_holds(scene, number):
    refused = 414 if len(number) > 2048 else 400  # 5,000 digits: the URL itself is too long
    for url, name in (("/api/export/assignments.csv", "nhiem_vu"),
                      ("/api/export/tasks.json", "van_ban")):
        response = scene["api"].get(url, {name: number})
        assert response.status_code == refused, (url, number, response.status_code)
    assert error_of(scene["api"].get("/api/v1/tasks", {"directive": number}), refused)


# Point 4: values that are refused, each naming its field ---------------------------------

@pytest.mark.parametrize("day", ["0001-01-01", "1899-12-31", "0"])
def test_a_completion_date_no_calendar_of_the_programme_holds_is_refused(scene, day):
    data = body(updates=[completed(scene["assignment"], day)])
    error = error_of(post(scene["api"], JULY, data), 400)
    assert list(fields(error)) == ["payload.updates.0.completed_on"]
    assert not Update.objects.exists()


@pytest.mark.parametrize(("day", "says"), [("1999-12-31", "01/01/2000"),
                                           ("2025-07-21", "21/07/2025")])
def test_a_completion_date_before_2000_or_after_today_is_refused(scene, day, says):
    data = body(updates=[completed(scene["assignment"], day)])
    error = error_of(post(scene["api"], JULY, data), 400)
    assert list(fields(error)) == ["updates[0].completed_on"]
    assert says in fields(error)["updates[0].completed_on"]
    assert not Update.objects.exists()


def test_the_first_and_the_last_acceptable_completion_dates(scene):
    for key, day in (("a", "2000-01-01"), ("b", "2025-07-20")):
        data = body(idempotency_key=key, updates=[completed(scene["assignment"], day)])
        assert post(scene["api"], JULY, data).status_code == 200, day


@pytest.mark.parametrize(("change", "field"), [
    ({"submit": "yes"}, "payload.submit"),
    ({"submit": 1}, "payload.submit"),
    ({"idempotency_key": 5}, "payload.idempotency_key"),
])
def test_types_are_strict(scene, change, field):
    error = error_of(post(scene["api"], JULY, body(**change)), 400)
    assert field in fields(error)
    assert not Submission.objects.exists()


def test_an_assignment_id_written_as_text_is_refused(scene):
    row = {"assignment_id": str(scene["assignment"].pk), "status": "in_progress"}
    error = error_of(post(scene["api"], JULY, body(updates=[row])), 400)
    assert list(fields(error)) == ["payload.updates.0.assignment_id"]
    assert not Update.objects.exists()


@pytest.mark.parametrize("period", ["2025-7", "07-2025", "2025-07-01", " 2025-07", "2025-13",
                                    "1899-12"])
def test_a_period_must_be_written_yyyy_mm(scene, period):
    assert error_of(post(scene["api"], BULK.format(period=period), body()), 400)
    for url in ("/api/v1/updates", "/api/v1/agency-reports"):
        error = error_of(scene["api"].get(url, {"period": period}), 400)
        assert error["code"] == "validation_error"
    assert not Submission.objects.exists()


def test_a_period_that_has_not_begun_says_so(scene):
    error = error_of(post(scene["api"], BULK.format(period="2025-09"), body()), 409)
    assert error["code"] == "refused"
    assert "chưa bắt đầu" in error["message"] and "01/09/2025" in error["message"]
    assert "đã đóng" not in error["message"]


def test_an_idempotency_key_belongs_to_its_report(scene, org):
    with time_machine.travel(timezone.make_aware(datetime.datetime(2025, 8, 3, 9)),
                             tick=False):
        assert post(scene["api"], JULY, body()).status_code == 200
        august = post(scene["api"], BULK.format(period="2025-08"), body())
        error = error_of(august, 409)
        assert error["code"] == "conflict"
        assert "hn-1" in error["message"] and "07/2025" in error["message"]
        assert not Submission.objects.filter(period=datetime.date(2025, 8, 1)).exists()
        again = post(scene["api"], JULY, body())
        assert again.status_code == 200 and again.json()["replayed"] is True


# Point 5: the right status for a bad token, a large body, a long URL ---------------------

def test_a_revoked_or_unknown_token_on_a_write_is_unauthorized(scene):
    revoke(scene["token"])
    for secret in (scene["secret"], "gs_not-a-token", "nonsense"):
        client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}", enforce_csrf_checks=True)
        error = error_of(post(client, JULY, body()), 401)
        assert error["code"] == "unauthorized"
        assert error_of(client.get("/api/v1/tasks"), 401)["code"] == "unauthorized"
    assert not Submission.objects.exists()


def test_an_export_with_a_bad_token_is_unauthorized(scene):
    revoke(scene["token"])
    assert Client(HTTP_AUTHORIZATION=f"Bearer {scene['secret']}").get(
        "/api/export/tasks.csv").status_code == 401


def test_a_body_over_the_limit_is_refused_in_the_error_shape(scene, settings):
    settings.MAX_REQUEST_MB = 1
    data = body(values=[{"indicator": DOSSIERS, "value": "1", "note": "x" * 1000}] * 1100)
    error = error_of(post(scene["api"], JULY, data), 413)
    assert error["code"] == "too_large" and "1 MB" in error["message"]


def test_a_url_over_the_limit_is_refused_in_the_error_shape(scene):
    error = error_of(scene["api"].get("/api/v1/tasks", {"q": "x" * 5000}), 414)
    assert error["code"] == "uri_too_long"
    assert scene["api"].get("/api/v1/tasks", {"q": "x" * 500}).status_code == 200


def test_the_schema_documents_periods_dates_and_long_urls(scene):
    schema = scene["api"].get("/api/v1/openapi.json").json()
    def patterns(*paths):
        found = [parameter for path in paths for operation in schema["paths"][path].values()
                 for parameter in operation["parameters"] if parameter["name"] == "period"]
        return [(p["schema"] if "pattern" in p["schema"] else p["schema"]["anyOf"][0])
                ["pattern"] for p in found]

    assert patterns("/api/v1/updates") == ["^[0-9]{4}-[0-9]{2}$"]
    # An agency report's period is a month, a quarter, a half-year or a year.
    assert patterns("/api/v1/agency-reports/{organisation}/{period}/bulk",
                    "/api/v1/agency-reports") == ["^[0-9]{4}(-[0-9]{2}|-Q[1-4]|-H[12])?$"] * 2
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            assert "414" in operation["responses"], (method, path)
    assert error_of(scene["api"].get("/api/v1/summary", {"as_of": 0}), 400)
    # Pydantic alone reads the number 0 as 01/01/1970.
    row = completed(scene["assignment"], "2025-07-15", completed_on=0)
    error = error_of(post(scene["api"], JULY, body(updates=[row])), 400)
    assert list(fields(error)) == ["payload.updates.0.completed_on"]


def test_djangos_own_error_answers_under_the_api_take_the_shape(scene):
    wrong_method = scene["api"].delete("/api/v1/tasks")
    assert error_of(wrong_method, 405)["code"] == "method_not_allowed"
    assert wrong_method["Allow"] == "GET"
    assert error_of(scene["api"].get("/api/v1/no-such-list"), 404)["code"] == "not_found"
    assert error_of(scene["api"].get("/api/export/secrets.csv"), 404)["code"] == "not_found"
    assert error_of(Client().get("/api/export/tasks.csv"), 401)["code"] == "unauthorized"
    refused = error_of(scene["api"].get("/api/export/tasks.csv", {"van_ban": "x"}), 400)
    assert refused["code"] == "validation_error" and refused["message"] == "Không có văn bản này."
    # The pages keep their own error pages.
    assert Client().get("/khong-co-trang-nay/").status_code in (302, 404)


# No text of PostgreSQL can hold a NUL character: a filter or a row holding one was a 500.

@pytest.mark.parametrize(("url", "field"), [
    ("/api/v1/tasks?q=a%00b", "q"), ("/api/v1/agency-reports?organisation=ha%00noi",
                                     "organisation"),
    ("/api/v1/organisations/ha%00noi", "path"), ("/api/v1/tasks?a%00=1", "a\x00"),
    ("/api/export/tasks.csv?q=%00", "q"),
])
def test_a_nul_character_in_the_url_is_refused(scene, url, field):
    error = error_of(scene["api"].get(url), 400)
    assert error["code"] == "validation_error" and list(fields(error)) == [field]


@pytest.mark.parametrize(("row", "field"), [
    ({"result": "Đã\x00xong"}, "payload.updates.0.result"),
    ({"evidence": "\x00"}, "payload.updates.0.evidence"),
])
def test_a_nul_character_in_a_bulk_row_is_refused(scene, row, field):
    update = {"assignment_id": scene["assignment"].pk, "status": "in_progress", **row}
    error = error_of(post(scene["api"], JULY, body(updates=[update])), 400)
    assert list(fields(error)) == [field]
    assert not Update.objects.exists()


def test_a_nul_character_in_a_key_or_an_indicator_is_refused(scene):
    error = error_of(post(scene["api"], JULY, body(idempotency_key="k\x00")), 400)
    assert list(fields(error)) == ["payload.idempotency_key"]
    error = error_of(post(scene["api"], JULY, body(values=[{"indicator": "\x00",
                                                            "value": "1"}])), 400)
    assert list(fields(error)) == ["payload.values.0.indicator"]


def test_a_server_error_under_the_api_takes_the_shape(scene, monkeypatch):
    from giamsat.api import v1

    def broken(*args, **kwargs):
        raise RuntimeError("a bug")

    monkeypatch.setattr(v1, "status_summary", broken)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {scene['secret']}",
                    raise_request_exception=False)
    assert error_of(client.get("/api/v1/summary"), 500)["code"] == "server_error"
