"""Browser fixtures: Debian's Chromium (installed on demand) driven by Playwright."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from django.db import connections

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "browser"
APT_TIMEOUT = 600


def _apt(*args: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    return subprocess.run(
        ["apt-get", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=APT_TIMEOUT,
        check=False,
    )


def _find_chromium() -> str | None:
    return shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The system Chromium; installs Debian's package when it is missing."""
    path = _find_chromium()
    if path:
        return path
    if shutil.which("apt-get") is None:
        pytest.skip("Chromium is not installed and there is no apt-get to install it.")
    try:
        result = _apt("install", "-y", "--no-install-recommends", "chromium")
        if result.returncode != 0:
            # A stale package index is the usual cause: refresh it and try once more.
            _apt("update")
            result = _apt("install", "-y", "--no-install-recommends", "chromium")
    except (OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"Chromium is not installed and installing it failed: {exc}")
    path = _find_chromium()
    if result.returncode != 0 or path is None:
        tail = (result.stderr or result.stdout).strip().splitlines()[-3:]
        pytest.skip(
            "Chromium is not installed and `apt-get install chromium` failed "
            f"(exit {result.returncode}): {' | '.join(tail)}"
        )
    return path


@pytest.fixture
def browser(chromium_executable, live_server):
    """A headless Chromium for one test (a launch takes about a second).

    Playwright's sync API keeps an asyncio loop running on this thread while it is
    started, which Django's async-safety check takes for an async context; the ORM
    calls a test makes between browser steps are plain synchronous code, so the check
    is waived exactly while Playwright runs, and restored before the database teardown.
    """
    sync_api = pytest.importorskip("playwright.sync_api")
    saved = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
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
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def screenshot(page):
    """`screenshot("01-login")` saves test-artifacts/browser/01-login.png (full page)."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
