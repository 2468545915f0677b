"""Routing a contact whose service nobody chose (email, API, social) to the likely service.

The model is small and explainable on purpose: a multinomial naive Bayes over words and word
pairs, trained on the catalogue (each service's name, description and keywords) and on past
cases (title and description -> the service the case has now, so staff corrections count,
three times over). On top of the words, two boosts a person can read back:
- a catalogue keyword phrase found in the text ("missed", "council tax");
- the team mailbox the email was sent to (waste@… favours Waste Services' services).
When no service stands out and the email did not go to a team's mailbox, the contact goes to
the front line's general service (the council's own address), where a person routes it.

`correct_routing` is the staff side: it moves a case to the right service (and team), records
the correction as a case event and in the audit trail, and the next model learns from it.
"""

from __future__ import annotations

import math
import re
import time
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from django.db import transaction

from frontdoor.accounts.permissions import require
from frontdoor.accounts.queries import team_codes_for
from frontdoor.audit.actions import record_change
from frontdoor.cases import messages
from frontdoor.cases.models import Case, CaseEvent, EventKind, Status
from frontdoor.contacts.actions import require_known_service
from frontdoor.core.errors import Forbidden, InvalidInput
from frontdoor.core.time import require_aware
from frontdoor.council.queries import current_council, current_council_version

if TYPE_CHECKING:
    from frontdoor.accounts.models import User
    from frontdoor.council.config import CouncilConfig

# Below this probability (and with no team mailbox to go on) a person routes the contact.
MIN_CONFIDENCE = 0.30
# Past cases the model learns from (newest first); enough for a council's mix of services.
TRAINING_CASES = 20_000
CORRECTION_WEIGHT = 3.0
CATALOGUE_WEIGHT = 3.0
KEYWORD_BOOST = 2.0  # log-odds added per catalogue keyword phrase found
MAILBOX_BOOST = 3.0  # log-odds added to the services of the team whose mailbox it went to
SMOOTHING = 0.5
MODEL_SECONDS = 300  # a process rebuilds its model at most this often (or after a correction)

_STOPWORDS = frozenset(
    """a about above after again all am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from
    further had has have having he her here hers him his how i if in into is it its itself
    just me more most my myself no nor not now of off on once only or other our ours out over
    own please re same she should so some such than thank thanks that the their theirs them
    then there these they this those through to too under until up very was we were what
    when where which while who whom why will with would you your yours yourself dear hello
    hi regards kind sir madam fw fwd sent email council""".split()  # noqa: SIM905
)
_WORD = re.compile(r"[a-z][a-z0-9']+")


def tokens(text: str) -> list[str]:
    """Lower-cased words (plural -s dropped, stop words out) and adjacent word pairs."""
    words = []
    for word in _WORD.findall(text.lower().replace("\u2019", "'")):
        word = word.strip("'")
        if word.endswith("'s"):
            word = word[:-2]
        if len(word) < 2 or word in _STOPWORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        words.append(word)
    return words + [f"{a} {b}" for a, b in pairwise(words)]


