"""Creating a customer: everything checked first, nothing half-done, every change recorded."""

from __future__ import annotations

import pytest

from frontdoor.audit.models import AuditEntry
from frontdoor.audit.queries import entries_for
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.customers.actions import add_address, add_email, add_phone, create_customer
from frontdoor.customers.models import Address, Customer, EmailAddress, PhoneNumber
from tests.factories import UserFactory

GOOD_ADDRESS = {"line1": "1 Church Street", "town": "Cromer", "postcode": "nr27 9en"}


def test_agent_creates_a_customer_with_normalised_details(agent, now):
    customer = create_customer(
        kind="person",
        given_name="Ann",
        family_name="Smith",
        emails=["Ann.Smith@Example.COM", "ann@work.example.com"],
        phones=["07400 123456", "01263 513811"],
        addresses=[{**GOOD_ADDRESS, "uprn": "100091234567"}],
        alternative_formats=["large_print"],
        by=agent,
        now=now,
    )
    assert customer.display_name == "Ann Smith"
    assert customer.version == 1 and customer.created_at == now
    emails = list(customer.emails.order_by("pk").values_list("address", "is_primary"))
    assert emails == [("ann.smith@example.com", True), ("ann@work.example.com", False)]
    phones = list(customer.phones.order_by("pk").values_list("e164", "kind", "is_primary"))
    assert phones == [("+447400123456", "mobile", True), ("+441263513811", "landline", False)]
    address = customer.addresses.get()
    assert (address.postcode, address.uprn, address.is_primary) == (
        "NR27 9EN",
        "100091234567",
        True,
    )
    [event] = customer.events.all()
    assert (event.action, event.by, event.at) == ("created", agent, now)
    [entry] = entries_for("customer", customer.pk)
    assert (entry.action, entry.actor, entry.kind) == ("customer.created", agent, "change")


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"addresses": [{**GOOD_ADDRESS, "postcode": "NR27"}]}, "addresses.0.postcode"),
        ({"addresses": [{**GOOD_ADDRESS, "postcode": "ZZ99 ZZZ"}]}, "addresses.0.postcode"),
        ({"addresses": [{**GOOD_ADDRESS, "uprn": "1234567890123"}]}, "addresses.0.uprn"),
        ({"addresses": [{**GOOD_ADDRESS, "uprn": "12A"}]}, "addresses.0.uprn"),
        ({"addresses": [{**GOOD_ADDRESS, "usrn": "123456789"}]}, "addresses.0.usrn"),
        ({"addresses": [{**GOOD_ADDRESS, "line1": ""}]}, "addresses.0.line1"),
        ({"phones": ["07400 123456", "07700 900123"]}, "phones.1"),
        ({"phones": ["12345"]}, "phones.0"),
        ({"emails": ["ann@"]}, "emails.0"),
        ({"family_name": "", "given_name": ""}, "family_name"),
        ({"alternative_formats": ["smoke_signals"]}, "alternative_formats"),
        ({"vulnerability_flags": ["grumpy"]}, "vulnerability_flags"),
        ({"preferred_channel": "pigeon"}, "preferred_channel"),
        ({"date_of_birth": "2027-01-01"}, "date_of_birth"),
        ({"kind": "robot"}, "kind"),
    ],
)
def test_invalid_details_name_the_field_and_create_nothing(agent, now, kwargs, field):
    args = {
        "kind": "person",
        "given_name": "Ann",
        "family_name": "Smith",
        "emails": ["ann@example.com"],
        "phones": ["07400 123456"],
        "addresses": [GOOD_ADDRESS],
        **kwargs,
    }
    with pytest.raises(InvalidInput) as refused:
        create_customer(**args, by=agent, now=now)
    assert refused.value.field == field
    assert refused.value.message
    assert not Customer.objects.exists()
    assert not EmailAddress.objects.exists() and not PhoneNumber.objects.exists()
    assert not Address.objects.exists() and not AuditEntry.objects.exists()


def test_organisation_needs_its_name(agent, now):
    with pytest.raises(InvalidInput) as refused:
        create_customer(kind="organisation", given_name="Ann", by=agent, now=now)
    assert refused.value.field == "organisation_name"
    org = create_customer(
        kind="organisation", organisation_name="Cromer Pier Ltd", by=agent, now=now
    )
    assert org.display_name == "Cromer Pier Ltd"


@pytest.mark.parametrize("role", ["resident", "api_client", "administrator"])
def test_people_who_do_not_serve_customers_cannot_create_them(db, now, role):
    with pytest.raises(Forbidden):
        create_customer(kind="person", family_name="Smith", by=UserFactory(role=role), now=now)
    assert not Customer.objects.exists()


def test_added_details_are_validated_recorded_and_a_new_primary_replaces_the_old(agent, now):
    customer = create_customer(
        kind="person", family_name="Smith", emails=["a@example.com"], by=agent, now=now
    )
    with pytest.raises(InvalidInput) as refused:
        add_phone(customer=customer, number="07700 900123", by=agent, now=now)
    assert refused.value.field == "number"
    with pytest.raises(InvalidInput) as refused:
        add_address(customer=customer, line1="1 High St", postcode="NR2", by=agent, now=now)
    assert refused.value.field == "postcode"
    add_email(customer=customer, address="B@Example.com", make_primary=True, by=agent, now=now)
    add_phone(customer=customer, number="+44 7400 123456", by=agent, now=now)
    assert list(customer.emails.filter(is_primary=True).values_list("address", flat=True)) == [
        "b@example.com"
    ]
    assert customer.phones.get().is_primary  # the first number becomes primary
    actions = list(customer.events.values_list("action", flat=True))
    assert actions == ["created", "email_added", "phone_added"]
    assert entries_for("customer", customer.pk).count() == 3
    customer.refresh_from_db()
    assert customer.version == 3
