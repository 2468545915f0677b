"""REST API v1 (django-ninja): /api/v1/…, schema at /api/v1/openapi.json, docs at /api/v1/docs.

Each endpoint parses its input, calls one domain action or query (after resolving the ids
it names), and renders the result. Creates honour an Idempotency-Key header.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpRequest
from django.utils import timezone
from ninja import Header, NinjaAPI, Path, Query, Router, Status

from frontdoor.accounts.actions import run_idempotently
from frontdoor.api import render
from frontdoor.api.auth import caller, needs
from frontdoor.api.errors import ERROR_RESPONSES, install_error_handlers
from frontdoor.api.schemas import (
    CaseIn,
    CaseListQuery,
    CaseMessageIn,
    CaseMessageOut,
    CaseOut,
    CasePageOut,
    Code,
    ContactIn,
    ContactOut,
    CustomerIn,
    CustomerOut,
    CustomerSearchQuery,
    CustomerUpdateIn,
    DbId,
    Reference,
    ServiceOut,
    StatusIn,
    WebhookCreatedOut,
    WebhookIn,
    WebhookOut,
)
from frontdoor.cases.actions import CaseLocation
from frontdoor.cases.api_actions import (
    add_case_message_via_api,
    open_case_via_api,
    update_case_status_via_api,
)
from frontdoor.cases.api_queries import (
    CaseListFilters,
    find_case_for_api,
    get_case_for_api,
    list_cases_for_api,
)
from frontdoor.contacts.actions import log_contact
from frontdoor.council.queries import current_council
from frontdoor.customers.actions import create_customer, update_customer
from frontdoor.customers.api_queries import (
    find_customer_for_api,
    get_customer_for_api,
    search_customers_for_api,
)
from frontdoor.notifications.webhooks import delete_webhook, subscribe_webhook, webhooks_of

IdempotencyKey = Header(
    None,
    alias="Idempotency-Key",
    description="Send the same key when retrying: you get the first result back, once.",
    max_length=255,
    pattern=r"^[\x21-\x7e]+$",
)

api = NinjaAPI(
    title="Front Door API",
    version="1.0.0",
    description=(
        "The council's case, customer and contact records for partner systems. "
        "Authenticate with `Authorization: Bearer <API key>`; see docs/api.md."
    ),
    urls_namespace="api-v1",
    openapi_url="/openapi.json",
    docs_url="/docs",
)
install_error_handlers(api)


def _responses(ok: dict[int, Any]) -> dict[int, Any]:
    return {**ok, **ERROR_RESPONSES}


def _idempotent(
    request: HttpRequest, key: str | None, operation: str, body: Any,
    perform: Callable[[], tuple[int, Any]],
) -> tuple[int, Any]:
    def perform_as_json() -> tuple[int, Any]:
        # The stored copy and the first answer are the same JSON, so a replay is identical.
        status, result = perform()
        return status, json.loads(json.dumps(result, cls=DjangoJSONEncoder))

    if not key:
        return perform()
    digest = hashlib.sha256(
        json.dumps(body.model_dump(mode="json"), sort_keys=True).encode()
    ).hexdigest()
    return run_idempotently(client=caller(request).client, key=key, operation=operation,
                            request_hash=digest, now=timezone.now(), perform=perform_as_json)


def _domain_key(request: HttpRequest, key: str | None) -> str | None:
    """The key stored on the case/contact row: unique per client, within the column's size."""
    if not key:
        return None
    return "api:" + hashlib.sha256(f"{caller(request).client}\n{key}".encode()).hexdigest()[:48]


# ------------------------------------------------------------------------------- services

services = Router(tags=["services"])


@services.get("", response=_responses({200: list[ServiceOut]}), auth=needs("services:read"),
              summary="The council's services")
def list_services(request: HttpRequest) -> list[dict[str, Any]]:
    return [render.service(s) for s in current_council().services]


@services.get("/{code}", response=_responses({200: ServiceOut}), auth=needs("services:read"),
              summary="One service")
def read_service(request: HttpRequest, code: Path[Code]) -> dict[str, Any]:
    return render.service(render.known_service(current_council(), code))


# ------------------------------------------------------------------------------ customers

customers = Router(tags=["customers"])


