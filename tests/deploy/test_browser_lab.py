"""`make lab` in a real browser (Playwright driving Debian's Chromium): JupyterLab starts with the Makefile's own
command, lands on START.ipynb (not a file tree), shows no news pop-up, and the first module runs top to bottom with
a passing check. Screenshots go to build/test-artefacts/.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess

import pytest
import requests

from datenwerkstatt.curriculum import load_curriculum
from deploy_support import ROOT, VENV_BIN, free_port, wait_until


def make_lab_command() -> list[str]:
    """The `lab:` recipe of the Makefile, with $(VENV) resolved (the test must start Lab exactly as `make lab`)."""
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^lab:.*\n\t(.+)$", text, re.M).group(1)
    return shlex.split(recipe.replace("$(VENV)", str(VENV_BIN.parent)))


@pytest.fixture(scope="module")
def lab(module_processes, tmp_path_factory, artefacts):
    # `make lab` builds the self-study copies first (its `lernen` prerequisite)
    subprocess.run([str(VENV_BIN / "datenwerkstatt"), "lernen"], cwd=ROOT, check=True, capture_output=True)
    home = tmp_path_factory.mktemp("lab-home")
    # a private home and config (nothing from the machine's user settings); autosave off so running a module in the
    # browser never writes outputs into the repository's notebooks
    autosave = home / "cfg" / "lab" / "user-settings" / "@jupyterlab" / "docmanager-extension"
    autosave.mkdir(parents=True)
    (autosave / "plugin.jupyterlab-settings").write_text('{"autosave": false}')
    env = dict(os.environ, HOME=str(home), JUPYTER_CONFIG_DIR=str(home / "cfg"),
               JUPYTER_RUNTIME_DIR=str(home / "rt"), JUPYTER_DATA_DIR=str(home / "data"))
    port = free_port()
    proc = module_processes.start(
        make_lab_command() + ["--no-browser", f"--port={port}", "--ServerApp.port_retries=0",
                              "--IdentityProvider.token=", "--allow-root"],
        log=artefacts / "lab.log", env=env, cwd=str(ROOT))
    base = f"http://127.0.0.1:{port}"
    wait_until("JupyterLab", lambda: requests.get(f"{base}/api/status", timeout=5).ok, timeout=60, process=proc)
    yield base


def lab_defaults(base: str, plugin: str) -> dict:
    """A plugin's effective defaults as Lab serves them (overrides.json is applied to the schema's defaults)."""
    schema = requests.get(f"{base}/lab/api/settings/{plugin}", timeout=10).json()["schema"]
    return {key: spec.get("default") for key, spec in schema["properties"].items()}


def test_news_and_update_checks_are_off(lab):
    defaults = lab_defaults(lab, "@jupyterlab/apputils-extension:notification")
    assert (defaults["fetchNews"], defaults["checkForUpdates"]) == ("false", False), \
        "news pop-up on: is binder/lab-settings/overrides.json installed in the venv's share/jupyter/lab/settings?"


def test_start_page_then_first_module_runs_with_passing_checks(lab, browser, artefacts):
    """A learner's first minutes: start page, the first module's self-study copy, type the first answer, Run All:
    the first check passes, the others say kindly that nothing is filled in yet (no traceback anywhere)."""
    first = next(m for m in load_curriculum(ROOT).modules.values() if m.available)
    notebook = ROOT / "build" / "lernen" / first.id / f"{first.id}.ipynb"
    before = notebook.stat().st_mtime_ns
    solutions = json.loads((notebook.parent / "loesungen.json").read_text(encoding="utf-8"))
    first_answer = next(iter(solutions))
    answer_cells = [i for i, c in enumerate(json.loads(notebook.read_text(encoding="utf-8"))["cells"])
                    if c["metadata"].get("nbgrader", {}).get("grade_id") == f"{first_answer}-antwort"]
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        page.goto(lab)  # the default URL of `make lab` opens the start page itself
        page.wait_for_url("**/lab/tree/START.ipynb", timeout=30_000)
        page.get_by_role("heading", name="Willkommen in der Datenwerkstatt").wait_for(timeout=60_000)
        assert page.locator(".jp-Notebook").count() == 1
        page.get_by_role("link", name=re.compile(first.id.split("-")[0])).first.wait_for()
        assert page.locator(".jp-toast-message, .Toastify__toast").count() == 0, "a pop-up covers the start page"
        page.screenshot(path=str(artefacts / "lab-start.png"))

        page.goto(f"{lab}/lab/tree/{notebook.relative_to(ROOT).as_posix()}")
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=60_000)
        # type the first answer as a learner would (select the starter text, replace it)
        editor = page.locator(".jp-Notebook .jp-Cell").nth(answer_cells[0]).locator(".cm-content")
        editor.click()
        page.keyboard.press("Control+A")
        page.keyboard.insert_text(solutions[first_answer])
        page.locator(".lm-MenuBar-itemLabel", has_text=re.compile("^Run$")).click()
        page.locator(".lm-Menu-itemLabel", has_text=re.compile("^Run All Cells$")).click()
        passed = page.locator(".jp-OutputArea-output", has_text="✓").first
        passed.wait_for(timeout=90_000)
        page.locator(".jp-Notebook-ExecutionIndicator[data-status='idle']").first.wait_for(timeout=90_000)
        page.wait_for_function("() => ![...document.querySelectorAll('.jp-InputArea-prompt')]"
                               ".some(p => p.textContent.includes('[*]'))", timeout=90_000)
        errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
                              has_text="Traceback")
        assert errors.count() == 0
        assert page.locator(".jp-OutputArea-output", has_text="Noch offen").count() > 0, \
            "the unanswered exercises should say kindly that nothing is filled in yet"
        passed.scroll_into_view_if_needed()
        assert "✓" in passed.text_content()
        print("first passing check:", passed.text_content().strip()[:120])
        page.screenshot(path=str(artefacts / "lab-first-module.png"))
    finally:
        page.close()
    assert notebook.stat().st_mtime_ns == before, "the browser session changed the module notebook"
