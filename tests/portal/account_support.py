"""Helpers for My Account and tracking tests: residents made through the real actions."""

from __future__ import annotations

import re
from datetime import datetime

from django.core.cache import cache

from frontdoor.accounts.actions import email_confirmation_token, register_resident
from frontdoor.accounts.models import User
from frontdoor.cases.actions import link_case_to_account
from frontdoor.cases.models import Case
from frontdoor.customers.self_service import confirm_account_email, customer_for_account
from frontdoor.notifications.models import Message
from tests.cases.factories import open_waste_case

PASSWORD = "marmalade kettle lighthouse"
_LINK = re.compile(r"https?://\S+")


def confirm_url(token: str) -> str:
    return f"http://testserver/account/confirm-email/{token}/"


def make_resident(*, now: datetime, email: str = "rita.resident@example.com",
                  given: str = "Rita", family: str = "Resident", confirmed: bool = True) -> User:
    """A registered resident (confirmed by default, so with a customer record)."""
    user = register_resident(email=email, password=PASSWORD, given_name=given, family_name=family,
                             confirm_url=confirm_url, sign_in_url="http://testserver/account/sign-in/",
                             now=now)
    assert user is not None
    if confirmed:
        confirm_account_email(token=email_confirmation_token(user=user, now=now), now=now)
    return user


def latest_link(email: str, event: str = "account_created") -> str:
    """The link in the newest outbox message of `event` to `email` (what the person clicks)."""
    message = Message.objects.filter(event=event, recipient__email=email).latest("pk")
    found = _LINK.search(message.body)
    assert found, message.body
    return found.group(0).rstrip(".")


def path_of(link: str) -> str:
    return re.sub(r"^https?://[^/]+", "", link)


def linked_case(*, resident: User, by: User, now: datetime, **extra: object) -> Case:
    """A case staff opened for the resident's customer record and linked to their account."""
    case = open_waste_case(by=by, now=now, customer=customer_for_account(resident), **extra)
    link_case_to_account(case=case, account=resident, identity_check="Date of birth and address",
                         by=by, now=now)
    return case


def clear_throttle() -> None:
    cache.clear()
