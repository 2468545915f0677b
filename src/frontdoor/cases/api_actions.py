"""Cases: changes made through the REST API.

Signed-in staff and API clients (partner back-office systems holding the `cases:write`
scope, checked at the edge) both go through the ordinary `cases.actions`: the actor's role
decides the checks (`case.*_via_api` for partners, on the cases their key can see). Those
actions record the events that queue the webhook deliveries partners subscribed to.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from django.db import transaction

from frontdoor.accounts.models import Role
from frontdoor.cases import actions
from frontdoor.cases.models import Case, CaseEvent, Status
from frontdoor.contacts.actions import log_contact, require_known_service
from frontdoor.core.errors import InvalidInput

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.cases.actions import CaseLocation
    from frontdoor.customers.models import Customer


def open_case_via_api(
    *,
    service_code: str,
    title: str,
    description: str,
    received_at: datetime,
    channel: str,
    by: User,
    now: datetime,
    case_type: str | None = None,
    customer: Customer | None = None,
    location: CaseLocation | None = None,
    idempotency_key: str | None = None,
) -> Case:
    """Log the contact and open its case (clocks, acknowledgement, webhooks) in one transaction.

    `case_type` defaults to the service's own; a retry with the same idempotency key returns
    the first case and notifies nobody twice.
    """
    service = require_known_service(service_code)
    with transaction.atomic():
        contact = log_contact(
            channel=channel,
            customer=customer,
            received_at=received_at,
            service_code=service_code,
            summary=title,
            handled_by=None if by.role == Role.API_CLIENT else by,
            now=now,
            idempotency_key=f"{idempotency_key}:contact" if idempotency_key else None,
        )
        return actions.open_case(
            case_type=case_type or service.case_type,
            service_code=service_code,
            customer=customer,
            contact=contact,
            title=title,
            description=description,
            received_at=received_at,
            channel=channel,
            by=by,
            now=now,
            location=location,
            idempotency_key=idempotency_key,
        )


def update_case_status_via_api(
    *,
    case: Case,
    status: str,
    by: User,
    now: datetime,
    expected_version: int,
    note: str | None = None,
    outcome: str | None = None,
) -> Case:
    """Move the case to `status` (resolved needs an outcome); partners are told by webhook."""
    if status == Status.RESOLVED:
        if not outcome:
            raise InvalidInput("outcome", "required", "To resolve a case, give its outcome")
        return actions.resolve_case(case=case, outcome=outcome, note=note or "", by=by,
                                    now=now, expected_version=expected_version)
    return actions.change_status(case=case, status=status, by=by, now=now,
                                 expected_version=expected_version, note=note)


def add_case_message_via_api(
    *, case: Case, text: str, customer_visible: bool, by: User, now: datetime
) -> CaseEvent:
    """A message to the customer (sent by the outbox, webhook `case.message`) or a staff note."""
    if not customer_visible:
        return actions.add_internal_note(case=case, text=text, by=by, now=now)
    return actions.add_customer_update(case=case, text=text, by=by, now=now)
