"""Feedback for participants: one self-contained German HTML page per student, written where nbgrader keeps feedback
(course/feedback/<student>/<module>/<notebook>.html), so `nbgrader release_feedback` / `fetch_feedback` deliver it on
a hub. Stock nbgrader's feedback shows the test cells' code and tracebacks, hidden tests included; ours shows per
exercise the points, whether it passed, the participant's own answer and the friendly message of the check that
failed - never any test code.
"""

from __future__ import annotations

import html
import re
import shutil
from pathlib import Path

from datenwerkstatt.errors import UserError
from datenwerkstatt.grading import status as status_store
from datenwerkstatt.grading.autograde import source_notebook
from datenwerkstatt.notebooks import hidden_test_lines, nbgrader_meta, read_notebook, source

NBGRADER_FILES = ("timestamp.txt", "submission_secret.txt")
FRIENDLY = {"NochNichtRichtig", "NochNichtBearbeitet"}
STATUS_NOTE = {
    "flagged": "Deine Abgabe schaut sich deine Trainerin oder dein Trainer noch einmal genau an; die Punkte können "
               "sich dadurch noch ändern.",
    "timed_out": "Ein Teil deines Notebooks lief zu lange und wurde abgebrochen. Prüfe, ob irgendwo eine Schleife "
                 "nicht endet.",
    "late": "Deine Abgabe kam nach der Frist an.",
}
CSS = """body{font-family:system-ui,sans-serif;max-width:52rem;margin:2rem auto;padding:0 1rem;color:#222}
h1{font-size:1.5rem}.ex{border:1px solid #ddd;border-radius:8px;padding:.8rem 1rem;margin:1rem 0}
.ok{border-left:6px solid #009E73}.no{border-left:6px solid #D55E00}.open{border-left:6px solid #999}
.pts{float:right;font-weight:bold}pre{background:#f6f6f6;padding:.6rem;overflow-x:auto;white-space:pre-wrap}
.note{background:#fff6d5;padding:.6rem 1rem;border-radius:6px}code{background:#f0f0f0;padding:0 .2rem}"""


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _message(cell: dict, secrets: list[str]) -> tuple[str, str]:
    """(state, German message) of a test cell from its outputs: passed, wrong (with the check's message) or open."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if not errors:
        return "ok", "Alle Prüfungen bestanden."
    error = errors[-1]
    ename, evalue = error.get("ename", ""), _text(error.get("evalue", ""))
    visible_passed = any("✓" in _text(o.get("text", "")) for o in cell.get("outputs", [])
                         if o.get("output_type") == "stream")
    if ename == "NochNichtBearbeitet":
        return "open", evalue
    if ename in FRIENDLY:
        text = evalue
    elif any(line in evalue for line in secrets) or not evalue.strip():
        text = f"Eine Prüfung ist mit einem Fehler vom Typ {ename} ausgestiegen."
    else:
        text = f"Beim Ausführen gab es einen Fehler: {ename}: {evalue[:300]}"
    if visible_passed:
        text = "Die sichtbaren Prüfungen hast du bestanden, aber eine weitere Prüfung meldet: " + text
    return "no", text


def _with_code(text: str) -> str:
    """Escape, then show `backticked` parts of a check's message as code, as the notebook does."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(text))


def render(student: str, module_id: str, nb: dict, scores: dict, maxima: dict, status: str, secrets: list[str]) -> str:
    parts = []
    answers = {nbgrader_meta(c).get("grade_id", "").removesuffix("-antwort"): source(c) for c in nb["cells"]
               if nbgrader_meta(c).get("solution") and not nbgrader_meta(c).get("grade")}
    for number, cell in enumerate((c for c in nb["cells"] if nbgrader_meta(c).get("grade")), start=1):
        gid = nbgrader_meta(cell)["grade_id"]
        manual = bool(nbgrader_meta(cell).get("solution"))
        score = scores.get(gid)
        if manual:
            state, text = "open", "Diese Antwort bewertet deine Trainerin oder dein Trainer."
            answer = source(cell)
        else:
            state, text = _message(cell, secrets)
            answer = answers.get(gid, "")
        points = "–" if score is None else f"{score:g}"
        parts.append(
            f'<div class="ex {state}"><span class="pts">{points} / {maxima.get(gid, 0):g} Punkte</span>'
            f"<h2>Aufgabe {number} <small>({html.escape(gid)})</small></h2><p>{_with_code(text)}</p>"
            + (f"<details><summary>Deine Antwort</summary><pre>{html.escape(answer)}</pre></details>" if answer else "")
            + "</div>")
    total = sum(v for v in scores.values() if v is not None)
    note = f'<p class="note">{html.escape(STATUS_NOTE[status])}</p>' if status in STATUS_NOTE else ""
    return (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Rückmeldung {html.escape(module_id)}'
            f"</title><style>{CSS}</style></head><body><h1>Rückmeldung zu {html.escape(module_id)}</h1>"
            f"<p>Hallo {html.escape(student)}! Du hast <strong>{total:g} von {sum(maxima.values()):g} Punkten</strong>. "
            "Bei jeder Aufgabe siehst du, was schon klappt und was du noch verbessern kannst.</p>"
            f"{note}{''.join(parts)}</body></html>")


def write_feedback(module_id: str, course: Path, db_url: str | None = None) -> list[Path]:
    """Write every graded student's feedback page; returns the files written."""
    from datenwerkstatt.grading.autograde import read_scores
    from datenwerkstatt.grading.course import nbgrader_api

    course = course.resolve()
    src = source_notebook(course, module_id)
    source_nb = read_notebook(src)
    secrets = [line for line in hidden_test_lines(source_nb) if len(line) > 3]
    maxima = {nbgrader_meta(c)["grade_id"]: float(nbgrader_meta(c).get("points", 0))
              for c in source_nb["cells"] if nbgrader_meta(c).get("grade")}
    results = status_store.load(course, module_id)
    if not results:
        raise UserError(f"nothing graded yet for {module_id} in {course}; run `datenwerkstatt grade` first")
    api = nbgrader_api(course, db_url)
    written = []
    for student, result in sorted(results.items()):
        autograded = course / "autograded" / student / module_id / src.name
        if result.status in ("not_gradable", "missing") or not autograded.exists():
            continue
        scores, _ = read_scores(api, module_id, student)
        page = render(student, module_id, read_notebook(autograded), scores, maxima, result.status, secrets)
        target = course / "feedback" / student / module_id / f"{src.stem}.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_suffix(".tmp")
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(target)
        for name in NBGRADER_FILES:  # `nbgrader release_feedback` needs them next to the page
            if (autograded.parent / name).exists():
                shutil.copyfile(autograded.parent / name, target.parent / name)
        written.append(target)
    return written
