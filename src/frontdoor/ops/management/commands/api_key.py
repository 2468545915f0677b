"""`frontdoor api-key create NAME --scope open311 …`, `frontdoor api-key list`,
`frontdoor api-key revoke PREFIX [--commit]` (a dry run without --commit).

The new key is printed once, when it is created: only its sha256 is stored.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from frontdoor.accounts.actions import create_api_key, revoke_api_key
from frontdoor.accounts.models import API_SCOPES
from frontdoor.accounts.queries import api_key_by_prefix, api_keys
from frontdoor.core.errors import FrontDoorError
from frontdoor.core.time import isoformat_london


class Command(BaseCommand):
    help = "Create, list or revoke API keys for partner systems."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="create a key and print it once")
        create.add_argument("name", help="the system that will use the key")
        create.add_argument(
            "--scope", action="append", dest="scopes", required=True, choices=API_SCOPES,
            help="a capability the key has (repeat for more)",
        )
        create.add_argument("--rate-limit", type=int, default=600,
                            help="requests per minute (default 600)")
        actions.add_parser("list", help="every key: prefix, name, scopes, last use, revoked")
        revoke = actions.add_parser("revoke", help="stop a key working (dry run unless --commit)")
        revoke.add_argument("prefix", help="the key's first 8 characters, as `list` shows")
        revoke.add_argument("--commit", action="store_true", help="really revoke it")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            getattr(self, f"_{options['action']}")(options)
        except FrontDoorError as error:
            raise CommandError(error.message) from None

    def _create(self, options: dict[str, Any]) -> None:
        key, raw_key = create_api_key(
            name=options["name"], scopes=options["scopes"], by=None, now=timezone.now(),
            rate_limit_per_minute=options["rate_limit"],
        )
        self.stdout.write(f"Created API key {key.prefix} for {key.name}: {', '.join(key.scopes)}")
        self.stdout.write(raw_key)
        self.stdout.write("Copy it now: it will not be shown again.")

    def _list(self, options: dict[str, Any]) -> None:
        keys = list(api_keys())
        if not keys:
            self.stdout.write("No API keys.")
        for key in keys:
            used = isoformat_london(key.last_used_at) if key.last_used_at else "never used"
            state = f"revoked {isoformat_london(key.revoked_at)}" if key.revoked_at else "active"
            self.stdout.write(
                f"{key.prefix}  {key.name}  [{', '.join(key.scopes)}]  "
                f"{key.rate_limit_per_minute}/min  last used: {used}  {state}"
            )

    def _revoke(self, options: dict[str, Any]) -> None:
        key = api_key_by_prefix(options["prefix"])
        if key.revoked_at is not None:
            self.stdout.write(f"{key.prefix} ({key.name}) is already revoked.")
            return
        if not options["commit"]:
            self.stdout.write(
                f"Would revoke {key.prefix} ({key.name}). Dry run: nothing changed; "
                "add --commit to revoke it."
            )
            return
        revoke_api_key(key=key, by=None, now=timezone.now())
        self.stdout.write(f"Revoked {key.prefix} ({key.name}): it no longer works.")
