"""Postcodes, phone numbers and emails as people type them."""

from __future__ import annotations

import pytest

from frontdoor.core.errors import InvalidInput
from frontdoor.customers.queries import normalise_email, normalise_phone, normalise_postcode
from frontdoor.customers.validation import ward_for_postcode


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("nr27 9en", "NR27 9EN"),
        ("NR279EN", "NR27 9EN"),
        (" sw1a  1aa ", "SW1A 1AA"),
        ("m1 1ae", "M1 1AE"),
        ("EC1A1BB", "EC1A 1BB"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_stored_in_one_form(typed, stored):
    assert normalise_postcode(typed) == stored


@pytest.mark.parametrize("typed", ["", "NR27", "NR27 9E", "12345", "NR27 9CI", "QQ1 1AA1"])
def test_non_postcodes_are_refused_naming_the_field(typed):
    with pytest.raises(InvalidInput) as refused:
        normalise_postcode(typed, field="address_postcode")
    assert refused.value.field == "address_postcode"


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("07400 123456", "+447400123456"),
        ("+44 (0)1263 513811", "+441263513811"),
        ("01263513811", "+441263513811"),
    ],
)
def test_phone_numbers_are_stored_as_e164(typed, stored):
    assert normalise_phone(typed) == stored


@pytest.mark.parametrize("typed", ["07700 900123", "12345", "not a number", ""])
def test_invalid_phone_numbers_are_refused(typed):
    with pytest.raises(InvalidInput) as refused:
        normalise_phone(typed)
    assert refused.value.field == "phone"


def test_emails_are_lower_cased_and_checked():
    assert normalise_email(" Ann@Example.COM ") == "ann@example.com"
    with pytest.raises(InvalidInput):
        normalise_email("ann@example")


def test_ward_comes_from_the_council_when_the_district_has_one_ward(db, monkeypatch):
    import tomllib
    from importlib import resources

    from frontdoor.council.config import CouncilConfig
    from frontdoor.customers import validation

    text = (resources.files("frontdoor.council") / "presets" / "north-norfolk.toml").read_text()
    config = CouncilConfig.model_validate(tomllib.loads(text))
    monkeypatch.setattr(validation, "current_council", lambda: config)
    expected = {
        pc: [w.code for w in config.wards if pc.split()[0] in w.postcode_districts]
        for pc in ("NR25 6BN", "NR27 9EN", "ZE1 0AA")
    }
    for postcode, wards in expected.items():
        assert ward_for_postcode(postcode) == (wards[0] if len(wards) == 1 else "")
    assert any(len(w) == 1 for w in expected.values())  # the check above is not vacuous


def test_without_a_council_the_ward_is_left_blank(db):
    assert ward_for_postcode("NR25 6BN") == ""
