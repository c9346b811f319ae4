"""Accessibility checked, not assumed: axe-core (WCAG 2.2 A and AA rules) on the built HTML.

Needs Debian's chromium and chromium-driver and npm's @axe-core/cli, which .ci/run installs
(into .ci/axe/). Locally the test is skipped when they are missing; in CI it fails.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import urllib.request
from pathlib import Path

import pytest
from conftest import CLEAN_REVIEW, REPO_ROOT, SOCIAL_VALUE_REVIEW, TESTS_DIR, copy_review

from scopekit.build import build_review

TAGS = "wcag2a,wcag2aa,wcag21a,wcag21aa,wcag22a,wcag22aa"
CHROME_OPTIONS = (
    "headless,no-sandbox,disable-gpu,disable-background-networking,"
    "disable-component-update,disable-sync,no-first-run"
)


def tool(name: str, *candidates: Path) -> str:
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which(name)
    if found:
        return found
    if os.environ.get("CI"):
        pytest.fail(f"{name} is missing: .ci/run must install it")
    pytest.skip(f"{name} is not installed")


def assert_axe_passes(target: str, width: int, tmp_path: Path) -> None:
    """axe's WCAG 2.2 A and AA rules on `target` (a file:// or http:// address) in headless
    Chromium at `width` px: no violation."""
    axe = tool("axe", REPO_ROOT / ".ci" / "axe" / "node_modules" / ".bin" / "axe")
    chromium = tool("chromium", Path("/usr/bin/chromium"))
    driver = tool("chromedriver", Path("/usr/bin/chromedriver"))
    result = subprocess.run(
        [
            axe,
            target,
            "--tags",
            TAGS,
            "--exit",
            "--chromedriver-path",
            driver,
            "--chrome-path",
            chromium,
            f"--chrome-options={CHROME_OPTIONS},window-size={width},900",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        env={**os.environ, "HOME": str(tmp_path)},
    )
    assert "Testing complete" in result.stdout, result.stdout + result.stderr
    assert result.returncode == 0, result.stdout
    assert "0 violations found" in result.stdout


FIGURES = TESTS_DIR / "reviews" / "figures"  # captioned figures and tables
# reporting-item: the "How this review was done" part and the flow diagram (issue 17).
REPORTED = REPO_ROOT / "tests" / "checks" / "reporting-item"


@pytest.mark.parametrize("width", [1280, 375])
@pytest.mark.parametrize(
    "review",
    [SOCIAL_VALUE_REVIEW, CLEAN_REVIEW, FIGURES, REPORTED],
    ids=["social-value", "clean", "figures", "reported"],
)
def test_axe_finds_no_wcag_violation(review: Path, width: int, tmp_path: Path) -> None:
    """At a desktop's width and a phone's (where wide tables scroll sideways)."""
    folder = copy_review(review, tmp_path / review.name)
    html = build_review(folder, ["html"]).written[0].path
    assert_axe_passes(html.as_uri(), width, tmp_path)


PAYLOAD = "<img src=x onerror=\"document.body.setAttribute('data-pwned','yes')\">"


def test_no_script_runs_when_chromium_opens_hostile_html(tmp_path: Path) -> None:
    chromium = tool("chromium", Path("/usr/bin/chromium"))
    folder = copy_review(CLEAN_REVIEW, tmp_path / "hostile")
    text = (folder / "review.yaml").read_text()
    (folder / "review.yaml").write_text(
        text.replace(
            "type: Rapid scoping review", f"type: '{PAYLOAD.replace(chr(39), chr(39) * 2)}'"
        )
    )
    findings = folder / "findings.md"
    findings.write_text(
        findings.read_text() + f"\n{PAYLOAD}\n\n<script>document.body"
        ".setAttribute('data-pwned','yes')</script>\n\n[x](javascript:alert(1))\n"
    )
    html = build_review(folder, ["html"], force=True).written[0].path
    profile = tmp_path / "profile"
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            f"--user-data-dir={profile}",
            "--virtual-time-budget=2000",
            "--dump-dom",
            html.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = result.stdout
    assert "</body>" in dom, result.stderr[-2000:]
    assert "data-pwned" in html.read_text()  # the payload is there, as text
    body = dom[dom.index("<body") : dom.index(">", dom.index("<body"))]
    assert "data-pwned" not in body, "a script ran"


@pytest.mark.parametrize("width", [1280, 375])
def test_axe_finds_no_wcag_violation_in_the_preview(
    width: int, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`scopekit serve`'s page with its problems panel open (an error and a warning)."""
    from scopekit.preview import Preview

    monkeypatch.setenv("SCOPEKIT_TODAY", "2026-11-25")
    folder = copy_review(CLEAN_REVIEW, tmp_path / "clean")
    findings = folder / "findings.md"
    findings.write_text(findings.read_text() + "\nTODO: more [@no-such-source].\n")
    preview = Preview(folder, port=0)
    url = preview.start()
    try:
        page = urllib.request.urlopen(url, timeout=30).read().decode()
        assert 'data-code="unknown-source"' in page and 'data-code="todo"' in page
        assert_axe_passes(url, width, tmp_path)
    finally:
        preview.close()
