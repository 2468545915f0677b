"""The council configuration as typed, validated data (the shape in docs/council-config.md).

`CouncilConfig.model_validate(toml_dict)` checks one council's whole file: every model is
strict and refuses unknown keys, and the cross-references (a service's team, a standard's
`provisional_from`, LGSL codes and tiers) are checked once the whole file is read.
Read a file with `council.queries.read_council_file`, the current one with
`council.queries.current_council()`.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, time
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal, NamedTuple, Self

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PlainSerializer,
    PlainValidator,
    field_validator,
    model_serializer,
    model_validator,
)

from frontdoor.council.errors import UnknownCode

CODE_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
_CODE_RE = re.compile(CODE_PATTERN)
_HHMM_RE = re.compile(r"^([01][0-9]|2[0-3]):([0-5][0-9])$")
_POSTCODE_DISTRICT_RE = re.compile(r"^[A-Z]{1,2}[0-9][0-9A-Z]?$")

WEEKDAYS: tuple[str, ...] = (
    "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
)
Weekday = Literal["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
Channel = Literal[
    "phone", "email", "letter", "web_form", "webchat", "social_media",
    "face_to_face", "voicemail", "sms", "app_api",
]
CHANNELS: tuple[str, ...] = Channel.__args__  # type: ignore[attr-defined]
CaseType = Literal[
    "service_request", "enquiry", "complaint", "compliment", "comment", "foi", "sar", "callback",
]
CASE_TYPES: tuple[str, ...] = CaseType.__args__  # type: ignore[attr-defined]
Nation = Literal["england-and-wales", "scotland", "northern-ireland"]
Tier = Literal["district", "county", "unitary"]
CalendarName = Literal["charter", "statutory", "statutory-uk"]
ClockName = Literal["acknowledge", "respond", "callback", "review"]
Language = Literal["en", "cy"]


class ConfigProblem(ValueError):
    """A problem found across the file: carries the field path it is about."""

    def __init__(self, path: str, message: str):
        super().__init__(f"{path}: {message}")
        self.path = path
        self.problem = message


def _check_code(value: str) -> str:
    if not _CODE_RE.match(value):
        raise ValueError(
            f"{value!r} is not a kebab-case code (lower-case letters, digits, hyphens)"
        )
    return value


def _known(codes: Iterable[str], limit: int = 8) -> str:
    listed = list(codes)
    shown = ", ".join(listed[:limit])
    return f"(known: {shown}{', ...' if len(listed) > limit else ''})" if listed else "(none)"


Code = Annotated[str, PlainValidator(lambda v: _check_code(_require_str(v)))]


def _require_str(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError(f"should be a string, not {type(value).__name__}")
    return value


# ---------------------------------------------------------------------------------- text


class Text(BaseModel):
    """Words shown to people: English, optionally Welsh. A bare string in TOML is English."""

    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)

    en: str = Field(min_length=1)
    cy: str | None = Field(default=None, min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _from_string(cls, value: Any) -> Any:
        return {"en": value} if isinstance(value, str) else value

    @model_serializer
    def _as_toml(self) -> str | dict[str, str]:
        if self.cy is None:
            return self.en
        return {"en": self.en, "cy": self.cy}

    def get(self, lang: str | None = "en") -> str:
        """The text in `lang` ("cy", "en-gb", …), falling back to English."""
        short = (lang or "en").split("-")[0].lower()
        translated = getattr(self, short, None) if short in ("en", "cy") else None
        return translated or self.en

    def __str__(self) -> str:
        return self.en


# --------------------------------------------------------------------------------- hours


class Hours(NamedTuple):
    """Opening or charter hours on one day: `start` up to `end` (Europe/London wall time)."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"


def _parse_hhmm(text: str) -> time:
    match = _HHMM_RE.match(text)
    if not match:
        raise ValueError(f"{text!r} is not a 24-hour time like 09:00")
    return time(int(match.group(1)), int(match.group(2)))


