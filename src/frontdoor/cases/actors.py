"""Who changes a case: a member of staff, a resident, a guest, an API client or the system.

Every action in `cases.actions` takes `by`: a signed-in user (their role decides which kind
of actor they are) or an `Actor` built here for the others. The actions check what each kind
may do (accounts.permissions, `case.*_via_api` and the resident's entries), record the user
(if any) as the event's `by`, and stamp the actor's `source` on the events it makes.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from frontdoor.accounts.models import Role

if TYPE_CHECKING:
    from frontdoor.accounts.models import User


class ActorKind(StrEnum):
    STAFF = "staff"
    RESIDENT = "resident"  # signed in to My Account
    GUEST = "guest"  # holding a case's private tracking link
    API_CLIENT = "api_client"  # a partner system with an API key
    SYSTEM = "system"  # Front Door itself: email ingestion, an Open311 client, online forms


@dataclass(frozen=True)
class Actor:
    """Who acts: the kind, the user recorded on events (None: nobody signed in), a label."""

    kind: ActorKind
    user: User | None = None
    label: str = ""
    # Stamped as data["source"] on the events this actor makes ("open311"), so a client's own
    # changes are never echoed back to it.
    source: str = ""
    # False for a client that tells its own users (FixMyStreet): no message to the customer.
    tells_customer: bool = True
    tracking_token: str = ""  # a guest's token, checked against the case by every action

    @classmethod
    def of(cls, user: User) -> Actor:
        """A signed-in user as an actor, by role."""
        if user.role == Role.RESIDENT:
            return cls(ActorKind.RESIDENT, user=user, label=str(user))
        if user.role == Role.API_CLIENT:
            return cls(ActorKind.API_CLIENT, user=user, label=str(user))
        return cls(ActorKind.STAFF, user=user, label=str(user))

    @classmethod
    def guest(cls, tracking_token: str) -> Actor:
        """Someone following one case with its private tracking link."""
        return cls(ActorKind.GUEST, label="tracking link", tracking_token=tracking_token)

    @classmethod
    def system(
        cls, label: str, *, user: User | None = None, source: str = "",
        tells_customer: bool = True,
    ) -> Actor:
        """Front Door acting on its own ("email ingestion") or for a client it has checked
        ("Open311 client FixMyStreet", recorded with the client's account as `user`)."""
        return cls(ActorKind.SYSTEM, user=user, label=label, source=source,
                   tells_customer=tells_customer)

    @property
    def is_customer(self) -> bool:
        """A resident or guest acting on their own request."""
        return self.kind in (ActorKind.RESIDENT, ActorKind.GUEST)

    @property
    def via(self) -> str:
        """How a customer reached the case: "account" or "tracking_link" ("" for others)."""
        return {ActorKind.RESIDENT: "account", ActorKind.GUEST: "tracking_link"}.get(
            self.kind, "")

    def holds_tracking_link_to(self, token_hash: str) -> bool:
        digest = hashlib.sha256(self.tracking_token.encode()).hexdigest()
        return bool(self.tracking_token) and bool(token_hash) and digest == token_hash


def as_actor(by: User | Actor | None) -> Actor:
    """`by` as an Actor: a user by role; None is the system."""
    if by is None:
        return Actor.system("system")
    if isinstance(by, Actor):
        return by
    return Actor.of(by)
