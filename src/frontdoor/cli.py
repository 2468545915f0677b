"""The `frontdoor` console command: Django management commands under one friendly name.

`frontdoor demo-data …` runs the `demo_data` management command, `frontdoor council load …`
the `council` command, and so on; `frontdoor help` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "frontdoor.settings")
    args = list(sys.argv if argv is None else argv)
    if len(args) > 1 and not args[1].startswith("-"):
        args[1] = args[1].replace("-", "_")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["frontdoor", *args[1:]])


if __name__ == "__main__":
    main()
