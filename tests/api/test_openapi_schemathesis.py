"""schemathesis against the OpenAPI schema: no server error, and every response matches
the schema (status codes, content types, bodies), for every operation, with a real token.

Generated path parameters are half the time replaced by real ones (an organisation, a task,
an indicator, the month open today) and generated bulk bodies half the time by one that
names real rows, so that the answers checked are not only "not found". A second test calls
every operation once with real values and wants a success, so the token is known to work.

GIAMSAT_SCHEMATHESIS_EXAMPLES sets the examples per operation (20; a longer run by hand:
GIAMSAT_SCHEMATHESIS_EXAMPLES=200).
"""

import os

import pytest
import schemathesis
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from giamsat.wsgi import application

EXAMPLES = int(os.environ.get("GIAMSAT_SCHEMATHESIS_EXAMPLES", "20"))
BULK = "/api/v1/agency-reports/{organisation}/{period}/bulk"
DOSSIERS = "ho-so-truc-tuyen-toan-trinh"

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


def open_period() -> str:
    from giamsat.reporting.periods import current_period, period_key

    return period_key(current_period(timezone.localdate()))


def real_path_parameters(path: str) -> dict:
    """Values of `path`'s parameters that name something in the demo data."""
    from giamsat.difficulties.models import Difficulty
    from giamsat.tasks.models import Task

    # Hà Nội's part of a problem group of the demo's September report (data/demo_report.txt).
    item = Difficulty.objects.filter(responsibilities__organisation__slug="ha-noi").first()
    return {"/api/v1/organisations/{slug}": {"slug": "ha-noi"},
            "/api/v1/indicators/{code}/blocs": {"code": DOSSIERS},
            "/api/v1/indicators/{code}/rollup": {"code": DOSSIERS},
            "/api/v1/difficulties/{item_id}": {"item_id": item.pk},
            "/api/v1/difficulties/raised-by/{organisation}": {"organisation": "ha-noi"},
            "/api/v1/difficulties/{item_id}/done-by/{organisation}": {
                "item_id": item.pk, "organisation": "ha-noi"},
            "/api/v1/tasks/{task_id}": {"task_id": Task.objects.order_by("pk").first().pk},
            "/api/v1/indicators/{code}": {"code": DOSSIERS},
            "/api/v1/rankings/{code}": {"code": DOSSIERS},
            BULK: {"organisation": "ha-noi", "period": open_period()}}.get(path, {})


def real_bulk_body(key) -> dict:
    """A body Hà Nội's report can take: a value, an update of its own assignment."""
    from giamsat.tasks.models import Assignment

    assignment = Assignment.objects.filter(organisation__slug="ha-noi").order_by("pk").first()
    return {"idempotency_key": key if isinstance(key, str) and key else "schemathesis",
            "values": [{"indicator": DOSSIERS, "numerator": "453", "denominator": "1000"}],
            "updates": [{"assignment_id": assignment.pk, "status": "in_progress",
                         "result": "Đang triển khai."}]}


# schemathesis draws its explicit examples while collecting, before any database is open:
# the hooks only mark a case "real", the test puts the real values in (with_real_values).
REAL = "real"


@schema.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    return st.sampled_from([path_parameters, {name: REAL for name in path_parameters}])


@schema.hook
def flatmap_body(context, body):
    if context.operation.path != BULK or not isinstance(body, dict):
        return st.just(body)
    return st.sampled_from([body, {REAL: body.get("idempotency_key")}])


def with_real_values(case):
    real = real_path_parameters(case.operation.path)
    case.path_parameters = {name: real[name] if value == REAL else value
                            for name, value in (case.path_parameters or {}).items()} or None
    if isinstance(case.body, dict) and set(case.body) == {REAL}:
        case.body = real_bulk_body(case.body[REAL])
    return case


@pytest.fixture(scope="module")
def demo_token(django_db_setup, django_db_blocker):
    """The demo data and an agency leader's token of Hà Nội, made once for the module and
    rolled back at its end; each test's own writes are rolled back after it."""
    from giamsat import demo
    from giamsat.api.tokens import create_token
    from giamsat.orgs.models import Organisation
    from giamsat.tasks.models import Assignment, Role, Task

    with django_db_blocker.unblock(), transaction.atomic():
        demo.generate()
        hanoi = Organisation.objects.get(slug="ha-noi")
        if not Assignment.objects.filter(organisation=hanoi).exists():
            Assignment.objects.create(task=Task.objects.order_by("pk").first(),
                                      organisation=hanoi, role=Role.LEAD)
        _token, secret = create_token("schemathesis", "agency_leader", hanoi)
        yield secret
        transaction.set_rollback(True)


@pytest.fixture
def wsgi_in_a_test_transaction():
    """Requests through the raw WSGI app close the database connection when they finish;
    Django's own test client switches that off, and so must this test."""
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


@pytest.fixture
def token(db, demo_token, wsgi_in_a_test_transaction, settings):
    settings.API_RATE_PER_MINUTE = 10**6  # the rate limit has tests of its own
    return demo_token


@schema.parametrize()
@settings(max_examples=EXAMPLES, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_its_schema(case, token):
    with_real_values(case).call_and_validate(headers={"Authorization": f"Bearer {token}"},
                                             checks=CHECKS)


def real_queries(path: str) -> dict | None:
    """Required query parameters of the operations that have them: the latest month with
    values in the demo, which runs to today."""
    from giamsat import demo
    from giamsat.reporting.periods import period_key

    month = period_key(demo.months()[-1])
    return {"/api/v1/indicators/{code}/blocs": {"period": month},
            "/api/v1/indicators/{code}/rollup": {"organisation": "ha-noi", "period": month},
            }.get(path)


# Required bodies of the operations that have them.
REAL_BODIES = {
    "/api/v1/difficulties/raised-by/{organisation}": {"problem": "Thiếu máy chủ dự phòng"},
    "/api/v1/difficulties/{item_id}/done-by/{organisation}": {"resolution": "Đã bổ sung"},
}


def real_case(operation):
    """One call of `operation` with real values, which must succeed."""
    given = {"path_parameters": real_path_parameters(operation.path),
             "query": real_queries(operation.path)}
    if operation.path == BULK:
        given.update(body=real_bulk_body("schemathesis-real"), media_type="application/json")
    elif operation.path in REAL_BODIES:
        given.update(body=REAL_BODIES[operation.path], media_type="application/json")
    return operation.Case(**{name: value for name, value in given.items() if value})


def test_every_operation_answers_a_real_request_with_a_token(token):
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 15
    for operation in operations:
        response = real_case(operation).call_and_validate(
            headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)
        created = operation.method.upper() == "POST" and "raised-by" in operation.path
        assert response.status_code == (201 if created else 200), (operation.label,
                                                                   response.text[:300])


def test_the_schema_describes_every_operation():
    paths = schema.raw_schema["paths"]
    assert {"/api/v1/tasks", BULK, "/api/v1/summary", "/api/v1/observations",
            "/api/v1/rankings/{code}", "/api/v1/compliance-groups"} <= set(paths)
    bulk = paths[BULK]["post"]
    assert {"200", "400", "401", "403", "404", "409", "413", "414", "429"} <= set(
        bulk["responses"])
