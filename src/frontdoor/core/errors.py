"""The base of every error Front Door raises on purpose: a field, a code and a plain message."""

from __future__ import annotations


class FrontDoorError(Exception):
    """An expected failure that an interface shows to a person or client as it is."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code

    def as_dict(self) -> dict[str, str | None]:
        return {"field": self.field, "code": self.code, "message": self.message}


class InvalidInput(FrontDoorError):
    """Input that fails validation at the edge."""

    def __init__(self, field: str, code: str, message: str):
        super().__init__(message, field=field, code=code)


class NotFound(FrontDoorError):
    code = "not_found"


class Forbidden(FrontDoorError):
    code = "forbidden"


class Conflict(FrontDoorError):
    """Someone else changed the thing first; nothing was saved."""

    code = "conflict"
