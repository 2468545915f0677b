"""`frontdoor demo [--council PRESET] [--reset] [--host 127.0.0.1] [--port 8000]`.

A working Front Door on this machine in one command: the embedded SQLite database, a council
preset, one demo staff account per role (same password, printed), demo data when the
`demo-data` command is installed, then `frontdoor serve`. Running it again keeps what is there;
`--reset` deletes the database and starts again.
"""

from __future__ import annotations

import os
import secrets
import sys
from collections import Counter
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections
from django.utils import timezone

from frontdoor.accounts.actions import create_staff_user
from frontdoor.accounts.models import Role, RoleInTeam
from frontdoor.cases.council_changes import adopt_council_config
from frontdoor.core.errors import Conflict
from frontdoor.council.config import CouncilConfig
from frontdoor.council.errors import CouncilConfigError, CouncilNotLoaded
from frontdoor.council.queries import config_of, current_council_version

DEFAULT_PRESET = "north-norfolk"
DEMO_EMAIL_DOMAIN = "demo.frontdoor.test"
PASSWORD_FILE = "demo-sign-in.txt"
FRONT_OFFICE_TEAM = "customer-services"


@dataclass(frozen=True)
class DemoAccount:
    email: str
    display_name: str
    role: str
    teams: dict[str, str]


def demo_accounts(config: CouncilConfig) -> list[DemoAccount]:
    """One account per staff role, in the council's real teams."""
    codes = [team.code for team in config.teams]
    front = FRONT_OFFICE_TEAM if FRONT_OFFICE_TEAM in codes else codes[0]
    # The back-office team with the most services gives the case officer a busy queue.
    owners = Counter(service.team for service in config.services if service.team != front)
    back = owners.most_common(1)[0][0] if owners else front
    return [
        DemoAccount(f"agent@{DEMO_EMAIL_DOMAIN}", "Alex Agent", Role.AGENT,
                    {front: RoleInTeam.MEMBER}),
        DemoAccount(f"case.officer@{DEMO_EMAIL_DOMAIN}", "Casey Officer", Role.CASE_OFFICER,
                    {back: RoleInTeam.MEMBER}),
        DemoAccount(f"team.leader@{DEMO_EMAIL_DOMAIN}", "Taylor Leader", Role.TEAM_LEADER,
                    {back: RoleInTeam.LEADER}),
        DemoAccount(f"manager@{DEMO_EMAIL_DOMAIN}", "Morgan Manager", Role.MANAGER,
                    {front: RoleInTeam.MANAGER, back: RoleInTeam.MANAGER}),
        DemoAccount(f"admin@{DEMO_EMAIL_DOMAIN}", "Ashley Administrator", Role.ADMINISTRATOR, {}),
    ]


def demo_password(data_dir: Path) -> str:
    """The demo accounts' password: made once per database, kept beside it (owner-only)."""
    path = data_dir / PASSWORD_FILE
    if path.exists():
        return path.read_text(encoding="utf-8").strip()
    password = f"demo-{secrets.token_urlsafe(12)}"
    data_dir.mkdir(parents=True, exist_ok=True)
    path.touch(mode=0o600)
    path.write_text(password + "\n", encoding="utf-8")
    return password


# Small enough to be ready in seconds on a laptop, big enough for queues and charts to mean
# something; passed only where the demo-data command offers the option.
DEMO_DATA_SIZES = {"--customers": "2000", "--months": "3"}


def demo_data_arguments() -> list[str]:
    app = get_commands()["demo_data"]
    parser = load_command_class(app, "demo_data").create_parser("frontdoor", "demo_data")
    offered = {option for action in parser._actions for option in action.option_strings}
    return [part for option, value in DEMO_DATA_SIZES.items() if option in offered
            for part in (option, value)]


def sqlite_database_path() -> Path | None:
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.sqlite3":
        return None
    return Path(database["NAME"])


class Command(BaseCommand):
    help = "Set up a demo council with staff accounts on the embedded database, then serve it."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--council", default=DEFAULT_PRESET,
                            help=f"council preset or TOML file (default {DEFAULT_PRESET})")
        parser.add_argument("--reset", action="store_true",
                            help="delete the embedded database first and start again")
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8000)
        parser.add_argument("--no-demo-data", action="store_true",
                            help="no generated customers, contacts and cases")
        parser.add_argument("--no-serve", action="store_true",
                            help="set up and print the sign-in details, but do not serve")

    def handle(self, *args: Any, **options: Any) -> None:
        database = sqlite_database_path()
        if options["reset"]:
            if database is None:
                raise CommandError("--reset only deletes the embedded SQLite database; "
                                   "DATABASE_URL points at another database")
            self._delete_database(database)
        call_command("migrate", interactive=False, verbosity=0)
        now = timezone.now()
        fresh = False
        try:
            config = config_of(current_council_version())
            if options["council"] != DEFAULT_PRESET:
                self.stdout.write(f"A council is already loaded ({config.council.name}); "
                                  "use --reset to start again with another.")
        except CouncilNotLoaded:
            config = self._load_council(options["council"], now)
            fresh = True

        password = demo_password(Path(settings.DATA_DIR))
        accounts = demo_accounts(config)
        for account in accounts:
            with suppress(Conflict):  # made by an earlier run: keep it as it is
                create_staff_user(email=account.email, display_name=account.display_name,
                                  role=account.role, teams=account.teams, password=password,
                                  by=None, now=now)
        # Knowledge articles and the signposting directory (idempotent; staff edits are kept).
        call_command("seed_knowledge", verbosity=0)
        if fresh and not options["no_demo_data"] and "demo_data" in get_commands():
            self.stdout.write("Generating demo data…")
            call_command("demo_data", *demo_data_arguments())

        self._print_sign_in(options["host"], options["port"], accounts, password)
        if options["no_serve"]:
            return
        sys.stdout.flush()
        sys.stderr.flush()
        serve = [sys.executable, "-m", "frontdoor", "serve",
                 "--host", options["host"], "--port", str(options["port"])]
        os.execv(sys.executable, serve)

    def _delete_database(self, database: Path) -> None:
        connections.close_all()
        for path in (database, Path(f"{database}-wal"), Path(f"{database}-shm"),
                     database.parent / PASSWORD_FILE):
            path.unlink(missing_ok=True)
        self.stdout.write(f"Deleted {database}.")

    def _load_council(self, source: str, now: Any) -> CouncilConfig:
        try:
            version = adopt_council_config(source=source, now=now).version
        except CouncilConfigError as exc:
            raise CommandError(str(exc)) from None
        config = config_of(version)
        self.stdout.write(f"Loaded {config.council.name} ({source}).")
        return config

    def _print_sign_in(self, host: str, port: int, accounts: list[DemoAccount],
                       password: str) -> None:
        shown_host = "127.0.0.1" if host in ("0.0.0.0", "::") else host
        base = f"http://{shown_host}:{port}"
        lines = [
            "",
            "Front Door demo",
            f"  Resident website: {base}/",
            f"  Staff sign-in:    {base}/staff/sign-in/",
            f"  Django admin:     {base}/admin/  (administrator account)",
            f"  Password for every account: {password}",
            "",
        ]
        width = max(len(a.email) for a in accounts)
        lines += [f"  {a.email.ljust(width)}  {Role(a.role).label}" for a in accounts]
        lines.append("")
        self.stdout.write("\n".join(lines))
