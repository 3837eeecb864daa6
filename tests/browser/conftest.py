"""Browser fixtures: Debian's Chromium driven by Playwright.

`make test` installs Chromium before pytest starts (tests/browser/ensure-chromium); the
test run itself installs nothing and skips, saying why, when the browser is missing.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.db import connections
from playwright.sync_api import Browser, Page, sync_playwright

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
CHROMIUM = Path("/usr/bin/chromium")
NOT_FOUND = (
    f"Chromium not found at {CHROMIUM}: `make test` installs it (tests/browser/ensure-chromium);"
    " run it or install chromium"
)


def find_chromium() -> str | None:
    """Debian's Chromium, or a chromium on PATH where a system puts it elsewhere."""
    if os.access(CHROMIUM, os.X_OK):
        return str(CHROMIUM)
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    path = find_chromium()
    if path is None:
        pytest.skip(NOT_FOUND)
    return path


@pytest.fixture
def browser(chromium_executable: str, live_server: object) -> Iterator[Browser]:
    """A headless Chromium for one test (a launch takes about a second).

    Playwright's sync API keeps an asyncio loop running on this thread while it is
    started, which Django's async-safety check takes for an async context; the ORM
    calls a test makes between browser steps are plain synchronous code, so the check
    is waived exactly while Playwright runs, and restored before the database teardown.
    """
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium_executable, headless=True, args=["--no-sandbox"]
            )
            try:
                yield browser
            finally:
                browser.close()
                # While the loop runs, Django keeps this thread's connections in a
                # separate (context-local) slot; close them now, or the test
                # database cannot be dropped at the end of the session.
                connections.close_all()
    finally:
        if saved is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = saved


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page: Page) -> Callable[[str], Path]:
    """`screenshot("01-login")` saves test-artifacts/browser/01-login.png (full page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """A skipped browser test is said at the end of the run, not only counted."""
    skipped = [
        report
        for report in terminalreporter.stats.get("skipped", [])
        if NOT_FOUND in str(getattr(report, "longrepr", ""))
    ]
    if skipped:
        terminalreporter.write_sep("!", f"{len(skipped)} browser test(s) SKIPPED", red=True)
        terminalreporter.write_line(NOT_FOUND, red=True, bold=True)