@customers.get("", response=_responses({200: list[CustomerOut]}),
               auth=needs("customers:read"), summary="Find customers")
def search_customers(
    request: HttpRequest, query: Query[CustomerSearchQuery]
) -> list[dict[str, Any]]:
    found = search_customers_for_api(user=caller(request).user, now=timezone.now(),
                                     name=query.name, email=query.email, phone=query.phone,
                                     postcode=query.postcode, limit=query.limit)
    return [render.customer(c) for c in found]


@customers.get("/{customer_id}", response=_responses({200: CustomerOut}),
               auth=needs("customers:read"), summary="One customer")
def read_customer(request: HttpRequest, customer_id: Path[DbId]) -> dict[str, Any]:
    customer = get_customer_for_api(user=caller(request).user, customer_id=customer_id,
                                    now=timezone.now())
    return render.customer(customer)


@customers.post("", response=_responses({201: CustomerOut}), auth=needs("customers:write"),
                summary="Create a customer")
def create_customer_endpoint(
    request: HttpRequest, payload: CustomerIn, idempotency_key: str | None = IdempotencyKey
) -> Status[Any]:
    user = caller(request).user
    fields = payload.model_dump(exclude_none=True)
    fields["addresses"] = [a.model_dump() for a in payload.addresses]

    def perform() -> tuple[int, Any]:
        customer = create_customer(**fields, by=render.acting_staff(user), now=timezone.now())
        return 201, render.customer(customer)

    return Status(*_idempotent(request, idempotency_key, "customers.create", payload, perform))


@customers.patch("/{customer_id}", response=_responses({200: CustomerOut}),
                 auth=needs("customers:write"), summary="Change a customer's details")
def update_customer_endpoint(
    request: HttpRequest, customer_id: Path[DbId], payload: CustomerUpdateIn
) -> dict[str, Any]:
    user = caller(request).user
    customer = find_customer_for_api(user=user, customer_id=customer_id)
    changes = payload.model_dump(exclude_unset=True, exclude={"expected_version"})
    updated = update_customer(customer=customer, changes=changes,
                              expected_version=payload.expected_version,
                              by=render.acting_staff(user), now=timezone.now())
    return render.customer(updated)


# ------------------------------------------------------------------------------- contacts

contacts = Router(tags=["contacts"])


@contacts.post("", response=_responses({201: ContactOut}), auth=needs("contacts:write"),
               summary="Record a contact (a call, visit, message…)")
def create_contact(
    request: HttpRequest, payload: ContactIn, idempotency_key: str | None = IdempotencyKey
) -> Status[Any]:
    user = caller(request).user
    customer = (find_customer_for_api(user=user, customer_id=payload.customer_id)
                if payload.customer_id else None)

    def perform() -> tuple[int, Any]:
        contact = log_contact(
            channel=payload.channel, direction=payload.direction, customer=customer,
            received_at=payload.received_at, service_code=payload.service_code,
            summary=payload.summary, handled_by=render.acting_staff(user), now=timezone.now(),
            idempotency_key=_domain_key(request, idempotency_key),
        )
        return 201, render.contact(contact)

    return Status(*_idempotent(request, idempotency_key, "contacts.create", payload, perform))


# ---------------------------------------------------------------------------------- cases

cases = Router(tags=["cases"])


@cases.post("", response=_responses({201: CaseOut}), auth=needs("cases:write"),
            summary="Open a case (charter deadlines and the acknowledgement, as an agent would)")
def create_case(
    request: HttpRequest, payload: CaseIn, idempotency_key: str | None = IdempotencyKey
) -> Status[Any]:
    user = caller(request).user
    customer = (find_customer_for_api(user=user, customer_id=payload.customer_id)
                if payload.customer_id else None)
    location = CaseLocation(**payload.location.model_dump()) if payload.location else None

    def perform() -> tuple[int, Any]:
        now = timezone.now()
        case = open_case_via_api(
            service_code=payload.service_code, title=payload.title,
            description=payload.description, received_at=payload.received_at or now,
            channel=payload.channel, case_type=payload.case_type, customer=customer,
            location=location, by=user, now=now,
            idempotency_key=_domain_key(request, idempotency_key),
        )
        return 201, render.case(case)

    return Status(*_idempotent(request, idempotency_key, "cases.create", payload, perform))


