"""Demo data: a realistic council's staff, customers, contacts, cases and charter clocks, fast.

Everything is drawn from one `random.Random(seed)`, so the same seed, sizes, end date and
council configuration give the same rows (ids aside). Row building is plain Python; writing
goes through the domain apps' bulk imports (COPY on PostgreSQL), one week of contacts at a
time, inside one transaction.

Volumes (per month, by channel) follow Thurrock's published figures (seed 004: 38,000 calls,
8,000 visits, 1,000+ emails, web forms from 1M web hits, 10,000 Twitter followers), with
letters, web chat and voicemail added, for its population of about 170,000::

    contacts per month on a channel = THURROCK_MONTHLY[channel]
                                      x (council population / 170,000)   # scale the council
                                      x (customers / council population) # scale the sample
                                    = THURROCK_MONTHLY[channel] x customers / 170,000

The council's population cancels out, so `--customers 105000` (North Norfolk's population)
gives North Norfolk's full volumes (about 34,500 contacts a month) and `--customers 1000` a
proportional 1%. The window's total per channel is exactly that figure times `--months`
(rounded); seasons, weekdays, bank holidays and hours of day only decide *when*.
"""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from itertools import accumulate
from time import perf_counter
from typing import Any

from django.db import transaction

from frontdoor.accounts import bulk as accounts
from frontdoor.cases import bulk as cases
from frontdoor.charter import bulk as charter
from frontdoor.charter.calendar import (
    NATION_HOLIDAY_REGIONS,
    WorkingCalendar,
    calendars_for,
    holiday_ordinals,
)
from frontdoor.charter.deadlines import Standard, clock_due
from frontdoor.charter.queries import applicable_standards
from frontdoor.contacts import bulk as contacts
from frontdoor.core.time import LONDON
from frontdoor.customers import bulk as customers
from frontdoor.ops import demo_names as names

REFERENCE_POPULATION = 170_000  # Thurrock, whose monthly volumes the seeds publish
THURROCK_MONTHLY: dict[str, float] = {
    "phone": 38_000,
    "face_to_face": 8_000,
    "email": 1_000,
    "web_form": 6_000,  # forms submitted out of about 1 million web hits
    "social_media": 300,  # messages from 10,000 Twitter followers
    "letter": 400,
    "webchat": 1_500,
    "voicemail": 600,
}
FOI_MONTHLY, SAR_MONTHLY = 15.0, 4.0  # at the reference population
COMPLAINT_SHARE = 0.02
FAILURE_SHARE = 0.15
SLOT = timedelta(minutes=15)
SLICE = timedelta(days=7)

# How often each service comes up (council tax, benefits and waste dominate); others weigh 1.
SERVICE_WEIGHTS: dict[str, float] = {
    "council-tax": 22, "council-tax-discount": 4, "council-tax-support": 5,
    "housing-benefit": 8, "benefit-appeal": 0.3, "business-rates": 2, "missed-bin": 10,
    "bulky-waste": 4, "garden-waste": 4, "recycling": 5, "fly-tipping": 1.5, "graffiti": 0.3,
    "abandoned-vehicle": 0.3, "litter": 0.8, "dog-fouling": 0.5, "dead-animal": 0.3,
    "noise-nuisance": 1.5, "pest-control": 1, "electoral-registration": 2,
    "find-councillor": 0.3, "car-park-season-ticket": 1, "parking-fine": 1.2, "beach-huts": 1,
    "planning": 4, "building-control": 1, "protected-trees": 0.5, "licensing": 1,
    "potholes": 1, "street-lights": 0.5, "homelessness": 2, "housing-register": 3,
    "disabled-facilities-grant": 0.5, "general-enquiry": 6, "callback-request": 1.5,
}
# (resolved at first contact, signposted); the rest become cases.
CHANNEL_OUTCOMES: dict[str, tuple[float, float]] = {
    "phone": (0.85, 0.05), "face_to_face": (0.86, 0.05), "webchat": (0.76, 0.06),
    "email": (0.45, 0.05), "web_form": (0.30, 0.03), "letter": (0.35, 0.03),
    "social_media": (0.55, 0.15), "voicemail": (0.10, 0.02), "sms": (0.5, 0.05),
    "app_api": (0.1, 0.02),
}
ANONYMOUS_SHARE = {"phone": 0.06, "face_to_face": 0.10, "social_media": 0.5, "webchat": 0.3}
HANDLING_MEDIAN_SECONDS = {
    "phone": 300, "face_to_face": 480, "webchat": 420, "email": 360, "web_form": 240,
    "letter": 480, "social_media": 180, "voicemail": 150, "sms": 120, "app_api": 60,
}
SEASON = {1: 1.05, 2: 1.0, 3: 1.25, 4: 1.2, 5: 1.0, 6: 0.95, 7: 0.95, 8: 0.9, 9: 1.0,
          10: 1.0, 11: 0.95, 12: 0.8}
CHANNEL_LABEL = {
    "phone": "Call", "face_to_face": "Visit", "email": "Email", "web_form": "Online form",
    "social_media": "Social media message", "letter": "Letter", "webchat": "Web chat",
    "voicemail": "Voicemail", "sms": "Text message", "app_api": "App report",
}
ON_TIME = {"complaint": 0.82, "foi": 0.88, "sar": 0.9, "callback": 0.9}
ON_TIME_DEFAULT = 0.87
CASE_OUTCOMES: dict[str, tuple[tuple[str, float], ...]] = {
    "service_request": (("done", 85), ("no_further_action", 6), ("duplicate", 3),
                        ("not_our_responsibility", 3), ("withdrawn", 3)),
    "enquiry": (("information_provided", 80), ("done", 15), ("withdrawn", 5)),
    "complaint": (("upheld", 25), ("partly_upheld", 30), ("not_upheld", 45)),
    "foi": (("information_provided", 60), ("information_partly_provided", 20),
            ("information_withheld", 10), ("information_not_held", 10)),
    "sar": (("information_provided", 90), ("withdrawn", 10)),
    "callback": (("called_back", 92), ("no_answer", 8)),
}
OPEN_STATUSES = (("in_progress", 50), ("assigned", 30), ("waiting_on_customer", 12), ("new", 8))
FAILURE_REASONS = (("chasing", 45), ("repeat", 30), ("our_error", 20), ("other", 5))
SIGNPOSTS = (
    {"name": "Citizens Advice North Norfolk", "url": "https://www.citizensadvicenorthnorfolk.org.uk"},
    {"name": "Norfolk County Council", "url": "https://www.norfolk.gov.uk"},
    {"name": "GOV.UK", "url": "https://www.gov.uk"},
)
MOBILE_PREFIXES = ("7400", "7401", "7411", "7450", "7500", "7712", "7723", "7734", "7745",
                   "7766", "7787", "7801", "7825", "7850", "7887", "7912", "7940", "7958")
