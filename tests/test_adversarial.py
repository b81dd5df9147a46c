"""Hostile and broken submissions, graded in ONE parallel sandboxed run next to two honest ones. For each: the run
completes, the honest students' grades are exactly right, the attacker gains no points, and the record (what the
report and the score table show) says what happened."""

from __future__ import annotations

import copy
import json
import socket
import sqlite3
import threading
import zipfile

import pytest

from builders import MODULE, make_project, mini_notebook, write_json
from datenwerkstatt.curriculum import load_curriculum
from datenwerkstatt.grading.release import release
from datenwerkstatt.grading.sandbox import Limits

EX = f"{MODULE}-ex01"
WRONG = "summe = 5\n"  # every attack also gives a wrong answer: any point it earns is a point stolen


def _answer(code: str) -> dict:
    nb = mini_notebook()
    nb["cells"][2]["source"] = code
    return nb


def _listener():
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(5)
    server.settimeout(0.5)
    return server


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    from datenwerkstatt.grading.autograde import grade

    base = tmp_path_factory.mktemp("adversarial")
    root = make_project(base)
    kurs = base / "kurs"
    release(load_curriculum(root), MODULE, kurs)
    gradebook = kurs / "gradebook.db"
    server = _listener()
    port = server.getsockname()[1]
    attacks = {
        "loop": WRONG + "while True:\n    pass",
        "loop-print": WRONG + "while True:\n    print('x' * 1000)",
        "memory": WRONG + "blob = bytearray(3 * 1024**3)",
        "forkbomb": WRONG + "import os, time\nfor _ in range(10000):\n    try:\n        if os.fork() == 0:\n"
                            "            time.sleep(5); os._exit(0)\n    except OSError:\n        break",
        "exit": WRONG + "import os\nos._exit(1)",
        "kill-grader": WRONG + "import os, signal\nfor pid in [os.getppid(), 1] + list(range(2, 400)):\n"
                               "    try:\n        os.kill(pid, signal.SIGKILL)\n    except OSError:\n        pass",
        "read-source": WRONG + f"geheim = open({str(kurs / 'source' / MODULE / (MODULE + '.ipynb'))!r}).read()",
        "read-relative": WRONG + "geheim = open('../../../source/b01-mini/b01-mini.ipynb').read()",
        "read-gradebook": WRONG + f"daten = open({str(gradebook)!r}, 'rb').read()",
        "write-gradebook": WRONG + f"open({str(gradebook)!r}, 'wb').write(b'kaputt')",
        "network": WRONG + f"import socket\nsocket.create_connection(('127.0.0.1', {port}), timeout=2)",
        "huge-output": WRONG + "print('y' * 50_000_000)",
        "recursion": WRONG + "def f(n):\n    return f(n + 1)\nf(0)",
        "monkeypatch": WRONG + "import datenwerkstatt.check as c\nc.pruefe_zahl = lambda *a, **k: None\n"
                               "c.pruefe_gleich = lambda *a, **k: None",
        "showtraceback": WRONG + "get_ipython().showtraceback = lambda *a, **k: None",
        "hardcode-visible": "summe = 7  # an integer passes the visible check, not the hidden one",
    }
    subs = base / "abgaben"
    subs.mkdir()
    honest = mini_notebook()
    write_json(subs / "ehrlich-richtig.ipynb", honest)
    write_json(subs / "ehrlich-falsch.ipynb", _answer("summe = 4"))
    for name, code in attacks.items():
        write_json(subs / f"{name}.ipynb", _answer(code))
    edited = _answer(WRONG)
    edited["cells"][3]["source"] = "print('alles gut')"
    write_json(subs / "edit-test.ipynb", edited)
    deleted = _answer(WRONG)
    del deleted["cells"][3]
    write_json(subs / "delete-test.ipynb", deleted)
    duplicated = _answer(WRONG)
    duplicated["cells"].insert(4, copy.deepcopy(duplicated["cells"][3]))
    write_json(subs / "duplicate-cell.ipynb", duplicated)
    retyped = _answer(WRONG)
    retyped["cells"][3]["cell_type"] = "markdown"
    retyped["cells"][3].pop("outputs")
    retyped["cells"][3].pop("execution_count")
    write_json(subs / "retype-cell.ipynb", retyped)
    (subs / "corrupt.ipynb").write_text('{"cells": [', encoding="utf-8")
    (subs / "empty.ipynb").write_bytes(b"")
    (subs / "latin1.ipynb").write_bytes(json.dumps(_answer("summe = 'Größe'"), ensure_ascii=False).encode("latin-1"))
    write_json(subs / "other-module.ipynb", mini_notebook("b07-fremd"))
    (subs / f"{MODULE} (3).ipynb").write_text(json.dumps(mini_notebook()), encoding="utf-8")
    archive = base / "abgaben.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        for path in sorted(subs.iterdir()):
            zf.write(path, path.name)
        zf.writestr("../../zip-slip.ipynb", json.dumps(mini_notebook()))
    accepted = []
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                conn, _ = server.accept()
                accepted.append(conn)
            except OSError:
                continue

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    limits = Limits(notebook_timeout=20, cell_timeout=5, memory_mb=1536, max_output_chars=100_000)
    outcome = grade(MODULE, kurs, submissions=archive, workers=2, progress=False, limits=limits)
    stop.set()
    thread.join(timeout=2)
    server.close()
    return outcome, kurs, accepted, base


