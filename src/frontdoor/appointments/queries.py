"""Appointments: the slots on offer (from the council configuration) and who can see a booking.

Slots are made from the configuration, not stored: for each day of the next
`appointments.weeks_ahead` weeks, the schedule's hours on that weekday, clipped to the
office's opening hours, cut into `slot_minutes` pieces; bank holidays of the council's nation
and its closure days have none, nor does anything sooner than `min_notice_hours` from now.
A booking reaches a resident in two ways only: made through their My Account, or through the
private link in its confirmation (only the token's SHA-256 is stored). Anything else is
NotFound, so references and tokens cannot be probed.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from django.db.models import QuerySet

from frontdoor.accounts.models import User
from frontdoor.accounts.permissions import require
from frontdoor.accounts.queries import resident_account_of
from frontdoor.appointments.models import ACTIVE_STATUSES, Appointment, AppointmentEvent
from frontdoor.charter.calendar import NATION_HOLIDAY_REGIONS, holiday_ordinals
from frontdoor.charter.measures import Measure, MeasureResult, wait_measure
from frontdoor.core.errors import InvalidInput, NotFound
from frontdoor.core.time import london_now_date, london_wall_time, require_aware, to_london
from frontdoor.council.config import WEEKDAYS, AppointmentSchedule, CouncilConfig, Office, Text
from frontdoor.council.errors import UnknownCode
from frontdoor.council.queries import current_council
from frontdoor.customers.validation import phone_for_display

Access = User | str  # the signed-in resident, or the private link's token
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{20,100}$")
_REFERENCE = re.compile(r"^APT-[A-Z0-9]{8}$")


@dataclass(frozen=True)
class Slot:
    starts_at: datetime  # aware, UTC
    ends_at: datetime
    capacity: int
    booked: int = 0

    @property
    def free(self) -> int:
        return max(self.capacity - self.booked, 0)

    @property
    def key(self) -> str:
        """The slot as a form value: its start in UTC, "20260106T0930Z"."""
        return self.starts_at.strftime("%Y%m%dT%H%MZ")


@dataclass(frozen=True)
class Place:
    """Somewhere (and how) a service can be booked: an office, face to face or by phone."""

    office: Office
    kind: str
    schedule: AppointmentSchedule

    @property
    def key(self) -> str:
        return f"{self.office.code}:{self.kind}"


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def parse_slot_key(key: str, *, field: str = "slot") -> datetime:
    """The start a slot key names; InvalidInput for anything else."""
    try:
        return datetime.strptime(key or "", "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    except ValueError:
        raise InvalidInput(field, "invalid", "Choose a time") from None


# ------------------------------------------------------------------------------- slots


def bookable_services(config: CouncilConfig | None = None) -> list[str]:
    """Codes of services with at least one appointment schedule, in the catalogue's order."""
    config = config or current_council()
    return [s.code for s in config.services if places_for(s.code, config)]


def places_for(service_code: str, config: CouncilConfig | None = None) -> list[Place]:
    """Where and how the service can be booked, in file order (one per office and kind)."""
    config = config or current_council()
    found: dict[str, Place] = {}
    for schedule in config.appointments.schedules:
        if not schedule.offers(service_code):
            continue
        office = config.office(schedule.office)
        if not office.handles(service_code):
            continue
        place = Place(office, schedule.kind, schedule)
        found.setdefault(place.key, place)
    return list(found.values())


def place_for(service_code: str, place_key: str, config: CouncilConfig | None = None) -> Place:
    for place in places_for(service_code, config):
        if place.key == place_key:
            return place
    raise InvalidInput("place", "invalid", "Choose where you would like your appointment")


def closed_days(config: CouncilConfig, first: date, last: date) -> set[date]:
    """Bank holidays of the council's nation and its closure days between two dates."""
    regions = NATION_HOLIDAY_REGIONS[config.council.nation]
    holidays = holiday_ordinals(regions, first.year, last.year)
    found = {date.fromordinal(o) for o in holidays if first.toordinal() <= o <= last.toordinal()}
    return found | {d for d in config.calendar.closure_dates if first <= d <= last}


def generate_slots(*, config: CouncilConfig, place: Place, now: datetime) -> list[Slot]:
    """Every slot the configuration offers at `place` from now on (booked ones included)."""
    require_aware(now)
    settings = config.appointments
    schedule, office = place.schedule, place.office
    first = london_now_date(now)
    last = first + timedelta(days=7 * settings.weeks_ahead)
    closed = closed_days(config, first, last)
    earliest = now + timedelta(hours=settings.min_notice_hours)
    step = timedelta(minutes=schedule.slot_minutes)
    slots: list[Slot] = []
    day = first
    while day <= last:
        hours = schedule.days.get(WEEKDAYS[day.weekday()])  # type: ignore[call-overload]
        opening = office.hours_for(day.weekday())
        if hours is not None and opening is not None and day not in closed:
            start = max(hours.start, opening.start)
            end = min(hours.end, opening.end)
            moment = datetime.combine(day, start)
            while (moment + step).time() <= end and (moment + step).date() == day:
                try:
                    starts = london_wall_time(day, moment.time())
                except InvalidInput:  # the hour the clocks skip or repeat: never offered
                    moment += step
                    continue
                if starts >= earliest:
                    slots.append(Slot(starts.astimezone(UTC), (starts + step).astimezone(UTC),
                                      schedule.capacity))
                moment += step
        day += timedelta(days=1)
    return slots


