"""Inspect module notebooks as plain JSON (no nbformat/nbgrader import: ``validate`` must stay fast).

Knows the conventions of CONTRIBUTING.md: where a module's notebook, hints and typical mistakes live, what valid
nbgrader metadata looks like, and which grade ids a notebook defines.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from datenwerkstatt.curriculum import Curriculum, Module, Problem, header_markdown

SOLUTION_BEGIN = "### BEGIN SOLUTION"
SOLUTION_END = "### END SOLUTION"
HIDDEN_BEGIN = "### BEGIN HIDDEN TESTS"
HIDDEN_END = "### END HIDDEN TESTS"
NBGRADER_KEYS = {"grade", "solution", "locked", "grade_id", "schema_version"}


@dataclass(frozen=True)
class ModuleFiles:
    """Where a module's files live, by convention."""

    root: Path
    module_id: str

    @property
    def folder(self) -> Path:
        return self.root / "notebooks" / self.module_id

    @property
    def notebook(self) -> Path:
        return self.folder / f"{self.module_id}.ipynb"

    @property
    def hints(self) -> Path:
        return self.folder / "tipps.yml"

    @property
    def mistakes(self) -> Path:
        return self.folder / "mistakes.yml"

    @property
    def data_link(self) -> Path:
        return self.folder / "daten"

    def rel(self, path: Path) -> str:
        return str(path.relative_to(self.root))


@dataclass(frozen=True)
class Exercise:
    """A graded cell: autograded (code test cell) or manually graded (solution + grade)."""

    grade_id: str
    points: float
    manual: bool


def read_notebook(path: Path) -> dict[str, Any]:
    """Parse a notebook file; raises ValueError naming the file when it is not a notebook."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise ValueError(f"{path}: not UTF-8 text ({exc.reason} at byte {exc.start})") from exc
    except json.JSONDecodeError as exc:
        raise ValueError(f"{path}: not valid notebook JSON (line {exc.lineno}: {exc.msg})") from exc
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"{path}: JSON but not a notebook (no list of cells)")
    return nb


def source(cell: dict[str, Any]) -> str:
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else str(src)


def nbgrader_meta(cell: dict[str, Any]) -> dict[str, Any]:
    return (cell.get("metadata") or {}).get("nbgrader") or {}


def exercises(nb: dict[str, Any]) -> list[Exercise]:
    """Graded cells in notebook order."""
    found = []
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if meta.get("grade"):
            manual = cell.get("cell_type") == "markdown" or bool(meta.get("solution"))
            found.append(Exercise(meta.get("grade_id", ""), float(meta.get("points", 0)), manual))
    return found


def short_id(grade_id: str, module_id: str) -> str:
    """``b02-exporte-laden-ex03`` -> ``ex03``."""
    return grade_id[len(module_id) + 1:] if grade_id.startswith(module_id + "-") else grade_id


def solution_lines(nb: dict[str, Any]) -> list[str]:
    """Non-blank lines between solution markers (what a release must never contain)."""
    return _marked_lines(nb, SOLUTION_BEGIN, SOLUTION_END)


def hidden_test_lines(nb: dict[str, Any]) -> list[str]:
    return _marked_lines(nb, HIDDEN_BEGIN, HIDDEN_END)


def _marked_lines(nb: dict[str, Any], begin: str, end: str) -> list[str]:
    lines, inside = [], False
    for cell in nb["cells"]:
        for line in source(cell).splitlines():
            stripped = line.strip()
            if stripped == begin:
                inside = True
            elif stripped == end:
                inside = False
            elif inside and stripped and not stripped.startswith("#"):
                lines.append(stripped)
    return lines


# --- validation ----------------------------------------------------------------------------------------------------


def notebook_problems(module: Module, root: Path) -> list[Problem]:
    """Everything wrong with one module's folder, with the fix."""
    files = ModuleFiles(root, module.id)
    rel = files.rel(files.notebook)
    if not files.notebook.exists():
        return [Problem(rel, f"module {module.id}", "notebook is missing",
                        f"create {rel} (see CONTRIBUTING.md) or mark the module 'status: planned'")]
    try:
        nb = read_notebook(files.notebook)
    except ValueError as exc:
        return [Problem(rel, f"module {module.id}", str(exc), "restore the file from git")]
    problems = _cell_problems(nb, module, rel)
    problems += _header_problems(nb, module, rel)
    problems += _objective_problems(nb, module, rel)
    problems += _hint_problems(nb, module, files)
    if not files.data_link.exists() and module.datasets:
        problems.append(Problem(files.rel(files.data_link), f"module {module.id}", "data link is missing",
                                f"cd {files.rel(files.folder)} && ln -s ../../datasets daten"))
    return problems


