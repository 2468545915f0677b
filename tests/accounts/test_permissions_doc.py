"""docs/permissions.md shows the matrix the code enforces."""

from __future__ import annotations

import re
from pathlib import Path

from frontdoor.accounts.models import Role
from frontdoor.accounts.permissions import PERMISSIONS, permission_table_markdown

DOC = Path(__file__).resolve().parents[2] / "docs" / "permissions.md"


def _doc_table() -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(
        r"<!-- permission-matrix:start -->\n(.*?)\n<!-- permission-matrix:end -->", text, re.S
    )
    assert match, "docs/permissions.md lost its permission-matrix markers"
    return match.group(1).strip()


def test_permissions_doc_table_matches_the_code():
    assert _doc_table() == permission_table_markdown()


def test_doc_table_has_a_row_per_action_and_a_column_per_role():
    lines = _doc_table().splitlines()
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    assert header[1:] == list(Role.values)
    rows = {line.split("|")[1].strip().strip("`"): line for line in lines[2:]}
    assert set(rows) == set(PERMISSIONS)
    cells = [c.strip() for c in rows["customer.erase"].strip("|").split("|")][1:]
    assert [role for role, cell in zip(Role.values, cells, strict=True) if cell == "yes"] == [
        "manager"
    ]