def _booked_counts(place: Place, starts: list[datetime], exclude_pk: int | None = None
                   ) -> Counter[datetime]:
    if not starts:
        return Counter()
    rows = Appointment.objects.filter(
        office_code=place.office.code, kind=place.kind, starts_at__gte=starts[0],
        starts_at__lte=starts[-1], seat__isnull=False,
    )
    if exclude_pk is not None:
        rows = rows.exclude(pk=exclude_pk)
    return Counter(rows.values_list("starts_at", flat=True))


def available_slots(*, place: Place, now: datetime, exclude: Appointment | None = None
                    ) -> list[Slot]:
    """The slots at `place` with a free place, soonest first (`exclude`: a booking being moved)."""
    config = current_council()
    slots = generate_slots(config=config, place=place, now=now)
    counts = _booked_counts(place, [s.starts_at for s in slots],
                            exclude.pk if exclude is not None else None)
    result = []
    for slot in slots:
        booked = Slot(slot.starts_at, slot.ends_at, slot.capacity, counts[slot.starts_at])
        if booked.free:
            result.append(booked)
    return result


def slots_by_day(slots: list[Slot]) -> dict[date, list[Slot]]:
    """Slots grouped by their Europe/London date, in order."""
    days: dict[date, list[Slot]] = {}
    for slot in slots:
        days.setdefault(to_london(slot.starts_at).date(), []).append(slot)
    return days


def offered_slot(*, place: Place, starts_at: datetime, now: datetime) -> Slot:
    """The configured slot starting at `starts_at` (booked or not); InvalidInput if none is."""
    for slot in generate_slots(config=current_council(), place=place, now=now):
        if slot.starts_at == starts_at:
            return slot
    raise InvalidInput("slot", "not_offered", "That time is not available. Choose another time")


# -------------------------------------------------------------------------- what to say


def what_to_bring(service_code: str, lang: str = "en") -> list[str]:
    return [t.get(lang) for t in current_council().appointments.what_to_bring(service_code)]


def place_words(appointment: Appointment, lang: str = "en") -> str:
    """Where it happens, as the confirmation and messages say it."""
    config = current_council()
    try:
        office = config.office(appointment.office_code)
    except UnknownCode:
        return appointment.office_code
    if appointment.kind == "phone":
        return (f"a phone call from {office.name.get(lang)} to "
                f"{phone_for_display(appointment.phone)}")
    return f"{office.name.get(lang)}, {office.address}"


def service_name(code: str, lang: str = "en") -> str:
    try:
        return current_council().service(code).name.get(lang)
    except UnknownCode:
        return code


def text_list(items: list[Text], lang: str) -> list[str]:
    return [item.get(lang) for item in items]


# ------------------------------------------------------------------------------ access


def appointments_for_account(account: User) -> QuerySet[Appointment]:
    """The resident's own bookings (made through their My Account), soonest first."""
    if resident_account_of(account) is None:
        return Appointment.objects.none()
    return Appointment.objects.filter(account_id=account.pk).order_by("starts_at", "pk")


def upcoming_for_account(account: User, *, now: datetime) -> list[Appointment]:
    return list(appointments_for_account(account).filter(
        status__in=ACTIVE_STATUSES, ends_at__gte=now))


def appointment_for(access: Access, reference: str = "") -> Appointment:
    """The booking `access` reaches (by reference for an account, by token for a link)."""
    if isinstance(access, str):
        if not _TOKEN.match(access or ""):
            raise NotFound("No such appointment", field="token")
        found = Appointment.objects.filter(manage_token_hash=token_hash(access)).first()
    else:
        reference = (reference or "").strip().upper()
        if not _REFERENCE.match(reference):
            raise NotFound("No such appointment", field="reference")
        found = appointments_for_account(access).filter(reference=reference).first()
    if found is None:
        raise NotFound("No such appointment")
    return found


def appointment_history(appointment: Appointment) -> list[AppointmentEvent]:
    return list(appointment.events.all())


def appointments_on_day(*, user: User, office_code: str, day: date) -> list[Appointment]:
    """Staff: one office's bookings on a day (reception's list)."""
    require(user, "case.view")
    start = london_wall_time(day, time(0, 0))
    end = start + timedelta(days=1)
    return list(Appointment.objects.filter(office_code=office_code, starts_at__gte=start,
                                           starts_at__lt=end).order_by("starts_at", "pk"))


def appointment_wait_result(*, start: datetime, end: datetime,
                            standard_id: str = "appointment-wait") -> MeasureResult | None:
    """The appointment-wait measure between two instants: seen within N seconds of the time.

    Face-to-face appointments that started in the period and were attended or missed count;
    someone seen before their time waited 0 seconds; a no-show is not counted (nobody waited).
    None when the council has no such standard.
    """
    config = current_council()
    try:
        standard = config.standard(standard_id)
    except UnknownCode:
        return None
    rows = Appointment.objects.filter(kind="face_to_face", starts_at__gte=start,
                                      starts_at__lt=end, arrived_at__isnull=False)
    waits = [None if a.seen_at is None else max((a.seen_at - a.starts_at).total_seconds(), 0.0)
             for a in rows]
    return wait_measure(Measure.from_config(standard), waits)
