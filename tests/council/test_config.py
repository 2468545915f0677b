"""Reading council files: every preset is valid and every kind of mistake is named precisely."""

from __future__ import annotations

import re
from datetime import time
from importlib import resources
from pathlib import Path

import pytest

from frontdoor.council.config import CouncilConfig, DeadlineStandard, MeasureStandard, Text
from frontdoor.council.errors import CouncilConfigError, UnknownCode
from frontdoor.council.queries import preset_names, read_council_file

PRESETS = ["north-norfolk", "north-norfolk-2021-draft", "east-northants"]


def preset_text(name: str) -> str:
    return (
        resources.files("frontdoor.council").joinpath("presets", f"{name}.toml").read_text("utf-8")
    )


NN = read_council_file("north-norfolk")


def service_index(code: str) -> int:
    return [s.code for s in NN.services].index(code)


def standard_index(standard_id: str) -> int:
    return [s.id for s in NN.charter.standards].index(standard_id)


def test_the_three_presets_ship_with_front_door() -> None:
    assert set(PRESETS) <= set(preset_names())


@pytest.mark.parametrize("name", PRESETS)
def test_every_preset_is_a_valid_council(name: str) -> None:
    config = read_council_file(name)
    assert config.calendar.hours_for("monday") == (time(9), time(17))
    assert config.calendar.hours_for(5) is None  # charter clocks do not run on Saturdays
    assert len(config.wards) >= 10 and 8 <= len(config.teams) <= 12
    assert 30 <= len(config.services) <= 40
    for standard in config.charter.standards:
        if isinstance(standard, DeadlineStandard) and standard.runs_from == "acknowledged":
            assert isinstance(config.standard(standard.provisional_from), DeadlineStandard)


@pytest.mark.parametrize("name", PRESETS)
def test_presets_cover_the_statutory_clocks(name: str) -> None:
    config = read_council_file(name)
    foi = config.standard("foi-response")
    sar = config.standard("sar-response")
    assert isinstance(foi, DeadlineStandard) and foi.calendar == "statutory-uk"
    assert (foi.period.unit, foi.period.amount) == ("working_days", 20)
    assert isinstance(sar, DeadlineStandard) and sar.period.calendar_months == 1
    assert sar.extension is not None and sar.extension.max.calendar_months == 2
    assert {s.case_type for s in config.services} >= {"complaint", "foi", "sar"}
    assert all(s.street_report for s in config.services if s.code in ("potholes", "graffiti"))
    assert config.service("potholes").provided_by is not None


def test_north_norfolk_charter_figures_match_its_published_charter() -> None:
    phone = NN.standard("phone-answer")
    assert isinstance(phone, MeasureStandard) and phone.within_seconds == 150
    written = NN.standard("written-reply")
    assert isinstance(written, DeadlineStandard) and written.period.working_days == 5
    ack = NN.standard("complaint-ack")
    assert isinstance(ack, DeadlineStandard) and ack.period.working_hours == 4
    assert [s.id for s in NN.standards_for(channel="voicemail", case_type="enquiry")] == [
        "voicemail-reply",
        "satisfaction",
    ]


def test_the_draft_charter_sets_a_lower_target_for_calls() -> None:
    draft = read_council_file("north-norfolk-2021-draft")
    fcr = draft.standard("first-contact-resolution")
    assert isinstance(fcr, MeasureStandard)
    assert (fcr.target_share, fcr.channel_targets) == (0.9, {"phone": 0.8})


def test_a_text_falls_back_to_english_when_a_translation_is_missing() -> None:
    text = Text.model_validate({"en": "Bin collections", "cy": "Casgliadau biniau"})
    assert text.get("cy") == "Casgliadau biniau"
    assert text.get("en-gb") == "Bin collections"
    assert Text.model_validate("Planning").get("cy") == "Planning"


def test_looking_up_an_unknown_team_names_the_known_ones() -> None:
    with pytest.raises(UnknownCode, match=r"unknown team 'wastes'.*waste-services"):
        NN.team("wastes")


def test_quiet_hours_span_midnight() -> None:
    quiet = NN.notifications.quiet_hours
    assert quiet.contains(time(22, 30)) and quiet.contains(time(7, 59))
    assert not quiet.contains(time(8, 0)) and not quiet.contains(time(20, 59))


