"""Accessibility scans with axe-core (from npm, offline) for browser tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).resolve().parent.parent / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """WCAG 2.2 A/AA violations axe-core finds on the page as it is now (needs JavaScript on)."""
    page.wait_for_load_state("load")  # after a click, scan the page it led to, not the last one
    page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "(tags) => axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
    )
    return list(result["violations"])


def is_govuk_conditional_radio_issue(violation: dict[str, Any]) -> bool:
    """GOV.UK Frontend's documented known issue (alphagov/govuk-frontend#979).

    Its script puts aria-expanded on radios and checkboxes that reveal a follow-up question;
    axe reports aria-allowed-attr. GOV.UK keeps it on purpose because screen readers announce
    the state. Only that exact finding is set aside: every node must be a GOV.UK radio or
    checkbox input and the failing attribute aria-expanded.
    """
    return violation["id"] == "aria-allowed-attr" and all(
        ("govuk-radios__input" in node["html"] or "govuk-checkboxes__input" in node["html"])
        and "aria-expanded" in node["failureSummary"]
        for node in violation["nodes"]
    )


def assert_accessible(page: Any) -> None:
    """Fail with a readable list of axe-core WCAG 2.2 A/AA violations, if any.

    The one exception is GOV.UK Frontend's known conditional-reveal issue (see above).
    """
    violations = [v for v in axe_violations(page) if not is_govuk_conditional_radio_issue(v)]
    lines = [
        f"{v['id']} ({v['impact']}): {v['help']} — "
        + "; ".join(n["target"][0] if isinstance(n["target"][0], str) else str(n["target"])
                    for n in v["nodes"][:5])
        for v in violations
    ]
    assert not violations, f"{page.url}:\n" + "\n".join(lines)