def _cell_problems(nb: dict[str, Any], module: Module, rel: str) -> list[Problem]:
    problems: list[Problem] = []
    seen_ids: set[str] = set()
    pattern = re.compile(rf"^{re.escape(module.id)}-ex\d{{2}}(-antwort)?$")
    for index, cell in enumerate(nb["cells"], start=1):
        where = f"cell {index}"
        if cell.get("cell_type") == "code" and (cell.get("outputs") or cell.get("execution_count")):
            problems.append(Problem(rel, where, "has outputs", "clear all outputs before committing "
                                    "(Edit > Clear Outputs of All Cells, then save)"))
        meta = nbgrader_meta(cell)
        text = source(cell)
        if not meta:
            if SOLUTION_BEGIN in text or HIDDEN_BEGIN in text:
                problems.append(Problem(rel, where, "has solution/hidden-test markers but no nbgrader metadata",
                                        "make it a nbgrader answer or test cell"))
            continue
        missing = NBGRADER_KEYS - set(meta)
        if missing:
            problems.append(Problem(rel, where, f"nbgrader metadata lacks {', '.join(sorted(missing))}",
                                    "set the cell type again in the nbgrader 'Create Assignment' toolbar"))
            continue
        gid = meta["grade_id"]
        where = f"cell {index} ({gid})"
        if meta["schema_version"] != 3:
            problems.append(Problem(rel, where, f"schema_version {meta['schema_version']}", "use schema_version 3"))
        if gid in seen_ids:
            problems.append(Problem(rel, where, "duplicate grade_id", "every graded/answer cell needs its own id"))
        seen_ids.add(gid)
        graded_or_solution = meta["grade"] or meta["solution"]
        if graded_or_solution and not pattern.match(gid):
            problems.append(Problem(rel, where, "grade_id does not follow the convention",
                                    f"use {module.id}-exNN (test/manual cells) or {module.id}-exNN-antwort"))
        if meta["grade"] and float(meta.get("points", 0)) <= 0:
            problems.append(Problem(rel, where, "graded cell without points", "give it points > 0"))
        is_test = meta["grade"] and not meta["solution"] and cell.get("cell_type") == "code"
        if is_test and HIDDEN_BEGIN not in text:
            problems.append(Problem(rel, where, "test cell has no hidden tests",
                                    f"add a '{HIDDEN_BEGIN}' block that defeats hard-coding"))
        if is_test and not meta["locked"]:
            problems.append(Problem(rel, where, "test cell is not locked", "set locked: true"))
        if HIDDEN_BEGIN in text and not is_test:
            problems.append(Problem(rel, where, "hidden tests outside a test cell", "move them into the test cell"))
        if meta["solution"] and cell.get("cell_type") == "code" and SOLUTION_BEGIN not in text:
            problems.append(Problem(rel, where, "answer cell without a solution block",
                                    f"wrap the model solution in '{SOLUTION_BEGIN}' / '{SOLUTION_END}'"))
    return problems


def _header_problems(nb: dict[str, Any], module: Module, rel: str) -> list[Problem]:
    first = nb["cells"][0] if nb["cells"] else {}
    if first.get("cell_type") != "markdown" or source(first).strip() != header_markdown(module).strip():
        return [Problem(rel, "cell 1", "title cell differs from curriculum.yml",
                        f"replace it with the output of `datenwerkstatt header {module.id}`")]
    return []


def _objective_problems(nb: dict[str, Any], module: Module, rel: str) -> list[Problem]:
    defined = {short_id(e.grade_id, module.id) for e in exercises(nb)}
    practised = {ex for o in module.objectives for ex in o.exercises}
    problems = [
        Problem("curriculum/curriculum.yml", f"module {module.id}",
                f"objective names exercise '{ex}' which the notebook does not have",
                f"add {module.grade_id(ex)} to {rel} or fix the objective")
        for ex in sorted(practised - defined)
    ]
    problems += [
        Problem(rel, module.grade_id(ex), "exercise serves no objective",
                f"list '{ex}' under an objective of {module.id} in curriculum.yml")
        for ex in sorted(defined - practised)
    ]
    return problems


def _hint_problems(nb: dict[str, Any], module: Module, files: ModuleFiles) -> list[Problem]:
    import yaml

    rel = files.rel(files.hints)
    ids = {e.grade_id for e in exercises(nb)}
    if not files.hints.exists():
        return [Problem(rel, f"module {module.id}", "hints file is missing",
                        "add tipps.yml with at least two hints per exercise")]
    try:
        hints = (yaml.safe_load(files.hints.read_text(encoding="utf-8")) or {}).get("tipps") or {}
    except yaml.YAMLError as exc:
        return [Problem(rel, "(file)", f"is not valid YAML: {exc}", "fix the YAML syntax")]
    problems = [Problem(rel, gid, "hint for an exercise that does not exist", "fix the exercise id")
                for gid in sorted(set(hints) - ids)]
    problems += [Problem(rel, gid, "fewer than two hint levels", "add hints up to one close to the solution")
                 for gid in sorted(ids) if len(hints.get(gid) or []) < 2]
    return problems


def grade_id_problems(cur: Curriculum) -> list[Problem]:
    """Grade ids must be unique across the whole curriculum, not just within a notebook."""
    owner: dict[str, str] = {}
    problems = []
    for module in cur.modules.values():
        files = ModuleFiles(cur.root, module.id)
        if not module.available or not files.notebook.exists():
            continue
        try:
            nb = read_notebook(files.notebook)
        except ValueError:
            continue  # reported by notebook_problems
        for cell in nb["cells"]:
            gid = nbgrader_meta(cell).get("grade_id")
            if not gid:
                continue
            if gid in owner and owner[gid] != module.id:
                problems.append(Problem(files.rel(files.notebook), gid, f"grade_id also used in {owner[gid]}",
                                        "prefix grade ids with the module id"))
            owner.setdefault(gid, module.id)
    return problems
