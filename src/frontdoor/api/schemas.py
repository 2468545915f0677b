"""Request and response bodies of the REST API (pydantic, so the OpenAPI schema is exact).

Text fields refuse NUL characters (PostgreSQL cannot store them) and have the same length
limits as the columns behind them, so bad input is a 422 from here, never a database error.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Annotated, Literal

from django.utils import timezone
from ninja import Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    Field,
    StringConstraints,
    field_validator,
)

_NO_NUL = r"^[^\x00]*$"


Text10 = Annotated[str, StringConstraints(max_length=10, pattern=_NO_NUL)]
Text30 = Annotated[str, StringConstraints(max_length=30, pattern=_NO_NUL)]
Text40 = Annotated[str, StringConstraints(max_length=40, pattern=_NO_NUL)]
Text100 = Annotated[str, StringConstraints(max_length=100, pattern=_NO_NUL)]
Text200 = Annotated[str, StringConstraints(max_length=200, pattern=_NO_NUL)]
Text500 = Annotated[str, StringConstraints(max_length=500, pattern=_NO_NUL)]
Text4000 = Annotated[str, StringConstraints(max_length=4000, pattern=_NO_NUL)]
Text10000 = Annotated[str, StringConstraints(max_length=10000, pattern=_NO_NUL)]
Title = Annotated[str, StringConstraints(min_length=1, max_length=200,
                                         pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")]
Words = Annotated[str, StringConstraints(min_length=1, max_length=10000,
                                         pattern=r"^[^\x00]*[^\x00\s][^\x00]*$")]
EmailText = Annotated[str, StringConstraints(min_length=1, max_length=254, pattern=_NO_NUL)]
PhoneText = Annotated[str, StringConstraints(min_length=1, max_length=30, pattern=_NO_NUL)]


Code = Annotated[str, StringConstraints(min_length=1, max_length=64,
                                        pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")]
Reference = Annotated[str, StringConstraints(min_length=1, max_length=32,
                                             pattern=r"^[A-Za-z0-9-]+$")]
Version = Annotated[int, Field(ge=1, le=2_147_483_647)]
DbId = Annotated[int, Field(ge=1, le=9_223_372_036_854_775_807)]

CaseType = Literal["service_request", "enquiry", "complaint", "compliment", "comment", "foi",
                   "sar", "callback"]
ChannelName = Literal["phone", "email", "letter", "web_form", "webchat", "social_media",
                      "face_to_face", "voicemail", "sms", "app_api"]
CaseStatus = Literal["new", "assigned", "in_progress", "waiting_on_customer", "resolved",
                     "closed"]
SettableStatus = Literal["new", "in_progress", "waiting_on_customer", "resolved"]
WebhookEvent = Literal["case.opened", "case.status_changed", "case.resolved", "case.message"]
# How far back a contact may say it was received (older ones are data migrations, not API use).
RECEIVED_WINDOW = timedelta(days=366)


def _recent(value: datetime | None) -> datetime | None:
    if value is not None and value < timezone.now() - RECEIVED_WINDOW:
        raise ValueError("must be within the last year")
    return value


def _iso_8601_only(value: object) -> object:
    """pydantic would read "0.5" as a Unix time; the schema promises ISO 8601 date-times."""
    if isinstance(value, (int, float)) or (isinstance(value, str) and "-" not in value[:10]):
        raise ValueError("give an ISO 8601 date-time with an offset, e.g. 2026-03-02T09:30:00Z")
    return value


def _in_utc(value: datetime) -> datetime:
    """In UTC (PostgreSQL refuses offsets beyond ±15:59) and within the years 1900 to 2200."""
    try:
        moment = value.astimezone(UTC)
    except OverflowError:
        raise ValueError("that date-time is out of range") from None
    if not 1900 <= moment.year <= 2200:
        raise ValueError("give a date-time between the years 1900 and 2200")
    return moment


Instant = Annotated[AwareDatetime, BeforeValidator(_iso_8601_only), AfterValidator(_in_utc)]


# ------------------------------------------------------------------------------- services


class ServiceOut(Schema):
    code: str
    name: str
    description: str
    team_code: str
    case_type: str
    channels: list[str]
    keywords: list[str]
    first_contact_resolvable: bool
    street_report: bool


# ------------------------------------------------------------------------------ customers


class AddressIn(Schema):
    line1: Title
    line2: Text200 = ""
    town: Text100 = ""
    postcode: Text10
    uprn: Annotated[str, StringConstraints(max_length=12, pattern=r"^[0-9]*$")] = ""
    usrn: Annotated[str, StringConstraints(max_length=8, pattern=r"^[0-9]*$")] = ""


class CustomerFields(Schema):
    title: Text30 | None = None
    given_name: Text100 | None = None
    family_name: Text100 | None = None
    organisation_name: Text200 | None = None
    date_of_birth: date | None = None
    preferred_channel: Literal["email", "sms", "phone", "letter", "none"] | None = None
    preferred_language: Annotated[str, StringConstraints(pattern=r"^[a-z]{2,3}(-[A-Za-z]{2})?$")] \
        | None = None
    alternative_formats: list[Text30] | None = Field(None, max_length=10)
    needs: Text4000 | None = None
    vulnerability_flags: list[Text30] | None = Field(None, max_length=20)

    @field_validator("date_of_birth")
    @classmethod
    def _plausible(cls, value: date | None) -> date | None:
        if value is not None and value.year < 1890:
            raise ValueError("must be after 1890")
        return value


class CustomerIn(CustomerFields):
    kind: Literal["person", "organisation"]
    emails: list[EmailText] = Field(default_factory=list, max_length=5)
    phones: list[PhoneText] = Field(default_factory=list, max_length=5)
    addresses: list[AddressIn] = Field(default_factory=list, max_length=5)


class CustomerSearchQuery(Schema):
    name: Text100 = ""
    email: Text100 = ""
    phone: Text100 = ""
    postcode: Text100 = ""
    limit: int = Field(20, ge=1, le=50)


class CustomerUpdateIn(CustomerFields):
    expected_version: Version


class AddressOut(Schema):
    line1: str
    line2: str
    town: str
    postcode: str
    uprn: str
    is_primary: bool


class CustomerOut(Schema):
    id: int
    kind: str
    title: str
    given_name: str
    family_name: str
    organisation_name: str
    date_of_birth: date | None
    preferred_channel: str
    preferred_language: str
    emails: list[str]
    phones: list[str]
    addresses: list[AddressOut]
    version: int
    created_at: datetime
    updated_at: datetime


# ------------------------------------------------------------------------------- contacts


class ContactIn(Schema):
    channel: ChannelName
    direction: Literal["inbound", "outbound"] = "inbound"
    customer_id: DbId | None = None
    received_at: Instant
    service_code: Code | None = None
    summary: Text4000 = ""

    _check_received = field_validator("received_at")(lambda cls, v: _recent(v))


class ContactOut(Schema):
    id: int
    channel: str
    direction: str
    customer_id: int | None
    received_at: datetime
    logged_at: datetime
    service_code: str
    summary: str
    outcome: str


# ---------------------------------------------------------------------------------- cases


class LocationIn(Schema):
    latitude: float | None = Field(None, ge=-90, le=90)
    longitude: float | None = Field(None, ge=-180, le=180)
    address: Text500 = ""
    uprn: int | None = Field(None, ge=1, le=999_999_999_999)
    usrn: int | None = Field(None, ge=1, le=99_999_999)


class CaseIn(Schema):
    service_code: Code
    title: Title
    description: Text10000 = ""
    received_at: Instant | None = None
    channel: ChannelName = "app_api"
    case_type: CaseType | None = None
    customer_id: DbId | None = None
    location: LocationIn | None = None

    _check_received = field_validator("received_at")(lambda cls, v: _recent(v))


class LocationOut(Schema):
    latitude: float | None
    longitude: float | None
    address: str
    uprn: int | None
    usrn: int | None


class CaseOut(Schema):
    reference: str
    case_type: str
    status: CaseStatus
    service_code: str
    team_code: str
    title: str
    description: str
    channel: str
    customer_id: int | None
    received_at: datetime
    opened_at: datetime
    due_at: datetime | None
    promised_at: datetime | None
    resolved_at: datetime | None
    outcome: str | None
    location: LocationOut | None
    version: int


class CaseListQuery(Schema):
    status: list[CaseStatus] = Field(default_factory=list, max_length=6)
    service_code: Code | None = None
    team_code: Code | None = None
    received_from: Instant | None = None
    received_to: Instant | None = None
    updated_from: Instant | None = None
    updated_to: Instant | None = None
    cursor: Text100 | None = None
    limit: int = Field(50, ge=1, le=200)


class CasePageOut(Schema):
    cases: list[CaseOut]
    next_cursor: str | None


class StatusIn(Schema):
    status: SettableStatus
    expected_version: Version
    note: Text4000 | None = None
    outcome: Text40 | None = None


class CaseMessageIn(Schema):
    text: Words
    customer_visible: bool = True


class CaseMessageOut(Schema):
    id: int
    reference: str
    at: datetime
    text: str
    customer_visible: bool


# ------------------------------------------------------------------------------- webhooks


class WebhookIn(Schema):
    url: Annotated[str, StringConstraints(min_length=8, max_length=2000,
                                          pattern=r"^https?://[^\s\x00]+$")]
    events: list[WebhookEvent] = Field(min_length=1, max_length=4)


class WebhookOut(Schema):
    id: int
    url: str
    events: list[str]
    created_at: datetime


class WebhookCreatedOut(WebhookOut):
    secret: str = Field(description="Signs every delivery. Shown once: store it now.")
