"""Finding probable duplicates before an agent creates or merges."""

from __future__ import annotations

from tests.factories import AddressFactory, CustomerFactory, EmailAddressFactory, PhoneNumberFactory


def _person(given, family, postcode=None, email=None, phone=None):
    c = CustomerFactory(given_name=given, family_name=family)
    if postcode:
        AddressFactory(customer=c, postcode=postcode)
    if email:
        EmailAddressFactory(customer=c, address=email)
    if phone:
        PhoneNumberFactory(customer=c, e164=phone)
    return c


def test_same_email_or_phone_is_a_possible_duplicate_whatever_the_name(db):
    from frontdoor.customers.queries import find_possible_duplicates

    ann = _person("Ann", "Smith", email="ann@example.com", phone="+447400123456")
    by_email = _person("Zed", "Other", email="ann@example.com")
    by_phone = _person("Yan", "Else", phone="+447400123456")
    _person("Ann", "Smith", email="someone@example.com")  # same name, no shared detail or postcode
    assert find_possible_duplicates(ann) == [by_email, by_phone]


def test_similar_name_at_the_same_postcode_is_a_possible_duplicate(db):
    from frontdoor.customers.queries import find_possible_duplicates

    ann = _person("Ann", "Smith", postcode="NR27 9EN")
    anne = _person("Anne", "Smith", postcode="NR27 9EN")
    swapped = _person("Smith", "Ann", postcode="NR27 9EN")
    _person("Bob", "Jones", postcode="NR27 9EN")  # same postcode, different person
    _person("Ann", "Smith", postcode="NR26 8AB")  # same name, elsewhere
    assert set(find_possible_duplicates(ann)) == {anne, swapped}


def test_merged_and_erased_records_are_not_offered(db, now):
    from frontdoor.customers.queries import find_possible_duplicates

    ann = _person("Ann", "Smith", email="ann@example.com")
    keep = _person("Other", "Person")
    tomb = _person("Ann", "Smith", email="ann@example.com")
    tomb.merged_into = keep
    tomb.save()
    erased = _person("X", "Y", email="ann@example.com")
    erased.erased_at = now
    erased.save()
    assert find_possible_duplicates(ann) == []
