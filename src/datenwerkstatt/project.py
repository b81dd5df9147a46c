"""Find the project root (the folder holding curriculum/curriculum.yml) and run all input checks over it."""

from __future__ import annotations

import json
import os
from pathlib import Path

from datenwerkstatt.curriculum import Curriculum, Problem, _load, validate_curriculum


def find_root(start: Path | None = None) -> Path:
    """``$DATENWERKSTATT_ROOT``, else the nearest folder upwards from ``start`` (cwd) with curriculum/curriculum.yml,
    else the repository this package was installed from (editable install)."""
    env = os.environ.get("DATENWERKSTATT_ROOT")
    if env:
        return Path(env).resolve()
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "curriculum" / "curriculum.yml").exists():
            return folder
    source_checkout = Path(__file__).resolve().parents[2]
    if (source_checkout / "curriculum" / "curriculum.yml").exists():
        return source_checkout
    raise FileNotFoundError(
        "no curriculum found: run this inside the Datenwerkstatt repository or set DATENWERKSTATT_ROOT"
    )


def dataset_problems(root: Path) -> list[Problem]:
    """Structural checks of every dataset folder (full value-level validation runs in the test suite with
    frictionless, which is too slow to import here)."""
    problems: list[Problem] = []
    base = root / "datasets"
    for folder in sorted(p for p in base.iterdir() if p.is_dir()) if base.exists() else []:
        rel = f"datasets/{folder.name}"
        package_file = folder / "datapackage.json"
        if not package_file.exists():
            problems.append(Problem(rel, folder.name, "no datapackage.json", "describe the files (CONTRIBUTING.md)"))
            continue
        try:
            package = json.loads(package_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError as exc:
            problems.append(Problem(f"{rel}/datapackage.json", f"line {exc.lineno}", f"invalid JSON: {exc.msg}",
                                    "fix the JSON syntax"))
            continue
        if [lic.get("name") for lic in package.get("licenses", [])] != ["CC0-1.0"]:
            problems.append(Problem(f"{rel}/datapackage.json", "licenses", "licence is not CC0-1.0",
                                    'set "licenses": [{"name": "CC0-1.0", ...}]'))
        if not (folder / "README.md").exists():
            problems.append(Problem(rel, folder.name, "no README.md codebook", "write the codebook"))
        for resource in package.get("resources", []):
            path = resource.get("path")
            if not path or not (folder / path).exists():
                problems.append(Problem(f"{rel}/datapackage.json", f"resource {resource.get('name')}",
                                        f"file '{path}' does not exist", f"run `datenwerkstatt data {folder.name}`"))
    return problems


def validate_project(root: Path) -> tuple[Curriculum, list[Problem]]:
    """Every check of the inputs: curriculum, personas, notebooks (available modules), datasets."""
    from datenwerkstatt.notebooks import grade_id_problems, notebook_problems

    cur, problems = _load(root)
    if problems:  # schema errors: cross-checks on a half-loaded curriculum would only add noise
        return cur, problems
    problems += validate_curriculum(cur)
    for module in cur.modules.values():
        if module.available:
            problems += notebook_problems(module, root)
    problems += grade_id_problems(cur)
    problems += dataset_problems(root)
    return cur, problems
