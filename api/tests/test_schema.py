"""The API against its own OpenAPI schema: schemathesis calls every operation with generated
input (with a secretariat token, which the public endpoints ignore) and checks that no call
is a server error and that every response (status, content type, body) matches the schema."""

import datetime

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import positive_data_acceptance

from benchmarking.services.reports import report_issue
from tests.factories import ClusterFactory, LabelFactory, approved_interview


@pytest.fixture
def api_data(catalogue, staff_user, settings):
    settings.ECEI_API_RATE_ANONYMOUS = "100000/minute"
    settings.ECEI_API_RATE_USER = "100000/minute"
    cache.clear()
    interview = approved_interview(date=datetime.date(2024, 3, 1))
    LabelFactory(cluster=interview.cluster, code="DEU001202403B", interview=interview, source="interview")
    LabelFactory(cluster=ClusterFactory(country="FR"), code="FRA001202001B")
    report_issue(interview=interview, user=staff_user)
    return Token.objects.create(user=staff_user).key


@pytest.fixture
def api_schema(api_data):
    # Called through WSGI, each request would close the test's database connection at its
    # end (PostgreSQL): keep it open, as Django's test client does.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", get_wsgi_application())
    # Plain bodies: the site compresses for browsers, and the WSGI transport does not inflate.
    schema.config.headers = {"Authorization": f"Token {api_data}", "Accept-Encoding": "identity"}
    yield schema
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


# Each operation is a test of its own. (schemathesis' own pytest loader does not run under
# pytest 9, so the operations are listed here, and a test checks that the list is complete.)
OPERATIONS = [
    "GET /api/v1/clusters/",
    "GET /api/v1/clusters/{slug}/",
    "GET /api/v1/labels/{code}/",
    "GET /api/v1/portfolios/",
    "GET /api/v1/countries/",
    "GET /api/v1/interviews/",
    "GET /api/v1/interviews/{id}/",
    "GET /api/v1/reports/",
    "GET /api/v1/reports/{code}/",
    "GET /api/v1/statistics/",
    "POST /api/v1/credentials/verify/",
    "GET /api/v1/comparisons/{slug}/",
]


def test_every_operation_is_tested(api_schema):
    found = [f"{op.method.upper()} {op.path}" for op in (r.ok() for r in api_schema.get_all_operations())]
    assert sorted(found) == sorted(OPERATIONS)


@pytest.mark.slow
@pytest.mark.parametrize("operation", OPERATIONS)
def test_api_matches_its_schema(api_schema, operation):
    method, path = operation.split(" ")
    strategy = api_schema[path][method].as_strategy()

    @given(case=strategy)
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck), database=None)
    def call(case):
        # Every check but "schema-valid input is accepted": a well-formed slug of a portfolio
        # that does not exist is rightly a 400, which the schema documents.
        case.call_and_validate(excluded_checks=[positive_data_acceptance])

    call()


def test_the_schema_validates_without_warnings(db):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("spectacular", "--validate", "--fail-on-warn", stdout=out)
    assert "openapi: 3.0.3" in out.getvalue()
