"""Council configuration: reads.

`current_council()` is what every other context calls. It keeps the parsed configuration in
a per-process cache keyed by the current version's id and checksum, and asks the database
which version is current at most every `settings.FRONTDOOR_COUNCIL_CACHE_SECONDS`
(monotonic clock). Loading a version in this process switches the cache to "ask every
time" until the loading transaction ends (commit or rollback), so this process never serves
a stale or a rolled-back version; other processes notice within that many seconds.
Tests call `forget_council_cache()` between tests (the `council` fixture does).
"""

from __future__ import annotations

import hashlib
import json
import time
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connection
from pydantic import ValidationError

from frontdoor.council.config import CODE_PATTERN, ConfigProblem, CouncilConfig
from frontdoor.council.errors import CouncilConfigError, CouncilNotLoaded, UnknownCode
from frontdoor.council.models import CouncilVersion

PRESET_SUFFIX = ".toml"

# ------------------------------------------------------------------------ reading files


def preset_names() -> list[str]:
    """The council presets shipped with Front Door (north-norfolk, east-northants, …)."""
    folder = resources.files("frontdoor.council").joinpath("presets")
    return sorted(
        entry.name.removesuffix(PRESET_SUFFIX)
        for entry in folder.iterdir()
        if entry.name.endswith(PRESET_SUFFIX)
    )


def _looks_like_preset(source: str) -> bool:
    import re

    return re.match(CODE_PATTERN, source) is not None


def _read_source(source: str) -> tuple[str, str]:
    """(name to show in errors, TOML text) for a preset name or a file path."""
    if _looks_like_preset(source):
        names = preset_names()
        if source not in names:
            raise CouncilConfigError(
                f"{source}: unknown preset (presets: {', '.join(names)}); "
                "or give the path of a .toml file",
                field="source",
            )
        entry = resources.files("frontdoor.council").joinpath("presets", source + PRESET_SUFFIX)
        return source + PRESET_SUFFIX, entry.read_text(encoding="utf-8")
    path = Path(source)
    try:
        return source, path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise CouncilConfigError(f"{source}: no such file", field="source") from None
    except IsADirectoryError:
        raise CouncilConfigError(f"{source}: is a directory, not a .toml file") from None
    except UnicodeDecodeError as exc:
        raise CouncilConfigError(f"{source}: not UTF-8 text ({exc.reason})") from None
    except OSError as exc:
        raise CouncilConfigError(f"{source}: cannot be read ({exc.strerror})") from None


def read_council_file(path_or_preset: str) -> CouncilConfig:
    """Read and validate a council TOML file (a preset name or a path); no database access.

    Raises CouncilConfigError with one line: the file, the field path and what is wrong.
    """
    name, text = _read_source(path_or_preset)
    return parse_council_toml(text, name=name)


