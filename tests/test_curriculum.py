"""The curriculum model: the real curriculum is valid, and each kind of broken input gives its own clear error
(file, entry and fix), never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from builders import MODULE, make_project, module_entry, write_json
from datenwerkstatt.curriculum import CurriculumError, header_markdown, load_curriculum
from datenwerkstatt.project import validate_project


def problems_of(root):
    return [str(p) for p in validate_project(root)[1]]


def test_real_curriculum_and_notebooks_are_valid(root):
    cur, problems = validate_project(root)
    assert problems == [], "\n".join(map(str, problems))
    assert any(m.available for m in cur.modules.values())


def test_mini_project_is_valid(tmp_path):
    assert problems_of(make_project(tmp_path)) == []


def test_unknown_prerequisite(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, prerequisites=["b09-gibt-es-nicht"])])
    assert any("module b01-mini: prerequisite 'b09-gibt-es-nicht' does not exist" in p for p in problems_of(root))


def test_cycle(tmp_path):
    a = module_entry("b01-aaa", prerequisites=["b02-bbb"])
    b = module_entry("b02-bbb", prerequisites=["b01-aaa"])
    root = make_project(tmp_path, modules=[a, b], personas=[
        {"id": "p", "title": {"de": "P", "en": "P"}, "for_whom": "x", "outcome": "y", "path": ["b01-aaa"]}])
    found = problems_of(root)
    assert any("prerequisites form a cycle" in p and "b01-aaa" in p and "b02-bbb" in p for p in found), found


def test_duplicate_id(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE), module_entry(MODULE)])
    assert any(f"module {MODULE}: duplicate module id" in p for p in problems_of(root))


def test_missing_notebook(tmp_path):
    root = make_project(tmp_path)
    (root / "notebooks" / MODULE / f"{MODULE}.ipynb").unlink()
    found = problems_of(root)
    assert any(f"notebooks/{MODULE}/{MODULE}.ipynb: module {MODULE}: notebook is missing" in p for p in found)
    assert any("status: planned" in p for p in found), "the fix should name the alternative"


def test_persona_path_violating_prerequisites(tmp_path):
    a = module_entry("b01-aaa")
    b = module_entry("b02-bbb", prerequisites=["b01-aaa"])
    root = make_project(tmp_path, modules=[a, b], personas=[
        {"id": "p", "title": {"de": "P", "en": "P"}, "for_whom": "x", "outcome": "y", "path": ["b02-bbb", "b01-aaa"]}])
    assert any("persona p: module 'b02-bbb' comes before its prerequisite 'b01-aaa'" in p for p in problems_of(root))


def test_unknown_module_in_persona_path(tmp_path):
    root = make_project(tmp_path, personas=[
        {"id": "p", "title": {"de": "P", "en": "P"}, "for_whom": "x", "outcome": "y", "path": ["b07-fehlt"]}])
    assert any("path names unknown module 'b07-fehlt'" in p for p in problems_of(root))


def test_schema_error_names_entry_and_field(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, level="expert")])
    found = problems_of(root)
    assert any(f"module {MODULE} -> level" in p and "expert" in p for p in found), found


def test_invalid_yaml_names_the_line(tmp_path):
    root = make_project(tmp_path)
    (root / "curriculum" / "curriculum.yml").write_text("modules:\n  - id: [unclosed\n")
    found = problems_of(root)
    assert len(found) == 1 and "curriculum/curriculum.yml: line" in found[0] and "not valid YAML" in found[0]


def test_level_prefix_must_match(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, level="advanced")])
    assert any("id starts with 'b' but level is advanced" in p for p in problems_of(root))


def test_unknown_dataset(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, datasets=["gibt-es-nicht"])])
    assert any("dataset 'gibt-es-nicht' does not exist" in p for p in problems_of(root))


def test_objective_exercise_mapping_both_ways(tmp_path):
    entry = module_entry(MODULE, objectives=[{"text": "Du kannst addieren.", "exercises": ["ex01", "ex05"]}])
    root = make_project(tmp_path, modules=[entry])
    found = problems_of(root)
    assert any("objective names exercise 'ex05' which the notebook does not have" in p for p in found)
    assert any(f"{MODULE}-ex02: exercise serves no objective" in p for p in found)


def test_notebook_with_outputs_and_broken_metadata(tmp_path):
    root = make_project(tmp_path)
    path = root / "notebooks" / MODULE / f"{MODULE}.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][1]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "x"}]
    del nb["cells"][3]["metadata"]["nbgrader"]["grade_id"]
    write_json(path, nb)
    found = problems_of(root)
    assert any("cell 2: has outputs" in p for p in found)
    assert any("cell 4: nbgrader metadata lacks grade_id" in p for p in found)


def test_header_must_match_curriculum(tmp_path):
    root = make_project(tmp_path)
    path = root / "notebooks" / MODULE / f"{MODULE}.ipynb"
    nb = json.loads(path.read_text())
    nb["cells"][0]["source"] = "# Ein alter Titel"
    write_json(path, nb)
    assert any("title cell differs from curriculum.yml" in p and f"datenwerkstatt header {MODULE}" in p
               for p in problems_of(root))


def test_hints_need_two_levels_and_known_ids(tmp_path):
    root = make_project(tmp_path)
    (root / "notebooks" / MODULE / "tipps.yml").write_text(yaml.safe_dump(
        {"tipps": {f"{MODULE}-ex01": ["nur einer"], f"{MODULE}-ex99": ["a", "b"]}}))
    found = problems_of(root)
    assert any(f"{MODULE}-ex01: fewer than two hint levels" in p for p in found)
    assert any(f"{MODULE}-ex99: hint for an exercise that does not exist" in p for p in found)
    assert any(f"{MODULE}-ex02: fewer than two hint levels" in p for p in found)


def test_load_curriculum_raises_with_all_problems(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, prerequisites=["x01-a", "b02-b"])])
    with pytest.raises(CurriculumError) as err:
        load_curriculum(root)
    assert len(err.value.problems) >= 2


def test_header_lists_objectives_and_minutes(root):
    cur = load_curriculum(root)
    module = next(m for m in cur.modules.values() if m.available)
    text = header_markdown(module)
    assert module.title_de in text and f"etwa {module.minutes} Minuten" in text
    assert all(o.text in text for o in module.objectives)


@pytest.mark.parametrize("command", [["--help"], ["validate"], ["catalog"], ["path", "fundraising"]])
def test_cli_answers_without_heavy_imports(command, root):
    """--help/validate/catalog/path must not import pandas, nbgrader or matplotlib (stock nbgrader starts in 4-5 s)."""
    code = ("import sys; from datenwerkstatt.cli import main\n"
            f"try:\n    rc = main({command!r})\nexcept SystemExit as e:\n    rc = e.code\n"
            "heavy = [m for m in ('pandas', 'nbgrader', 'matplotlib', 'numpy') if m in sys.modules]\n"
            "print('HEAVY', heavy); sys.exit(rc)")
    run = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "HEAVY []" in run.stdout


def test_cli_validate_exits_nonzero_on_problems(tmp_path):
    root = make_project(tmp_path, modules=[module_entry(MODULE, prerequisites=["b09-x"])])
    run = subprocess.run([sys.executable, "-m", "datenwerkstatt", "--root", str(root), "validate"],
                         capture_output=True, text=True)
    assert run.returncode == 1
    assert "prerequisite 'b09-x' does not exist" in run.stdout


def test_catalog_filters_and_path_total(root):
    from datenwerkstatt.catalog import catalog_rows, render_path

    cur = load_curriculum(root)
    beginners = catalog_rows(cur, level="beginner")
    assert beginners and all(r.level == "Einstieg" for r in beginners)
    short = catalog_rows(cur, max_minutes=80)
    assert all(r.minutes <= 80 for r in short)
    persona = next(iter(cur.personas))
    rows = catalog_rows(cur, persona=persona)
    assert [r.id for r in rows] == list(cur.personas[persona].path)
    total = sum(cur.modules[m].minutes for m in cur.personas[persona].path)
    from datenwerkstatt.curriculum import format_minutes
    assert f"Gesamt: {format_minutes(total)}" in render_path(cur, persona)
