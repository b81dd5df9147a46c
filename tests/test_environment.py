"""One pinned set: requirements.txt, environment.yml and binder/environment.yml name the same packages at the same
versions, and what is installed here is exactly that set (so CI tests what learners get)."""

from __future__ import annotations

from importlib import metadata

import yaml

from conftest import ROOT
from datenwerkstatt.envfiles import TARGETS, pins


def _conda_pins(path):
    deps = yaml.safe_load(path.read_text(encoding="utf-8"))["dependencies"]
    pip_section = next(d["pip"] for d in deps if isinstance(d, dict) and "pip" in d)
    return sorted(p.lower() for p in pip_section)


def test_environment_files_agree_with_requirements():
    expected = sorted(p.lower() for p in pins(ROOT / "requirements.txt"))
    assert len(expected) > 50, "requirements.txt should be a full lock"
    for target in TARGETS:
        assert _conda_pins(ROOT / target) == expected, f"{target} drifted: run `python -m datenwerkstatt.envfiles --write`"


def test_direct_dependencies_are_pinned():
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    direct = project["dependencies"] + project["optional-dependencies"]["test"]
    locked = {p.split("==")[0].lower().replace("_", "-") for p in pins(ROOT / "requirements.txt")}
    missing = [d for d in direct if d.lower().replace("_", "-") not in locked]
    assert not missing, f"direct dependencies missing from the lock: {missing} (run `make lock`)"


def test_installed_versions_match_the_lock():
    wrong = []
    for pin in pins(ROOT / "requirements.txt"):
        name, version = pin.split("==")
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong.append(f"{name} not installed")
            continue
        if installed != version:
            wrong.append(f"{name} {installed} != {version}")
    assert not wrong, wrong
