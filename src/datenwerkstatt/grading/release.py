"""Release a module: build its nbgrader source folder (notebook + hints + its datasets), then let nbgrader make the
student version. The release runs anywhere: data and hints travel with it (a hub user's home has no repository).

Steps: stage source -> generate_assignment -> verify nothing leaked -> (self-study) add the solutions file.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path

from datenwerkstatt.curriculum import Curriculum, Module
from datenwerkstatt.errors import UserError
from datenwerkstatt.grading.course import check, ensure_course, nbgrader_api
from datenwerkstatt.notebooks import (SOLUTION_BEGIN, SOLUTION_END, ModuleFiles, hidden_test_lines, nbgrader_meta,
                                      read_notebook, solution_lines, source)

DATA_DIR = "daten"
SELF_STUDY_DIR = "selbstlernen"
MIN_EMBEDDED = 30  # a secret line this long found inside other text is a leak, not a coincidence


def module_for_release(cur: Curriculum, module_id: str) -> Module:
    if module_id not in cur.modules:
        raise UserError(f"unknown module '{module_id}'; known: {', '.join(cur.modules)}")
    module = cur.modules[module_id]
    if not module.available:
        raise UserError(f"module '{module_id}' is only planned; it has no notebook to release yet")
    return module


def stage_source(cur: Curriculum, module: Module, course: Path) -> Path:
    """Write course/source/<module>/ afresh (built aside, then swapped in: never half-written)."""
    files = ModuleFiles(cur.root, module.id)
    target = course / "source" / module.id
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{module.id}-", dir=target.parent))
    try:
        shutil.copyfile(files.notebook, staging / files.notebook.name)
        shutil.copyfile(files.hints, staging / files.hints.name)
        for dataset_id in module.datasets:
            _copy_dataset(cur.root / "datasets" / dataset_id, staging / DATA_DIR / dataset_id)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return target


def _copy_dataset(folder: Path, dest: Path) -> None:
    """The files a datapackage lists, plus the datapackage and codebook themselves."""
    package = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    names = ["datapackage.json", "README.md"] + [r["path"] for r in package.get("resources", []) if "path" in r]
    for name in names:
        (dest / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(folder / name, dest / name)


def build_self_study(cur: Curriculum, out: Path) -> list[Path]:
    """Self-study copies of every available module in out/<module>/ (no solutions in the notebook, `loesung()`
    works): what the start page links to on Binder and with `make lab`, so learners never open a source notebook."""
    course = out / ".kurs"
    return [release(cur, m.id, course, self_study=True, self_study_dir=out / m.id)
            for m in cur.modules.values() if m.available]


def leaks(source_nb: dict, released_dir: Path) -> list[str]:
    """Solution and hidden-test lines of the source that appear in the released files: as a whole line anywhere, or,
    when long enough to be unmistakable, inside another line. (Short lines such as `])` or `else:` occur in any
    notebook and prove nothing.)"""
    secret = {line for line in solution_lines(source_nb) + hidden_test_lines(source_nb) if len(line) > 3}
    found = []
    for path in sorted(released_dir.rglob("*")):
        if not path.is_file() or path.suffix not in {".ipynb", ".py", ".yml", ".json", ".txt", ".md"}:
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        if path.suffix == ".ipynb":  # compare cell sources, not JSON-escaped text
            text = "\n".join(source(c) for c in read_notebook(path)["cells"])
        lines = {line.strip() for line in text.splitlines()}
        found += [f"{path.name}: {line}" for line in sorted(secret)
                  if line in lines or (len(line) >= MIN_EMBEDDED and line in text)]
    return found


def solutions_by_exercise(source_nb: dict, module_id: str) -> dict[str, str]:
    """Model solutions keyed by exercise grade id (answer cell ``<id>-exNN-antwort`` -> ``<id>-exNN``)."""
    result = {}
    for cell in source_nb["cells"]:
        meta = nbgrader_meta(cell)
        if not meta.get("solution"):
            continue
        gid = meta["grade_id"].removesuffix("-antwort")
        text = source(cell)
        if SOLUTION_BEGIN in text:
            text = text.split(SOLUTION_BEGIN, 1)[1].split(SOLUTION_END, 1)[0]
        result[gid] = text.strip("\n")
    return result


def release(cur: Curriculum, module_id: str, course: Path, *, self_study: bool = False,
            self_study_dir: Path | None = None, db_url: str | None = None) -> Path:
    """Build the student version into course/release/<module>; with ``self_study`` also a copy with solutions in
    ``self_study_dir`` (default course/selbstlernen/<module>), kept apart so a graded release never carries them."""
    module = module_for_release(cur, module_id)
    course = ensure_course(course)
    stage_source(cur, module, course)
    check(nbgrader_api(course, db_url).generate_assignment(module.id, force=True, create=True),
          f"nbgrader generate_assignment {module.id}")
    released = course / "release" / module.id
    source_nb = read_notebook(ModuleFiles(cur.root, module.id).notebook)
    leaked = leaks(source_nb, released)
    if leaked:
        shutil.rmtree(released)
        raise UserError(f"release of {module.id} would leak solutions or hidden tests, removed it: "
                        + "; ".join(leaked[:5]))
    if self_study:
        target = self_study_dir or course / SELF_STUDY_DIR / module.id
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(released, target)
        (target / "loesungen.json").write_text(
            json.dumps(solutions_by_exercise(source_nb, module.id), ensure_ascii=False, indent=1), encoding="utf-8")
        return target
    return released
