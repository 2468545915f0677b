"""The council's [notifications] settings and contact details, with defaults on a fresh install."""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import ObjectDoesNotExist

from frontdoor.core.errors import FrontDoorError
from frontdoor.council.config import CouncilConfig, Notifications
from frontdoor.council.queries import current_council


@dataclass(frozen=True)
class CouncilContact:
    name: str
    phone: str
    email_domain: str
    emergency_contacts: tuple[tuple[str, str], ...]  # (name, phone)


def _current() -> CouncilConfig | None:
    try:
        return current_council()
    except (FrontDoorError, ObjectDoesNotExist):
        return None  # no configuration loaded yet: the defaults below apply


def notification_settings() -> Notifications:
    config = _current()
    return config.notifications if config else Notifications()


def council_contact(language: str = "en") -> CouncilContact:
    config = _current()
    if config is None:
        return CouncilContact("the council", "", "frontdoor.invalid", ())
    return CouncilContact(
        config.council.name.get(language),
        config.council.phone,
        config.council.web_domain,
        tuple((c.name.get(language), c.phone) for c in config.emergency_contacts),
    )
