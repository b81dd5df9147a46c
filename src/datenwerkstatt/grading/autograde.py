"""Grade a module's submissions: a visible pipeline of small steps around nbgrader's autograder.

    intake      folder/zip -> course/submitted/<student>/<module>/<notebook>.ipynb       (collect.py)
    integrity   unreadable / other module / deleted, edited, retyped cells / suspicious code  (integrity.py)
    autograde   nbgrader's Autograde converter; its Execute step runs in the sandbox      (executor.py, sandbox.py)
    withhold    suspicious submissions: automatic points go to "needs manual grading"
    record      one status per student, saved after each student                         (status.py)

Submissions run in parallel (``workers``); the gradebook has one writer at a time. A run is idempotent: a submission
already graded from the same file is not graded again (``force`` regrades), so an interrupted run simply resumes.
Works on any nbgrader course directory: it needs only ``source/<module>/`` and the gradebook nbgrader created when the
assignment was generated.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sys
import tempfile
import warnings
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from datenwerkstatt.errors import UserError
from datenwerkstatt.grading import status as status_store
from datenwerkstatt.grading.collect import Intake, gather
from datenwerkstatt.grading.course import load_config, nbgrader_api
from datenwerkstatt.grading.integrity import check_submission
from datenwerkstatt.notebooks import exercises, read_notebook

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
    scores: dict[str, float | None] = field(default_factory=dict)  # None = not scored yet (manual / withheld)
    protections: dict[str, bool] = field(default_factory=dict)
    fingerprint: str = ""  # sha256 of the submitted file: a rerun skips unchanged, already graded submissions

    def total(self) -> float | None:
        if self.status in ("not_gradable", "missing"):
            return None
        return sum(v for v in self.scores.values() if v is not None)


@dataclass
class Outcome:
    module: str
    course: Path
    exercises: list[ExerciseInfo]
    results: list[StudentResult]
    unmatched: list[tuple[str, str]] = field(default_factory=list)
    protections: dict[str, bool] = field(default_factory=dict)

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


def fingerprint(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_scores(api, module_id: str, student: str) -> tuple[dict[str, float | None], float]:
    """Per-exercise scores (None while a human still has to grade it) and seconds late, from the gradebook."""
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


def withhold_points(api, module_id: str, student: str) -> None:
    """Suspicious code: zero the automatic points and mark every grade for manual review in the formgrader."""
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        submission = gb.find_submission(module_id, student)
        for notebook in submission.notebooks:
            for grade in notebook.grades:
                grade.auto_score = 0 if grade.auto_score is not None else None
                grade.needs_manual_grade = True
        gb.db.commit()


# errors that say something about the submission rather than about the answer: worth a line in the report
NOTABLE = {"MemoryError": "memory limit reached", "RecursionError": "endless recursion",
           "PermissionError": "tried to access something it may not", "DeadKernelError": "the kernel died",
           "OSError": "an operating-system call was refused"}


def notable_errors(nb) -> list[str]:
    found = []
    for index, cell in enumerate(nb.cells, start=1):
        for output in cell.get("outputs", []):
            name = output.get("ename") if output.get("output_type") == "error" else None
            if name in NOTABLE:
                found.append(f"cell {index}: {name} ({NOTABLE[name]})")
    return found


def ensure_students(api, students: list[str]) -> None:
    """Create every student before grading starts. nbgrader creates them lazily (check, then insert): two grading
    runs on one shared gradebook (two modules at once on a hub) can race on the same new student."""
    from nbgrader.api import Gradebook, InvalidEntry, MissingEntry

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        for student in students:
            try:
                gb.find_student(student)
            except MissingEntry:
                try:
                    gb.add_student(student)
                except InvalidEntry:
                    gb.db.rollback()  # the other run added them a moment ago: fine
                    gb.find_student(student)


def roster(api) -> list[str]:
    """Students the gradebook knows (a hub course adds them up front); those without a submission are 'missing'."""
    from nbgrader.api import Gradebook

    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        return [s.id for s in gb.students]


# --- the run -------------------------------------------------------------------------------------------------------


def grade(module_id: str, course: Path, *, submissions: Path | None = None, db_url: str | None = None,
          workers: int | None = None, progress: bool = True, sandbox: bool = True, force: bool = False,
          limits=None) -> Outcome:
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
    config = load_config(course, db_url)
    if sandbox and not sys.platform.startswith("linux"):
        sandbox = False  # the sandbox needs Linux (fork server, namespaces); nbgrader's own executor still grades
    if sandbox:
        from datenwerkstatt.grading.executor import AUTOGRADE_STEPS

        config.Autograde.autograde_preprocessors = AUTOGRADE_STEPS
    api = nbgrader_api(course, config=config)
    previous = status_store.load(course, module_id)
    results, todo = [], []
    for path in submitted:
        result = StudentResult(path.parent.parent.name, fingerprint=fingerprint(path))
        old = previous.get(result.student)
        autograded = course / "autograded" / result.student / module_id / src_path.name
        if not force and old and old.fingerprint == result.fingerprint and autograded.exists():
            result = old  # resume: graded before from the very same file
            result.scores, _ = read_scores(api, module_id, result.student)
        else:
            verdict = check_submission(path, source, module_id)
            result.status, result.reasons = verdict.status, list(verdict.reasons)
            if verdict.status != "not_gradable":
                todo.append((result, verdict.withhold))
        results.append(result)
    workers = max(1, workers or os.cpu_count() or 1)
    ensure_students(api, [result.student for result, _ in todo])
    protections = _run_all(todo, course, config, module_id, workers, progress, sandbox, limits, previous)
    if not sandbox:  # say so plainly: the notebooks ran with the trainer's own rights
        protections = dict.fromkeys(("separate_user", "no_network", "resource_limits", "private_tmp"), False)
    present = {r.student for r in results}
    results += [StudentResult(s, "missing", ["no submission"]) for s in roster(api) if s not in present]
    status_store.save(course, module_id, {r.student: r for r in results})
    return Outcome(module_id, course, infos, results, intake.unmatched, protections)


def _run_all(todo, course, config, module_id, workers, progress, use_sandbox, limits, store) -> dict[str, bool]:
    if not todo:
        return {}
    bar = _progress(len(todo), progress, module_id)
    protections: dict[str, bool] = {}
    from datenwerkstatt.grading.executor import nbgrader_env_for_threads

    with warnings.catch_warnings(), nbgrader_env_for_threads(), \
            _sandbox(use_sandbox, limits, workers, course, config) as box:
        # nbgrader's gradebook emits SQLAlchemy session warnings on every autograde; they are not the trainer's concern
        warnings.simplefilter("ignore")
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="grader") as pool:
            jobs = [pool.submit(_autograde_one, course, config, module_id, result, withhold, box)
                    for result, withhold in todo]
            try:
                for job in as_completed(jobs):
                    result = job.result()
                    protections.update(result.protections)
                    store[result.student] = result
                    status_store.save(course, module_id, store)  # after each student: a crash loses nothing
                    if bar:
                        bar.update(1)
            except BaseException:
                for job in jobs:
                    job.cancel()
                raise
            finally:
                if bar:
                    bar.close()
    return protections


@contextlib.contextmanager
def _sandbox(use_sandbox: bool, limits, workers: int, course: Path, config):
    """The warm sandbox for this run, on the first free block of slot uids (two grading runs at once - e.g. two
    modules on one hub - must never share a uid: cleanup kills every process of a slot's uid)."""
    if not use_sandbox:
        yield None
        return
    from datenwerkstatt.grading.sandbox import Limits, Sandbox

    # the whole course (source notebooks, other students, self-study solutions, gradebook) and, when we run from a
    # checkout, the repository's notebooks are invisible inside the kernel; it sees only its own copy of the files
    hidden = [course, _gradebook_file(course, config), _repo_notebooks()]
    hidden = [p for p in hidden if p and p.exists()]
    for uid_base in range(61000, 65000, 64):
        box = Sandbox(limits or Limits(), slots=workers, hide_paths=hidden, uid_base=uid_base, preload=PRELOAD)
        try:
            box.__enter__()
        except RuntimeError as exc:
            if "in use" in str(exc):
                continue
            raise
        try:
            yield box
        finally:
            box.__exit__(None, None, None)
        return
    raise UserError("every sandbox uid range (61000-65000) is in use by other grading runs; wait for one to finish")


# imported once in the warm server, so no submission pays for them (what the modules' notebooks import)
PRELOAD = ("pandas", "numpy", "matplotlib", "matplotlib.pyplot", "openpyxl", "yaml", "datenwerkstatt.check")


def _repo_notebooks() -> Path | None:
    from datenwerkstatt.project import find_root

    try:
        return find_root() / "notebooks"
    except FileNotFoundError:
        return None


def _gradebook_file(course: Path, config) -> Path | None:
    url = str(config.CourseDirectory.get("db_url", "") or f"sqlite:///{course / 'gradebook.db'}")
    return Path(url.removeprefix("sqlite:///")) if url.startswith("sqlite:///") else None


def _autograde_one(course: Path, config, module_id: str, result: StudentResult, withhold: bool, box) -> StudentResult:
    from datenwerkstatt.grading.executor import GRADEBOOK_LOCK, context

    api = nbgrader_api(course, config=config)  # one per thread: nbgrader's course-directory object is stateful
    context.sandbox, context.execution = box, None
    with GRADEBOOK_LOCK:
        outcome = api.autograde(module_id, result.student, force=True, create=True)
        execution = context.execution
        if not outcome.get("success"):
            lines = (outcome.get("error") or outcome.get("log") or "").strip().splitlines()
            result.status = "not_gradable"
            result.reasons.append("nbgrader could not grade it: " + (lines[-1] if lines else "no details"))
            return result
        if withhold:
            withhold_points(api, module_id, result.student)
        result.scores, late = read_scores(api, module_id, result.student)
    if execution is not None:
        result.protections = dict(execution.protections)
        result.reasons += notable_errors(execution.notebook)
        if execution.status == "timeout":
            result.status = "timed_out" if result.status == "graded" else result.status
            result.reasons.append(execution.reason)
        elif execution.status in ("kernel_died", "output_truncated", "failed_to_start"):
            result.reasons.append(execution.reason)
    if late > 0 and result.status == "graded":
        result.status = "late"
        result.reasons.append(f"submitted {late / 3600:.1f} h after the deadline")
    return result


def _progress(total: int, enabled: bool, module_id: str):
    if not enabled:
        return None
    from tqdm import tqdm

    return tqdm(total=total, desc=f"grading {module_id}", unit="submission")
