"""deploy/z2jh/: the values file for Zero to JupyterHub and the image recipe.

- helm's check, reproduced: the chart's defaults deep-merged with our config.yaml validate against the chart's schema
  (both vendored in ../shared/vendor/z2jh/, read from there, never copied);
- the memory guarantee fits what the modules really need: every module's kernel peak and a JupyterLab server's,
  measured here;
- the role hook in hub.extraConfig gives trainers the trainer config and the gradebook URL, participants neither,
  and everybody their own uid;
- the Dockerfile installs the pinned requirements and copies only files that exist.
"""

from __future__ import annotations

import copy
import os
import re
import types
from pathlib import Path

import pytest
import requests
import yaml

from datenwerkstatt.curriculum import load_curriculum
from datenwerkstatt.notebooks import ModuleFiles
from deploy_support import ROOT, VENV_BIN, free_port, kernel_peak_rss, wait_until

CONFIG = ROOT / "deploy" / "z2jh" / "config.yaml"
VENDOR = ROOT.parent / "shared" / "vendor" / "z2jh"
UNITS = {"": 1, "k": 10**3, "M": 10**6, "G": 10**9, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30}


def helm_merge(defaults: dict, overrides: dict) -> dict:
    """Helm's coalescing of a chart's values with a user's: maps merge recursively, other values replace, null
    deletes a default key."""
    merged = copy.deepcopy(defaults)
    for key, value in overrides.items():
        if value is None:
            merged.pop(key, None)
        elif isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = helm_merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


def quantity(value) -> float:
    """A Kubernetes quantity ('512M', '1Gi', 0.5) in bytes (or cores)."""
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * UNITS[unit]


@pytest.fixture(scope="module")
def values() -> dict:
    return yaml.safe_load(CONFIG.read_text(encoding="utf-8"))


def test_helm_merge_follows_helm():
    merged = helm_merge({"a": {"b": 1, "c": 2}, "d": [1], "e": 3}, {"a": {"b": 5}, "d": [2], "e": None})
    assert merged == {"a": {"b": 5, "c": 2}, "d": [2]}


def test_values_validate_against_the_chart_schema(values):
    if not (VENDOR / "values.schema.yaml").exists():
        pytest.skip(f"the chart's schema is not present in {VENDOR} (shared/vendor/z2jh is not checked out here)")
    import jsonschema

    schema = yaml.safe_load((VENDOR / "values.schema.yaml").read_text(encoding="utf-8"))
    defaults = yaml.safe_load((VENDOR / "values.yaml").read_text(encoding="utf-8"))
    validator = jsonschema.Draft7Validator(schema)
    merged = helm_merge(defaults, values)
    errors = sorted(validator.iter_errors(merged), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{'.'.join(map(str, e.absolute_path))}: {e.message}" for e in errors)
    # the check can fail: a misspelt key is refused, as helm would refuse it
    broken = helm_merge(merged, {"singleuser": {"memory": {"guarante": "1G"}}})
    assert any("guarante" in e.message for e in validator.iter_errors(broken))


def test_memory_guarantee_fits_measured_peaks(values, processes, tmp_path):
    modules = [m.id for m in load_curriculum(ROOT).modules.values() if m.available]
    assert modules
    peaks = {m: kernel_peak_rss(ModuleFiles(ROOT, m).notebook) for m in modules}
    server = _server_peak_rss(processes, tmp_path)
    guarantee = quantity(values["singleuser"]["memory"]["guarantee"])
    limit = quantity(values["singleuser"]["memory"]["limit"])
    print("kernel peak RSS (MiB):", {m: round(v / 2**20) for m, v in peaks.items()},
          f"server {server / 2**20:.0f} MiB; guarantee {guarantee / 2**20:.0f} MiB, limit {limit / 2**20:.0f} MiB")
    assert guarantee >= server + 2 * max(peaks.values()), "guarantee below a server with two module kernels"
    assert limit >= 2 * guarantee


def _server_peak_rss(processes, tmp_path: Path) -> int:
    """A JupyterLab server's peak RSS after start-up and serving the Lab page once."""
    port = free_port()
    env = dict(os.environ, HOME=str(tmp_path), JUPYTER_CONFIG_DIR=str(tmp_path / "cfg"),
               JUPYTER_RUNTIME_DIR=str(tmp_path / "rt"))
    proc = processes.start([str(VENV_BIN / "jupyter"), "lab", "--no-browser", f"--port={port}",
                            "--ServerApp.port_retries=0", "--IdentityProvider.token=", "--allow-root",
                            f"--notebook-dir={tmp_path}"], log=tmp_path / "lab.log", env=env)
    wait_until("JupyterLab", lambda: requests.get(f"http://127.0.0.1:{port}/lab", timeout=5).ok, timeout=60,
               process=proc)
    status = Path(f"/proc/{proc.pid}/status").read_text()
    processes.stop(proc)
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) * 1024


