"""`frontdoor council load|validate|show`: what an administrator sees at the terminal."""

from __future__ import annotations

import os
import subprocess
import sys
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from frontdoor.audit.queries import entries_for
from frontdoor.council.models import CouncilVersion
from frontdoor.council.queries import current_council_version, forget_council_cache


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    forget_council_cache()


def bad_council_file(tmp_path: Path) -> Path:
    bad = tmp_path / "bad-council.toml"
    bad.write_text(
        '[council]\nname = "Nowhere"\nshort_name = "Nowhere"\nreference_prefix = "nw"\n',
        encoding="utf-8",
    )
    return bad


def run(*args: str) -> str:
    out = StringIO()
    call_command("council", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_load_stores_a_new_version_and_says_so() -> None:
    output = run("load", "north-norfolk")

    assert "version 1" in output and "North Norfolk District Council" in output
    version = current_council_version()
    assert version.source == "north-norfolk"
    [entry] = entries_for("council_version", version.pk)
    assert entry.action == "council.loaded" and entry.data["number"] == 1


@pytest.mark.django_db
def test_loading_the_same_preset_again_says_nothing_changed() -> None:
    run("load", "north-norfolk")
    output = run("load", "north-norfolk")

    assert "nothing changed" in output
    assert CouncilVersion.objects.count() == 1
    assert entries_for("council_version", current_council_version().pk).count() == 1


@pytest.mark.django_db
def test_show_prints_the_current_version_and_its_counts() -> None:
    run("load", "east-northants")
    output = run("show")

    assert "version 1 (current)" in output and "east-northants" in output
    assert "14 wards" in output and "10 charter standards" in output


@pytest.mark.django_db
def test_show_before_any_load_says_what_to_run() -> None:
    with pytest.raises(CommandError, match="frontdoor council load north-norfolk"):
        run("show")


@pytest.mark.django_db
def test_a_bad_file_fails_with_status_2_and_writes_nothing(tmp_path: Path) -> None:
    run("load", "north-norfolk")

    with pytest.raises(CommandError) as caught:
        run("load", str(bad_council_file(tmp_path)))

    assert caught.value.returncode == 2
    assert "\n" not in str(caught.value)
    assert "council.reference_prefix" in str(caught.value)
    assert CouncilVersion.objects.count() == 1


def test_validate_checks_a_file_without_a_database() -> None:
    assert "valid" in run("validate", "north-norfolk-2021-draft")


@pytest.mark.parametrize("action", ["validate", "load"])
def test_the_console_command_prints_one_line_on_stderr_and_exits_2(
    tmp_path: Path, action: str
) -> None:
    bad = bad_council_file(tmp_path)
    env = {**os.environ, "FRONTDOOR_DATA_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)

    finished = subprocess.run(
        [sys.executable, "-m", "frontdoor.cli", "council", action, str(bad)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )

    assert finished.returncode == 2
    lines = finished.stderr.strip().splitlines()
    assert len(lines) == 1, finished.stderr
    assert str(bad) in lines[0] and "council.reference_prefix" in lines[0]
    assert finished.stdout == ""
