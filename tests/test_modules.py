"""Every available module, parametrised over curriculum.yml (a new module needs no new test code):

- the source notebook runs top to bottom with solutions, in its own folder, and every test cell passes;
- the release contains no solution line and no hidden test, but does ship hints and data;
- round trip through nbgrader: the solution earns full autograded points, the untouched release earns 0 and every
  test cell then says "noch nichts eingetragen" (not a NameError);
- every typical mistake in mistakes.yml makes its test cell fail with the intended German message;
- every autograded exercise has at least one typical mistake.
"""

from __future__ import annotations

import shutil

import pytest
import yaml

from kernel import Kernel
from datenwerkstatt.curriculum import _load
from datenwerkstatt.notebooks import (ModuleFiles, exercises, hidden_test_lines, nbgrader_meta, read_notebook,
                                      solution_lines, source)

from conftest import ROOT

CURRICULUM, _ = _load(ROOT)
MODULES = [m.id for m in CURRICULUM.modules.values() if m.available]


def _source(module_id):
    return read_notebook(ModuleFiles(ROOT, module_id).notebook)


def _text(value):
    return "".join(value) if isinstance(value, list) else value


def _code_cells_text(nb):
    return [(nbgrader_meta(c), source(c), c) for c in nb["cells"] if c.get("cell_type") == "code"]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Release each module into its own course and grade two submissions: the solution and the untouched release."""
    from datenwerkstatt.grading.autograde import grade
    from datenwerkstatt.grading.release import release

    cache = {}

    def get(module_id):
        if module_id not in cache:
            course = tmp_path_factory.mktemp(f"kurs-{module_id}")
            released = release(CURRICULUM, module_id, course)
            subs = tmp_path_factory.mktemp(f"abgaben-{module_id}")
            shutil.copyfile(ModuleFiles(ROOT, module_id).notebook, subs / "loesung.ipynb")
            shutil.copyfile(released / f"{module_id}.ipynb", subs / "unbearbeitet.ipynb")
            outcome = grade(module_id, course, submissions=subs, progress=False)
            cache[module_id] = (course, released, outcome)
        return cache[module_id]

    return get


@pytest.mark.parametrize("module_id", MODULES)
def test_executes_with_solutions(module_id, tmp_path):
    import papermill

    folder = ModuleFiles(ROOT, module_id).folder
    out = tmp_path / "out.ipynb"
    papermill.execute_notebook(str(folder / f"{module_id}.ipynb"), str(out), cwd=str(folder), progress_bar=False,
                               kernel_name="python3")
    executed = read_notebook(out)
    for meta, text, cell in _code_cells_text(executed):
        errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
        assert not errors, f"{module_id}: cell {meta.get('grade_id', text[:40])!r} raised {errors[0]['ename']}"
        if meta.get("grade") and not meta.get("solution"):
            printed = "".join(_text(o.get("text", "")) for o in cell["outputs"] if o.get("output_type") == "stream")
            assert "✓" in printed, f"{meta['grade_id']}: test cell passed silently (end it with geschafft(...))"


@pytest.mark.parametrize("module_id", MODULES)
def test_release_leaks_nothing_and_ships_hints_and_data(module_id, graded):
    from datenwerkstatt.grading.release import leaks

    _, released, _ = graded(module_id)
    text = "\n".join(source(c) for c in read_notebook(released / f"{module_id}.ipynb")["cells"])
    assert solution_lines(_source(module_id)) and hidden_test_lines(_source(module_id)), "nothing to protect?"
    assert leaks(_source(module_id), released) == []
    assert "BEGIN SOLUTION" not in text and "HIDDEN TESTS" not in text
    assert (released / "tipps.yml").exists()
    assert not (released / "loesungen.json").exists() and not (released / "mistakes.yml").exists()
    for dataset_id in CURRICULUM.modules[module_id].datasets:
        assert (released / "daten" / dataset_id / "datapackage.json").exists()


@pytest.mark.parametrize("module_id", MODULES)
def test_round_trip_solution_full_untouched_zero(module_id, graded):
    course, _, outcome = graded(module_id)
    by_student = {r.student: r for r in outcome.results}
    auto = [e for e in outcome.exercises if not e.manual]
    assert auto, "no autograded exercise"
    solution, untouched = by_student["loesung"], by_student["unbearbeitet"]
    assert solution.status == "graded" and untouched.status == "graded", (solution.reasons, untouched.reasons)
    for e in auto:
        assert solution.scores[e.grade_id] == e.max_points, f"solution lost points on {e.grade_id}"
        assert untouched.scores[e.grade_id] == 0, f"untouched release earned points on {e.grade_id}"
    autograded = read_notebook(course / "autograded" / "unbearbeitet" / module_id / f"{module_id}.ipynb")
    for meta, _, cell in _code_cells_text(autograded):
        if meta.get("grade") and not meta.get("solution"):
            names = [o.get("ename") for o in cell.get("outputs", []) if o.get("output_type") == "error"]
            assert names == ["NochNichtBearbeitet"], f"{meta['grade_id']}: untouched cell shows {names}"


def _mistakes(module_id):
    path = ModuleFiles(ROOT, module_id).mistakes
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("mistakes", []) if path.exists() else []


@pytest.mark.parametrize("module_id", MODULES)
def test_every_autograded_exercise_has_a_typical_mistake(module_id):
    covered = {m["exercise"] for m in _mistakes(module_id)}
    auto = {e.grade_id for e in exercises(_source(module_id)) if not e.manual}
    assert not auto - covered, f"exercises without a typical mistake in mistakes.yml: {sorted(auto - covered)}"
    assert not covered - auto, f"mistakes.yml names unknown exercises: {sorted(covered - auto)}"


@pytest.mark.parametrize("module_id", MODULES)
def test_typical_mistakes_show_the_friendly_message(module_id):
    """One kernel per module: cells run in order; before each answer cell, its mistakes run with the test cell."""
    files = ModuleFiles(ROOT, module_id)
    nb = _source(module_id)
    tests = {meta["grade_id"]: text for meta, text, _ in _code_cells_text(nb) if meta.get("grade")}
    pending = {}
    for m in _mistakes(module_id):
        pending.setdefault(m["exercise"], []).append(m)
    failures = []
    with Kernel(files.folder) as kernel:
        for meta, text, _ in _code_cells_text(nb):
            exercise = meta.get("grade_id", "").removesuffix("-antwort")
            if meta.get("solution") and exercise in pending:
                for mistake in pending.pop(exercise):
                    kernel.run(mistake["code"])
                    run = kernel.run(tests[exercise])
                    if run.status != "error":
                        failures.append(f"{exercise} ({mistake['why']}): the test cell PASSED the mistake")
                    elif mistake["expect"] not in run.text:
                        failures.append(f"{exercise} ({mistake['why']}): expected {mistake['expect']!r}, "
                                        f"learner sees: {run.text.strip()[-300:]}")
                    elif "Traceback" in run.text:
                        failures.append(f"{exercise} ({mistake['why']}): learner sees a raw traceback")
            result = kernel.run(text)
            assert result.status == "ok", f"{module_id}: solution cell failed: {result.text[-500:]}"
    assert not pending, f"mistakes for exercises without an answer cell: {sorted(pending)}"
    assert not failures, "\n".join(failures)