def _parse_span(value: Any) -> tuple[time, time]:
    if isinstance(value, tuple) and len(value) == 2:
        return value[0], value[1]
    text = _require_str(value)
    parts = text.split("-")
    if len(parts) != 2:
        raise ValueError(f"{text!r} should look like \"09:00-17:00\"")
    return _parse_hhmm(parts[0].strip()), _parse_hhmm(parts[1].strip())


def _parse_hours(value: Any) -> Hours:
    start, end = _parse_span(value)
    if not start < end:
        raise ValueError(f"{value!s} closes before it opens (start must be before end)")
    return Hours(start, end)


HoursField = Annotated[Hours, PlainValidator(_parse_hours), PlainSerializer(str, return_type=str)]


class QuietHours(NamedTuple):
    """A span that may cross midnight ("21:00-08:00"): no SMS is sent inside it."""

    start: time
    end: time

    def __str__(self) -> str:
        return f"{self.start:%H:%M}-{self.end:%H:%M}"

    def contains(self, moment: time) -> bool:
        """Whether the wall-clock time `moment` (Europe/London) falls in the quiet hours."""
        if self.start < self.end:
            return self.start <= moment < self.end
        return moment >= self.start or moment < self.end


def _parse_quiet_hours(value: Any) -> QuietHours:
    start, end = _parse_span(value)
    if start == end:
        raise ValueError(f"{value!s} is empty: start and end must differ")
    return QuietHours(start, end)


QuietHoursField = Annotated[
    QuietHours, PlainValidator(_parse_quiet_hours), PlainSerializer(str, return_type=str)
]


def _weekday_name(weekday: int | str) -> str:
    if isinstance(weekday, int):
        return WEEKDAYS[weekday]  # date.weekday(): Monday is 0
    return weekday.lower()


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


# ------------------------------------------------------------------------------ sections


class Council(_Strict):
    name: Text
    short_name: Text
    reference_prefix: str = Field(pattern=r"^[A-Z]{2,4}$")
    nation: Nation
    web_domain: str = Field(pattern=r"^[a-z0-9-]+(\.[a-z0-9-]+)+$")
    tier: Tier
    phone: str = Field(pattern=r"^[0-9 +()]{7,20}$")
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    website: str = Field(pattern=r"^https://\S+$")


class ClosureDay(_Strict):
    date: date
    reason: Text


class WeeklyHoursMixin:
    def _hours_map(self) -> Mapping[Any, Hours]:
        raise NotImplementedError

    def hours_for(self, weekday: int | str) -> Hours | None:
        """(start, end) on that weekday (0 = Monday or "monday"), or None when closed."""
        return self._hours_map().get(_weekday_name(weekday))


class Calendar(WeeklyHoursMixin, _Strict):
    charter_hours: dict[Weekday, HoursField]
    closure_days: list[ClosureDay] = []

    def _hours_map(self) -> Mapping[Any, Hours]:
        return self.charter_hours

    @field_validator("charter_hours")
    @classmethod
    def _some_hours(cls, value: dict[str, Hours]) -> dict[str, Hours]:
        if not value:
            raise ValueError("needs hours for at least one weekday")
        return value

    @field_validator("closure_days")
    @classmethod
    def _unique_days(cls, value: list[ClosureDay]) -> list[ClosureDay]:
        seen: set[date] = set()
        for index, day in enumerate(value):
            if day.date in seen:
                raise ConfigProblem(
                    f"calendar.closure_days[{index}].date", f"{day.date} is listed twice"
                )
            seen.add(day.date)
        return value

    @property
    def closure_dates(self) -> frozenset[date]:
        return frozenset(day.date for day in self.closure_days)


class Office(WeeklyHoursMixin, _Strict):
    code: Code
    name: Text
    address: str = Field(min_length=1)
    phone: str | None = None
    opening_hours: dict[Weekday, HoursField]
    services: list[str] = ["all"]

    def _hours_map(self) -> Mapping[Any, Hours]:
        return self.opening_hours

    def handles(self, service_code: str) -> bool:
        return "all" in self.services or service_code in self.services


