"""Team queues and "my cases": soonest due first, deadline tags, filters, sharing out work."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import get_resolver
from freezegun import freeze_time

from frontdoor.accounts.models import User
from frontdoor.cases.actions import assign_case, change_status
from frontdoor.cases.models import Case, CaseEvent, EventKind, Status
from tests.cases.factories import open_waste_case
from tests.factories import UserFactory
from tests.pagecheck import NS, check_page, text_of

pytestmark = pytest.mark.django_db

QUEUE = "/staff/queues/waste-services/"


@pytest.fixture(autouse=True)
def frozen(now: datetime) -> Iterator[None]:
    """The pages read the clock; pin it to the `now` fixture (Monday 5 January 2026, 10:00).

    Every view module is imported first: a pydantic model defined while the clock is frozen
    would see freezegun's fake date class.
    """
    get_resolver().url_patterns  # noqa: B018  (imports the URLconf and every view module)
    with freeze_time(now):
        yield


@pytest.fixture
def officer(db: None) -> User:
    return UserFactory(role="case_officer", display_name="Owen Officer",
                       teams={"waste-services": "member"})


@pytest.fixture
def leader(db: None) -> User:
    return UserFactory(role="team_leader", display_name="Lee Leader",
                       teams={"waste-services": "leader"})


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def rows_of(html: str) -> list[str]:
    document = check_page(html)
    table = document.find(f".//{NS}table[@id='cases']")
    if table is None:
        return []
    # Leaders' rows start with a hidden "Select <reference>" checkbox label: drop it.
    return [text_of(row).removeprefix("Select ").split(" ", 1)[1]
            if text_of(row).startswith("Select ") else text_of(row)
            for row in table.iter(f"{NS}tr")][1:]


def test_the_queue_lists_the_soonest_due_first_with_breached_and_due_today_tags(
    council, officer, now
):
    overdue = open_waste_case(by=officer, now=now, received_at=now - timedelta(days=14))
    later = open_waste_case(by=officer, now=now)
    # Received Wednesday 24 December: after Christmas and New Year, 5 working days end today.
    today = open_waste_case(by=officer, now=now, received_at=now - timedelta(days=12))

    response = signed_in(officer).get(QUEUE)

    assert response.status_code == 200
    rows = rows_of(response.content.decode())
    assert [r.split()[0] for r in rows] == [overdue.reference, today.reference, later.reference]
    assert "Breached" in rows[0]
    assert "At risk" in rows[1] or "Due today" in rows[1]
    assert "Breached" not in rows[2] and "At risk" not in rows[2]


def test_a_case_waiting_on_the_customer_shows_paused(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    change_status(case=case, status=Status.WAITING_ON_CUSTOMER, by=officer, now=now,
                  expected_version=case.version)
    rows = rows_of(signed_in(officer).get(QUEUE).content.decode())
    assert "Paused" in rows[0] and "Waiting on customer" in rows[0]


def test_filters_narrow_the_queue_by_owner_due_date_service_and_status(council, officer, leader,
                                                                        now):
    overdue = open_waste_case(by=officer, now=now, received_at=now - timedelta(days=14))
    mine = open_waste_case(by=officer, now=now)
    assign_case(case=mine, owner=officer, by=officer, now=now, expected_version=mine.version)
    other_service = open_waste_case(by=officer, now=now, service_code="missed-bin")
    client = signed_in(leader)

    def refs(query: str) -> set[str]:
        return {r.split()[0] for r in rows_of(client.get(QUEUE + query).content.decode())}

    assert refs("?owner=unassigned") == {overdue.reference, other_service.reference}
    assert refs(f"?owner={officer.pk}") == {mine.reference}
    assert refs("?due=overdue") == {overdue.reference}
    assert refs("?due=this_week") == set()  # the others are due next week
    assert refs("?service=missed-bin") == {other_service.reference}
    assert refs("?status=assigned") == {mine.reference}
    page = client.get(QUEUE + "?due=overdue").content.decode()
    assert "Selected filters" in page and "Remove this filter" in page


def test_the_filter_form_works_without_javascript(council, officer):
    html = signed_in(officer).get(QUEUE).content.decode()
    document = check_page(html)
    form = document.find(f".//{NS}form[@method='get']")
    assert form is not None and form.get("action") == QUEUE
    names = {el.get("name") for el in form.iter() if el.get("name")}
    assert {"service", "status", "owner", "due"} <= names


def test_the_queue_pages_through_long_queues(council, officer, now):
    for day in range(27):
        open_waste_case(by=officer, now=now, received_at=now - timedelta(hours=day))
    client = signed_in(officer)
    first = client.get(QUEUE).content.decode()
    assert len(rows_of(first)) == 25 and "Showing 1 to 25 of 27" in first
    second = client.get(QUEUE + "?page=2").content.decode()
    assert len(rows_of(second)) == 2 and "Showing 26 to 27 of 27" in second


def test_the_queue_takes_the_same_few_queries_however_many_rows(council, officer, leader, now):
    client = signed_in(leader)
    open_waste_case(by=officer, now=now)
    client.get(QUEUE)  # warm the council cache
    counts = []
    for more in (0, 20):
        for _ in range(more):
            case = open_waste_case(by=officer, now=now)
            assign_case(case=case, owner=officer, by=officer, now=now, expected_version=1)
        with CaptureQueriesContext(connection) as queries:
            response = client.get(QUEUE)
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    # session, user, teams, count, cases with owners, parties, clocks, team officers
    assert counts[1] <= 8, [q["sql"] for q in queries.captured_queries]


def test_my_cases_lists_only_the_officers_own_cases(council, officer, leader, now):
    mine = open_waste_case(by=officer, now=now)
    assign_case(case=mine, owner=officer, by=officer, now=now, expected_version=1)
    open_waste_case(by=officer, now=now)
    response = signed_in(officer).get("/staff/my-cases/")
    html = response.content.decode()
    assert [r.split()[0] for r in rows_of(html)] == [mine.reference]
    assert "My cases" in text_of(check_page(html).find(f".//{NS}h1"))


def test_the_queue_list_shows_each_team_with_open_and_overdue_counts(council, officer, now):
    open_waste_case(by=officer, now=now, received_at=now - timedelta(days=14))
    open_waste_case(by=officer, now=now)
    html = signed_in(officer).get("/staff/queues/").content.decode()
    text = text_of(check_page(html))
    assert "Waste" in text and "1 overdue" in text
    assert f'href="{QUEUE}"' in html


def test_an_officer_takes_an_unassigned_case_from_the_queue(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    client = signed_in(officer)
    response = client.post(f"/staff/cases/{case.reference}/take/",
                           {"expected_version": case.version, "next": QUEUE})
    assert response.status_code == 302 and response["Location"] == QUEUE
    case.refresh_from_db()
    assert case.owner == officer
    assert f"You now own {case.reference}" in client.get(QUEUE).content.decode()


def test_a_leader_assigns_several_cases_at_once(council, officer, leader, now):
    cases = [open_waste_case(by=officer, now=now) for _ in range(3)]
    client = signed_in(leader)
    html = client.get(QUEUE).content.decode()
    assert "Assign selected to" in html
    data = {"case": [c.pk for c in cases[:2]], "owner": officer.pk, "filters": "due=",
            **{f"version-{c.pk}": c.version for c in cases}}
    response = client.post(QUEUE + "assign/", data)
    assert response.status_code == 302
    owners = dict(Case.objects.values_list("pk", "owner_id"))
    assert [owners[c.pk] for c in cases] == [officer.pk, officer.pk, None]
    assert CaseEvent.objects.filter(kind=EventKind.ASSIGNED, by=leader).count() == 2
    assert "2 cases assigned to Owen Officer" in client.get(response["Location"]).content.decode()


def test_bulk_assign_saves_nothing_when_a_selected_case_changed_meanwhile(
    council, officer, leader, now
):
    first, second = (open_waste_case(by=officer, now=now) for _ in range(2))
    seen = {f"version-{c.pk}": c.version for c in (first, second)}
    assign_case(case=second, owner=officer, by=officer, now=now, expected_version=1)
    response = signed_in(leader).post(QUEUE + "assign/", {
        "case": [first.pk, second.pk], "owner": leader.pk, **seen})
    assert response.status_code == 409
    html = response.content.decode()
    check_page(html)
    assert "Someone else changed one of the selected cases" in html
    assert Case.objects.get(pk=first.pk).owner_id is None
    assert 'checked' in html  # the selection is kept


def test_bulk_assign_without_an_officer_asks_for_one(council, officer, leader, now):
    case = open_waste_case(by=officer, now=now)
    response = signed_in(leader).post(QUEUE + "assign/", {"case": [case.pk], "owner": "",
                                                          f"version-{case.pk}": 1})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Choose who to assign the cases to" in html and 'href="#owner"' in html
    assert check_page(html).find(f"./{NS}head/{NS}title").text.startswith("Error: ")


def test_a_case_officer_cannot_share_out_the_queue(council, officer, now):
    case = open_waste_case(by=officer, now=now)
    colleague = UserFactory(role="case_officer", teams={"waste-services": "member"})
    client = signed_in(officer)
    assert "Assign selected to" not in client.get(QUEUE).content.decode()
    response = client.post(QUEUE + "assign/", {"case": [case.pk], "owner": colleague.pk,
                                               f"version-{case.pk}": 1})
    assert response.status_code == 403
    assert Case.objects.get(pk=case.pk).owner_id is None


# ------------------------------------------------------------------------- permissions


@pytest.mark.parametrize("url", ["/staff/queues/", QUEUE, "/staff/my-cases/"])
def test_signed_out_visitors_are_sent_to_sign_in(council, client, url):
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/staff/sign-in/")


@pytest.mark.parametrize("url", ["/staff/queues/", QUEUE, "/staff/my-cases/"])
def test_residents_are_refused(council, url):
    resident = UserFactory(role="resident")
    assert signed_in(resident).get(url).status_code == 403


def test_bulk_assign_refuses_signed_out_visitors_and_residents(council, client, officer, now):
    case = open_waste_case(by=officer, now=now)
    data = {"case": [case.pk], "owner": officer.pk}
    assert client.post(QUEUE + "assign/", data).status_code == 302
    assert signed_in(UserFactory(role="resident")).post(QUEUE + "assign/", data).status_code == 403


def test_another_teams_queue_does_not_exist_for_an_officer(council, officer, now):
    elsewhere = UserFactory(role="case_officer", teams={"environmental-health": "member"})
    case = open_waste_case(by=officer, now=now)
    client = signed_in(elsewhere)
    assert client.get(QUEUE).status_code == 404
    response = client.post(QUEUE + "assign/", {"case": [case.pk], "owner": elsewhere.pk,
                                               f"version-{case.pk}": 1})
    assert response.status_code == 404


def test_agents_see_no_team_queues(council):
    agent = UserFactory(role="agent")
    client = signed_in(agent)
    assert client.get(QUEUE).status_code == 403
    assert client.get("/staff/queues/").status_code == 403
    assert client.get("/staff/my-cases/").status_code == 403
