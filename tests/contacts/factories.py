"""Factories and helpers for contacts (and the cases tests that need contacts)."""

from __future__ import annotations

import factory
from factory.django import DjangoModelFactory

from frontdoor.contacts.models import Contact
from tests.factories import FIXED_NOW


class ContactFactory(DjangoModelFactory[Contact]):
    """A contact row written directly (no audit); use log_contact when the test is about it."""

    class Meta:
        model = Contact

    channel = "phone"
    direction = "inbound"
    received_at = FIXED_NOW
    logged_at = FIXED_NOW
    created_at = FIXED_NOW
    service_code = "missed-bin"
    summary = factory.Sequence(lambda n: f"Bin not collected on Church Street ({n})")