class EmergencyContact(_Strict):
    name: Text
    phone: str = Field(pattern=r"^[0-9 +()]{3,20}$")
    description: Text | None = None


class Ward(_Strict):
    code: Code
    name: Text
    postcode_districts: list[str] = Field(min_length=1)
    communities: list[str] = []

    @field_validator("postcode_districts")
    @classmethod
    def _districts(cls, value: list[str]) -> list[str]:
        for district in value:
            if not _POSTCODE_DISTRICT_RE.match(district):
                raise ValueError(f"{district!r} is not a postcode district like NR27")
        return value


class Team(_Strict):
    code: Code
    name: Text
    email: str = Field(pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
    phone: str | None = None


class ProvidedBy(_Strict):
    """Another public body provides the service; the council signposts to it."""

    name: str = Field(min_length=1)
    url: str = Field(pattern=r"^https?://\S+$")
    phone: str | None = None
    # Where reports made through our site are forwarded; without it the resident is told how
    # to reach the provider instead.
    email: str | None = Field(default=None, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class LgslEntry:
    code: int
    description: str
    tier: str  # district/unitary | county/unitary | all


@cache
def lgsl_entries() -> dict[int, LgslEntry]:
    """The Local Government Services List subset shipped in council/lgsl.csv, by code."""
    text = resources.files("frontdoor.council").joinpath("lgsl.csv").read_text(encoding="utf-8")
    rows = csv.DictReader(text.splitlines())
    return {
        int(row["LGSL"]): LgslEntry(
            int(row["LGSL"]), " ".join(row["Description"].split()), row["Providing Tier"]
        )
        for row in rows
    }


class Service(_Strict):
    code: Code
    lgsl: int | None = None  # omit only where the LGSL has no code (FOI, SAR, beach huts)
    name: Text
    description: Text | None = None
    team: Code
    case_type: CaseType = "service_request"
    channels: list[Channel] = list(CHANNELS)  # type: ignore[arg-type]
    first_contact_resolvable: bool = False
    keywords: list[str] = []
    street_report: bool = False
    provided_by: ProvidedBy | None = None

    @field_validator("lgsl")
    @classmethod
    def _known_lgsl(cls, value: int | None) -> int | None:
        if value is not None and value not in lgsl_entries():
            raise ValueError(f"{value} is not in the Local Government Services List (lgsl.csv)")
        return value

    @property
    def lgsl_entry(self) -> LgslEntry | None:
        return None if self.lgsl is None else lgsl_entries()[self.lgsl]


# ------------------------------------------------------------------------- online forms

FieldType = Literal[
    "text", "long_text", "number", "date", "radios", "select", "yes_no", "email", "phone",
    "address", "location", "file",
]
FIELD_TYPES: tuple[str, ...] = FieldType.__args__  # type: ignore[attr-defined]
MessageKind = Literal["required", "invalid", "too_long", "too_small", "too_big", "wrong_type"]
# Page codes the form journey uses for its own pages.
RESERVED_PAGE_CODES = frozenset({"start", "about-you", "nearby", "check", "confirmation",
                                 "resume", "forward"})
_FIELD_NAME_RE = r"^[a-z][a-z0-9_]{0,39}$"


class FieldOption(_Strict):
    value: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]{0,63}$")
    label: Text
    hint: Text | None = None


class FormField(_Strict):
    """One question: its answer is stored under `name` in the case's form answers."""

    name: str = Field(pattern=_FIELD_NAME_RE)
    type: FieldType
    label: Text
    hint: Text | None = None
    required: bool = True
    max_length: int | None = Field(default=None, gt=0, le=10000)  # text, long_text
    min: int | None = None  # number
    max: int | None = None  # number
    options: list[FieldOption] = []  # radios, select
    messages: dict[MessageKind, Text] = {}  # replaces the standard error message of that kind

    @model_validator(mode="after")
    def _fits_type(self) -> Self:
        if self.type in ("radios", "select"):
            if len(self.options) < 2:
                raise ValueError(f"a {self.type} question needs at least two options")
            values = [option.value for option in self.options]
            if len(set(values)) != len(values):
                raise ValueError("option values must be different")
        elif self.options:
            raise ValueError(f"options are only for radios and select, not {self.type}")
        if self.max_length is not None and self.type not in ("text", "long_text"):
            raise ValueError("max_length is only for text and long_text")
        if (self.min is not None or self.max is not None) and self.type != "number":
            raise ValueError("min and max are only for number")
        if self.min is not None and self.max is not None and self.min > self.max:
            raise ValueError("min must not be more than max")
        return self


class FormPage(_Strict):
    """One page of a form: one question, or a few small ones under a title."""

    code: Code
    title: Text | None = None
    fields: list[FormField] = Field(min_length=1)

    @model_validator(mode="after")
    def _titled(self) -> Self:
        if self.code in RESERVED_PAGE_CODES:
            raise ValueError(f"page code {self.code!r} is reserved (the journey uses it)")
        if len(self.fields) > 1 and self.title is None:
            raise ValueError("a page with more than one question needs a title")
        return self


class OnlineForm(_Strict):
    """An online form for a service: its pages of questions, then check answers and send."""

    service: Code
    code: Code
    name: Text
    description: Text | None = None
    case_type: CaseType | None = None  # default: the service's case type
    what_you_need: list[Text] = []  # shown on the service page before the start button
    pages: list[FormPage] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_names(self) -> Self:
        _unique_codes(self.pages, "code", "pages")
        seen: set[str] = set()
        for page in self.pages:
            for form_field in page.fields:
                if form_field.name in seen:
                    raise ValueError(f"question name {form_field.name!r} is used twice")
                seen.add(form_field.name)
        if sum(f.type == "location" for f in self.fields) > 1:
            raise ValueError("a form has at most one location question")
        return self

    @property
    def fields(self) -> list[FormField]:
        return [form_field for page in self.pages for form_field in page.fields]


# ------------------------------------------------------------------------------- charter


class Period(_Strict):
    """Exactly one of working_days, working_hours or calendar_months."""

    working_days: int | None = Field(default=None, gt=0)
    working_hours: int | None = Field(default=None, gt=0)
    calendar_months: int | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _exactly_one(self) -> Self:
        units = ("working_days", "working_hours", "calendar_months")
        given = [unit for unit in units if getattr(self, unit)]
        if len(given) != 1:
            raise ValueError(
                "give exactly one of working_days, working_hours, calendar_months"
                + (f" (got {', '.join(given)})" if given else "")
            )
        return self

    @property
    def unit(self) -> Literal["working_days", "working_hours", "calendar_months"]:
        if self.working_days:
            return "working_days"
        if self.working_hours:
            return "working_hours"
        return "calendar_months"

    @property
    def amount(self) -> int:
        return int(getattr(self, self.unit))

    def __str__(self) -> str:
        return f"{self.amount} {self.unit.replace('_', ' ')}"


class Extension(_Strict):
    max_count: int = Field(default=1, gt=0)
    max: Period


class AppliesTo(_Strict):
    """Which contacts and cases a standard covers; an absent key means any."""

    channels: list[Channel] | None = Field(default=None, min_length=1)
    case_types: list[CaseType] | None = Field(default=None, min_length=1)
    services: list[Code] | None = Field(default=None, min_length=1)
    complaint_stage: Literal[1, 2] | None = None

    def matches(
        self,
        *,
        channel: str | None = None,
        case_type: str | None = None,
        service: str | None = None,
        complaint_stage: int | None = None,
    ) -> bool:
        """Whether something with these attributes is covered (None: not known / not a case)."""
        checks: list[tuple[Sequence[Any] | None, Any]] = [
            (self.channels, channel),
            (self.case_types, case_type),
            (self.services, service),
            (None if self.complaint_stage is None else [self.complaint_stage], complaint_stage),
        ]
        return all(allowed is None or value in allowed for allowed, value in checks)


class DeadlineStandard(_Strict):
    id: Code
    name: Text
    description: Text | None = None
    kind: Literal["deadline"]
    period: Period
    calendar: CalendarName
    clock: ClockName
    runs_from: Literal["received", "acknowledged"] = "received"
    provisional_from: str = ""
    applies_to: AppliesTo = AppliesTo()
    extension: Extension | None = None
    at_risk_when_remaining: float = Field(default=0.2, gt=0, lt=1)


class MeasureStandard(_Strict):
    id: Code
    name: Text
    description: Text | None = None
    kind: Literal["measure"]
    measure: Literal["wait", "share"]
    within_seconds: int | None = Field(default=None, gt=0)
    metric: Literal["first_contact_resolution", "satisfaction"] | None = None
    target_share: float = Field(gt=0, le=1)
    channel_targets: dict[Channel, Annotated[float, Field(gt=0, le=1)]] = {}
    applies_to: AppliesTo = AppliesTo()

    @model_validator(mode="after")
    def _measure_fields(self) -> Self:
        if self.measure == "wait" and self.within_seconds is None:
            raise ValueError("measure = \"wait\" needs within_seconds")
        if self.measure == "wait" and self.metric is not None:
            raise ValueError("metric is only for measure = \"share\"")
        if self.measure == "share" and self.metric is None:
            raise ValueError(
                "measure = \"share\" needs metric (first_contact_resolution|satisfaction)"
            )
        if self.measure == "share" and self.within_seconds is not None:
            raise ValueError("within_seconds is only for measure = \"wait\"")
        return self


Standard = Annotated[DeadlineStandard | MeasureStandard, Field(discriminator="kind")]


class Charter(_Strict):
    name: Text
    standards: list[Standard] = []

    @property
    def deadlines(self) -> list[DeadlineStandard]:
        return [s for s in self.standards if isinstance(s, DeadlineStandard)]

    @property
    def measures(self) -> list[MeasureStandard]:
        return [s for s in self.standards if isinstance(s, MeasureStandard)]


class Notifications(_Strict):
    email_provider: Literal["smtp", "notify"] = "smtp"
    sms_provider: Literal["notify", "none"] = "none"
    letter_provider: Literal["notify", "print"] = "print"
    quiet_hours: QuietHoursField = QuietHours(time(21, 0), time(8, 0))
    reading_age_max: int = Field(default=9, gt=0)
    max_sentence_words: int = Field(default=25, gt=0)
    jargon: list[str] = []
    acronyms: list[str] = []
    show_officer_names: bool = True


class Portal(_Strict):
    """The resident portal: how long after a resolution a resident may reopen a request."""

    reopen_within_days: int = Field(default=20, gt=0, le=365)


# -------------------------------------------------------------------------- appointments

AppointmentKind = Literal["face_to_face", "phone"]


class AppointmentSchedule(_Strict):
    """When an office offers appointments for some services: face to face, or a phone call-back
    made by its staff. Slots outside the office's opening hours are never offered."""

    office: Code
    kind: AppointmentKind = "face_to_face"
    services: list[str] = ["all"]
    slot_minutes: int = Field(default=20, gt=0, le=240)
    capacity: int = Field(default=1, gt=0, le=50)  # appointments at the same time (desks)
    days: dict[Weekday, HoursField] = Field(min_length=1)

    def offers(self, service_code: str) -> bool:
        return "all" in self.services or service_code in self.services


class AppointmentService(_Strict):
    service: Code
    what_to_bring: list[Text] = []


class Appointments(_Strict):
    """Booking appointments: how far ahead, the notice needed, the reminder, the schedules."""

    weeks_ahead: int = Field(default=4, gt=0, le=26)
    min_notice_hours: int = Field(default=2, ge=0, le=168)
    reminder_hours_before: int = Field(default=24, gt=0, le=168)
    schedules: list[AppointmentSchedule] = []
    services: list[AppointmentService] = []

    def what_to_bring(self, service_code: str) -> list[Text]:
        for entry in self.services:
            if entry.service == service_code:
                return list(entry.what_to_bring)
        return []

    def schedule_for(
        self, *, office_code: str, kind: str, service_code: str
    ) -> AppointmentSchedule | None:
        """The first schedule (file order) of that office and kind offering the service."""
        for schedule in self.schedules:
            if (schedule.office == office_code and schedule.kind == kind
                    and schedule.offers(service_code)):
                return schedule
        return None


def _check_appointments(config: CouncilConfig) -> None:
    offices = {o.code: o for o in config.offices}
    services = [s.code for s in config.services]
    for index, schedule in enumerate(config.appointments.schedules):
        where = f"appointments.schedules[{index}]"
        office = offices.get(schedule.office)
        if office is None:
            raise ConfigProblem(f"{where}.office",
                                f"unknown office {schedule.office!r} {_known(offices)}")
        for code in schedule.services:
            if code != "all" and code not in services:
                raise ConfigProblem(f"{where}.services",
                                    f"unknown service {code!r} {_known(services)}")
            if code != "all" and not office.handles(code):
                raise ConfigProblem(f"{where}.services",
                                    f"{office.code!r} does not handle {code!r} (offices.services)")
    seen: set[str] = set()
    for index, entry in enumerate(config.appointments.services):
        where = f"appointments.services[{index}].service"
        if entry.service not in services:
            raise ConfigProblem(where, f"unknown service {entry.service!r} {_known(services)}")
        if entry.service in seen:
            raise ConfigProblem(where, f"{entry.service!r} is listed twice")
        seen.add(entry.service)


# -------------------------------------------------------------------------------- whole


def _unique_codes(items: Sequence[Any], attr: str, where: str) -> None:
    seen: set[str] = set()
    for index, item in enumerate(items):
        code = getattr(item, attr)
        if code in seen:
            raise ConfigProblem(f"{where}[{index}].{attr}", f"{code!r} is used twice")
        seen.add(code)


_TIERS_ALLOWED = {
    "district": {"district/unitary", "all"},
    "county": {"county/unitary", "all"},
    "unitary": {"district/unitary", "county/unitary", "all"},
}


class CouncilConfig(_Strict):
    """One council's whole configuration."""

    council: Council
    calendar: Calendar
    offices: list[Office] = []
    emergency_contacts: list[EmergencyContact] = []
    wards: list[Ward] = []
    teams: list[Team] = Field(min_length=1)
    services: list[Service] = []
    charter: Charter
    notifications: Notifications = Notifications()
    portal: Portal = Portal()
    forms: list[OnlineForm] = []
    appointments: Appointments = Appointments()

    @model_validator(mode="after")
    def _cross_references(self) -> Self:
        _check_forms(self)
        _check_appointments(self)
        _unique_codes(self.offices, "code", "offices")
        _unique_codes(self.wards, "code", "wards")
        _unique_codes(self.teams, "code", "teams")
        _unique_codes(self.services, "code", "services")
        _unique_codes(self.charter.standards, "id", "charter.standards")
        teams = [t.code for t in self.teams]
        services = [s.code for s in self.services]
        for index, service in enumerate(self.services):
            if service.team not in teams:
                raise ConfigProblem(
                    f"services[{index}].team",
                    f"unknown team {service.team!r} {_known(teams)}",
                )
            entry = service.lgsl_entry
            allowed = _TIERS_ALLOWED[self.council.tier]
            if entry and service.provided_by is None and entry.tier not in allowed:
                raise ConfigProblem(
                    f"services[{index}].lgsl",
                    f"LGSL {entry.code} ({entry.description}) is a {entry.tier} service; "
                    f"a {self.council.tier} council lists it only with provided_by",
                )
        for index, office in enumerate(self.offices):
            for code in office.services:
                if code != "all" and code not in services:
                    raise ConfigProblem(
                        f"offices[{index}].services",
                        f"unknown service {code!r} {_known(services)}",
                    )
        deadline_ids = [s.id for s in self.charter.deadlines]
        for index, standard in enumerate(self.charter.standards):
            where = f"charter.standards[{index}]"
            for code in standard.applies_to.services or []:
                if code not in services:
                    raise ConfigProblem(
                        f"{where}.applies_to.services",
                        f"unknown service {code!r} {_known(services)}",
                    )
            for channel in getattr(standard, "channel_targets", {}):
                if standard.applies_to.channels and channel not in standard.applies_to.channels:
                    raise ConfigProblem(
                        f"{where}.channel_targets", f"{channel!r} is not in applies_to.channels"
                    )
            if not isinstance(standard, DeadlineStandard):
                continue
            if standard.runs_from == "acknowledged":
                if not standard.provisional_from:
                    raise ConfigProblem(
                        f"{where}.provisional_from",
                        "runs_from = \"acknowledged\" needs provisional_from: the deadline "
                        "standard whose due time is the latest the acknowledgement may happen",
                    )
                if (
                    standard.provisional_from not in deadline_ids
                    or standard.provisional_from == standard.id
                ):
                    others = [d for d in deadline_ids if d != standard.id]
                    raise ConfigProblem(
                        f"{where}.provisional_from",
                        f"unknown deadline standard {standard.provisional_from!r} {_known(others)}",
                    )
            elif standard.provisional_from:
                raise ConfigProblem(
                    f"{where}.provisional_from", "only used with runs_from = \"acknowledged\""
                )
        return self

    # ---- look-ups by code

    def team(self, code: str) -> Team:
        return _find(self.teams, "code", code, "team")

    def service(self, code: str) -> Service:
        return _find(self.services, "code", code, "service")

    def office(self, code: str) -> Office:
        return _find(self.offices, "code", code, "office")

    def ward(self, code: str) -> Ward:
        return _find(self.wards, "code", code, "ward")

    def standard(self, id: str) -> DeadlineStandard | MeasureStandard:
        return _find(self.charter.standards, "id", id, "charter standard")

    def forms_for(self, service_code: str) -> list[OnlineForm]:
        """The online forms of a service, in file order."""
        return [f for f in self.forms if f.service == service_code]

    def form(self, service_code: str, form_code: str) -> OnlineForm:
        return _find(self.forms_for(service_code), "code", form_code, "form")

    def services_of_team(self, team_code: str) -> list[Service]:
        return [s for s in self.services if s.team == team_code]

    def wards_for_postcode(self, postcode: str) -> list[Ward]:
        """Wards covering the postcode's district ("NR27 9EN" -> NR27)."""
        compact = "".join(postcode.split()).upper()
        district = compact[:-3] if len(compact) > 4 else compact
        return [w for w in self.wards if district in w.postcode_districts]

    def standards_for(
        self,
        *,
        channel: str | None = None,
        case_type: str | None = None,
        service: str | None = None,
        complaint_stage: int | None = None,
    ) -> list[DeadlineStandard | MeasureStandard]:
        """The standards whose applies_to covers these attributes, in file order."""
        return [
            s
            for s in self.charter.standards
            if s.applies_to.matches(
                channel=channel,
                case_type=case_type,
                service=service,
                complaint_stage=complaint_stage,
            )
        ]


def _check_forms(config: CouncilConfig) -> None:
    services = [s.code for s in config.services]
    seen: set[tuple[str, str]] = set()
    for index, form in enumerate(config.forms):
        if form.service not in services:
            raise ConfigProblem(
                f"forms[{index}].service", f"unknown service {form.service!r} {_known(services)}"
            )
        if (form.service, form.code) in seen:
            raise ConfigProblem(
                f"forms[{index}].code", f"{form.code!r} is used twice for {form.service!r}"
            )
        seen.add((form.service, form.code))


def _find(items: Sequence[Any], attr: str, code: str, what: str) -> Any:
    for item in items:
        if getattr(item, attr) == code:
            return item
    raise UnknownCode(
        f"unknown {what} {code!r} {_known(getattr(i, attr) for i in items)}", field=what
    )