LANDLINE_PREFIXES = ("126351", "126376", "126382", "132886", "132871", "169240")
POSTCODE_UNIT_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"  # letters a postcode unit may use
LANGUAGES = (("en", 970), ("pl", 9), ("lt", 5), ("ro", 5), ("pt", 4), ("bg", 3), ("cy", 2),
             ("uk", 2))
ALTERNATIVE_FORMATS = (("large_print", 60), ("easy_read", 14), ("audio", 10),
                       ("translation", 10), ("braille", 6))
VULNERABILITIES = (
    ("older_person", "Lives alone; may need extra time on the phone"),
    ("hearing_impairment", "Hard of hearing: prefers email or text"),
    ("sight_impairment", "Partially sighted"),
    ("mobility", "Uses a wheelchair; needs step-free access"),
    ("mental_health", "Anxiety: explain next steps clearly"),
    ("learning_disability", "Easy read letters help"),
    ("financial_hardship", "Struggling with bills"),
    ("bereavement", "Recently bereaved"),
    ("literacy", "Finds forms hard; offer help to fill them in"),
)
MARKERS = (
    ("verbal_abuse", "Verbally abusive to staff on the phone"),
    ("lone_worker_risk", "Do not visit alone"),
    ("animal", "Dangerous dog at the property"),
    ("unreasonable_conduct", "Contacts several teams daily about the same matter"),
    ("violence", "Threatened an officer at the property"),
)
STAFF_WORDS = {
    "agent": "Customer service adviser", "case_officer": "Case officer",
    "team_leader": "Team leader", "manager": "Service manager", "administrator": "Administrator",
}


# --- the request and what it made -----------------------------------------------------------


@dataclass(frozen=True)
class DemoRequest:
    customers: int
    months: int
    end_date: date
    now: datetime
    seed: int = 1


@dataclass
class DemoSummary:
    counts: Counter[str] = field(default_factory=Counter)
    seconds: dict[str, float] = field(default_factory=dict)


def monthly_volumes(customers: int) -> dict[str, float]:
    """Expected contacts a month by channel: Thurrock's volumes x customers / 170,000."""
    scale = customers / REFERENCE_POPULATION
    return {channel: volume * scale for channel, volume in THURROCK_MONTHLY.items()}


def expected_contacts(customers: int, months: int) -> dict[str, int]:
    """Contacts by channel over `months` months (the exact totals the generator writes)."""
    return {ch: round(v * months) for ch, v in monthly_volumes(customers).items()}


def window_for(end_date: date, months: int, now: datetime) -> tuple[datetime, datetime]:
    """[start, end): the `months` months ending with `end_date` (London days), never after now."""
    index = end_date.month - 1 - months
    year, month = end_date.year + index // 12, index % 12 + 1
    first = date(year, month, min(end_date.day, _month_days(year, month))) + timedelta(days=1)
    start = _london_midnight(first)
    end = min(_london_midnight(end_date + timedelta(days=1)), now.astimezone(UTC))
    if end <= start:
        raise ValueError("the window is empty: choose an end date before now")
    return start, end


def _month_days(year: int, month: int) -> int:
    return (date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)).day


def _london_midnight(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=LONDON).astimezone(UTC)


def _weighted(pairs: Sequence[tuple[Any, float]]) -> tuple[list[Any], list[float]]:
    values = [value for value, _ in pairs]
    return values, list(accumulate(weight for _, weight in pairs))


class Picker:
    """Weighted choice by cumulative weights and binary search (one random number per pick)."""

    def __init__(self, rng: random.Random, pairs: Sequence[tuple[Any, float]]):
        self.rng = rng
        self.values, self.cumulative = _weighted(pairs)
        self.total = self.cumulative[-1]

    def __call__(self) -> Any:
        position = bisect_right(self.cumulative, self.rng.random() * self.total)
        return self.values[min(position, len(self.values) - 1)]


# --- staff ----------------------------------------------------------------------------------


@dataclass
class StaffMember:
    id: int
    given_name: str
    family_name: str
    email: str
    role: str
    teams: list[tuple[str, str]]  # (team code, role in team)


def plan_staff(
    config: Any, rng: random.Random, ids: Callable[[int], list[int]], taken: set[str]
) -> list[StaffMember]:
    """Per team a leader and 3-8 officers; a manager per ~4 teams; 10-20 agents; 1 admin."""
    domain = config.council.web_domain
    teams = [team.code for team in config.teams]
    front = "customer-services" if "customer-services" in teams else teams[0]
    planned: list[tuple[str, list[tuple[str, str]]]] = []
    for team in teams:
        planned.append(("team_leader", [(team, "leader")]))
        if team != front:
            planned.extend(("case_officer", [(team, "member")]) for _ in range(rng.randint(3, 8)))
    planned.extend(("agent", [(front, "member")]) for _ in range(rng.randint(10, 20)))
    for start in range(0, len(teams), 4):
        planned.append(("manager", [(team, "manager") for team in teams[start : start + 4]]))
    planned.append(("administrator", []))
    staff: list[StaffMember] = []
    for staff_id, (role, memberships) in zip(ids(len(planned)), planned, strict=True):
        given = rng.choice(rng.choice((names.GIVEN_NAMES_FEMALE, names.GIVEN_NAMES_MALE)))
        family = rng.choice(names.FAMILY_NAMES)
        local = f"{_email_word(given)}.{_email_word(family)}"
        email, suffix = f"{local}@{domain}", 1
        while email in taken:
            suffix += 1
            email = f"{local}{suffix}@{domain}"
        taken.add(email)
        staff.append(StaffMember(staff_id, given, family, email, role, memberships))
    return staff


