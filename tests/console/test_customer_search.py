"""Find the customer: one search box for names (typos, partial names), postcodes, phones,
emails, case references and UPRNs, with who may use it."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from django.test import Client

from frontdoor.accounts.models import User
from frontdoor.audit.models import AuditEntry
from frontdoor.cases.models import CaseParty
from frontdoor.customers.actions import (
    add_warning_marker,
    create_customer,
    erase_customer,
    merge_customers,
    update_customer,
)
from frontdoor.customers.models import Customer
from frontdoor.customers.queries import search_customers
from tests.cases.factories import open_waste_case
from tests.factories import UserFactory
from tests.pagecheck import check_page, text_of

pytestmark = pytest.mark.django_db


def person(now: datetime, given: str, family: str, **details: Any) -> Customer:
    return create_customer(
        kind="person", given_name=given, family_name=family, by=None, now=now, **details
    )


@pytest.fixture
def agent() -> User:
    return UserFactory(role="agent")


@pytest.fixture
def people(council: Any, now: datetime) -> dict[str, Customer]:
    return {
        "john": person(
            now,
            "John",
            "Smith",
            emails=["john.smith@example.com"],
            phones=["07400 123456"],
            addresses=[
                {
                    "line1": "1 Church Street",
                    "town": "Cromer",
                    "postcode": "NR27 9EN",
                    "uprn": "100091234567",
                }
            ],
        ),
        "jane": person(
            now,
            "Jane",
            "Smithers",
            phones=["01263 513811"],
            addresses=[{"line1": "4 High Street", "town": "Holt", "postcode": "NR25 6BN"}],
        ),
        "bob": person(
            now,
            "Bob",
            "Jones",
            addresses=[{"line1": "2 Church Street", "town": "Cromer", "postcode": "NR27 9EN"}],
        ),
        "zoe": person(now, "Zoë", "O'Brien"),
    }


def names(matches: list[Any]) -> list[str]:
    return [m.customer.display_name for m in matches]


def test_a_misspelt_name_finds_the_customer_first(agent, people):
    found = search_customers(user=agent, text="Jon Smiht")
    assert names(found)[0] == "John Smith"
    assert found[0].matched_on == "name"
    assert "Bob Jones" not in names(found)


def test_part_of_a_name_finds_everyone_whose_name_starts_with_it(agent, people):
    found = names(search_customers(user=agent, text="smi"))
    assert set(found) == {"John Smith", "Jane Smithers"}


def test_the_exact_name_comes_before_similar_names(agent, people):
    assert names(search_customers(user=agent, text="john smith"))[0] == "John Smith"
    assert names(search_customers(user=agent, text="Jane Smithers"))[0] == "Jane Smithers"


def test_accents_and_apostrophes_do_not_matter(agent, people):
    assert names(search_customers(user=agent, text="zoe obrien")) == ["Zoë O'Brien"]


def test_a_postcode_in_any_spacing_or_case_finds_everyone_living_there(agent, people):
    for typed in ("NR27 9EN", "nr279en", " nr27  9en "):
        found = search_customers(user=agent, text=typed)
        assert set(names(found)) == {"John Smith", "Bob Jones"}, typed
        assert {m.matched_on for m in found} == {"postcode"}


@pytest.mark.parametrize(
    "typed", ["07400 123456", "+44 7400 123456", "07400123456", "(07400) 123-456"]
)
def test_a_mobile_number_in_any_common_format_finds_the_customer(agent, people, typed):
    found = search_customers(user=agent, text=typed)
    assert names(found) == ["John Smith"]
    assert found[0].matched_on == "phone"


def test_a_landline_number_finds_the_customer(agent, people):
    assert names(search_customers(user=agent, text="01263 513811")) == ["Jane Smithers"]


def test_an_email_address_in_capitals_finds_the_customer(agent, people):
    assert names(search_customers(user=agent, text=" John.Smith@Example.COM ")) == ["John Smith"]


def test_a_uprn_finds_the_customer_at_that_property(agent, people):
    found = search_customers(user=agent, text="100091234567")
    assert names(found) == ["John Smith"] and found[0].matched_on == "uprn"


def test_exact_identifiers_rank_before_name_matches(agent, people, now):
    # Someone whose *name* looks like the reference the agent typed must not outrank it.
    exact = search_customers(user=agent, text="x", also=[(people["bob"].pk, "reference")])
    assert names(exact) == ["Bob Jones"]
    mixed = search_customers(user=agent, text="smith", also=[(people["bob"].pk, "reference")])
    assert names(mixed)[0] == "Bob Jones" and mixed[0].matched_on == "reference"
    assert set(names(mixed)[1:]) == {"John Smith", "Jane Smithers"}


def test_a_renamed_customer_is_found_by_the_new_name(agent, people, now):
    john = people["john"]
    update_customer(
        customer=john,
        changes={"family_name": "Wainwright"},
        expected_version=john.version,
        by=None,
        now=now,
    )
    assert names(search_customers(user=agent, text="wainwright")) == ["John Wainwright"]
    assert "John Wainwright" not in names(search_customers(user=agent, text="smith"))


def test_merged_and_erased_customers_are_not_listed(agent, people, now):
    merge_customers(keep=people["jane"], merge=people["john"], by=None, now=now)
    erase_customer(customer=people["bob"], by=None, now=now, reason="Erasure request 12")
    assert names(search_customers(user=agent, text="smith")) == ["Jane Smithers"]
    # John's phone moved to Jane with the merge.
    assert names(search_customers(user=agent, text="07400 123456")) == ["Jane Smithers"]
    assert search_customers(user=agent, text="Bob Jones") == []


def test_results_mask_contact_details_and_flag_warning_markers(agent, people, now):
    add_warning_marker(
        customer=people["john"],
        category="verbal_abuse",
        description="Shouted at reception staff",
        by=None,
        now=now,
    )
    [john] = search_customers(user=agent, text="john.smith@example.com")
    assert john.has_warning
    assert john.email.startswith("jo") and john.email.endswith("@example.com")
    assert "john.smith" not in john.email
    assert john.phone.endswith("456") and "123456" not in john.phone
    assert (john.line1, john.town, john.postcode) == ("1 Church Street", "Cromer", "NR27 9EN")


def test_staff_who_may_not_see_customers_find_nobody(people):
    admin = UserFactory(role="administrator")
    resident = UserFactory(role="resident")
    assert search_customers(user=admin, text="smith") == []
    assert search_customers(user=resident, text="smith") == []


# --- the page -----------------------------------------------------------------------------------


def test_the_search_page_puts_the_cursor_in_the_search_box(client: Client, agent):
    client.force_login(agent)
    response = client.get("/staff/customers/")
    assert response.status_code == 200
    document = check_page(response.content.decode(), title_contains="Find a customer")
    box = next(e for e in document.iter() if e.get("id") == "q")
    assert box.get("autofocus") is not None and box.get("name") == "q"


def test_search_results_show_address_contact_open_cases_and_warnings(
    client: Client, agent, people, now, django_assert_max_num_queries
):
    case = open_waste_case(by=agent, now=now, customer=people["john"])
    add_warning_marker(
        customer=people["john"],
        category="violence",
        description="Threatened an officer",
        by=None,
        now=now,
    )
    client.force_login(agent)
    with django_assert_max_num_queries(12):
        response = client.get("/staff/customers/", {"q": "smith"})
    text = text_of(check_page(response.content.decode()))
    assert "2 customers found" in text
    assert "John Smith" in text and "1 Church Street, Cromer" in text and "NR27 9EN" in text
    assert "Warning marker" in text
    assert "john.smith@example.com" not in text
    rows = response.content.decode().split("<tr")[2:]
    john_row = next(r for r in rows if "John Smith" in r)
    jane_row = next(r for r in rows if "Jane Smithers" in r)
    assert '--numeric">1</td>' in john_row and '--numeric">0</td>' in jane_row
    assert case.is_open


def test_a_case_reference_goes_straight_to_its_customer(client: Client, agent, people, now):
    case = open_waste_case(by=agent, now=now, customer=people["jane"])
    client.force_login(agent)
    response = client.get("/staff/customers/", {"q": f"  {case.reference.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == f"/staff/customers/{people['jane'].pk}/"


def test_a_case_reference_with_several_customers_lists_them(client: Client, agent, people, now):
    case = open_waste_case(by=agent, now=now, customer=people["jane"])
    CaseParty.objects.create(case=case, customer=people["bob"], role="reporter")
    client.force_login(agent)
    response = client.get("/staff/customers/", {"q": case.reference})
    text = text_of(check_page(response.content.decode()))
    assert f"2 customers found for case {case.reference}" in text
    assert "Jane Smithers" in text and "Bob Jones" in text


def test_an_unknown_case_reference_says_so(client: Client, agent, people):
    client.force_login(agent)
    response = client.get("/staff/customers/", {"q": "NN-2026-999999"})
    assert "There is no case NN-2026-999999 that you can see" in text_of(
        check_page(response.content.decode())
    )


def test_nobody_found_explains_what_to_try(client: Client, agent, people):
    client.force_login(agent)
    response = client.get("/staff/customers/", {"q": "Quentin Zebedee"})
    text = text_of(check_page(response.content.decode()))
    assert "No customers found" in text and "try part of the name" in text


def test_each_search_that_shows_customers_is_audited(client: Client, agent, people):
    client.force_login(agent)
    client.get("/staff/customers/", {"q": "nr27 9en"})
    entry = AuditEntry.objects.get(action="customer_search.viewed")
    assert entry.actor_id == agent.pk
    assert sorted(entry.data["customer_ids"]) == sorted([people["john"].pk, people["bob"].pk])


def test_anonymous_visitors_are_sent_to_sign_in(client: Client):
    response = client.get("/staff/customers/?q=smith")
    assert response.status_code == 302
    assert response["Location"].startswith("/staff/sign-in/?next=/staff/customers/")


@pytest.mark.parametrize("role", ["resident", "administrator"])
def test_residents_and_administrators_may_not_search(client: Client, role, people):
    client.force_login(UserFactory(role=role))
    assert client.get("/staff/customers/", {"q": "smith"}).status_code == 403


@pytest.mark.parametrize("role", ["agent", "case_officer", "team_leader", "manager"])
def test_staff_who_serve_customers_may_search(client: Client, role, people):
    client.force_login(UserFactory(role=role))
    response = client.get("/staff/customers/", {"q": "smith"})
    assert response.status_code == 200
    assert "John Smith" in response.content.decode()
