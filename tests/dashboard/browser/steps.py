"""Steps the browser tests share: the accessibility check with axe-core, and the screenshot that also checks
nothing scrolls sideways."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from axe_playwright_python.sync_playwright import Axe

WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
"""The axe-core rule tags for WCAG 2.2 level A and AA, the legal bar for UK public sector sites."""
BLOCKING = ("serious", "critical")
"""Violations of these impacts fail a test."""


def assert_accessible(page: Any, label: str) -> None:
    """Run axe-core's WCAG 2.2 A and AA rules on ``page`` with every disclosure opened (so hidden content is
    checked too), print what it found, and fail on any serious or critical violation."""
    for details in page.locator("details").all():
        details.evaluate("el => el.open = true")
    results = Axe().run(page, options={"runOnly": {"type": "tag", "values": WCAG_22_AA}})
    violations = results.response["violations"]
    summary = [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"]][:5],
        }
        for v in violations
    ]
    print(f"\naxe {label}: {len(results.response['passes'])} rules passed; violations: {json.dumps(summary)}")
    assert not [v for v in violations if v["impact"] in BLOCKING], results.generate_report()


def screenshot_fits(page: Any, screenshot_dir: Path, name: str) -> None:
    """Save a full-page screenshot for a person to look at, and fail if the page scrolls sideways."""
    page.screenshot(path=str(screenshot_dir / name), full_page=True)
    print(f"\nscreenshot: {screenshot_dir / name}")
    overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
    width = page.viewport_size["width"]
    assert overflow <= 0, f"{name}: at {width} pixels the page scrolls sideways by {overflow} pixels"