def _run_role_hook(values, groups: list[str], user_id: int):
    """Execute hub.extraConfig as the chart does (with a `c`), then call the hook on a stand-in spawner."""
    from traitlets.config import Config

    c = Config()
    os.environ["DATENWERKSTATT_GRADEBOOK_URL"] = "postgresql+psycopg2://nbgrader:geheim@db.example.org/gradebook"
    try:
        for snippet in values["hub"]["extraConfig"].values():
            exec(compile(snippet, "extraConfig", "exec"), {"c": c})  # noqa: S102 - our own config file
        user = types.SimpleNamespace(id=user_id, groups=[types.SimpleNamespace(name=g) for g in groups])
        spawner = types.SimpleNamespace(user=user, environment={}, uid=None, gid=None)
        c.KubeSpawner.pre_spawn_hook(spawner)
    finally:
        del os.environ["DATENWERKSTATT_GRADEBOOK_URL"]
    return spawner


def test_role_hook_separates_trainers_and_participants(values):
    trainer = _run_role_hook(values, ["trainer"], 1)
    participant = _run_role_hook(values, ["teilnehmende"], 2)
    assert trainer.environment["JUPYTER_CONFIG_PATH"].split(":") == ["/etc/datenwerkstatt/jupyter-trainer",
                                                                      "/etc/datenwerkstatt/jupyter"]
    assert trainer.environment["DATENWERKSTATT_GRADEBOOK_URL"].startswith("postgresql+psycopg2://")
    assert participant.environment == {"JUPYTER_CONFIG_PATH": "/etc/datenwerkstatt/jupyter"}
    assert trainer.uid != participant.uid and min(trainer.uid, participant.uid) >= 10000
    # the config folders the hook names are the ones the image copies from deploy/hub/
    dockerfile = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text(encoding="utf-8")
    for folder in ("jupyter", "jupyter-trainer"):
        assert f"COPY deploy/hub/{folder} /etc/datenwerkstatt/{folder}" in dockerfile


def test_exchange_volume_and_gradebook(values):
    single = values["singleuser"]
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    volumes = {v["name"]: v for v in single["storage"]["extraVolumes"]}
    assert mounts["nbgrader-exchange"] == single["extraEnv"]["NBGRADER_EXCHANGE"]
    assert volumes["nbgrader-exchange"]["persistentVolumeClaim"]["claimName"]
    gradebook = values["hub"]["extraEnv"]["DATENWERKSTATT_GRADEBOOK_URL"]["valueFrom"]["secretKeyRef"]
    assert gradebook["key"] == "url"  # a secret, never a literal URL with a password in this file
    assert "DATENWERKSTATT_GRADEBOOK_URL" not in single["extraEnv"]
    assert values["cull"]["enabled"] and values["cull"]["timeout"] <= 3600


def test_dockerfile_installs_the_pins_and_copies_existing_files():
    lines = (ROOT / "deploy" / "z2jh" / "Dockerfile").read_text(encoding="utf-8").splitlines()
    base = next(line.split()[1] for line in lines if line.startswith("FROM "))
    assert re.fullmatch(r"python:3\.11\.\d+-slim-bookworm", base), base  # pinned, same Python minor as CI
    assert any("pip install -r /opt/datenwerkstatt/src/requirements.txt" in line for line in lines)
    sources = [line.split()[1] for line in lines if line.startswith("COPY ")]
    missing = [s for s in sources if not (ROOT / s).exists()]
    assert not missing, f"the Dockerfile copies files that do not exist: {missing}"
