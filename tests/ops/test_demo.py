"""`frontdoor demo`: a council, one staff account per role, and the sign-in details printed."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import Client

from frontdoor.council.queries import current_council, forget_council_cache
from frontdoor.ops.management.commands.demo import demo_data_arguments

pytestmark = pytest.mark.django_db

ROLES = ["Agent", "Case officer", "Team leader", "Manager", "Administrator"]


@pytest.fixture(autouse=True)
def _fresh_council_cache() -> None:
    forget_council_cache()


def test_demo_loads_the_preset_and_prints_a_working_sign_in_for_every_role(
    settings: object, tmp_path: Path, capsys: pytest.CaptureFixture[str], client: Client
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("demo", "--no-serve", "--no-demo-data", "--port", "8123")
    out = capsys.readouterr().out
    assert current_council().council.name.en == "North Norfolk District Council"
    assert "http://127.0.0.1:8123/staff/sign-in/" in out
    assert "http://127.0.0.1:8123/admin/" in out
    password = (tmp_path / "demo-sign-in.txt").read_text().strip()
    assert f"Password for every account: {password}" in out
    for role in ROLES:
        assert role in out
    email = "team.leader@demo.frontdoor.test"
    response = client.post("/staff/sign-in/", {"username": email, "password": password})
    assert response.status_code == 302
    home = client.get("/staff/").content.decode()
    assert "Team leader" in home and "Waste" in home


def test_running_the_demo_again_keeps_the_accounts_and_password(
    settings: object, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    settings.DATA_DIR = tmp_path  # type: ignore[attr-defined]
    call_command("demo", "--no-serve", "--no-demo-data")
    first = capsys.readouterr().out
    call_command("demo", "--no-serve", "--no-demo-data")
    second = capsys.readouterr().out
    assert "Loaded North Norfolk" in first and "Loaded" not in second
    password_line = next(line for line in first.splitlines() if "Password" in line)
    assert password_line in second


def test_reset_starts_again_with_a_new_database(tmp_path: Path) -> None:
    env = {**os.environ, "FRONTDOOR_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    command = [sys.executable, "-m", "frontdoor", "demo", "--no-serve", "--no-demo-data"]
    first = subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)
    assert first.returncode == 0, first.stderr
    assert "Loaded North Norfolk District Council" in first.stdout
    reset = subprocess.run([*command, "--reset"], env=env, capture_output=True, text=True,
                           timeout=120)
    assert reset.returncode == 0, reset.stderr
    assert "Deleted" in reset.stdout and "Loaded North Norfolk District Council" in reset.stdout
    old = next(line for line in first.stdout.splitlines() if "Password" in line)
    assert old not in reset.stdout  # a new database gets a new password


def test_demo_asks_the_demo_data_generator_for_a_small_council() -> None:
    # Generated data is the demo-data command's job (tested there); the demo keeps it small.
    assert demo_data_arguments() == ["--customers", "2000", "--months", "3"]
