"""API keys: created once and shown once, checked by scope, revoked by an operator."""

from __future__ import annotations

from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command

from frontdoor.accounts.actions import create_api_key, record_api_key_use, revoke_api_key
from frontdoor.accounts.models import ApiKey, Role
from frontdoor.accounts.queries import authenticate_api_key
from frontdoor.core.errors import Forbidden, InvalidInput

pytestmark = pytest.mark.django_db


def test_a_new_key_is_stored_only_as_its_hash_and_gets_its_own_api_client_account(now):
    key, raw = create_api_key(name="FixMyStreet", scopes=["open311"], by=None, now=now)
    assert raw.startswith("fd_") and len(raw) > 40
    assert key.prefix == raw[:8]
    assert raw not in key.key_hash and len(key.key_hash) == 64
    assert key.owner.role == Role.API_CLIENT
    assert authenticate_api_key(raw_key=raw, scope="open311") == key


def test_a_key_without_the_scope_is_refused_and_told_which_scope(now):
    _, raw = create_api_key(name="Reporting", scopes=["cases:read"], by=None, now=now)
    with pytest.raises(Forbidden, match="cases:write") as caught:
        authenticate_api_key(raw_key=raw, scope="cases:write")
    assert caught.value.code == "missing_scope"


def test_unknown_missing_and_revoked_keys_are_refused(now):
    key, raw = create_api_key(name="Old system", scopes=["open311"], by=None, now=now)
    for bad, code in (("", "missing_key"), ("fd_nonsense", "unknown_key")):
        with pytest.raises(Forbidden) as caught:
            authenticate_api_key(raw_key=bad, scope="open311")
        assert caught.value.code == code
    revoke_api_key(key=key, by=None, now=now)
    with pytest.raises(Forbidden, match="revoked"):
        authenticate_api_key(raw_key=raw, scope="open311")


def test_an_unknown_scope_is_refused_at_creation(now):
    with pytest.raises(InvalidInput, match="Unknown scope"):
        create_api_key(name="X", scopes=["everything"], by=None, now=now)


def test_last_used_is_written_at_most_once_a_minute(now, django_assert_num_queries):
    key, _ = create_api_key(name="Busy", scopes=["open311"], by=None, now=now)
    record_api_key_use(key=key, now=now)
    with django_assert_num_queries(0):
        record_api_key_use(key=key, now=now + timedelta(seconds=59))
    with django_assert_num_queries(1):
        record_api_key_use(key=key, now=now + timedelta(seconds=61))
    key.refresh_from_db()
    assert key.last_used_at == now + timedelta(seconds=61)


def _run(*args: str) -> str:
    out = StringIO()
    call_command("api_key", *args, stdout=out)
    return out.getvalue()


def test_the_command_prints_the_new_key_once_and_says_it_will_not_be_shown_again():
    output = _run("create", "FixMyStreet", "--scope", "open311", "--scope", "cases:write")
    key = ApiKey.objects.get()
    raw = next(line for line in output.splitlines() if line.startswith("fd_") and
               len(line) > 40)
    assert authenticate_api_key(raw_key=raw, scope="cases:write") == key
    assert "will not be shown again" in output
    listing = _run("list")
    assert key.prefix in listing and raw not in listing


def test_revoking_by_command_is_a_dry_run_until_commit():
    _run("create", "Contractor", "--scope", "cases:read")
    key = ApiKey.objects.get()
    assert "Dry run" in _run("revoke", key.prefix)
    key.refresh_from_db()
    assert key.revoked_at is None
    assert "Revoked" in _run("revoke", key.prefix, "--commit")
    key.refresh_from_db()
    assert key.revoked_at is not None
