"""Council configuration: errors."""

from __future__ import annotations

from frontdoor.core.errors import FrontDoorError, NotFound


class CouncilConfigError(FrontDoorError):
    """A council file that cannot be used: one line naming the file, the field and the problem."""

    code = "invalid_council_config"


class CouncilNotLoaded(FrontDoorError):
    """No council configuration has been loaded into this database yet."""

    code = "council_not_loaded"

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "No council configuration is loaded: run `frontdoor council load north-norfolk` "
            "(or the path of your council's TOML file)"
        )


class UnknownCode(NotFound, KeyError):
    """A team, service, office, ward or standard code the configuration does not have."""

    code = "unknown_code"

    def __str__(self) -> str:  # KeyError would otherwise quote the message
        return self.message