def test_wards_are_found_from_a_full_postcode() -> None:
    assert {w.code for w in NN.wards_for_postcode("nr27 9en")} == {
        w.code for w in NN.wards if "NR27" in w.postcode_districts
    }


# Each mutation: (what to replace in north-norfolk.toml, replacement, field path, problem).
MISSED_BIN_TEAM = 'team = "waste-services"\nfirst_contact_resolvable = true\nkeywords = ["bin"'
MUTATIONS = [
    pytest.param(
        MISSED_BIN_TEAM,
        MISSED_BIN_TEAM.replace("waste-services", "wastes"),
        f"services[{service_index('missed-bin')}].team",
        "unknown team 'wastes' (known: customer-services",
        id="unknown-team",
    ),
    pytest.param(
        "lgsl = 524", "lgsl = 9999", f"services[{service_index('missed-bin')}].lgsl",
        "not in the Local Government Services List", id="unknown-lgsl",
    ),
    pytest.param(
        "lgsl = 524", 'lgsl = "524"', f"services[{service_index('missed-bin')}].lgsl",
        "valid integer", id="lgsl-as-text",
    ),
    pytest.param(
        'keywords = ["pothole", "road", "pavement", "highway"]\nprovided_by',
        'keywords = ["pothole"]\nx_provided_by',
        f"services[{service_index('potholes')}].x_provided_by", "unknown key", id="unknown-key",
    ),
    pytest.param(
        '\nprovided_by = { name = "Norfolk County Council", url = "https://www.norfolk.gov.uk", '
        'phone = "0344 800 8020" }\n',
        "\n",
        f"services[{service_index('potholes')}].lgsl",
        "is a county/unitary service; a district council lists it only with provided_by",
        id="county-service-in-a-district",
    ),
    pytest.param(
        'code = "cromer-town"', 'code = "Cromer Town"', "wards[0].code", "not a kebab-case code",
        id="code-not-kebab-case",
    ),
    pytest.param(
        'code = "suffield-park"', 'code = "cromer-town"', "wards[1].code", "used twice",
        id="duplicate-code",
    ),
    pytest.param(
        'opening_hours = { monday = "08:30-17:00"', 'opening_hours = { monday = "17:00-08:30"',
        "offices[0].opening_hours.monday", "closes before it opens", id="hours-backwards",
    ),
    pytest.param(
        'charter_hours = { monday = "09:00-17:00"', 'charter_hours = { monday = "9am-5pm"',
        "calendar.charter_hours.monday", "not a 24-hour time", id="hours-not-hh-mm",
    ),
    pytest.param(
        'charter_hours = { monday = "09:00-17:00"', 'charter_hours = { funday = "09:00-17:00"',
        "calendar.charter_hours.funday", "'monday'", id="not-a-weekday",
    ),
    pytest.param(
        "closure_days = []",
        'closure_days = [{ date = 2026-12-29, reason = "Christmas" }, '
        '{ date = 2026-12-29, reason = "Again" }]',
        "calendar.closure_days[1].date", "listed twice", id="closure-day-twice",
    ),
    pytest.param(
        "period = { working_days = 5 }", "period = { working_days = 5, working_hours = 4 }",
        f"charter.standards[{standard_index('written-reply')}].period",
        "exactly one of working_days, working_hours, calendar_months", id="two-period-units",
    ),
    pytest.param(
        "period = { working_days = 20 }", "period = { working_days = 0 }",
        f"charter.standards[{standard_index('foi-response')}].period.working_days",
        "greater than 0", id="period-zero",
    ),
    pytest.param(
        'calendar = "statutory"\n', "",
        f"charter.standards[{standard_index('sar-response')}].calendar", "is required",
        id="deadline-without-calendar",
    ),
    pytest.param(
        'kind = "deadline"\nperiod = { calendar_months = 1 }',
        'kind = "deadlines"\nperiod = { calendar_months = 1 }',
        f"charter.standards[{standard_index('sar-response')}].kind", "'deadline', 'measure'",
        id="unknown-kind",
    ),
    pytest.param(
        "within_seconds = 150\n", "", f"charter.standards[{standard_index('phone-answer')}]",
        "needs within_seconds", id="wait-without-seconds",
    ),
    pytest.param(
        'metric = "satisfaction"\n', "", f"charter.standards[{standard_index('satisfaction')}]",
        "needs metric", id="share-without-metric",
    ),
    pytest.param(
        "target_share = 0.95", "target_share = 1.5",
        f"charter.standards[{standard_index('satisfaction')}].target_share", "less than or equal",
        id="share-above-one",
    ),
    pytest.param(
        'provisional_from = "complaint-stage2-ack"', 'provisional_from = "complaint-stage3-ack"',
        f"charter.standards[{standard_index('complaint-stage2-response')}].provisional_from",
        "unknown deadline standard 'complaint-stage3-ack'", id="unknown-provisional-from",
    ),
    pytest.param(
        'provisional_from = "complaint-stage2-ack"\n', "",
        f"charter.standards[{standard_index('complaint-stage2-response')}].provisional_from",
        "needs provisional_from", id="acknowledged-without-provisional-from",
    ),
    pytest.param(
        'channels = ["voicemail"]', 'channels = ["pigeon"]',
        f"charter.standards[{standard_index('voicemail-reply')}].applies_to.channels[0]",
        "'phone'", id="unknown-channel",
    ),
    pytest.param(
        'case_types = ["sar"]', 'case_types = ["gossip"]',
        f"charter.standards[{standard_index('sar-response')}].applies_to.case_types[0]",
        "'service_request'", id="unknown-case-type",
    ),
    pytest.param(
        'id = "voicemail-reply"', 'id = "callback"',
        f"charter.standards[{standard_index('voicemail-reply')}].id", "'callback' is used twice",
        id="duplicate-standard-id",
    ),
    pytest.param(
        'nation = "england-and-wales"', 'nation = "wales"', "council.nation",
        "'england-and-wales', 'scotland' or 'northern-ireland'", id="unknown-nation",
    ),
    pytest.param(
        'name = "Planning"\n', 'name = { cy = "Cynllunio" }\n', "teams[4].name.en", "is required",
        id="translation-without-english",
    ),
    pytest.param(
        'quiet_hours = "21:00-08:00"', 'quiet_hours = "21:00-21:00"', "notifications.quiet_hours",
        "start and end must differ", id="empty-quiet-hours",
    ),
]