def _result(outcome, student):
    return next(r for r in outcome.results if r.student == student)


def test_honest_students_graded_exactly(run):
    outcome, *_ = run
    assert _result(outcome, "ehrlich-richtig").scores[EX] == 2
    assert _result(outcome, "ehrlich-richtig").status == "graded"
    assert _result(outcome, "ehrlich-falsch").scores[EX] == 0


ATTACKERS = ["loop", "loop-print", "memory", "forkbomb", "exit", "kill-grader", "read-source", "read-relative",
             "read-gradebook", "write-gradebook", "network", "huge-output", "recursion", "monkeypatch",
             "showtraceback", "hardcode-visible", "edit-test", "delete-test", "duplicate-cell", "retype-cell"]


@pytest.mark.parametrize("student", ATTACKERS)
def test_attacker_gains_nothing(run, student):
    outcome, *_ = run
    result = _result(outcome, student)
    assert result.scores.get(EX) in (0, None), f"{student} earned {result.scores.get(EX)}: {result.reasons}"
    assert (result.total() or 0) == 0


@pytest.mark.parametrize("student, words", [
    ("loop", "exceeded"), ("loop-print", "exceeded"), ("memory", "MemoryError"), ("exit", "died"),
    ("kill-grader", "os.kill"), ("read-source", "outside the notebook folder"),
    ("read-relative", "outside the notebook folder"), ("read-gradebook", "outside the notebook folder"),
    ("write-gradebook", "outside the notebook folder"), ("network", "import socket"), ("recursion", "RecursionError"),
    ("monkeypatch", "assignment to c.pruefe_zahl"), ("showtraceback", "showtraceback"), ("edit-test", "edited"),
    ("delete-test", "deleted"), ("duplicate-cell", "duplicated"), ("retype-cell", "type changed"),
    ("forkbomb", "os.fork"), ("huge-output", "output"),
])
def test_record_says_what_happened(run, student, words):
    outcome, *_ = run
    result = _result(outcome, student)
    assert words in " ".join(result.reasons), f"{student}: {result.status} {result.reasons}"
    if student not in ("memory", "recursion", "huge-output"):  # honest learners hit these too: a reason suffices
        assert result.status != "graded"


@pytest.mark.parametrize("student, words", [("corrupt", "unreadable"), ("empty", "empty"), ("latin1", "UTF-8"),
                                            ("other-module", "b07-fremd")])
def test_broken_files_are_not_gradable_never_zero(run, student, words):
    outcome, *_ = run
    result = _result(outcome, student)
    assert result.status == "not_gradable" and result.total() is None
    assert words in " ".join(result.reasons)


def test_unattributable_and_zip_slip_reported(run):
    outcome, _, _, base = run
    reasons = dict(outcome.unmatched)
    assert f"{MODULE} (3).ipynb" in reasons
    assert any("unsafe path" in r for r in reasons.values())
    assert not (base.parent / "zip-slip.ipynb").exists()


def test_no_network_and_gradebook_intact(run):
    outcome, kurs, accepted, _ = run
    if outcome.protections.get("no_network"):
        assert accepted == [], "a sandboxed kernel reached a server on the grader's loopback"
    with sqlite3.connect(kurs / "gradebook.db") as db:
        assert db.execute("select count(*) from student").fetchone()[0] >= 20


def test_protections_are_reported(run):
    outcome, *_ = run
    assert set(outcome.protections) >= {"separate_user", "no_network", "resource_limits"}
    import os

    if os.getuid() == 0:
        assert all(outcome.protections[k] for k in ("separate_user", "no_network", "resource_limits"))
