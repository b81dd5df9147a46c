"""Sample submissions of a real module, for `make demo` and `make bench`: the model solution, the untouched release,
typical mistakes (from the module's mistakes.yml), a notebook that never finishes, and a broken file."""

from __future__ import annotations

import copy
import json
from pathlib import Path

import yaml

from datenwerkstatt.notebooks import ModuleFiles, nbgrader_meta, read_notebook

HANGS = "import time\nwhile True:\n    time.sleep(1)"


def _with_answer(nb: dict, exercise: str, code: str) -> dict:
    """A copy of ``nb`` whose answer cell for ``exercise`` contains ``code`` instead."""
    changed = copy.deepcopy(nb)
    for cell in changed["cells"]:
        if nbgrader_meta(cell).get("grade_id") == f"{exercise}-antwort":
            cell["source"] = code
            return changed
    raise KeyError(f"no answer cell for {exercise}")


def mistakes(root: Path, module_id: str) -> list[dict]:
    path = ModuleFiles(root, module_id).mistakes
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("mistakes", []) if path.exists() else []


def build(root: Path, module_id: str, released: Path, out: Path, *, count: int = 6,
          hanging: int = 0, broken: int = 1) -> dict[str, str]:
    """Write ``count`` gradable submissions (cycling solution / untouched / each typical mistake), ``hanging``
    never-ending ones and ``broken`` unreadable ones into ``out``; returns {file name: what it is}."""
    solution = read_notebook(ModuleFiles(root, module_id).notebook)
    untouched = read_notebook(released / f"{module_id}.ipynb")
    kinds: list[tuple[str, dict]] = [("model solution", solution), ("untouched release", untouched)]
    kinds += [(f"mistake in {m['exercise']}: {m['why']}", _with_answer(solution, m["exercise"], m["code"]))
              for m in mistakes(root, module_id)]
    first_answer = next(nbgrader_meta(c)["grade_id"] for c in solution["cells"]
                        if nbgrader_meta(c).get("solution") and c.get("cell_type") == "code")
    out.mkdir(parents=True, exist_ok=True)
    written = {}
    for index in range(count):
        what, nb = kinds[index % len(kinds)]
        name = f"Teilnehmerin {index + 1:02d}.ipynb"
        (out / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        written[name] = what
    for index in range(hanging):
        name = f"Endlosschleife {index + 1:02d}.ipynb"
        nb = _with_answer(solution, first_answer.removesuffix("-antwort"), HANGS)
        (out / name).write_text(json.dumps(nb, ensure_ascii=False), encoding="utf-8")
        written[name] = "never finishes (infinite loop)"
    for index in range(broken):
        name = f"Kaputt {index + 1:02d}.ipynb"
        (out / name).write_text('{"cells": [{"cell_type": "code", "sour', encoding="utf-8")
        written[name] = "broken file (cut off while downloading)"
    return written
