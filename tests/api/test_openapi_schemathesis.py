"""schemathesis against the OpenAPI schema: no server error, and every response matches
the schema (status codes, content types, bodies), for every operation, with a real token."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from giamsat.wsgi import application

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]


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
def token(db, org, wsgi_in_a_test_transaction):
    from giamsat import demo
    from giamsat.api.tokens import create_token

    demo.generate()
    _token, secret = create_token("schemathesis", "agency_leader", org("Hà Nội"))
    return secret


@schema.parametrize()
@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                 HealthCheck.filter_too_much])
def test_the_api_keeps_its_schema(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=CHECKS)


def test_the_schema_describes_every_operation():
    paths = schema.raw_schema["paths"]
    assert {"/api/v1/tasks", "/api/v1/agency-reports/{organisation}/{period}/bulk",
            "/api/v1/summary", "/api/v1/observations"} <= set(paths)
    bulk = paths["/api/v1/agency-reports/{organisation}/{period}/bulk"]["post"]
    assert {"200", "400", "401", "403", "404", "409", "429"} <= set(bulk["responses"])
