"""`frontdoor build-assets`: the council-branded CSS, compiled from GOV.UK and MOJ Frontend."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

CSS = Path(settings.PROJECT_DIR) / "static/css/app.css"

needs_npm = pytest.mark.skipif(
    shutil.which("npm") is None, reason="npm is not installed: cannot compile the Sass"
)


@needs_npm
def test_build_produces_branded_css_without_the_gov_uk_font(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("build_assets")
    css = CSS.read_text(encoding="utf-8")
    assert "GDS Transport" not in css
    assert "system-ui" in css  # the council's font stack
    assert ".govuk-generic-header{background-color:#106165}" in css  # the brand colour
    assert "url(/static/assets/images/" in css  # assets under STATIC_URL, not /assets/
    assert ".moj-" in css and ".govuk-button" in css
    assert "Built" in capsys.readouterr().out


@needs_npm
def test_if_missing_leaves_up_to_date_css_alone(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("build_assets", if_missing=True)  # builds if another test has not yet
    before = CSS.stat().st_mtime_ns
    call_command("build_assets", if_missing=True)
    assert CSS.stat().st_mtime_ns == before
    assert "up to date" in capsys.readouterr().out


def test_without_npm_the_error_says_what_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(shutil, "which", lambda name: None)
    with pytest.raises(CommandError, match=r"npm was not found.*Node\.js"):
        call_command("build_assets")
