"""Opening a case through the API stays within a fixed number of SQL statements."""

from __future__ import annotations

from django.db import connection
from django.test.utils import CaptureQueriesContext

from frontdoor.charter.models import Clock
from frontdoor.council.queries import current_council_version

BIN = {"service_code": "missed-bin", "channel": "web_form", "title": "Bin not collected",
       "description": "Green bin missed on Tuesday"}
# Measured after the council accessor stopped re-reading the stored version (and its whole
# document) and starting clocks stopped taking a savepoint: a partner's create is one
# transaction of these statements, most of them while the year's reference number is locked.
MAX_STATEMENTS_PER_CREATE = 38  # 41 before (a test counts its outer SAVEPOINT pair)


def test_opening_a_case_through_the_api_takes_a_bounded_number_of_queries(api):
    api.post("/cases", BIN, headers={"Idempotency-Key": "warm-up"})  # caches filled once
    with CaptureQueriesContext(connection) as queries:
        response = api.post("/cases", BIN, headers={"Idempotency-Key": "measured"})
    assert response.status_code == 201, response.content
    statements = [q["sql"] for q in queries.captured_queries]
    assert len(statements) <= MAX_STATEMENTS_PER_CREATE, "\n".join(statements)
    assert not any("council_councilversion" in sql for sql in statements)


def test_a_clock_started_through_the_api_names_the_council_version_it_was_started_under(api):
    response = api.post("/cases", BIN, headers={"Idempotency-Key": "versioned"})
    assert response.status_code == 201, response.content
    clocks = Clock.objects.filter(case__reference=response.json()["reference"])
    assert clocks.exists()
    assert {c.council_version_id for c in clocks} == {current_council_version().pk}
