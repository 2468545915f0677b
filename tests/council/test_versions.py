"""Loading configuration versions and reading the current one through the cached accessor."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from importlib import resources
from pathlib import Path

import pytest
from django.db import IntegrityError, transaction
from django.test import RequestFactory

from frontdoor.council.actions import load_council_config
from frontdoor.council.admin import CouncilVersionAdmin
from frontdoor.council.config import CouncilConfig, MeasureStandard
from frontdoor.council.errors import CouncilConfigError, CouncilNotLoaded, UnknownCode
from frontdoor.council.models import CouncilVersion, ImmutableVersion
from frontdoor.council.queries import (
    checksum_of,
    council_version,
    current_council,
    current_council_version,
    document_of,
    forget_council_cache,
    read_council_file,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    forget_council_cache()


@pytest.fixture
def long_cache(settings: object) -> None:
    settings.FRONTDOOR_COUNCIL_CACHE_SECONDS = 3600  # type: ignore[attr-defined]


def preset_copy(tmp_path: Path, name: str = "north-norfolk") -> Path:
    text = resources.files("frontdoor.council").joinpath("presets", f"{name}.toml").read_text()
    path = tmp_path / f"{name}.toml"
    path.write_text(text, encoding="utf-8")
    return path


def phone_answer_seconds(config: CouncilConfig) -> int | None:
    standard = config.standard("phone-answer")
    assert isinstance(standard, MeasureStandard)
    return standard.within_seconds


def test_nothing_loaded_tells_the_administrator_what_to_run() -> None:
    with pytest.raises(CouncilNotLoaded, match="frontdoor council load north-norfolk"):
        current_council()


def test_the_council_fixture_makes_north_norfolk_current(council: CouncilConfig) -> None:
    assert current_council() == council
    assert council.council.reference_prefix == "NN"
    assert current_council_version().source == "north-norfolk"


def test_loading_a_preset_makes_it_the_current_version(now: datetime) -> None:
    version = load_council_config(source="east-northants", now=now)

    assert (version.number, version.is_current, version.loaded_at) == (1, True, now)
    assert len(version.checksum) == 64
    assert current_council().council.short_name.get("en") == "East Northants"


def test_loading_the_same_file_twice_changes_nothing(tmp_path: Path, now: datetime) -> None:
    first = load_council_config(source="north-norfolk", now=now)
    # Comments and layout are not part of the configuration: still the same version.
    copy = preset_copy(tmp_path)
    copy.write_text("# a copy with a comment\n" + copy.read_text(), encoding="utf-8")

    again = load_council_config(source="north-norfolk", now=now + timedelta(hours=1))
    from_copy = load_council_config(source=str(copy), now=now + timedelta(hours=2))

    assert again.pk == first.pk == from_copy.pk
    assert again.loaded_at == now
    assert CouncilVersion.objects.count() == 1


def test_a_changed_file_becomes_the_new_current_version_at_once(
    tmp_path: Path, now: datetime, long_cache: None
) -> None:
    first = load_council_config(source="north-norfolk", now=now)
    assert phone_answer_seconds(current_council()) == 150
    changed = preset_copy(tmp_path)
    changed.write_text(
        changed.read_text().replace("within_seconds = 150", "within_seconds = 120"), "utf-8"
    )

    second = load_council_config(source=str(changed), now=now + timedelta(days=1))

    assert second.number == 2 and second.is_current
    first.refresh_from_db()
    assert not first.is_current
    assert phone_answer_seconds(current_council()) == 120  # no stale cache in this process
    assert current_council_version().pk == second.pk
    assert phone_answer_seconds(current_council()) == 120


def test_a_bad_file_leaves_the_previous_version_current(tmp_path: Path, now: datetime) -> None:
    good = load_council_config(source="north-norfolk", now=now)
    bad = preset_copy(tmp_path)
    bad.write_text(bad.read_text().replace('team = "planning"', 'team = "planners"'), "utf-8")

    with pytest.raises(CouncilConfigError, match="unknown team 'planners'"):
        load_council_config(source=str(bad), now=now + timedelta(days=1))

    assert list(CouncilVersion.objects.values_list("pk", flat=True)) == [good.pk]
    assert current_council_version().pk == good.pk
    assert current_council().service("planning").team == "planning"


def test_a_load_rolled_back_with_its_transaction_leaves_the_old_council(now: datetime) -> None:
    load_council_config(source="north-norfolk", now=now)
    assert current_council().council.reference_prefix == "NN"

    with pytest.raises(RuntimeError), transaction.atomic():
        load_council_config(source="east-northants", now=now)
        assert current_council().council.reference_prefix == "EN"  # seen inside at once
        raise RuntimeError("something else in the transaction failed")

    assert current_council().council.reference_prefix == "NN"


def test_the_accessor_does_not_query_on_every_call(
    council: CouncilConfig, long_cache: None, django_assert_num_queries: object
) -> None:
    current_council()
    with django_assert_num_queries(0):  # type: ignore[operator]
        for _ in range(50):
            assert current_council() is council


def test_the_accessor_rechecks_the_current_version_after_the_cache_time(
    council: CouncilConfig, settings: object, monkeypatch: pytest.MonkeyPatch, now: datetime
) -> None:
    settings.FRONTDOOR_COUNCIL_CACHE_SECONDS = 5  # type: ignore[attr-defined]
    assert current_council().council.reference_prefix == "NN"
    # Another process loads East Northants: this process learns of it only from the database.
    east = read_council_file("east-northants")
    CouncilVersion.objects.filter(is_current=True).update(is_current=False)
    CouncilVersion.objects.create(
        number=2,
        document=document_of(east),
        checksum=checksum_of(document_of(east)),
        source="east-northants",
        loaded_at=now,
        is_current=True,
    )

    assert current_council().council.reference_prefix == "NN"  # within 5 seconds: cached
    started = time.monotonic()
    monkeypatch.setattr(time, "monotonic", lambda: started + 6)
    assert current_council().council.reference_prefix == "EN"


def test_after_a_load_commits_the_accessor_caches_again(
    now: datetime, long_cache: None, django_assert_num_queries: object,
    django_capture_on_commit_callbacks: object,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        load_council_config(source="east-northants", now=now)
    assert current_council().council.reference_prefix == "EN"
    with django_assert_num_queries(0):  # type: ignore[operator]
        assert current_council().council.reference_prefix == "EN"


def test_the_database_refuses_two_current_versions(council: CouncilConfig, now: datetime) -> None:
    current = current_council_version()
    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilVersion.objects.create(
            number=current.number + 1,
            document=current.document,
            checksum="0" * 64,
            source="by hand",
            loaded_at=now,
            is_current=True,
        )


def test_a_stored_version_cannot_be_edited_or_deleted(council: CouncilConfig) -> None:
    version = current_council_version()
    version.source = "edited"
    with pytest.raises(ImmutableVersion):
        version.save()
    with pytest.raises(ImmutableVersion):
        version.delete()
    with pytest.raises(ImmutableVersion):
        CouncilVersion.objects.all().delete()
    with pytest.raises(ImmutableVersion):
        CouncilVersion.objects.update(source="edited")
    assert CouncilVersion.objects.get().source == "north-norfolk"


def test_versions_are_found_by_number(council: CouncilConfig) -> None:
    assert council_version(1).pk == current_council_version().pk
    with pytest.raises(UnknownCode, match="no council configuration version 7"):
        council_version(7)


def test_the_admin_shows_versions_but_cannot_change_them(council: CouncilConfig) -> None:
    from django.contrib import admin

    model_admin = CouncilVersionAdmin(CouncilVersion, admin.site)
    request = RequestFactory().get("/")
    version = current_council_version()
    assert not model_admin.has_add_permission(request)
    assert not model_admin.has_change_permission(request, version)
    assert not model_admin.has_delete_permission(request, version)
    shown = model_admin.pretty_document(version)
    assert shown.startswith("<pre") and "&quot;reference_prefix&quot;: &quot;NN&quot;" in shown
