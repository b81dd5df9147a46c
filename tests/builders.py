"""Build small throw-away projects and notebooks for tests (a real curriculum layout, in a tmp dir)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
MODULE = "b01-mini"


def nbgrader(grade_id: str, *, grade: bool, solution: bool, locked: bool, points: float | None = None) -> dict:
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3, "solution": solution,
            "task": False}
    if points is not None:
        meta["points"] = points
    return {"nbgrader": meta}


def cell(kind: str, text: str, meta: dict | None = None, cell_id: str | None = None) -> dict:
    c = {"cell_type": kind, "id": cell_id or f"c{abs(hash(text)) % 10**8}", "metadata": meta or {}, "source": text}
    if kind == "code":
        c.update(outputs=[], execution_count=None)
    return c


def mini_notebook(module_id: str = MODULE, header: str | None = None) -> dict:
    """Two exercises: an autograded sum (visible + hidden test) and a manually graded reflection."""
    from datenwerkstatt.curriculum import Module, Objective, header_markdown

    module = Module(module_id, "Mini-Modul", "Mini module", "beginner", "both", 5, 5, (), (),
                    (Objective("Du kannst addieren.", ("ex01",)), Objective("Du kannst begründen.", ("ex02",))),
                    ("Addieren geht.",))
    cells = [
        cell("markdown", header if header is not None else header_markdown(module), cell_id="title"),
        cell("code", "from datenwerkstatt.check import tipp", cell_id="setup"),
        cell("code", "summe = ...\n### BEGIN SOLUTION\nsumme = sum([1, 2, 3])\n### END SOLUTION",
             nbgrader(f"{module_id}-ex01-antwort", grade=False, solution=True, locked=False), "answer1"),
        cell("code", "from datenwerkstatt.check import pruefe_zahl, pruefe_gleich, geschafft\n"
                     "pruefe_zahl(summe, 'summe', ganzzahl=True)\ngeschafft()\n"
                     "### BEGIN HIDDEN TESTS\npruefe_gleich(summe, 1 + 2 + 3, 'summe')\n### END HIDDEN TESTS",
             nbgrader(f"{module_id}-ex01", grade=True, solution=False, locked=True, points=2), "test1"),
        cell("markdown", "### BEGIN SOLUTION\nWeil es stimmt.\n### END SOLUTION",
             nbgrader(f"{module_id}-ex02", grade=True, solution=True, locked=False, points=1), "manual2"),
    ]
    return {"cells": cells, "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3",
                                                        "language": "python"}},
            "nbformat": 4, "nbformat_minor": 5}


def write_json(path: Path, data: dict) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return path


def make_project(tmp_path: Path, *, modules: list[dict] | None = None, personas: list[dict] | None = None) -> Path:
    """A valid mini project: one module with a notebook, hints and no dataset; override entries to break it."""
    root = tmp_path / "projekt"
    shutil.copytree(ROOT / "curriculum" / "schema", root / "curriculum" / "schema")
    (root / "datasets").mkdir(parents=True)
    modules = modules if modules is not None else [module_entry(MODULE)]
    personas = personas if personas is not None else [
        {"id": "test", "title": {"de": "Test", "en": "Test"}, "for_whom": "x", "outcome": "y", "path": [MODULE]}]
    (root / "curriculum" / "curriculum.yml").write_text(yaml.safe_dump({"modules": modules}, allow_unicode=True))
    (root / "curriculum" / "personas.yml").write_text(yaml.safe_dump({"personas": personas}, allow_unicode=True))
    for m in modules:
        if m.get("status", "available") == "available":
            add_module_files(root, m["id"])
    return root


def module_entry(module_id: str, **changes) -> dict:
    entry = {
        "id": module_id, "title": {"de": "Mini-Modul", "en": "Mini module"}, "level": "beginner", "format": "both",
        "minutes": {"teaching": 5, "exercises": 5}, "prerequisites": [], "datasets": [],
        "objectives": [{"text": "Du kannst addieren.", "exercises": ["ex01"]},
                       {"text": "Du kannst begründen.", "exercises": ["ex02"]}],
        "keypoints": ["Addieren geht."],
    }
    entry.update(changes)
    return entry


def add_module_files(root: Path, module_id: str) -> None:
    folder = root / "notebooks" / module_id
    write_json(folder / f"{module_id}.ipynb", mini_notebook(module_id))
    (folder / "tipps.yml").write_text(yaml.safe_dump({"tipps": {
        f"{module_id}-ex01": ["Nutze sum().", "sum([1, 2, 3])"],
        f"{module_id}-ex02": ["Denk nach.", "Schreib einen Satz."]}}, allow_unicode=True), encoding="utf-8")
