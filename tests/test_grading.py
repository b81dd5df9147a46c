"""Release and grade on a tiny throw-away course: name matching, statuses that never hide as a plain 0, safe zips,
self-study solutions kept apart from graded releases, and the CLI's exit codes."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from builders import MODULE, make_project, mini_notebook, write_json
from datenwerkstatt.curriculum import load_curriculum
from datenwerkstatt.errors import UserError
from datenwerkstatt.grading.collect import gather, slug, student_from_name
from datenwerkstatt.grading.release import release


@pytest.mark.parametrize("stem, student", [
    ("Anna Müller", "anna-mueller"),
    (f"{MODULE} - Bernd Groß (1)", "bernd-gross"),
    (f"Kopie von {MODULE}_Çelik", "celik"),
    (f"{MODULE} (2)", ""),
    ("b01 Fatma", "fatma"),
])
def test_student_names_from_file_names(stem, student):
    assert student_from_name(stem, MODULE) == student


def test_slug_is_path_safe():
    assert slug("../../etc/passwd") == "etc-passwd"


def test_zip_slip_entries_are_refused(tmp_path):
    archive = tmp_path / "abgaben.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("../../boese.ipynb", "{}")
        zf.writestr("/abs.ipynb", "{}")
        zf.writestr("anna/b01-mini.ipynb", json.dumps(mini_notebook()))
    intake = gather(archive, MODULE, tmp_path / "work")
    assert [s.student for s in intake.submissions] == ["anna"]
    assert sum("unsafe path" in reason for _, reason in intake.unmatched) == 2
    assert not (tmp_path / "boese.ipynb").exists() and not (tmp_path.parent / "boese.ipynb").exists()


def test_newest_copy_of_a_student_wins(tmp_path):
    import os

    old, new = tmp_path / "Anna.ipynb", tmp_path / "Anna (1).ipynb"
    write_json(old, mini_notebook())
    write_json(new, mini_notebook())
    os.utime(old, (1_000_000, 1_000_000))
    intake = gather(tmp_path, MODULE, tmp_path / "w")
    assert [s.original for s in intake.submissions] == ["Anna (1).ipynb"]
    assert intake.unmatched and "newer" in intake.unmatched[0][1]


@pytest.fixture(scope="module")
def course(tmp_path_factory):
    """A released mini module and a batch of submissions covering every status."""
    from datenwerkstatt.grading.autograde import grade

    base = tmp_path_factory.mktemp("grading")
    root = make_project(base)
    cur = load_curriculum(root)
    kurs = base / "kurs"
    released = release(cur, MODULE, kurs)
    subs = base / "abgaben"
    subs.mkdir()
    shutil.copyfile(root / "notebooks" / MODULE / f"{MODULE}.ipynb", subs / "Anna.ipynb")
    shutil.copyfile(released / f"{MODULE}.ipynb", subs / "Bernd.ipynb")
    wrong = mini_notebook()
    wrong["cells"][2]["source"] = "summe = 7"
    write_json(subs / "Carla.ipynb", wrong)
    deleted = mini_notebook()
    deleted["cells"][2]["source"] = "summe = 6"
    del deleted["cells"][3]  # the test cell
    write_json(subs / "Dora.ipynb", deleted)
    (subs / "Emil.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "Fritz.ipynb").write_bytes(b"")
    write_json(subs / "Gül.ipynb", mini_notebook("b02-anderes"))
    (subs / "Hanna.ipynb").write_bytes(b"\xff\xfe\x00not utf8")
    (subs / "notizen.txt").write_text("hallo")
    shutil.copyfile(released / f"{MODULE}.ipynb", subs / f"{MODULE} (1).ipynb")
    outcome = grade(MODULE, kurs, submissions=subs, progress=False)
    return cur, kurs, outcome


def test_statuses_and_scores(course):
    _, _, outcome = course
    r = {x.student: x for x in outcome.results}
    assert r["anna"].status == "graded" and r["anna"].scores[f"{MODULE}-ex01"] == 2
    assert r["bernd"].scores[f"{MODULE}-ex01"] == 0
    assert r["carla"].status == "graded" and r["carla"].scores[f"{MODULE}-ex01"] == 0
    assert r["dora"].status == "flagged" and "deleted" in r["dora"].reasons[0]
    assert r["dora"].scores.get(f"{MODULE}-ex01") in (0, None) and r["dora"].total() == 0
    for student, words in [("emil", "unreadable"), ("fritz", "empty"), ("guel", "b02-anderes"), ("hanna", "UTF-8")]:
        assert r[student].status == "not_gradable", student
        assert words in " ".join(r[student].reasons), (student, r[student].reasons)
        assert r[student].total() is None, "a not-gradable file must never look like a 0"
    unmatched = dict(outcome.unmatched)
    assert "notizen.txt" in unmatched and f"{MODULE} (1).ipynb" in unmatched
    assert outcome.needs_attention


def test_score_table_names_what_needs_attention(course):
    from datenwerkstatt.grading.table import render_scores

    text = render_scores(course[2])
    assert "NOT GRADABLE" in text and "Needs your attention:" in text and "notizen.txt" in text
    assert "Sandbox: " in text


def test_self_study_release_is_separate(course, tmp_path):
    cur, kurs, _ = course
    target = release(cur, MODULE, kurs, self_study=True)
    solutions = json.loads((target / "loesungen.json").read_text())
    assert "sum([1, 2, 3])" in solutions[f"{MODULE}-ex01"]
    assert not (kurs / "release" / MODULE / "loesungen.json").exists()


def test_unknown_and_planned_modules_are_clear_errors(course):
    cur, kurs, _ = course
    with pytest.raises(UserError, match="unknown module"):
        release(cur, "b99-nix", kurs)


def test_cli_grade_exit_code_and_missing_release(tmp_path, course):
    _, kurs, _ = course
    run = subprocess.run([sys.executable, "-m", "datenwerkstatt", "grade", MODULE, "--course", str(kurs), "--quiet"],
                         capture_output=True, text=True)
    assert run.returncode == 1, run.stderr  # not-gradable submissions need the trainer
    assert "anna" in run.stdout
    empty = subprocess.run([sys.executable, "-m", "datenwerkstatt", "grade", MODULE, "--course",
                            str(tmp_path / "leer")], capture_output=True, text=True)
    assert empty.returncode == 2 and "release the module first" in empty.stderr
    assert "Traceback" not in empty.stderr


def test_feedback_never_contains_test_code(course):
    from datenwerkstatt.grading.feedback import write_feedback
    from datenwerkstatt.notebooks import hidden_test_lines, read_notebook

    _, kurs, _ = course
    pages = write_feedback(MODULE, kurs)
    students = {p.parts[-3] for p in pages}
    assert {"anna", "bernd", "carla"} <= students and "emil" not in students  # not gradable: no page
    source_nb = read_notebook(kurs / "source" / MODULE / f"{MODULE}.ipynb")
    for page in pages:
        text = page.read_text(encoding="utf-8")
        for line in hidden_test_lines(source_nb) + ["pruefe_zahl(summe", "BEGIN HIDDEN"]:
            assert line not in text, f"{page}: leaks {line}"
    carla = (kurs / "feedback" / "carla" / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
    assert "0 / 2 Punkte" in carla and "das stimmt noch nicht" in carla and "sichtbaren Prüfungen" in carla
    bernd = (kurs / "feedback" / "bernd" / MODULE / f"{MODULE}.html").read_text(encoding="utf-8")
    assert "noch nichts eingetragen" in bernd


def test_report_files(course):
    import csv

    from datenwerkstatt.grading.report import write_report

    _, kurs, _ = course
    grades, moodle, page = write_report([MODULE], kurs)
    rows = list(csv.DictReader(grades.open(encoding="utf-8")))
    anna = [r for r in rows if r["student"] == "anna" and r["exercise"] == f"{MODULE}-ex01"]
    assert anna and anna[0]["points"] == "2.0" and anna[0]["status"] == "graded"
    emil = [r for r in rows if r["student"] == "emil"]
    assert emil and all(r["total"] == "" and r["status"] == "not_gradable" for r in emil)
    moodle_rows = {r["Username"]: r for r in csv.DictReader(moodle.open(encoding="utf-8"))}
    assert moodle_rows["anna"][MODULE] == "2" and moodle_rows["emil"][MODULE] == ""
    html_text = page.read_text(encoding="utf-8")
    assert html_text.count("data:image/png;base64,") == 3 and "http" not in html_text.replace("http-equiv", "")
    assert "Schwierigste Aufgabe" in html_text and "nicht bewertbar" in html_text
    assert "Sandbox: " in html_text and "no network" in html_text


def _scores(outcome):
    return {r.student: (r.status, r.scores) for r in outcome.results}


def test_parallel_equals_serial_and_reruns_are_idempotent(tmp_path):
    from datenwerkstatt.grading import autograde

    root = make_project(tmp_path)
    cur = load_curriculum(root)
    subs = tmp_path / "abgaben"
    for index, answer in enumerate(["summe = 6", "summe = 5", "summe = ...", "summe = sum([1, 2, 3])"] * 2):
        nb = mini_notebook()
        nb["cells"][2]["source"] = answer
        write_json(subs / f"person {index}.ipynb", nb)
    results = []
    for workers in (1, 2):
        kurs = tmp_path / f"kurs{workers}"
        release(cur, MODULE, kurs)
        results.append(autograde.grade(MODULE, kurs, submissions=subs, workers=workers, progress=False))
    assert _scores(results[0]) == _scores(results[1])
    assert sum(r.scores[f"{MODULE}-ex01"] == 2 for r in results[0].results) == 4

    calls = []
    original = autograde._autograde_one

    def counting(*args):
        calls.append(args[3].student)
        return original(*args)

    autograde._autograde_one = counting
    try:
        again = autograde.grade(MODULE, tmp_path / "kurs2", workers=2, progress=False)
        assert calls == [] and _scores(again) == _scores(results[1])  # nothing changed: nothing regraded
        forced = autograde.grade(MODULE, tmp_path / "kurs2", workers=2, progress=False, force=True)
        assert len(calls) == 8 and _scores(forced) == _scores(results[1])
    finally:
        autograde._autograde_one = original


def test_interrupted_run_resumes_consistently(tmp_path):
    from datenwerkstatt.grading import autograde

    root = make_project(tmp_path)
    kurs = tmp_path / "kurs"
    release(load_curriculum(root), MODULE, kurs)
    subs = tmp_path / "abgaben"
    for index in range(6):
        nb = mini_notebook()
        nb["cells"][2]["source"] = "summe = 6" if index % 2 else "summe = 1"
        write_json(subs / f"person {index}.ipynb", nb)
    original = autograde._autograde_one
    done = []

    def interrupting(*args):
        if len(done) == 3:
            raise KeyboardInterrupt  # what Ctrl-C does mid-run
        done.append(args[3].student)
        return original(*args)

    autograde._autograde_one = interrupting
    try:
        with pytest.raises(KeyboardInterrupt):
            autograde.grade(MODULE, kurs, submissions=subs, workers=1, progress=False)
    finally:
        autograde._autograde_one = original
    regraded = []

    def counting(*args):
        regraded.append(args[3].student)
        return original(*args)

    autograde._autograde_one = counting
    try:
        resumed = autograde.grade(MODULE, kurs, workers=1, progress=False)
    finally:
        autograde._autograde_one = original
    assert not set(regraded) & set(done), "students graded before the interruption were graded again"
    assert len(regraded) == 3
    assert {r.student: r.scores[f"{MODULE}-ex01"] for r in resumed.results} == {
        f"person-{i}": (2 if i % 2 else 0) for i in range(6)}


def test_late_and_missing_statuses(tmp_path):
    """A hub course: a deadline in the gradebook, nbgrader's timestamp.txt from the exchange, and a roster."""
    from nbgrader.api import Gradebook

    from datenwerkstatt.grading import autograde
    from datenwerkstatt.grading.course import nbgrader_api

    root = make_project(tmp_path)
    kurs = tmp_path / "kurs"
    release(load_curriculum(root), MODULE, kurs)
    api = nbgrader_api(kurs)
    with Gradebook(api.coursedir.db_url, api.coursedir.course_id) as gb:
        gb.update_or_create_assignment(MODULE, duedate="2026-03-01 12:00:00")
        gb.add_student("zoe")  # on the roster, hands in nothing
    for student, stamp in [("puenktlich", "2026-03-01 11:00:00"), ("spaet", "2026-03-01 15:30:00")]:
        folder = kurs / "submitted" / student / MODULE
        write_json(folder / f"{MODULE}.ipynb", mini_notebook())
        (folder / "timestamp.txt").write_text(stamp)
    outcome = autograde.grade(MODULE, kurs, workers=2, progress=False)
    status = {r.student: r for r in outcome.results}
    assert status["puenktlich"].status == "graded"
    assert status["spaet"].status == "late" and "3.5 h after the deadline" in status["spaet"].reasons[0]
    assert status["spaet"].scores[f"{MODULE}-ex01"] == 2  # late is reported, not punished (nbgrader's penalty is off)
    assert status["zoe"].status == "missing" and status["zoe"].total() is None