@dataclass(frozen=True)
class RoutingGuess:
    """The likely service, how sure (0-1), why (plain words), and the runners-up."""

    service_code: str
    confidence: float
    reasons: tuple[str, ...]
    alternatives: tuple[tuple[str, float], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        return {"service_code": self.service_code, "confidence": round(self.confidence, 3),
                "reasons": list(self.reasons),
                "alternatives": [[c, round(p, 3)] for c, p in self.alternatives]}


@dataclass(frozen=True)
class Example:
    text: str
    service_code: str
    weight: float = 1.0


@dataclass
class RoutingModel:
    """Naive Bayes over words, with keyword and mailbox boosts. Build with `RoutingModel.train`."""

    services: dict[str, str]  # code -> name
    service_team: dict[str, str]
    keywords: dict[str, tuple[str, ...]]
    team_mailboxes: dict[str, str]  # lower-cased address -> team code (not the front line's)
    front_line_service: str | None
    counts: dict[str, dict[str, float]] = field(default_factory=dict)
    totals: dict[str, float] = field(default_factory=dict)
    examples: dict[str, float] = field(default_factory=dict)
    vocabulary: set[str] = field(default_factory=set)

    @classmethod
    def train(cls, *, council: CouncilConfig, examples: Iterable[Example]) -> RoutingModel:
        services = {str(s.code): s.name.get("en") for s in council.services}
        general = council.council.email.strip().lower()
        mailboxes = {
            t.email.strip().lower(): str(t.code) for t in council.teams
            if t.email and t.email.strip().lower() != general
        }
        front_line = next(
            (str(s.code) for s in council.services
             if s.case_type == "enquiry"
             and council.team(s.team).email.strip().lower() == general),
            None,
        )
        model = cls(
            services=services,
            service_team={str(s.code): str(s.team) for s in council.services},
            keywords={str(s.code): tuple(k.lower() for k in s.keywords) for s in council.services},
            team_mailboxes=mailboxes,
            front_line_service=front_line,
        )
        counts: dict[str, defaultdict[str, float]] = defaultdict(lambda: defaultdict(float))
        for s in council.services:
            words = " ".join([s.name.get("en"), s.description.get("en") if s.description else "",
                              *s.keywords])
            for token in tokens(words):
                counts[str(s.code)][token] += CATALOGUE_WEIGHT
        seen: dict[str, float] = defaultdict(float)
        for example in examples:
            if example.service_code not in services:
                continue  # a service the council no longer offers
            seen[example.service_code] += example.weight
            for token in tokens(example.text):
                counts[example.service_code][token] += example.weight
        model.counts = {code: dict(counts[code]) for code in services}
        model.totals = {code: float(sum(c.values())) for code, c in model.counts.items()}
        model.examples = dict(seen)
        model.vocabulary = {t for c in model.counts.values() for t in c}
        return model

    def scores(self, text: str, to_address: str | None) -> tuple[dict[str, float], list[str]]:
        """Log-score per service and the reasons that applied to the winner's family."""
        found = [t for t in tokens(text) if t in self.vocabulary]
        size = len(self.vocabulary) or 1
        all_examples = sum(self.examples.values())
        scores: dict[str, float] = {}
        for code in self.services:
            prior = (self.examples.get(code, 0.0) + 1.0) / (all_examples + len(self.services))
            score = math.log(prior)
            counts, total = self.counts[code], self.totals[code]
            denominator = total + SMOOTHING * size
            for token in found:
                score += math.log((counts.get(token, 0.0) + SMOOTHING) / denominator)
            scores[code] = score
        lowered = f" {' '.join(_WORD.findall(text.lower()))} "
        for code, phrases in self.keywords.items():
            hits = [p for p in phrases if f" {p} " in lowered]
            scores[code] += KEYWORD_BOOST * len(hits)
        team = self.mailbox_team(to_address)
        if team is not None:
            for code, owner in self.service_team.items():
                if owner == team:
                    scores[code] += MAILBOX_BOOST
        return scores, found

    def mailbox_team(self, to_address: str | None) -> str | None:
        return self.team_mailboxes.get((to_address or "").strip().lower())

    def ranked(self, text: str, to_address: str | None = None) -> list[tuple[str, float]]:
        """Every service with its probability, most likely first."""
        scores, _ = self.scores(text, to_address)
        top = max(scores.values())
        weights = {code: math.exp(s - top) for code, s in scores.items()}
        total = sum(weights.values())
        return sorted(((c, w / total) for c, w in weights.items()), key=lambda p: (-p[1], p[0]))

    def guess(self, text: str, to_address: str | None = None) -> RoutingGuess:
        ranked = self.ranked(text, to_address)
        best, confidence = ranked[0]
        reasons: list[str] = []
        team = self.mailbox_team(to_address)
        if team is not None:
            reasons.append(f"sent to the {team} team's mailbox ({to_address})")
        lowered = f" {' '.join(_WORD.findall(text.lower()))} "
        hits = [p for p in self.keywords.get(best, ()) if f" {p} " in lowered]
        if hits:
            reasons.append("catalogue keywords: " + ", ".join(hits))
        counts = self.counts[best]
        telling = sorted({t for t in tokens(text) if counts.get(t, 0) >= 1 and " " not in t},
                         key=lambda t: -counts[t])[:5]
        if telling:
            reasons.append("words seen in past cases and the catalogue: " + ", ".join(telling))
        if self.examples.get(best):
            reasons.append(f"learnt from {self.examples[best]:.0f} past cases of this service")
        alternatives = tuple(ranked[1:3])
        if (confidence < MIN_CONFIDENCE and team is None and self.front_line_service
                and best != self.front_line_service):
            reasons.insert(0, f"no service stood out (best: {best} at {confidence:.0%}): "
                              "the front line will route it")
            return RoutingGuess(self.front_line_service, confidence, tuple(reasons),
                                ((best, confidence), *alternatives[:1]))
        return RoutingGuess(best, confidence, tuple(reasons), alternatives)


# --------------------------------------------------------------------------- the model

_model: tuple[tuple[int, str], float, RoutingModel] | None = None


def training_examples(limit: int = TRAINING_CASES) -> list[Example]:
    """Past cases, newest first: title and description -> their (possibly corrected) service."""
    corrected = set(
        CaseEvent.objects.filter(kind=EventKind.TRANSFERRED, data__routing_correction=True)
        .values_list("case_id", flat=True)
    )
    rows = (Case.objects.exclude(service_code="").order_by("-opened_at", "-id")
            .values_list("pk", "title", "description", "service_code")[:limit])
    return [Example(f"{title}\n{description}", code,
                    CORRECTION_WEIGHT if pk in corrected else 1.0)
            for pk, title, description, code in rows]


def routing_model() -> RoutingModel:
    """This process's model, rebuilt every MODEL_SECONDS or when the council changes."""
    global _model
    version = current_council_version()
    key = (version.pk, version.checksum)
    if _model is not None and _model[0] == key and time.monotonic() - _model[1] < MODEL_SECONDS:
        return _model[2]
    model = RoutingModel.train(council=current_council(), examples=training_examples())
    _model = (key, time.monotonic(), model)
    return model


def forget_routing_model() -> None:
    """The next guess retrains (after a correction, or in tests)."""
    global _model
    _model = None


def route_to_service(*, text: str, to_address: str | None) -> RoutingGuess:
    """The most likely service for words nobody has routed yet, with reasons."""
    return routing_model().guess(text, to_address)


# ------------------------------------------------------------------------ corrections


def correct_routing(
    *, case: Case, service_code: str, by: User, now: datetime, note: str = ""
) -> Case:
    """Put a misrouted case on the right service (and that service's team), recorded.

    Its clocks keep running (a case keeps the standards it was opened with); if the team
    changes the owner is cleared and the customer is told which team has it now.
    """
    require_aware(now)
    require(by, "case.transfer")
    service = require_known_service(service_code)
    with transaction.atomic():
        fresh = Case.objects.select_for_update().get(pk=case.pk)
        if fresh.team_code not in team_codes_for(by):
            raise Forbidden(f"{fresh.reference} belongs to the {fresh.team_code} team: you can "
                            "correct cases in your own teams only")
        if fresh.status in (Status.RESOLVED, Status.CLOSED):
            raise InvalidInput("status", "not_open",
                               f"{fresh.reference} is {fresh.get_status_display().lower()}")
        if fresh.service_code == service_code:
            raise InvalidInput("service_code", "unchanged",
                               f"{fresh.reference} is already on that service")
        council = current_council()
        before = {"service_code": fresh.service_code, "team_code": fresh.team_code,
                  "owner_id": fresh.owner_id, "status": fresh.status}
        team_changed = service.team != fresh.team_code
        fresh.service_code = service_code
        if team_changed:
            fresh.team_code = service.team
            fresh.owner = None
            if fresh.status in (Status.ASSIGNED, Status.IN_PROGRESS):
                fresh.status = Status.NEW
        fresh.version += 1
        fresh.save(update_fields=["service_code", "team_code", "owner", "status", "version"])
        team_name = council.team(fresh.team_code).name.get("en")
        summary = (f"Passed to the {team_name} team ({service.name.get('en')})" if team_changed
                   else f"Service corrected to {service.name.get('en')}")
        data = {"routing_correction": True, "before": before,
                "after": {"service_code": service_code, "team_code": fresh.team_code,
                          "status": fresh.status},
                "note": note.strip()}
        event = CaseEvent.objects.create(case=fresh, at=now, by=by, kind=EventKind.TRANSFERRED,
                                         summary=summary, data=data,
                                         customer_visible=team_changed)
        record_change(actor=by, action="case.routing_corrected", object_type="case",
                      object_id=fresh.pk, summary=f"{fresh.reference}: {summary}"[:1000],
                      data={"event_id": event.pk, **data}, at=now)
        if team_changed:
            messages.tell_customer_opened(case=fresh, event=event, handed_off=True, now=now)
    forget_routing_model()
    for f in Case._meta.concrete_fields:
        setattr(case, f.attname, getattr(fresh, f.attname))
    case._state.fields_cache.clear()
    return case


def top_services(guess_list: Sequence[tuple[str, float]], n: int = 3) -> list[str]:
    """The first n service codes of a ranked list (benchmarks)."""
    return [code for code, _ in guess_list[:n]]
