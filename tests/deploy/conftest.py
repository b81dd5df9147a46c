"""Shared fixtures for the deployment tests: processes stopped by PID, Debian's Chromium under Playwright, artefacts.

System tools (Debian's chromium, PostgreSQL, configurable-http-proxy from npm) are installed by
`deploy/system-deps.sh`; a missing tool fails the test with that instruction instead of skipping it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from deploy_support import CHROMIUM_ARGS, ROOT, Processes, system_tool


@pytest.fixture
def processes():
    procs = Processes()
    yield procs
    procs.stop_all()


@pytest.fixture(scope="module")
def module_processes():
    procs = Processes()
    yield procs
    procs.stop_all()


@pytest.fixture(scope="session")
def chromium() -> str:
    return system_tool("/usr/bin/chromium")


@pytest.fixture(scope="module")
def browser(chromium):
    """Playwright driving Debian's Chromium (no browser download)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def artefacts() -> Path:
    """Screenshots and logs a person can look at after the run: build/test-artefacts/."""
    folder = ROOT / "build" / "test-artefacts"
    folder.mkdir(parents=True, exist_ok=True)
    return folder
