"""A PostgreSQL gradebook, for real: Debian's server started by the test (initdb in a temp dir, loopback port, run as
the unprivileged `postgres` user). Two `datenwerkstatt grade --db URL` processes grade two modules at the same time
into the one database; every score equals what the same submissions get with the default SQLite gradebook.

As on a hub (grader/DEPLOYMENT.md), the course's nbgrader_config.py carries the same URL, so release and grading
share one gradebook. Both processes meet the same *new* participants at the same moment: nbgrader alone creates a
student by check-then-insert and the second process would die on the primary key; `grade` creates them up front and
tolerates the other process winning that race.
The URL names the driver (`postgresql+psycopg2://`): SQLAlchemy 2.1 maps a bare `postgresql://` to psycopg 3, which
the pinned set does not include.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
import yaml

from datenwerkstatt.curriculum import load_curriculum
from datenwerkstatt.grading.release import release
from datenwerkstatt.notebooks import ModuleFiles, nbgrader_meta, read_notebook
from deploy_support import ROOT, VENV_BIN, free_port, system_tool, wait_until

CURRICULUM = load_curriculum(ROOT)
AVAILABLE = [m.id for m in CURRICULUM.modules.values() if m.available]
MODULES = sorted(AVAILABLE, key=lambda m: m != "b02-exporte-laden")[:2]  # b02 and the next module with a notebook
STUDENTS = ("anna-loesung", "ben-unbearbeitet", "cem-fehler")  # the ids `grade` derives from the file names below
PG_USER = "postgres"  # created by Debian's postgresql package; never root


@pytest.fixture(scope="module")
def postgres(module_processes, artefacts):
    """A throw-away PostgreSQL server on 127.0.0.1; yields the SQLAlchemy URL of an empty database."""
    initdb = system_tool("/usr/lib/postgresql/*/bin/initdb")
    bindir = Path(initdb).parent
    folder = Path(tempfile.mkdtemp(prefix="datenwerkstatt-pg-"))
    shutil.chown(folder, PG_USER, PG_USER)
    as_pg = {"user": PG_USER, "group": PG_USER, "extra_groups": [], "cwd": str(folder)}
    try:
        subprocess.run([initdb, "-D", str(folder / "data"), "-U", "nbgrader", "--auth=trust", "--no-sync",
                        "-E", "UTF8", "--locale=C"], check=True, capture_output=True, **as_pg)
        port = free_port()
        proc = module_processes.start(
            [str(bindir / "postgres"), "-D", str(folder / "data"), "-p", str(port), "-k", str(folder),
             "-c", "listen_addresses=127.0.0.1", "-c", "fsync=off", "-c", "full_page_writes=off"],
            log=artefacts / "postgres.log", **as_pg)
        ready = [str(bindir / "pg_isready"), "-h", "127.0.0.1", "-p", str(port)]
        wait_until("PostgreSQL", lambda: subprocess.run(ready, capture_output=True).returncode == 0,
                   timeout=30, process=proc)
        subprocess.run([str(bindir / "createdb"), "-h", "127.0.0.1", "-p", str(port), "-U", "nbgrader", "kurs"],
                       check=True, capture_output=True)
        yield f"postgresql+psycopg2://nbgrader@127.0.0.1:{port}/kurs"
        module_processes.stop(proc)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _with_mistake(module_id: str) -> dict:
    """The solution with the module's first typical mistake in place of that exercise's answer: a partial score."""
    nb = read_notebook(ModuleFiles(ROOT, module_id).notebook)
    mistake = yaml.safe_load(ModuleFiles(ROOT, module_id).mistakes.read_text(encoding="utf-8"))["mistakes"][0]
    cell = next(c for c in nb["cells"] if nbgrader_meta(c).get("grade_id") == f"{mistake['exercise']}-antwort")
    cell["source"] = mistake["code"]
    return nb


def _submissions(tmp: Path, module_id: str, released: Path) -> Path:
    import json

    folder = tmp / f"abgaben-{module_id}"
    folder.mkdir()
    shutil.copyfile(ModuleFiles(ROOT, module_id).notebook, folder / "Anna Loesung.ipynb")
    shutil.copyfile(released / f"{module_id}.ipynb", folder / "Ben Unbearbeitet.ipynb")
    (folder / "Cem Fehler.ipynb").write_text(json.dumps(_with_mistake(module_id)), encoding="utf-8")
    return folder


def _course(tmp: Path, name: str, db_url: str | None) -> Path:
    """A course as a trainer sets it up: our config template (+ the gradebook URL), both modules released."""
    course = tmp / name
    course.mkdir()
    config = (ROOT / "grader" / "nbgrader_config.py").read_text(encoding="utf-8")
    if db_url:
        config += f"\nc.CourseDirectory.db_url = {db_url!r}\n"
    (course / "nbgrader_config.py").write_text(config, encoding="utf-8")
    for module_id in MODULES:
        release(CURRICULUM, module_id, course)
    return course


def _grade_at_once(course: Path, db_url: str | None, modules: list[str], subs: dict[str, Path], log: Path) -> float:
    """One `datenwerkstatt grade` process per module, all started together; returns the wall time."""
    started = time.monotonic()
    procs = []
    for module_id in modules:
        args = [str(VENV_BIN / "datenwerkstatt"), "grade", module_id, "--course", str(course),
                "--submissions", str(subs[module_id]), "--workers", "1", "--quiet"]
        procs.append((module_id, subprocess.Popen(args + (["--db", db_url] if db_url else []),
                                                  stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)))
    for module_id, proc in procs:
        out, _ = proc.communicate(timeout=180)
        with log.open("a") as f:
            f.write(f"--- grade {module_id}: exit {proc.returncode}\n{out}\n")
        assert proc.returncode == 0, f"grade {module_id} exited {proc.returncode}:\n{out[-3000:]}"
    return time.monotonic() - started


def _gradebook(db_url: str) -> dict[tuple[str, str, str], float | None]:
    from nbgrader.api import Gradebook

    scores = {}
    with Gradebook(db_url, "datenwerkstatt") as gb:
        for module_id in MODULES:
            for submission in gb.assignment_submissions(module_id):
                for notebook in submission.notebooks:
                    for grade in notebook.grades:
                        scores[(module_id, submission.student.id, grade.name)] = grade.score
    return scores


def test_two_modules_graded_at_once_into_postgres_equal_sqlite(postgres, tmp_path, artefacts):
    assert len(MODULES) == 2, "needs two modules with notebooks"
    pg_course = _course(tmp_path, "kurs-postgres", postgres)
    sqlite_course = _course(tmp_path, "kurs-sqlite", None)
    subs = {m: _submissions(tmp_path, m, pg_course / "release" / m) for m in MODULES}

    log = artefacts / "postgres-grading.log"
    log.write_text("")
    seconds = _grade_at_once(pg_course, postgres, MODULES, subs, log)
    print(f"two modules graded in parallel into PostgreSQL in {seconds:.1f} s")
    for module_id in MODULES:  # the reference: SQLite, one grading process at a time
        _grade_at_once(sqlite_course, None, [module_id], subs, log)

    assert not (pg_course / "gradebook.db").exists(), "the PostgreSQL course wrote a SQLite gradebook"
    in_postgres = _gradebook(postgres)
    in_sqlite = _gradebook(f"sqlite:///{sqlite_course / 'gradebook.db'}")
    assert in_postgres == in_sqlite
    students = {(module_id, student) for module_id, student, _ in in_postgres}
    assert students == {(m, s) for m in MODULES for s in STUDENTS}
    totals = {}
    for (module_id, student, _), score in in_postgres.items():
        totals[(module_id, student)] = totals.get((module_id, student), 0) + (score or 0)
    for module_id in MODULES:  # the three submissions really differ: full, partial, nothing
        assert totals[(module_id, "anna-loesung")] > totals[(module_id, "cem-fehler")] > 0
        assert totals[(module_id, "ben-unbearbeitet")] == 0
