"""`frontdoor charter due|show`: one line out, or one line of error and status 2."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError


def run(*args: str) -> str:
    out = StringIO()
    call_command("charter", *args, stdout=out)
    return out.getvalue()


def test_due_prints_exactly_one_line_with_the_london_deadline():
    output = run(
        "due", "written-reply", "--council", "north-norfolk", "--received", "2026-01-02T18:00"
    )
    assert output == "2026-01-09T17:00:00+00:00\n"


def test_due_of_a_from_event_standard_is_provisional_without_from_and_firm_with_it():
    args = ["due", "complaint-stage2-response", "--council", "north-norfolk"]
    assert run(*args, "--received", "2026-01-05T10:00") == "2026-02-09T17:00:00+00:00\n"
    firm = run(*args, "--received", "2026-01-05T10:00", "--from", "2026-01-06T11:00")
    assert firm == "2026-02-03T17:00:00+00:00\n"


def test_due_accepts_an_offset_for_the_repeated_hour():
    output = run(
        "due", "written-reply", "--council", "north-norfolk", "--received", "2026-10-25T01:30+01:00"
    )
    assert output == "2026-10-30T17:00:00+00:00\n"


def test_due_reads_a_council_file_by_path(tmp_path):
    from importlib import resources

    text = (
        resources.files("frontdoor.council").joinpath("presets", "north-norfolk.toml").read_text()
    )
    path = tmp_path / "council.toml"
    path.write_text(
        text.replace(
            "closure_days = []", 'closure_days = [{ date = 2026-01-05, reason = "Training" }]'
        )
    )
    output = run("due", "written-reply", "--council", str(path), "--received", "2026-01-02T18:00")
    assert output == "2026-01-12T17:00:00+00:00\n"  # Mon 5 Jan closed: 6,7,8,9,12 Jan


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["phone-answer", "--council", "north-norfolk", "--received", "2026-01-05T10:00"],
            "measure",
        ),
        (
            ["no-such-standard", "--council", "north-norfolk", "--received", "2026-01-05T10:00"],
            "unknown",
        ),
        (
            ["written-reply", "--council", "no-such-council", "--received", "2026-01-05T10:00"],
            "preset",
        ),
        (["written-reply", "--council", "north-norfolk", "--received", "next tuesday"], "ISO 8601"),
        (
            ["written-reply", "--council", "north-norfolk", "--received", "2026-03-29T01:30"],
            "does not exist",
        ),
        (
            ["written-reply", "--council", "north-norfolk", "--received", "2026-10-25T01:30"],
            "twice",
        ),
        (
            [
                "written-reply",
                "--council",
                "/nonexistent/council.toml",
                "--received",
                "2026-01-05T10:00",
            ],
            "no such file",
        ),
    ],
)
def test_bad_input_is_one_line_error_with_status_2(args, words):
    with pytest.raises(CommandError) as raised:
        run("due", *args)
    assert raised.value.returncode == 2
    message = str(raised.value)
    assert words in message and "\n" not in message


def test_bad_council_file_is_one_line_error_with_status_2(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[council\nname = ")
    with pytest.raises(CommandError) as raised:
        run("due", "written-reply", "--council", str(path), "--received", "2026-01-05T10:00")
    assert raised.value.returncode == 2 and "\n" not in str(raised.value)


def test_show_lists_every_standard_with_its_calendar_and_start():
    output = run("show", "--council", "north-norfolk")
    lines = output.splitlines()
    assert lines[0].split()[:3] == ["id", "kind", "target"]
    foi = next(line for line in lines if line.startswith("foi-response"))
    assert "20 working days" in foi and "statutory-uk" in foi
    stage2 = next(line for line in lines if line.startswith("complaint-stage2-response"))
    assert "acknowledged" in stage2
    assert any(line.startswith("phone-answer") and "150 s" in line for line in lines)
