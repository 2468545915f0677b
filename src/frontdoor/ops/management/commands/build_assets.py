"""`frontdoor build-assets [--if-missing]`: install the npm packages and compile the Sass.

Produces `static/css/app.css` in the project directory (settings.PROJECT_DIR): GOV.UK Frontend
and MOJ Frontend with the council's brand from `static-src/`. Needs Node.js and npm.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

CSS_OUTPUT = Path("static/css/app.css")
SOURCE_DIR = Path("static-src")
NPM_MARKER = Path("node_modules/govuk-frontend/package.json")


def _newest_source_mtime(project: Path) -> float:
    sources = [*(project / SOURCE_DIR).glob("*.scss"), project / "package-lock.json"]
    return max((p.stat().st_mtime for p in sources if p.exists()), default=0.0)


def assets_are_current(project: Path) -> bool:
    """The CSS exists, the npm packages are installed, and no Sass source is newer than the CSS."""
    css = project / CSS_OUTPUT
    return (
        css.exists()
        and (project / NPM_MARKER).exists()
        and css.stat().st_mtime >= _newest_source_mtime(project)
    )


class Command(BaseCommand):
    help = "Install the npm packages if needed and compile static/css/app.css from static-src/."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--if-missing",
            action="store_true",
            help="Do nothing if the CSS exists and is newer than its Sass sources.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        project = Path(settings.PROJECT_DIR)
        if not (project / "package.json").exists():
            raise CommandError(
                f"{project}/package.json not found: run this from a Front Door checkout "
                "or set FRONTDOOR_PROJECT_DIR"
            )
        if options["if_missing"] and assets_are_current(project):
            self.stdout.write("Assets are up to date.")
            return
        npm = shutil.which("npm")
        if npm is None:
            raise CommandError(
                "npm was not found on PATH. Install Node.js 20 or newer (with npm), "
                "then run `frontdoor build-assets` again."
            )
        if not (project / NPM_MARKER).exists():
            install = "ci" if (project / "package-lock.json").exists() else "install"
            self.stdout.write(f"Installing npm packages (npm {install})…")
            self._run([npm, install, "--no-audit", "--no-fund", "--loglevel=error"], project)
        self.stdout.write("Compiling static/css/app.css…")
        self._run([npm, "run", "--silent", "build:css"], project)
        css = project / CSS_OUTPUT
        if not css.exists() or css.stat().st_size == 0:
            raise CommandError(f"the Sass build finished but {css} is missing or empty")
        self.stdout.write(self.style.SUCCESS(f"Built {css} ({css.stat().st_size // 1024} KB)."))

    def _run(self, command: list[str], cwd: Path) -> None:
        result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            output = (result.stderr or result.stdout).strip()
            raise CommandError(
                f"`{' '.join(command[1:])}` failed (exit status {result.returncode}):\n{output}"
            )