def parse_council_toml(text: str, *, name: str) -> CouncilConfig:
    """Validate TOML text; `name` is the file name used in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise CouncilConfigError(f"{name}: TOML syntax error: {_one_line(str(exc))}") from None
    try:
        return CouncilConfig.model_validate(data)
    except ValidationError as exc:
        raise CouncilConfigError(describe_validation_error(exc, name=name)) from None


def describe_validation_error(exc: ValidationError, *, name: str) -> str:
    """One line: `file: field.path: problem` for the first problem, and how many more."""
    errors = exc.errors()
    first = _describe(errors[0])
    more = len(errors) - 1
    suffix = f" (and {more} more problem{'s' if more > 1 else ''})" if more else ""
    return _one_line(f"{name}: {first}{suffix}")


_MESSAGES = {
    "missing": "is required",
    "extra_forbidden": "unknown key (see docs/council-config.md for the keys allowed here)",
}


def _describe(error: Any) -> str:
    cause = (error.get("ctx") or {}).get("error")
    if isinstance(cause, ConfigProblem):
        return str(cause)
    loc = list(error["loc"])
    if error["type"] in ("union_tag_invalid", "union_tag_not_found"):
        loc.append("kind")
    path = field_path(loc) or "(top level)"
    kind = error["type"]
    message = _MESSAGES.get(kind) or str(error["msg"]).removeprefix("Value error, ")
    value = error.get("input")
    if kind not in _MESSAGES and kind != "value_error" and _is_scalar(value):
        message = f"{message} (got {value!r})"
    return f"{path}: {message}"


def _is_scalar(value: Any) -> bool:
    return isinstance(value, str | int | float | bool) or type(value).__name__ in (
        "date",
        "datetime",
        "time",
    )


def field_path(loc: list[Any] | tuple[Any, ...]) -> str:
    """`('charter', 'standards', 3, 'deadline', 'period')` -> `charter.standards[3].period`."""
    text = ""
    for index, part in enumerate(loc):
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        if part == "[key]":
            continue
        after_standard = (
            index >= 2 and isinstance(loc[index - 1], int) and loc[index - 2] == "standards"
        )
        if after_standard and part in ("deadline", "measure"):
            continue  # pydantic's discriminated-union tag, not a key in the file
        text += f".{part}" if text else str(part)
    return text


def _one_line(text: str) -> str:
    return " ".join(text.split())


def document_of(config: CouncilConfig) -> dict[str, Any]:
    """The normalised JSON document stored for a configuration (defaults filled in)."""
    return config.model_dump(mode="json")


def checksum_of(document: dict[str, Any]) -> str:
    """sha256 of the document with sorted keys: the same configuration gives the same sum."""
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------------- stored versions


def current_council_version() -> CouncilVersion:
    """The current stored version (always asks the database)."""
    version = CouncilVersion.objects.filter(is_current=True).first()
    if version is None:
        raise CouncilNotLoaded()
    return version


def council_version(number: int) -> CouncilVersion:
    version = CouncilVersion.objects.filter(number=number).first()
    if version is None:
        raise UnknownCode(f"there is no council configuration version {number}", field="number")
    return version


def council_versions() -> list[CouncilVersion]:
    """Every stored version, newest first."""
    return list(CouncilVersion.objects.order_by("-number"))


_CONFIG_CACHE_SIZE = 8
_configs: dict[tuple[int, str], CouncilConfig] = {}


def config_of(version: CouncilVersion) -> CouncilConfig:
    """The parsed configuration of a stored version (cached per process by id and checksum)."""
    key = (version.pk, version.checksum)
    config = _configs.get(key)
    if config is None:
        config = CouncilConfig.model_validate_json(json.dumps(version.document))
        if len(_configs) >= _CONFIG_CACHE_SIZE:
            _configs.pop(next(iter(_configs)))
        _configs[key] = config
    return config


@dataclass(frozen=True)
class _CurrentSeen:
    version_id: int
    checksum: str
    checked_at: float


_current: _CurrentSeen | None = None
_load_pending = False


def forget_council_cache() -> None:
    """Make the next `current_council()` ask the database which version is current."""
    global _current, _load_pending
    _current = None
    _load_pending = False


def note_council_load_started() -> None:
    """A version is being loaded in an open transaction: ask the database on every read until
    that transaction commits (`forget_council_cache` on commit) or ends otherwise."""
    global _current, _load_pending
    _current = None
    _load_pending = True


def _current_key() -> tuple[int, str]:
    global _current, _load_pending
    if _load_pending and not connection.in_atomic_block:
        forget_council_cache()  # the loading transaction ended without committing
    seen = _current
    now = time.monotonic()
    if seen is None or now - seen.checked_at >= settings.FRONTDOOR_COUNCIL_CACHE_SECONDS:
        row = CouncilVersion.objects.filter(is_current=True).values_list("pk", "checksum").first()
        if row is None:
            raise CouncilNotLoaded()
        seen = _CurrentSeen(row[0], row[1], now)
        if not _load_pending:
            _current = seen
    return seen.version_id, seen.checksum


def current_council() -> CouncilConfig:
    """The current council configuration. Raises CouncilNotLoaded if none was ever loaded."""
    return current_council_with_version_id()[0]


def current_council_with_version_id() -> tuple[CouncilConfig, int]:
    """The current configuration and the id of the stored version it came from, from one read
    of the cache (no query while it is fresh; `current_council_version()` always asks)."""
    key = _current_key()
    config = _configs.get(key)
    if config is not None:
        return config, key[0]
    version = CouncilVersion.objects.filter(pk=key[0], checksum=key[1]).first()
    if version is None:  # the version we saw has gone (a rolled-back test); ask again
        forget_council_cache()
        key = _current_key()
        version = CouncilVersion.objects.get(pk=key[0])
    return config_of(version), version.pk

