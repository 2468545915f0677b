"""Who a message goes to: the caller builds a `Recipient` from what it knows about the person."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(frozen=True)
class Formats:
    large_print: bool = False
    braille: bool = False


@dataclass(frozen=True)
class Recipient:
    name: str
    email: str = ""
    phone_e164: str = ""
    address_lines: tuple[str, ...] = ()
    preferred_channel: str = "email"  # email | sms | letter
    language: str = "en"
    formats: Formats = field(default_factory=Formats)
    # True when the person said texts at night are fine (e.g. shift workers).
    sms_quiet_hours_ok: bool = False

    def snapshot(self) -> dict[str, Any]:
        data = asdict(self)
        data["address_lines"] = list(self.address_lines)
        return data

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Recipient:
        values = dict(data)
        values["address_lines"] = tuple(values.get("address_lines") or ())
        values["formats"] = Formats(**(values.get("formats") or {}))
        known = set(cls.__dataclass_fields__)
        return cls(**{k: v for k, v in values.items() if k in known})