@pytest.mark.parametrize(("old", "new", "path", "problem"), MUTATIONS)
def test_a_mistake_in_the_file_is_named_on_one_line(
    tmp_path: Path, old: str, new: str, path: str, problem: str
) -> None:
    text = preset_text("north-norfolk")
    assert old in text, "the mutation no longer matches the preset"
    bad = tmp_path / "north-norfolk.toml"
    bad.write_text(text.replace(old, new, 1), encoding="utf-8")

    with pytest.raises(CouncilConfigError) as caught:
        read_council_file(str(bad))

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{bad}: {path}: "), message
    assert problem in message, message


def test_a_toml_syntax_error_names_the_file_and_line(tmp_path: Path) -> None:
    text = preset_text("north-norfolk")
    line = text.splitlines().index('reference_prefix = "NN"') + 1
    bad = tmp_path / "council.toml"
    bad.write_text(text.replace('reference_prefix = "NN"', 'reference_prefix = "NN'), "utf-8")

    with pytest.raises(CouncilConfigError) as caught:
        read_council_file(str(bad))

    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{bad}: TOML syntax error")
    assert re.search(rf"\bline {line}\b", message), message


def test_an_unknown_preset_lists_the_presets() -> None:
    with pytest.raises(CouncilConfigError) as caught:
        read_council_file("north-norfok")
    assert all(name in str(caught.value) for name in PRESETS)


def test_a_missing_file_is_named(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.toml"
    with pytest.raises(CouncilConfigError, match=re.escape(f"{missing}: no such file")):
        read_council_file(str(missing))


def test_a_preset_error_names_the_preset_file() -> None:
    data = NN.model_dump(mode="json")
    data["services"][0]["team"] = "nobody"
    with pytest.raises(ValueError, match=r"services\[0\]\.team: unknown team 'nobody'"):
        CouncilConfig.model_validate(data)


def test_the_stored_document_reads_back_as_the_same_configuration() -> None:
    document = NN.model_dump(mode="json")
    assert CouncilConfig.model_validate_json(__import__("json").dumps(document)) == NN
