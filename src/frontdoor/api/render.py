"""Turn domain objects into the API's response bodies (plain dicts the schemas validate)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from frontdoor.accounts.models import Role
from frontdoor.core.errors import NotFound

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.cases.models import Case, CaseEvent
    from frontdoor.contacts.models import Contact
    from frontdoor.council.config import CouncilConfig, Service
    from frontdoor.customers.models import Customer
    from frontdoor.notifications.models import WebhookSubscription


def acting_staff(user: User) -> User | None:
    """Who the customers and contacts actions should record: staff, or the system for a key.

    Those actions check the staff permission matrix; a partner's scope was checked at the
    edge, so a key acts as the system (the audit entry then has no named actor).
    """
    return None if user.role == Role.API_CLIENT else user


def known_service(council: CouncilConfig, code: str) -> Service:
    try:
        return council.service(code)
    except (KeyError, LookupError):
        raise NotFound(f"There is no service {code!r}", field="code") from None


def service(item: Service) -> dict[str, Any]:
    return {
        "code": item.code,
        "name": item.name.get("en"),
        "description": item.description.get("en") if item.description else "",
        "team_code": item.team,
        "case_type": item.case_type,
        "channels": list(item.channels),
        "keywords": list(item.keywords),
        "first_contact_resolvable": item.first_contact_resolvable,
        "street_report": item.street_report,
    }


def customer(item: Customer) -> dict[str, Any]:
    emails = list(item.emails.all())  # type: ignore[attr-defined]
    phones = list(item.phones.all())  # type: ignore[attr-defined]
    addresses = list(item.addresses.all())  # type: ignore[attr-defined]
    return {
        "id": item.pk,
        "kind": item.kind,
        "title": item.title,
        "given_name": item.given_name,
        "family_name": item.family_name,
        "organisation_name": item.organisation_name,
        "date_of_birth": item.date_of_birth,
        "preferred_channel": item.preferred_channel,
        "preferred_language": item.preferred_language,
        "emails": [e.address for e in sorted(emails, key=lambda e: (not e.is_primary, e.pk))],
        "phones": [p.e164 for p in sorted(phones, key=lambda p: (not p.is_primary, p.pk))],
        "addresses": [
            {"line1": a.line1, "line2": a.line2, "town": a.town, "postcode": a.postcode,
             "uprn": a.uprn, "is_primary": a.is_primary}
            for a in sorted(addresses, key=lambda a: (not a.is_primary, a.pk))
        ],
        "version": item.version,
        "created_at": item.created_at,
        "updated_at": item.updated_at,
    }


def contact(item: Contact) -> dict[str, Any]:
    return {
        "id": item.pk,
        "channel": item.channel,
        "direction": item.direction,
        "customer_id": item.customer_id,
        "received_at": item.received_at,
        "logged_at": item.logged_at,
        "service_code": item.service_code,
        "summary": item.summary,
        "outcome": item.outcome,
    }


def case(item: Case) -> dict[str, Any]:
    parties = list(item.parties.all())  # type: ignore[attr-defined]
    customer_id = next((p.customer_id for p in parties if p.role == "customer"), None)
    has_location = item.latitude is not None or item.address or item.uprn or item.usrn
    return {
        "reference": item.reference,
        "case_type": item.case_type,
        "status": item.status,
        "service_code": item.service_code,
        "team_code": item.team_code,
        "title": item.title,
        "description": item.description,
        "channel": item.channel,
        "customer_id": customer_id,
        "received_at": item.received_at,
        "opened_at": item.opened_at,
        "due_at": item.due_at,
        "promised_at": item.promised_at,
        "resolved_at": item.resolved_at,
        "outcome": item.outcome or None,
        "location": {
            "latitude": float(item.latitude) if item.latitude is not None else None,
            "longitude": float(item.longitude) if item.longitude is not None else None,
            "address": item.address,
            "uprn": item.uprn,
            "usrn": item.usrn,
        } if has_location else None,
        "version": item.version,
    }


def case_message(item: Case, event: CaseEvent) -> dict[str, Any]:
    return {
        "id": event.pk,
        "reference": item.reference,
        "at": event.at,
        "text": event.summary,
        "customer_visible": event.customer_visible,
    }


def webhook(item: WebhookSubscription) -> dict[str, Any]:
    return {"id": item.pk, "url": item.url, "events": list(item.events),
            "created_at": item.created_at}
