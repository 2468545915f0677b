"""Notifications: errors."""

from __future__ import annotations

from typing import Literal

from frontdoor.core.errors import Conflict, InvalidInput

ProviderFailure = Literal["transient", "permanent", "unknown"]


class ProviderError(Exception):
    """A provider did not take a message.

    transient: not sent, try again later; permanent: this message can never go;
    unknown: the provider may have taken it (a lookup or a person decides).
    """

    def __init__(self, kind: ProviderFailure, detail: str):
        super().__init__(f"{kind}: {detail}")
        self.kind: ProviderFailure = kind
        self.detail = detail


class NoChannel(InvalidInput):
    """The person has no contact detail for any channel the message may use."""

    def __init__(self, message: str):
        super().__init__("recipient", "no_channel", message)


class WrongMessageState(Conflict):
    """Staff asked for something the message's current status does not allow."""
