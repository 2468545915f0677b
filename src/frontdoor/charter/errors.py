"""Customer Charter: errors."""

from __future__ import annotations

from frontdoor.core.errors import FrontDoorError, InvalidInput, NotFound


class ExtensionRefused(FrontDoorError):
    """An extension the standard does not allow (too many, too long, no reason, not later)."""

    code = "extension_refused"


class UnknownStandard(NotFound):
    """No charter standard has that id in the council configuration."""

    code = "unknown_standard"


class NotADeadline(InvalidInput):
    """The standard is a measure (a share within a threshold), so it has no deadline."""

    def __init__(self, standard_id: str):
        super().__init__(
            "standard",
            "not_a_deadline",
            f"{standard_id} is a measure (a share within a threshold), not a deadline",
        )


class ClockNotPausable(FrontDoorError):
    """Statutory clocks are restarted, never paused; stopped clocks cannot change."""

    code = "clock_not_pausable"
