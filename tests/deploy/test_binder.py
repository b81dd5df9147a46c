"""Binder, reproduced without Docker: what repo2docker does with binder/ (an environment from environment.yml, then
postBuild from the repository root), done here in a fresh venv with the same pins, on a fresh copy of the repository.
Then JupyterLab from that environment serves the start page the README's Binder link opens, with the shipped Lab
settings, and the start page runs.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys

import pytest
import requests
import yaml

from deploy_support import ROOT, free_port, wait_until

COPIED = ["pyproject.toml", "requirements.txt", "START.ipynb", "src", "curriculum", "notebooks", "datasets", "grader",
          "binder", "deploy"]


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory):
    """(repository copy, venv) after repo2docker's two steps."""
    work = tmp_path_factory.mktemp("binder")
    env_file = yaml.safe_load((ROOT / "binder" / "environment.yml").read_text(encoding="utf-8"))
    conda = [d for d in env_file["dependencies"] if isinstance(d, str)]
    pins = next(d["pip"] for d in env_file["dependencies"] if isinstance(d, dict))
    python = next(d for d in conda if d.startswith("python="))
    assert python == f"python={sys.version_info.major}.{sys.version_info.minor}", python
    (work / "pins.txt").write_text("\n".join(pins) + "\n")
    venv = work / "env"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "--quiet", "--disable-pip-version-check",
                              "-r", str(work / "pins.txt")], capture_output=True, text=True)
    assert install.returncode == 0, install.stderr[-3000:]
    repo = work / "repo"
    repo.mkdir()
    for name in COPIED:
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copyfile)(ROOT / name, repo / name)
    home = work / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home), NB_PYTHON_PREFIX=str(venv),
               PATH=f"{venv / 'bin'}:{os.environ['PATH']}")
    env.pop("VIRTUAL_ENV", None)
    post = subprocess.run(["bash", "binder/postBuild"], cwd=repo, env=env, capture_output=True, text=True)
    assert post.returncode == 0, post.stdout + post.stderr
    return repo, venv, env


def test_readme_binder_link_opens_the_start_page():
    readme = ROOT / "README.md"
    assert readme.exists(), "README.md with the Binder link is missing"
    links = re.findall(r"https://mybinder\.org/v2/[^\s)\"']+", readme.read_text(encoding="utf-8"))
    assert links, "no Binder link in README.md"
    assert all(re.search(r"[?&](urlpath=lab/tree/START\.ipynb|labpath=START\.ipynb)", link) for link in links), links


def test_postbuild_installs_package_and_lab_settings(binder_env):
    repo, venv, env = binder_env
    shipped = json.loads((ROOT / "binder" / "lab-settings" / "overrides.json").read_text())
    installed = venv / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    assert json.loads(installed.read_text()) == shipped
    learner_view = json.loads((venv / "etc" / "jupyter" / "labconfig" / "page_config.json").read_text())
    assert learner_view["disabledExtensions"]["@jupyter/nbgrader:create-assignment"] is True
    where = subprocess.run([str(venv / "bin" / "python"), "-c", "import datenwerkstatt; print(datenwerkstatt.__file__)"],
                           cwd=env["HOME"], env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert where.startswith(str(repo)), where


def test_lab_serves_start_page_without_news_and_it_runs(binder_env, processes, tmp_path):
    repo, venv, env = binder_env
    port = free_port()
    proc = processes.start([str(venv / "bin" / "jupyter"), "lab", "--no-browser", f"--port={port}",
                            "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--allow-root"],
                           log=tmp_path / "lab.log", env=env, cwd=str(repo))
    base = f"http://127.0.0.1:{port}"
    wait_until("JupyterLab (Binder env)", lambda: requests.get(f"{base}/api/status", timeout=5).ok, timeout=60,
               process=proc)
    assert requests.get(f"{base}/lab/tree/START.ipynb", timeout=10).status_code == 200
    schema = requests.get(f"{base}/lab/api/settings/@jupyterlab/apputils-extension:notification", timeout=10).json()
    assert schema["schema"]["properties"]["fetchNews"]["default"] == "false"
    # postBuild built the self-study copies; the start page runs in that environment and links them, never a
    # source notebook (which holds the solutions)
    first = "b01-daten-im-verein"
    copy = repo / "build" / "lernen" / first
    assert (copy / f"{first}.ipynb").exists() and (copy / "loesungen.json").exists()
    assert "BEGIN SOLUTION" not in (copy / f"{first}.ipynb").read_text(encoding="utf-8")
    executed = subprocess.run([str(venv / "bin" / "jupyter"), "nbconvert", "--to", "notebook", "--execute",
                               "--stdout", "START.ipynb"], cwd=repo, env=env, capture_output=True, text=True)
    assert executed.returncode == 0, executed.stderr[-3000:]
    outputs = json.dumps(json.loads(executed.stdout)["cells"])
    assert f"(build/lernen/{first}/{first}.ipynb)" in outputs and "(notebooks/" not in outputs
    assert "Gesamt:" in outputs  # the persona paths with their derived total time
