"""The OpenAPI description: committed, kept in step with the code, and fuzzed (schemathesis)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import schemathesis
from django.core.management import call_command
from hypothesis import HealthCheck, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

COMMITTED = Path(__file__).resolve().parents[3] / "docs" / "api" / "openapi.yaml"


def test_the_committed_openapi_description_matches_the_code():
    out = io.StringIO()
    call_command("spectacular", "--lang", "en", "--validate", "--fail-on-warn", stdout=out)
    assert out.getvalue() == COMMITTED.read_text(encoding="utf-8"), (
        "docs/api/openapi.yaml is out of date: run `make openapi` and commit it"
    )


@pytest.fixture
def api_schema(db, personas):
    from rdec.core.services import create_api_key
    from rdec.wsgi import application

    _key, raw = create_api_key(name="fuzzer", agency=None, actor=None)
    # give the fuzzer's service user oversight, so that protected endpoints are fuzzed in depth
    user = _key.user
    user.role = "rdec_officer"
    user.save()
    # Like Django's test client: requests through the real WSGI handler must not close the test
    # transaction's connection at the end of each request (they would on PostgreSQL).
    from django.core import signals
    from django.db import close_old_connections

    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    try:
        schema = schemathesis.openapi.from_wsgi("/api/schema/", application)
        schema.config.headers = {"Authorization": f"Api-Key {raw}"}
        yield schema
    finally:
        signals.request_started.connect(close_old_connections)
        signals.request_finished.connect(close_old_connections)


def test_no_api_operation_answers_a_server_error(api_schema):
    """Every operation of /api/schema/, with generated valid and invalid input: never a 5xx."""
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) >= 8
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def fuzz(case):
            # Every built-in check (no 5xx, responses match the schema, bad input refused, ...) except
            # "schema-valid input is accepted": a well-formed date outside the loaded office calendar
            # is rightly a 400.
            case.call_and_validate(excluded_checks=[positive_data_acceptance])

        fuzz()
