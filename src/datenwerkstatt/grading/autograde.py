"""Grade a module's submissions: a visible pipeline of small steps around nbgrader's autograder.

    intake      folder/zip -> course/submitted/<student>/<module>/<notebook>.ipynb   (collect.py)
    preflight   unreadable / other module / deleted graded cells  -> a status with a reason, never a silent 0
    autograde   nbgrader's Autograde converter (cells restored from the gradebook, executed, scored)
    results     read every score back from the gradebook -> one status per student

Works on any nbgrader course directory: it needs only ``source/<module>/`` and the gradebook nbgrader created when the
assignment was generated.
"""

from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from datenwerkstatt.errors import UserError
from datenwerkstatt.grading.collect import Intake, gather
from datenwerkstatt.grading.course import load_config, nbgrader_api
from datenwerkstatt.notebooks import exercises, nbgrader_meta, read_notebook

# one status per submission; the order is how a trainer should read them (most urgent first)
STATUSES = ("not_gradable", "flagged", "timed_out", "missing", "late", "graded")


@dataclass(frozen=True)
class ExerciseInfo:
    grade_id: str
    max_points: float
    manual: bool


@dataclass
class StudentResult:
    student: str
    status: str = "graded"
    reasons: list[str] = field(default_factory=list)
    scores: dict[str, float | None] = field(default_factory=dict)  # None = not scored (not gradable, needs manual)
    submitted_as: str = ""

    def total(self) -> float | None:
        if self.status == "not_gradable":
            return None
        return sum(v for v in self.scores.values() if v is not None)


@dataclass
class Outcome:
    module: str
    course: Path
    exercises: list[ExerciseInfo]
    results: list[StudentResult]
    unmatched: list[tuple[str, str]] = field(default_factory=list)

    @property
    def max_total(self) -> float:
        return sum(e.max_points for e in self.exercises)

    @property
    def needs_attention(self) -> bool:
        return bool(self.unmatched) or any(r.status in ("not_gradable", "flagged", "timed_out")
                                           for r in self.results)


# --- steps ---------------------------------------------------------------------------------------------------------


def source_notebook(course: Path, module_id: str) -> Path:
    folder = course / "source" / module_id
    notebooks = sorted(folder.glob("*.ipynb")) if folder.exists() else []
    if not notebooks:
        raise UserError(f"{folder} has no notebook; release the module first: "
                        f"`datenwerkstatt release {module_id} --course {course}`")
    if len(notebooks) > 1:
        raise UserError(f"{folder} has {len(notebooks)} notebooks; this command grades one-notebook assignments "
                        "(use `nbgrader autograde` for multi-notebook assignments)")
    return notebooks[0]


def place(intake: Intake, course: Path, module_id: str, notebook_name: str) -> None:
    """Copy each attributed notebook to where nbgrader expects it (replacing an older copy of the same student)."""
    for sub in intake.submissions:
        target_dir = course / "submitted" / sub.student / module_id
        target_dir.mkdir(parents=True, exist_ok=True)
        tmp = target_dir / f".{notebook_name}.tmp"
        shutil.copyfile(sub.path, tmp)
        tmp.replace(target_dir / notebook_name)


def preflight(path: Path, source: dict, module_id: str) -> tuple[str, list[str]]:
    """Decide before executing anything whether a submission can be graded; returns (status, reasons)."""
    if path.stat().st_size == 0:
        return "not_gradable", ["the file is empty (0 bytes): the participant probably saved before the download "
                                "finished; ask for the notebook again"]
    try:
        nb = read_notebook(path)
    except ValueError as exc:
        return "not_gradable", [f"unreadable notebook: {str(exc).split(': ', 1)[-1]}; ask for the file again"]
    expected = {e.grade_id for e in exercises(source)}
    found = [nbgrader_meta(c).get("grade_id", "") for c in nb["cells"] if nbgrader_meta(c).get("grade")]
    if expected and not expected & set(found):
        others = sorted({gid.rsplit("-ex", 1)[0] for gid in found if "-ex" in gid})
        hint = f" It looks like module {', '.join(others)}." if others else ""
        return "not_gradable", [f"contains none of {module_id}'s exercises.{hint} Was the wrong file submitted?"]
    reasons = []
    missing = sorted(expected - set(found))
    if missing:
        reasons.append(f"graded cell(s) deleted: {', '.join(missing)} (scored 0)")
    duplicated = sorted({gid for gid in found if found.count(gid) > 1})
    if duplicated:
        reasons.append(f"graded cell(s) duplicated: {', '.join(duplicated)} (only the first copy counts)")
    return ("flagged" if reasons else "graded"), reasons


def read_scores(api, module_id: str, student: str) -> tuple[dict[str, float | None], float]:
    """Per-exercise scores and seconds late, from the gradebook."""
    from nbgrader.api import Gradebook, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        try:
            submission = gb.find_submission(module_id, student)
        except MissingEntry:
            return {}, 0.0
        scores = {}
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                scores[grade.name] = None if grade.needs_manual_grade else grade.score
        return scores, submission.total_seconds_late


# --- the run -------------------------------------------------------------------------------------------------------


def grade(module_id: str, course: Path, *, submissions: Path | None = None, db_url: str | None = None,
          workers: int | None = None, progress: bool = True) -> Outcome:
    """Grade every submission of ``module_id`` in ``course`` (after taking in ``submissions``, if given)."""
    course = course.resolve()
    src_path = source_notebook(course, module_id)
    source = read_notebook(src_path)
    infos = [ExerciseInfo(e.grade_id, e.points, e.manual) for e in exercises(source)]
    intake = Intake()
    if submissions is not None:
        with tempfile.TemporaryDirectory(prefix="datenwerkstatt-intake-") as tmp:
            intake = gather(submissions.resolve(), module_id, Path(tmp))
            place(intake, course, module_id, src_path.name)
    submitted = sorted((course / "submitted").glob(f"*/{module_id}/{src_path.name}"))
    if not submitted:
        raise UserError(f"no submissions of {module_id} in {course / 'submitted'}"
                        + ("" if submissions else "; pass --submissions PATH (a folder or zip of notebooks)"))
    api = nbgrader_api(course, config=load_config(course, db_url))
    results = []
    for path in _progress(submitted, progress, module_id):
        student = path.parent.parent.name
        result = StudentResult(student)
        result.status, result.reasons = preflight(path, source, module_id)
        if result.status != "not_gradable":
            _autograde_one(api, module_id, result)
        results.append(result)
    return Outcome(module_id, course, infos, results, intake.unmatched)


def _autograde_one(api, module_id: str, result: StudentResult) -> None:
    outcome = api.autograde(module_id, result.student, force=True, create=True)
    if not outcome.get("success"):
        last = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()[-1:]
        result.status = "not_gradable"
        result.reasons.append("nbgrader could not grade it: " + (last[0] if last else "no details"))
        return
    result.scores, late = read_scores(api, module_id, result.student)
    if late > 0 and result.status == "graded":
        result.status = "late"
        result.reasons.append(f"submitted {late / 3600:.1f} h after the deadline")


def _progress(items, enabled: bool, module_id: str):
    if not enabled:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=f"grading {module_id}", unit="submission")
