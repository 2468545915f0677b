"""Services, definitions, requests and updates in GeoReport v2's field names (render.py writes
them as XML or JSON)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from frontdoor.cases.open311_sync import PublicRequest, PublicUpdate
from frontdoor.core.time import isoformat_london
from frontdoor.open311.status_map import extended_status, spec_status

if TYPE_CHECKING:
    from datetime import datetime

    from frontdoor.council.config import CouncilConfig, FormField, Service

# The FixMyStreet attribute that carries its report id, so retries can be de-duplicated.
FIXMYSTREET_ID = "fixmystreet_id"
# Keywords FixMyStreet gives a meaning (private, staff-only, inactive categories): a council
# search word must never switch those on by accident.
FMS_SPECIAL_KEYWORDS = frozenset({"private", "inactive", "staff", "waste_only"})
MAX_DESCRIPTION = 4000  # GeoReport v2
# Online form question types -> Open311 datatypes. Location and files arrive as Open311's own
# lat/long/address_string and media_url/photos, so they are not attributes.
DATATYPES = {
    "text": "string", "email": "string", "phone": "string", "address": "string",
    "long_text": "text", "number": "number", "date": "datetime",
    "radios": "singlevaluelist", "select": "singlevaluelist", "yes_no": "singlevaluelist",
}


def when(moment: datetime | None) -> str | None:
    """W3C date-time in Europe/London with its offset, whole seconds."""
    return isoformat_london(moment) if moment is not None else None


def service_entry(council: CouncilConfig, service: Service) -> dict[str, Any]:
    group = council.team(service.team).name.get("en")
    keywords = [k for k in service.keywords if k.strip().lower() not in FMS_SPECIAL_KEYWORDS]
    return {
        "service_code": service.code,
        "service_name": service.name.get("en"),
        "description": (service.description or service.name).get("en"),
        "metadata": True,  # every service declares at least fixmystreet_id
        "type": "realtime",
        "keywords": ", ".join(keywords),
        "group": group,
        "groups": [group],
    }


def description_question(council: CouncilConfig, service: Service) -> str:
    """The form's first long-text question: Open311's own `description` answers it."""
    forms = council.forms_for(service.code)
    return next((f.name for f in forms[0].fields if f.type == "long_text"), "") if forms else ""


def service_attributes(council: CouncilConfig, service: Service) -> list[dict[str, Any]]:
    """The service's online form questions (but the one `description` answers), then the
    server-set fixmystreet_id."""
    forms = council.forms_for(service.code)
    answered = description_question(council, service)
    questions = [f for f in forms[0].fields
                 if f.type in DATATYPES and f.name != answered] if forms else []
    attributes = [_attribute(question, order) for order, question in enumerate(questions, 1)]
    attributes.append({
        "variable": False,
        "code": FIXMYSTREET_ID,
        "datatype": "string",
        "required": False,
        "datatype_description": "The client's own id for the report (FixMyStreet sends it)",
        "order": len(attributes) + 1,
        "description": "Report id in the client system",
        "automated": "server_set",
    })
    return attributes


def required_attribute_codes(council: CouncilConfig, service: Service) -> list[str]:
    return [a["code"] for a in service_attributes(council, service)
            if a["required"] and a["variable"]]


def _attribute(question: FormField, order: int) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "variable": True,
        "code": question.name,
        "datatype": DATATYPES[question.type],
        "required": question.required,
        "datatype_description": question.hint.get("en") if question.hint else "",
        "order": order,
        "description": question.label.get("en"),
    }
    if question.type == "yes_no":
        entry["values"] = [{"key": "yes", "name": "Yes"}, {"key": "no", "name": "No"}]
    elif question.options:
        entry["values"] = [{"key": o.value, "name": o.label.get("en")} for o in question.options]
    return entry


def request_entry(found: PublicRequest, council: CouncilConfig) -> dict[str, Any]:
    case = found.case
    service = council.service(case.service_code)  # street-report cases only: always known
    service_name = service.name.get("en")
    agency = service.provided_by.name if service.provided_by else council.council.name.get("en")
    return {
        "service_request_id": case.reference,
        "status": spec_status(case.status),
        "status_notes": found.status_notes[:MAX_DESCRIPTION],
        "service_name": service_name,
        "service_code": case.service_code,
        "title": case.title if found.show_description else service_name,
        "description": case.description[:MAX_DESCRIPTION] if found.show_description else "",
        "agency_responsible": agency,
        "service_notice": "",
        "requested_datetime": when(case.received_at),
        "updated_datetime": when(found.updated_at),
        "expected_datetime": when(case.promised_at),
        "address": case.address,
        "address_id": str(case.uprn) if case.uprn else "",
        "zipcode": "",
        "lat": float(case.latitude) if case.latitude is not None else None,
        "long": float(case.longitude) if case.longitude is not None else None,
        "media_url": found.media_url,
    }


def update_entry(update: PublicUpdate) -> dict[str, Any]:
    status, external = extended_status(update.status, update.outcome)
    entry: dict[str, Any] = {
        "update_id": str(update.event.pk),
        "service_request_id": update.reference,
        "status": status,
        "updated_datetime": when(update.event.at),
        "description": update.event.summary[:MAX_DESCRIPTION],
        "media_url": "",
        "external_status_code": external,
    }
    if update.fixmystreet_id:
        entry[FIXMYSTREET_ID] = update.fixmystreet_id
    return entry
