"""How case states read in Open311, and what a client's status asks of a case.

One table each way (docs/open311.md prints them). GeoReport v2 itself knows only `open` and
`closed`; mySociety's extension adds the finer states FixMyStreet shows. `external_status_code`
carries our own state (status, and the outcome once resolved or closed) for clients that want
the detail (FixMyStreet picks response templates with it).
"""

from __future__ import annotations

from dataclasses import dataclass

from frontdoor.cases.models import OPEN_STATUSES, Outcome, Status

# (case status, outcome) -> (mySociety extended status, external_status_code)
CASE_STATE_TO_OPEN311: dict[tuple[str, str], tuple[str, str]] = {
    (Status.NEW, ""): ("open", "new"),
    (Status.ASSIGNED, ""): ("in_progress", "assigned"),
    (Status.IN_PROGRESS, ""): ("in_progress", "in_progress"),
    (Status.WAITING_ON_CUSTOMER, ""): ("investigating", "waiting_on_customer"),
    (Status.RESOLVED, Outcome.DONE): ("fixed", "resolved_done"),
    (Status.RESOLVED, Outcome.DUPLICATE): ("duplicate", "resolved_duplicate"),
    (Status.RESOLVED, Outcome.NOT_OUR_RESPONSIBILITY): (
        "not_councils_responsibility", "resolved_not_our_responsibility"),
    (Status.RESOLVED, Outcome.NO_FURTHER_ACTION): (
        "no_further_action", "resolved_no_further_action"),
    (Status.RESOLVED, Outcome.WITHDRAWN): ("cancelled", "resolved_withdrawn"),
    (Status.RESOLVED, Outcome.INFORMATION_PROVIDED): ("closed", "resolved_information_provided"),
    (Status.CLOSED, Outcome.DONE): ("fixed", "closed_done"),
    (Status.CLOSED, Outcome.DUPLICATE): ("duplicate", "closed_duplicate"),
    (Status.CLOSED, Outcome.NOT_OUR_RESPONSIBILITY): (
        "not_councils_responsibility", "closed_not_our_responsibility"),
    (Status.CLOSED, Outcome.NO_FURTHER_ACTION): ("no_further_action", "closed_no_further_action"),
    (Status.CLOSED, Outcome.WITHDRAWN): ("cancelled", "closed_withdrawn"),
    (Status.CLOSED, Outcome.INFORMATION_PROVIDED): ("closed", "closed_information_provided"),
}


@dataclass(frozen=True)
class ClientStatus:
    """What a client's status asks of the case: nothing (the update is recorded), resolving it
    with an outcome (if it is open), or reopening it (if it is resolved or closed)."""

    resolve_with: str = ""
    reopen: bool = False


RECORD_ONLY = ClientStatus()

# A client's status (POST servicerequestupdates, UPPERCASE) -> what it does to the case. The
# open states record the comment only: the council's officers run the workflow. OPEN never
# reopens: FixMyStreet sends it with any comment on a report it still shows as open.
OPEN311_TO_CASE: dict[str, ClientStatus] = {
    "OPEN": RECORD_ONLY,
    "UNCHANGED": RECORD_ONLY,
    "INVESTIGATING": RECORD_ONLY,
    "IN_PROGRESS": RECORD_ONLY,
    "ACTION_SCHEDULED": RECORD_ONLY,
    "PLANNED": RECORD_ONLY,
    "FOR_TRIAGE": RECORD_ONLY,
    "FIXED": ClientStatus(resolve_with=Outcome.DONE),
    # FixMyStreet without extended statuses sends CLOSED for every closed state, most often
    # a report its user marked fixed.
    "CLOSED": ClientStatus(resolve_with=Outcome.DONE),
    "DUPLICATE": ClientStatus(resolve_with=Outcome.DUPLICATE),
    "NOT_COUNCILS_RESPONSIBILITY": ClientStatus(resolve_with=Outcome.NOT_OUR_RESPONSIBILITY),
    "NO_FURTHER_ACTION": ClientStatus(resolve_with=Outcome.NO_FURTHER_ACTION),
    "INTERNAL_REFERRAL": ClientStatus(resolve_with=Outcome.NO_FURTHER_ACTION),
    "CANCELLED": ClientStatus(resolve_with=Outcome.WITHDRAWN),
    "REOPEN": ClientStatus(reopen=True),
}


def spec_status(case_status: str) -> str:
    """GeoReport v2's own status: `open` or `closed`."""
    return "open" if case_status in OPEN_STATUSES else "closed"


def extended_status(case_status: str, outcome: str) -> tuple[str, str]:
    """(mySociety extended status, external_status_code) for a case state.

    An outcome missing from the table (complaint outcomes never reach Open311) reads `closed`.
    """
    key = (case_status, outcome if case_status in (Status.RESOLVED, Status.CLOSED) else "")
    if key in CASE_STATE_TO_OPEN311:
        return CASE_STATE_TO_OPEN311[key]
    return spec_status(case_status), "_".join(part for part in key if part)


def client_status(raw: str) -> tuple[str, ClientStatus] | None:
    """The client's status normalised (`in progress` -> `IN_PROGRESS`) and what it asks."""
    name = "_".join(raw.strip().upper().replace("-", " ").split())
    if name not in OPEN311_TO_CASE:
        return None
    return name, OPEN311_TO_CASE[name]