def _email_word(word: str) -> str:
    return "".join(ch for ch in word.lower() if ch.isalpha())


def staff_rows(
    staff: Sequence[StaffMember], since: datetime, rng: random.Random
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    users: list[dict[str, Any]] = []
    memberships: list[dict[str, Any]] = []
    for member in staff:
        joined = since - timedelta(days=rng.randint(30, 3650))
        users.append({
            "id": member.id, "email": member.email, "password": "!demo-data-no-sign-in",
            "last_login": None, "is_superuser": False,
            "display_name": f"{member.given_name} {member.family_name}",
            "role": member.role, "is_active": True, "mfa_required": True,
            "created_at": joined, "deactivated_at": None,
        })
        memberships.extend(
            {"user_id": member.id, "team_code": team, "role_in_team": role_in_team,
             "since": joined}
            for team, role_in_team in member.teams
        )
    return users, memberships


# --- customers ------------------------------------------------------------------------------


@dataclass
class CustomerBatch:
    customers: list[dict[str, Any]] = field(default_factory=list)
    emails: list[dict[str, Any]] = field(default_factory=list)
    phones: list[dict[str, Any]] = field(default_factory=list)
    addresses: list[dict[str, Any]] = field(default_factory=list)
    consents: list[dict[str, Any]] = field(default_factory=list)
    markers: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class Population:
    """What contact generation needs to know about the customers written so far."""

    ids: list[int] = field(default_factory=list)
    weights: list[float] = field(default_factory=list)
    places: list[tuple[str, str, str]] = field(default_factory=list)  # (address, postcode, uprn)


class CustomerMaker:
    def __init__(self, config: Any, rng: random.Random, before: datetime, staff: Sequence[int]):
        self.rng = rng
        self.before = before
        self.staff: list[int | None] = list(staff) or [None]
        places = [(w.code, district, town) for w in config.wards
                  for town in (w.communities or [str(w.name)]) for district in w.postcode_districts]
        if not places:
            places = [("", "NR27", "Cromer")]
        self.places = places
        self.communities = sorted({town for _, _, town in places})
        self.language = Picker(rng, LANGUAGES)
        self.alt_format = Picker(rng, ALTERNATIVE_FORMATS)

    def make(self, ids: Sequence[int], population: Population) -> CustomerBatch:
        rng, batch = self.rng, CustomerBatch()
        for customer_id in ids:
            ward, district, town = rng.choice(self.places)
            created = self.before - timedelta(seconds=rng.randint(86_400, 8 * 365 * 86_400))
            organisation = rng.random() < 0.05
            given = family = title = org_name = ""
            birth: date | None = None
            if organisation:
                org_name = self._organisation_name(town)
            else:
                female = rng.random() < 0.52
                given = rng.choice(names.GIVEN_NAMES_FEMALE if female else names.GIVEN_NAMES_MALE)
                family = rng.choice(names.FAMILY_NAMES)
                title = rng.choice(names.TITLES_FEMALE if female else names.TITLES_MALE)
                age_days = int(365.25 * (18 + min(rng.expovariate(1 / 30), 82)))
                birth = self.before.date() - timedelta(days=age_days)
            has_email = rng.random() < 0.7
            has_mobile = rng.random() < 0.6
            has_landline = rng.random() < 0.25
            language = self.language()
            formats: list[str] = []
            if rng.random() < 0.025:
                formats.append(self.alt_format())
            if language != "en" and rng.random() < 0.2 and "translation" not in formats:
                formats.append("translation")
            flags: list[str] = []
            needs = ""
            if not organisation and rng.random() < 0.05:
                flag, needs = rng.choice(VULNERABILITIES)
                flags.append(flag)
            channels = ["letter", "none"]
            if has_email:
                channels += ["email", "email", "email"]
            if has_mobile:
                channels += ["sms", "phone"]
            if has_landline:
                channels.append("phone")
            batch.customers.append({
                "id": customer_id, "kind": "organisation" if organisation else "person",
                "title": title, "given_name": given, "family_name": family,
                "organisation_name": org_name, "date_of_birth": birth,
                "preferred_channel": rng.choice(channels), "preferred_language": language,
                "alternative_formats": formats, "needs": needs, "vulnerability_flags": flags,
                "ward_code": ward, "created_at": created, "updated_at": created,
                "merged_into_id": None, "merged_at": None, "erased_at": None, "version": 1,
            })
            if has_email:
                who = _email_word(org_name)[:20] if organisation else (
                    f"{_email_word(given)}.{_email_word(family)}"
                )
                number = rng.choice(("", "", str(rng.randint(1, 99)), str(rng.randint(1950, 2005))))
                batch.emails.append({
                    "customer_id": customer_id,
                    "address": f"{who}{number}@{rng.choice(names.EMAIL_DOMAINS)}",
                    "is_primary": True, "verified_at": created if rng.random() < 0.5 else None,
                })
            if has_mobile:
                batch.phones.append({
                    "customer_id": customer_id,
                    "e164": f"+44{rng.choice(MOBILE_PREFIXES)}{rng.randint(0, 999_999):06d}",
                    "kind": "mobile", "is_primary": True,
                })
            if has_landline:
                batch.phones.append({
                    "customer_id": customer_id,
                    "e164": f"+44{rng.choice(LANDLINE_PREFIXES)}{rng.randint(0, 9999):04d}",
                    "kind": "landline", "is_primary": not has_mobile,
                })
            line1 = (
                f"{rng.randint(1, 30)} {rng.choice(names.STREETS)}" if not organisation
                else f"Unit {rng.randint(1, 12)}, {rng.choice(names.STREETS)}"
            )
            postcode = (
                f"{district} {rng.randint(0, 9)}"
                f"{rng.choice(POSTCODE_UNIT_LETTERS)}{rng.choice(POSTCODE_UNIT_LETTERS)}"
            )
            uprn = str(100_090_000_000 + customer_id * 7 + rng.randint(0, 6))
            batch.addresses.append({
                "customer_id": customer_id, "line1": line1, "line2": "", "town": town,
                "postcode": postcode, "uprn": uprn, "usrn": "", "ward_code": ward,
                "is_primary": True,
            })
            if rng.random() < 0.02:
                batch.consents.append({
                    "customer_id": customer_id, "purpose": "share_between_services",
                    "services": [], "lawful_basis": "consent", "given_at": created,
                    "withdrawn_at": None, "recorded_by_id": rng.choice(self.staff),
                })
            if rng.random() < 0.005:
                category, description = rng.choice(MARKERS)
                added = created + timedelta(days=rng.randint(0, 300))
                batch.markers.append({
                    "customer_id": customer_id, "category": category,
                    "description": description, "added_by_id": rng.choice(self.staff),
                    "added_at": min(added, self.before),
                    "review_at": min(added, self.before) + timedelta(days=365),
                    "removed_at": None, "removed_by_id": None, "removal_reason": "",
                })
            population.ids.append(customer_id)
            # A few customers contact the council far more often than most (Pareto).
            activity = min(rng.paretovariate(1.6), 60.0)
            population.weights.append(activity * (2 if organisation else 1))
            population.places.append((f"{line1}, {town}", postcode, uprn))
        return batch

    def _organisation_name(self, town: str) -> str:
        rng = self.rng
        roll = rng.random()
        if roll < 0.15:
            return f"{rng.choice(self.communities)} Parish Council"
        if roll < 0.3:
            first, second = rng.choice(names.PUB_WORDS)
            return f"The {first} {second}, {town}"
        if roll < 0.55:
            return f"{rng.choice(names.FAMILY_NAMES)} & Sons"
        return f"{town} {rng.choice(names.BUSINESS_KINDS)}"


# --- when contacts arrive -------------------------------------------------------------------


def _hour_table(values: Mapping[int, float], default: float = 0.0) -> list[float]:
    return [values.get(hour, default) for hour in range(24)]


EMAIL_HOURS = [0.15] * 6 + [0.5, 0.7] + [1.2] * 9 + [0.9, 0.9] + [1.3] * 3 + [0.5, 0.3]
FORM_HOURS = [0.12] * 6 + [0.4, 0.7] + [1.0] * 9 + [1.1, 1.3] + [1.7] * 3 + [0.8, 0.4]
SOCIAL_HOURS = [0.05] * 7 + [0.6] + [1.0] * 10 + [1.2] * 4 + [0.8, 0.3]
PHONE_HOURS = _hour_table({8: 0.9, 9: 1.6, 10: 1.5, 11: 1.3, 12: 1.0, 13: 1.0, 14: 1.1,
                           15: 0.9, 16: 0.65}, 0.5)
VISIT_HOURS = _hour_table({9: 1.0, 10: 1.4, 11: 1.4, 12: 1.1, 13: 0.9, 14: 1.0, 15: 0.9,
                           16: 0.6}, 0.5)
PHONE_DAYS = (1.35, 1.1, 1.0, 0.95, 0.8, 0.6, 0.4)


@dataclass(frozen=True)
class Slot:
    start: datetime  # UTC
    weekday: int
    minute: int  # London wall-clock minute of the day
    working_day: bool  # charter working day
    closed_day: bool  # a bank holiday or closure day
    month: int


def _within(hours: Any, minute: int) -> bool:
    if hours is None:
        return False
    return hours.start.hour * 60 + hours.start.minute <= minute < (
        hours.end.hour * 60 + hours.end.minute
    )


class Timetable:
    """Channel weights for every 15-minute slot: opening hours, peaks, weekdays, seasons."""

    def __init__(self, config: Any, charter: WorkingCalendar):
        self.config = config
        self.charter = charter
        offices = list(config.offices)
        self.phone_office = offices[0] if offices else None
        self.offices = [(office, 0.8 if i == 0 else 0.2 / max(1, len(offices) - 1))
                        for i, office in enumerate(offices)]
        self.closures = config.calendar.closure_dates
        self.nation_regions = NATION_HOLIDAY_REGIONS[str(config.council.nation)]

    def slots(self, start: datetime, end: datetime) -> list[Slot]:
        found, moment = [], start
        holidays = holiday_ordinals(self.nation_regions, start.year - 1, end.year + 1)
        while moment < end:
            local = moment.astimezone(LONDON)
            day = local.date()
            found.append(Slot(
                moment, local.weekday(), local.hour * 60 + local.minute,
                self.charter.is_working_day(day),
                day.toordinal() in holidays or day in self.closures, local.month,
            ))
            moment += SLOT
        return found

    def weight(self, channel: str, slot: Slot) -> float:
        hour, weekday, minute = slot.minute // 60, slot.weekday, slot.minute
        season = SEASON[slot.month]
        weekend = weekday >= 5
        if channel == "phone":
            office = self.phone_office
            open_now = (
                _within(office.hours_for(weekday), minute) if office is not None
                else slot.working_day and 510 <= minute < 1020
            )
            if not open_now or slot.closed_day:
                return 0.0
            monday_morning = 1.25 if weekday == 0 and hour < 12 else 1.0
            return PHONE_HOURS[hour] * PHONE_DAYS[weekday] * monday_morning * season
        if channel == "face_to_face":
            if slot.closed_day:
                return 0.0
            share = sum(w for office, w in self.offices
                        if _within(office.hours_for(weekday), minute))
            return share * VISIT_HOURS[hour] * (1.2 if weekday == 0 else 1.0) * season
        if channel in ("webchat", "letter"):
            hours = self.config.calendar.hours_for(weekday)
            if not slot.working_day or hours is None or not _within(hours, minute):
                return 0.0
            if channel == "letter":  # the post is opened in the first two hours
                opens = hours.start.hour * 60 + hours.start.minute
                return season if minute < opens + 120 else 0.0
            return PHONE_HOURS[hour] * season
        if channel == "voicemail":
            if self.weight("phone", slot) > 0:
                return 0.08 * season  # overflow while lines are busy
            if weekend:
                return (0.4 if 7 <= hour < 22 else 0.05) * season
            return (1.0 if 17 <= hour < 22 else 0.3 if hour >= 22 else 0.15) * season
        table = {"email": EMAIL_HOURS, "web_form": FORM_HOURS}.get(channel, SOCIAL_HOURS)
        return table[hour] * (0.7 if weekend else 1.0) * season


def apportion(total: int, weights: Sequence[float]) -> list[int]:
    """Split `total` in proportion to `weights` exactly (largest remainders)."""
    whole = sum(weights)
    if total <= 0 or whole <= 0:
        return [0] * len(weights)
    shares = [total * w / whole for w in weights]
    counts = [math.floor(s) for s in shares]
    short = total - sum(counts)
    by_remainder = sorted(range(len(weights)), key=lambda i: counts[i] - shares[i])
    for i in by_remainder[:short]:
        counts[i] += 1
    return counts


# --- contacts and cases ---------------------------------------------------------------------


@dataclass
class ContactBatch:
    contacts: list[dict[str, Any]] = field(default_factory=list)
    cases: list[dict[str, Any]] = field(default_factory=list)
    parties: list[dict[str, Any]] = field(default_factory=list)
    case_contacts: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    clocks: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class OpenCase:
    id: int
    service: str
    received_at: datetime
    resolved_at: datetime | None


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


class ContactMaker:
    """Builds one slice of contacts and the cases, clocks and history they lead to."""

    def __init__(
        self,
        *,
        config: Any,
        rng: random.Random,
        staff: Sequence[StaffMember],
        population: Population,
        as_of: datetime,
        version_id: int | None,
        ids: Callable[[str, int], list[int]],
        case_numbers: Callable[[int, int], int],
    ):
        self.config, self.rng, self.as_of, self.version_id = config, rng, as_of, version_id
        self.ids, self.case_numbers = ids, case_numbers
        self.population = population
        self.pick_customer = Picker(rng, list(zip(range(len(population.ids)),
                                                  population.weights, strict=True)))
        self.calendars = calendars_for(config)
        self.charter = self.calendars["charter"]
        self.prefix = config.council.reference_prefix
        self.services = {s.code: s for s in config.services}
        self.agents = [m.id for m in staff if m.role == "agent"] or [staff[0].id]
        self.team_staff: dict[str, list[int]] = defaultdict(list)
        front = "customer-services"
        for member in staff:
            for team, role_in_team in member.teams:
                if role_in_team != "manager" and (member.role != "agent" or team == front):
                    self.team_staff[team].append(member.id)
        self.pickers: dict[str, Picker] = {}
        usual = [s for s in config.services if s.case_type not in ("complaint", "foi", "sar")]
        for channel in THURROCK_MONTHLY:
            allowed = [s for s in usual if channel in s.channels] or usual
            self.pickers[channel] = Picker(
                rng, [(s.code, SERVICE_WEIGHTS.get(s.code, 1.0)) for s in allowed]
            )
        self.special = {
            kind: next((s for s in config.services if s.case_type == kind), None)
            for kind in ("complaint", "foi", "sar")
        }
        self.failure_reason = Picker(rng, FAILURE_REASONS)
        self.open_status = Picker(rng, OPEN_STATUSES)
        self.outcomes = {kind: Picker(rng, pairs) for kind, pairs in CASE_OUTCOMES.items()}
        self.standards: dict[tuple[str, str, str], list[Standard]] = {}
        self.open_cases: dict[int, OpenCase] = {}  # by customer index: their latest case
        self.summaries: dict[tuple[str, str], str] = {}

    # -- one slice --

    def make(self, arrivals: list[tuple[datetime, str, str | None]]) -> ContactBatch:
        """`arrivals`: (received_at, channel, forced service code or None), sorted by time."""
        batch = ContactBatch()
        contact_ids = self.ids("contact", len(arrivals))
        pending: list[tuple[dict[str, Any], int | None, Any]] = []
        for contact_id, (received, channel, forced) in zip(contact_ids, arrivals, strict=True):
            contact, customer_index, service = self._contact(contact_id, received, channel, forced)
            batch.contacts.append(contact)
            if contact["outcome"] == "case_created":
                pending.append((contact, customer_index, service))
            elif contact["outcome"] == "case_linked":
                case = self.open_cases[customer_index]  # type: ignore[index]
                batch.case_contacts.append({"case_id": case.id, "contact_id": contact_id,
                                            "linked_at": contact["logged_at"]})
                batch.events.append(self._event(case.id, contact["logged_at"],
                                                contact["handled_by_id"], "contact_linked",
                                                f"{CHANNEL_LABEL[channel]} chasing progress",
                                                False))
        case_ids = self.ids("case", len(pending))
        years = Counter(r[0]["received_at"].astimezone(LONDON).year for r in pending)
        next_number = {year: self.case_numbers(year, n) for year, n in sorted(years.items())}
        for case_id, (contact, customer_index, service) in zip(case_ids, pending, strict=True):
            year = contact["received_at"].astimezone(LONDON).year
            reference = f"{self.prefix}-{year}-{next_number[year]:06d}"
            next_number[year] += 1
            self._case(batch, case_id, reference, contact, customer_index, service)
        return batch

    def _contact(
        self, contact_id: int, received: datetime, channel: str, forced: str | None
    ) -> tuple[dict[str, Any], int | None, Any]:
        rng = self.rng
        customer_index: int | None = None
        if rng.random() >= ANONYMOUS_SHARE.get(channel, 0.0) or forced:
            customer_index = self.pick_customer()
        service_code = forced or self.pickers[channel]()
        if not forced and self.special["complaint"] and rng.random() < COMPLAINT_SHARE and (
            channel in self.special["complaint"].channels
        ):
            service_code = self.special["complaint"].code
        service = self.services[service_code]
        offered = answered = acknowledged = None
        abandoned = False
        handler: int | None = rng.choice(self.agents)
        handling = int(rng.lognormvariate(math.log(HANDLING_MEDIAN_SECONDS[channel]), 0.5))
        logged = received
        if channel in ("phone", "webchat", "face_to_face"):
            offered = received
            if channel == "phone":
                # 92% short waits (mean 9 s), 8% long (mean 90 s): ~84% answered within 20 s.
                wait = rng.expovariate(1 / 9) if rng.random() < 0.92 else rng.expovariate(1 / 90)
            elif channel == "webchat":
                wait = rng.expovariate(1 / 50)
            else:
                wait = rng.expovariate(1 / 360)
            if channel != "face_to_face" and rng.random() < (0.03 if channel == "phone" else 0.04):
                abandoned = True
                ended = received + timedelta(seconds=min(wait, 600) + rng.expovariate(1 / 30))
                handler, handling, logged = None, 0, ended
            else:
                answered = received + timedelta(seconds=min(wait, 1800))
                ended = answered + timedelta(seconds=handling)
                logged = ended
        elif channel == "voicemail":
            logged = self.charter.clock_start(received) + timedelta(minutes=rng.randint(5, 90))
            ended = logged + timedelta(seconds=handling)
        elif channel == "letter":
            logged = received + timedelta(minutes=rng.randint(10, 240))
            acknowledged = logged + timedelta(minutes=rng.randint(5, 120))
            ended = logged + timedelta(seconds=handling)
        else:  # email, web forms, social media: logged as they arrive, acknowledged at once
            logged = received + timedelta(seconds=rng.randint(1, 60))
            if channel != "social_media":
                acknowledged = logged + timedelta(seconds=rng.randint(1, 30))
            ended = self.charter.clock_start(logged) + timedelta(
                minutes=rng.randint(5, 600), seconds=handling
            )
        failure, reason = False, ""
        outcome, signposted = "resolved_first_contact", None
        if abandoned:
            outcome, service_code, customer_index = "abandoned", "", None
        else:
            if customer_index is not None and rng.random() < FAILURE_SHARE:
                failure, reason = True, self.failure_reason()
                earlier = self.open_cases.get(customer_index)
                if reason == "chasing" and earlier and (
                    earlier.resolved_at is None or earlier.resolved_at > received
                ) and earlier.received_at < received:
                    service_code, service = earlier.service, self.services[earlier.service]
                    outcome = "case_linked"
            if outcome != "case_linked":
                outcome, signposted = self._outcome(channel, service)
        customer_id = None if customer_index is None else self.population.ids[customer_index]
        summary = self._summary(channel, service_code)
        return {
            "id": contact_id, "channel": channel, "direction": "inbound",
            "customer_id": customer_id, "received_at": received, "logged_at": logged,
            "offered_at": offered, "answered_at": answered, "acknowledged_at": acknowledged,
            "ended_at": ended, "handling_seconds": handling, "abandoned": abandoned,
            "handled_by_id": handler, "service_code": service_code, "summary": summary,
            "outcome": outcome, "outcome_note": "", "knowledge_article_id": "",
            "signposted_to": signposted, "failure_demand": failure, "failure_reason": reason,
            "idempotency_key": None, "created_at": logged,
        }, customer_index, service

    def _outcome(self, channel: str, service: Any) -> tuple[str, dict[str, str] | None]:
        rng = self.rng
        if service.case_type in ("complaint", "foi", "sar", "callback"):
            return "case_created", None
        if service.provided_by is not None and rng.random() < 0.85:
            provider = service.provided_by
            return "signposted", {"name": provider.name, "url": provider.url}
        resolve, signpost = CHANNEL_OUTCOMES.get(channel, (0.5, 0.05))
        if not service.first_contact_resolvable:
            resolve *= 0.75
        roll = rng.random()
        if roll < resolve:
            return "resolved_first_contact", None
        if roll < resolve + signpost:
            return "signposted", dict(rng.choice(SIGNPOSTS))
        return "case_created", None

    def _summary(self, channel: str, service_code: str) -> str:
        key = (channel, service_code)
        text = self.summaries.get(key)
        if text is None:
            service = self.services.get(service_code)
            what = str(service.name) if service else "call ended before it was answered"
            text = self.summaries[key] = f"{CHANNEL_LABEL[channel]}: {what}"
        return text

    def _event(
        self, case_id: int, at: datetime, by: int | None, kind: str, summary: str, visible: bool,
        data: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        return {"case_id": case_id, "at": at, "by_id": by, "kind": kind, "summary": summary,
                "data": data or {}, "customer_visible": visible}

    def _standards(self, channel: str, case_type: str, service: str) -> list[Standard]:
        key = (channel, case_type, service)
        found = self.standards.get(key)
        if found is None:
            found = self.standards[key] = applicable_standards(
                config=self.config, channel=channel, case_type=case_type, service_code=service,
                complaint_stage=1 if case_type == "complaint" else None,
            )
        return found

    def _case(
        self, batch: ContactBatch, case_id: int, reference: str, contact: dict[str, Any],
        customer_index: int | None, service: Any,
    ) -> None:
        rng, as_of = self.rng, self.as_of
        channel, received = contact["channel"], contact["received_at"]
        case_type = service.case_type
        opened = contact["ended_at"] or contact["logged_at"]
        agent = contact["handled_by_id"]
        team = service.team
        owners = self.team_staff.get(team) or self.agents
        standards = self._standards(channel, case_type, service.code)
        # A few cases wait on the customer for a while; the engine moves their deadlines.
        pause: tuple[datetime, datetime] | None = None
        if rng.random() < 0.06:
            paused_at = opened + timedelta(hours=rng.uniform(2, 48))
            pause = (paused_at, paused_at + timedelta(hours=rng.uniform(4, 200)))
        clocks = []
        for standard in standards:
            pauses = [pause] if pause and standard.clock != "acknowledge" else []
            due = clock_due(standard, self.calendars, received_at=received, pauses=pauses).at
            clocks.append((standard, due, pauses))
        respond = [due for s, due, _ in clocks if s.clock != "acknowledge"]
        target = max(respond) if respond else opened + timedelta(days=rng.uniform(1, 10))
        if rng.random() < ON_TIME.get(case_type, ON_TIME_DEFAULT):
            span = max((target - opened).total_seconds(), 600.0)
            resolved = opened + timedelta(seconds=span * rng.uniform(0.1, 1.0))
        else:
            resolved = max(target, opened) + timedelta(hours=rng.expovariate(1 / 60) + 0.5)
        if pause and resolved < pause[1]:
            resolved = pause[1] + timedelta(hours=rng.uniform(1, 24))
        is_resolved = resolved <= as_of
        status = "resolved"
        closed: datetime | None = None
        if is_resolved and resolved + timedelta(days=14) <= as_of:
            status, closed = "closed", resolved + timedelta(days=14)
        if not is_resolved:
            status = self.open_status()
        owner = None if status == "new" else rng.choice(owners)
        acknowledged: datetime | None = None
        if any(s.clock == "acknowledge" for s, _, _ in clocks):
            delay = int(rng.expovariate(1 / 5400))
            acknowledged = self.charter.add_working_seconds(received, delay)
            if acknowledged > as_of or acknowledged > resolved:
                acknowledged = None if acknowledged > as_of else resolved
        open_dues = []
        for standard, due, pauses in clocks:
            stopped = acknowledged if standard.clock == "acknowledge" else (
                resolved if is_resolved else None
            )
            pause_rows = [[_iso(p), _iso(r) if r <= as_of else None] for p, r in pauses
                          if p <= as_of]
            if stopped is None:
                open_dues.append(due)
            batch.clocks.append({
                "case_id": case_id, "standard_id": standard.id,
                "council_version_id": self.version_id, "snapshot": standard.to_snapshot(),
                "calendar_kind": standard.calendar_kind, "clock_name": standard.clock,
                "received_at": received, "event_at": None, "started_at": received,
                "pauses": pause_rows, "extensions": [], "due_at": due, "provisional": False,
                "stopped_at": stopped,
                "outcome": "" if stopped is None else ("met" if stopped <= due else "missed"),
                "updated_at": min(stopped or as_of, as_of),
            })
        if pause and not is_resolved and pause[1] > as_of and pause[0] <= as_of:
            status = "waiting_on_customer"
            owner = owner or rng.choice(owners)
        all_dues = [due for _, due, _ in clocks]
        customer_id = contact["customer_id"]
        place = self.population.places[customer_index] if customer_index is not None else None
        street = service.street_report and place is not None
        batch.cases.append({
            "id": case_id, "reference": reference, "case_type": case_type,
            "complaint_stage": 1 if case_type == "complaint" else None,
            "service_code": service.code, "team_code": team, "owner_id": owner,
            "status": status,
            "outcome": self.outcomes[case_type]() if is_resolved and case_type in self.outcomes
            else ("done" if is_resolved else ""),
            "outcome_note": "", "channel": channel, "received_at": received,
            "opened_at": opened, "resolved_at": resolved if is_resolved else None,
            "closed_at": closed,
            "due_at": min(open_dues) if open_dues else (min(all_dues) if all_dues else None),
            "promised_at": max(respond) if respond else None,
            "title": str(service.name), "description": contact["summary"],
            "latitude": None, "longitude": None,
            "address": place[0] if street and place else "",
            "uprn": int(place[2]) if street and place else None, "usrn": None,
            "parent_id": None, "parent_relation": "", "version": 1, "created_by_id": agent,
            "idempotency_key": None,
        })
        if customer_id is not None:
            batch.parties.append({"case_id": case_id, "customer_id": customer_id,
                                  "role": "customer"})
            self.open_cases[customer_index] = OpenCase(  # type: ignore[index]
                case_id, service.code, received, resolved if is_resolved else None
            )
        batch.case_contacts.append({"case_id": case_id, "contact_id": contact["id"],
                                    "linked_at": opened})
        events = batch.events
        events.append(self._event(case_id, opened, agent, "opened",
                                  f"Opened from a {CHANNEL_LABEL[channel].lower()}", True,
                                  {"reference": reference}))
        if acknowledged is not None:
            events.append(self._event(case_id, acknowledged, owner or agent, "acknowledged",
                                      "Acknowledged", True))
        if owner is not None:
            assigned = opened + timedelta(minutes=rng.randint(2, 240))
            if assigned <= as_of:
                events.append(self._event(case_id, assigned, None, "assigned",
                                          "Assigned to a case officer", False,
                                          {"owner_id": owner}))
        if pause and pause[0] <= as_of:
            events.append(self._event(case_id, pause[0], owner, "clock_paused",
                                      "Waiting for the customer", True))
            if pause[1] <= as_of:
                events.append(self._event(case_id, pause[1], owner, "clock_resumed",
                                          "The customer replied", False))
        if is_resolved:
            events.append(self._event(case_id, resolved, owner or agent, "resolved",
                                      "Resolved", True))
        if closed is not None:
            events.append(self._event(case_id, closed, None, "closed", "Closed", False))


def arrivals_by_slice(
    *,
    timetable: Timetable,
    rng: random.Random,
    start: datetime,
    end: datetime,
    totals: Mapping[str, int],
    specials: Mapping[str, tuple[int, tuple[str, ...]]],
) -> Iterator[tuple[datetime, list[tuple[datetime, str, str | None]]]]:
    """Per week of the window, the sorted (received_at, channel, forced service) of contacts.

    `totals` fixes how many contacts each channel gets over the whole window; `specials` adds
    service code -> (count, channels) such as FOI and subject access requests.
    """
    slices = []
    moment = start
    while moment < end:
        slices.append((moment, min(moment + SLICE, end)))
        moment += SLICE
    slot_lists = [timetable.slots(a, b) for a, b in slices]
    channels = sorted(totals)
    weights = {ch: [[timetable.weight(ch, s) for s in slots] for slots in slot_lists]
               for ch in channels}
    per_slice = {ch: apportion(totals[ch], [sum(w) for w in weights[ch]]) for ch in channels}
    special_slices = {
        code: apportion(count, [sum(w) for w in weights[chs[0]]] if chs[0] in weights
                        else [1.0] * len(slices))
        for code, (count, chs) in specials.items()
    }
    for index, (slice_start, _) in enumerate(slices):
        arrivals: list[tuple[datetime, str, str | None]] = []
        slots = slot_lists[index]
        for ch in channels:
            count = per_slice[ch][index]
            if count:
                arrivals.extend(_sample(rng, slots, weights[ch][index], count, ch, None))
        for code, (_, chs) in specials.items():
            count = special_slices[code][index]
            for _ in range(count):
                ch = rng.choice(chs)
                arrivals.extend(_sample(rng, slots, weights.get(ch, [[1.0] * len(slots)] *
                                                                (index + 1))[index], 1, ch, code))
        arrivals.sort(key=lambda a: a[0])
        yield slice_start, arrivals


def _sample(
    rng: random.Random, slots: Sequence[Slot], weights: Sequence[float], count: int,
    channel: str, forced: str | None,
) -> list[tuple[datetime, str, str | None]]:
    if sum(weights) <= 0:
        weights = [1.0] * len(slots)
    chosen = rng.choices(slots, weights=weights, k=count)
    return [(s.start + timedelta(seconds=rng.random() * 899), channel, forced) for s in chosen]


def random_round(rng: random.Random, value: float) -> int:
    """`value` rounded down or up at random so small scales still see rare things on average."""
    whole = math.floor(value)
    return whole + (1 if rng.random() < value - whole else 0)


# --- writing it all -------------------------------------------------------------------------

CUSTOMER_CHUNK = 20_000
Progress = Callable[[str, int], Any]  # (description, total) -> a tqdm-like bar


def write_demo_data(
    *, config: Any, version_id: int | None, request: DemoRequest, progress: Progress | None = None
) -> DemoSummary:
    """Generate and bulk-write a council's demo data in one transaction; returns row counts."""
    summary = DemoSummary()
    rng = random.Random(request.seed)
    start, as_of = window_for(request.end_date, request.months, request.now)
    started = perf_counter()

    def bar(description: str, total: int) -> Any:
        return progress(description, total) if progress else _NoBar()

    with transaction.atomic():
        domain = config.council.web_domain
        staff = plan_staff(config, rng, accounts.reserve_user_ids,
                           accounts.user_emails_ending(f"@{domain}"))
        users, memberships = staff_rows(staff, start, rng)
        summary.counts["users"] += accounts.import_users(users)
        summary.counts["team_memberships"] += accounts.import_team_memberships(memberships)

        population = Population()
        maker = CustomerMaker(config, rng, start, [m.id for m in staff if m.role != "agent"])
        with bar("customers", request.customers) as shown:
            left = request.customers
            while left > 0:
                size = min(CUSTOMER_CHUNK, left)
                made = maker.make(customers.reserve_customer_ids(size), population)
                summary.counts["customers"] += customers.import_customers(made.customers)
                summary.counts["emails"] += customers.import_email_addresses(made.emails)
                summary.counts["phones"] += customers.import_phone_numbers(made.phones)
                summary.counts["addresses"] += customers.import_addresses(made.addresses)
                summary.counts["consents"] += customers.import_consents(made.consents)
                summary.counts["warning_markers"] += customers.import_warning_markers(made.markers)
                left -= size
                shown.update(size)
        summary.seconds["customers"] = perf_counter() - started

        totals = expected_contacts(request.customers, request.months)
        scale = request.customers / REFERENCE_POPULATION * request.months
        written = ("email", "letter", "web_form")
        specials: dict[str, tuple[int, tuple[str, ...]]] = {}
        for kind, monthly in (("foi", FOI_MONTHLY), ("sar", SAR_MONTHLY)):
            service = next((s for s in config.services if s.case_type == kind), None)
            if service is not None:
                chs = tuple(c for c in written if c in service.channels) or written
                specials[service.code] = (random_round(rng, monthly * scale), chs)
        id_sources = {"contact": contacts.reserve_contact_ids, "case": cases.reserve_case_ids}
        contact_maker = ContactMaker(
            config=config, rng=rng, staff=staff, population=population, as_of=as_of,
            version_id=version_id, ids=lambda kind, n: id_sources[kind](n),
            case_numbers=lambda year, n: cases.claim_case_numbers(year=year, count=n),
        )
        expected = sum(totals.values()) + sum(c for c, _ in specials.values())
        contacts_started = perf_counter()
        with bar("contacts", expected) as shown:
            for _, arrivals in arrivals_by_slice(
                timetable=Timetable(config, contact_maker.charter), rng=rng, start=start,
                end=as_of, totals=totals, specials=specials,
            ):
                made_contacts = contact_maker.make(arrivals)
                counts = summary.counts
                counts["contacts"] += contacts.import_contacts(made_contacts.contacts)
                counts["cases"] += cases.import_cases(made_contacts.cases)
                counts["case_parties"] += cases.import_case_parties(made_contacts.parties)
                counts["case_contacts"] += cases.import_case_contacts(made_contacts.case_contacts)
                counts["case_events"] += cases.import_case_events(made_contacts.events)
                counts["clocks"] += charter.import_clocks(made_contacts.clocks)
                shown.update(len(arrivals))
        summary.seconds["contacts"] = perf_counter() - contacts_started
    summary.seconds["total"] = perf_counter() - started
    return summary


class _NoBar:
    def __enter__(self) -> _NoBar:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def update(self, n: int) -> None:
        return None
