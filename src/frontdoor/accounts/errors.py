"""Accounts: errors."""

from __future__ import annotations

from frontdoor.core.errors import InvalidInput


class InvalidInputs(InvalidInput):
    """Several fields failed at once (a form shows every problem in one error summary)."""

    def __init__(self, errors: list[InvalidInput]):
        super().__init__(errors[0].field or "", errors[0].code, errors[0].message)
        self.errors = errors