@cases.get("", response=_responses({200: CasePageOut}), auth=needs("cases:read"),
           summary="List cases, newest first, a page at a time")
def list_cases(request: HttpRequest, query: Query[CaseListQuery]) -> dict[str, Any]:
    filters = CaseListFilters(
        statuses=tuple(query.status), service_code=query.service_code,
        team_code=query.team_code, received_from=query.received_from,
        received_to=query.received_to, updated_from=query.updated_from,
        updated_to=query.updated_to,
    )
    page = list_cases_for_api(user=caller(request).user, filters=filters, cursor=query.cursor,
                              limit=query.limit)
    return {"cases": [render.case(c) for c in page.cases], "next_cursor": page.next_cursor}


@cases.get("/{reference}", response=_responses({200: CaseOut}), auth=needs("cases:read"),
           summary="One case")
def read_case(request: HttpRequest, reference: Path[Reference]) -> dict[str, Any]:
    case = get_case_for_api(user=caller(request).user, reference=reference, now=timezone.now())
    return render.case(case)


@cases.post("/{reference}/status", response=_responses({200: CaseOut}),
            auth=needs("cases:write"), summary="Change a case's status (resolve with an outcome)")
def update_case_status(
    request: HttpRequest, reference: Path[Reference], payload: StatusIn
) -> dict[str, Any]:
    user = caller(request).user
    case = update_case_status_via_api(
        case=find_case_for_api(user=user, reference=reference), status=payload.status, by=user,
        now=timezone.now(), expected_version=payload.expected_version, note=payload.note,
        outcome=payload.outcome,
    )
    return render.case(case)


@cases.post("/{reference}/messages", response=_responses({201: CaseMessageOut}),
            auth=needs("cases:write"),
            summary="Send the customer an update, or add an internal note")
def add_case_message(
    request: HttpRequest, reference: Path[Reference], payload: CaseMessageIn,
    idempotency_key: str | None = IdempotencyKey,
) -> Status[Any]:
    user = caller(request).user
    case = find_case_for_api(user=user, reference=reference)

    def perform() -> tuple[int, Any]:
        event = add_case_message_via_api(case=case, text=payload.text,
                                         customer_visible=payload.customer_visible, by=user,
                                         now=timezone.now())
        return 201, render.case_message(case, event)

    operation = f"cases.message:{case.pk}"
    return Status(*_idempotent(request, idempotency_key, operation, payload, perform))


# ------------------------------------------------------------------------------- webhooks

webhooks = Router(tags=["webhooks"])


@webhooks.post("", response=_responses({201: WebhookCreatedOut}), auth=needs("webhooks"),
               summary="Subscribe a URL to case events (the signing secret is shown once)")
def create_webhook(
    request: HttpRequest, payload: WebhookIn, idempotency_key: str | None = IdempotencyKey
) -> Status[Any]:
    client = caller(request).client

    def perform() -> tuple[int, Any]:
        subscription = subscribe_webhook(client=client, url=payload.url,
                                         events=list(payload.events), now=timezone.now())
        return 201, {**render.webhook(subscription), "secret": subscription.secret}

    return Status(*_idempotent(request, idempotency_key, "webhooks.create", payload, perform))


@webhooks.get("", response=_responses({200: list[WebhookOut]}), auth=needs("webhooks"),
              summary="Your webhook subscriptions")
def list_webhooks(request: HttpRequest) -> list[dict[str, Any]]:
    return [render.webhook(s) for s in webhooks_of(caller(request).client)]


@webhooks.delete("/{webhook_id}", response=_responses({204: None}), auth=needs("webhooks"),
                 summary="Stop a webhook subscription")
def delete_webhook_endpoint(request: HttpRequest, webhook_id: Path[DbId]) -> Status[None]:
    delete_webhook(client=caller(request).client, subscription_id=webhook_id,
                   now=timezone.now())
    return Status(204, None)


api.add_router("/services", services)
api.add_router("/customers", customers)
api.add_router("/contacts", contacts)
api.add_router("/cases", cases)
api.add_router("/webhooks", webhooks)
