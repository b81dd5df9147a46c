"""Reports for trainers: a grades CSV, a CSV Moodle's gradebook can import, and one self-contained HTML page (charts
embedded as PNG, no CDN) showing at a glance which exercise the group struggled with.

Everything is read back from nbgrader's gradebook plus our status record, so the report can be rebuilt any time.
"""

from __future__ import annotations

import base64
import csv
import html
import io
from dataclasses import dataclass
from pathlib import Path

from datenwerkstatt.errors import UserError
from datenwerkstatt.grading import status as status_store
from datenwerkstatt.grading.autograde import ExerciseInfo, StudentResult, read_scores, source_notebook
from datenwerkstatt.grading.table import describe_protections
from datenwerkstatt.notebooks import exercises, read_notebook

COUNTED = ("graded", "late", "timed_out")  # statuses whose points are final enough to chart
STATUS_DE = {"graded": "bewertet", "late": "verspätet", "not_gradable": "nicht bewertbar", "timed_out": "Zeitlimit",
             "flagged": "markiert", "missing": "fehlt"}


@dataclass
class ModuleResults:
    module: str
    exercises: list[ExerciseInfo]
    results: list[StudentResult]

    @property
    def max_total(self) -> float:
        return sum(e.max_points for e in self.exercises)


def collect(module_ids: list[str], course: Path, db_url: str | None = None) -> list[ModuleResults]:
    from datenwerkstatt.grading.course import nbgrader_api

    api = nbgrader_api(course, db_url)
    found = []
    for module_id in module_ids:
        results = status_store.load(course, module_id)
        if not results:
            raise UserError(f"nothing graded yet for {module_id} in {course}; run `datenwerkstatt grade` first")
        for result in results.values():
            if result.status not in ("not_gradable", "missing"):
                result.scores, _ = read_scores(api, module_id, result.student)
        infos = [ExerciseInfo(e.grade_id, e.points, e.manual)
                 for e in exercises(read_notebook(source_notebook(course, module_id)))]
        found.append(ModuleResults(module_id, infos, sorted(results.values(), key=lambda r: r.student)))
    return found


def write_grades_csv(modules: list[ModuleResults], path: Path) -> None:
    with _atomic(path) as out:
        writer = csv.writer(out)
        writer.writerow(["module", "student", "status", "total", "max", "exercise", "points", "max_points", "reasons"])
        for m in modules:
            for r in m.results:
                total = r.total()
                for e in m.exercises:
                    score = r.scores.get(e.grade_id)
                    writer.writerow([m.module, r.student, r.status, "" if total is None else total, m.max_total,
                                     e.grade_id, "" if score is None else score, e.max_points, "; ".join(r.reasons)])


def write_moodle_csv(modules: list[ModuleResults], path: Path) -> None:
    """One row per student, one column per module (points). Moodle: Grades > Import > CSV file, map "Username" to
    the username field and each module column to its grade item. Submissions that still need the trainer (flagged,
    not gradable) stay empty rather than importing a misleading number."""
    students = sorted({r.student for m in modules for r in m.results})
    with _atomic(path) as out:
        writer = csv.writer(out)
        writer.writerow(["Username", *[m.module for m in modules]])
        for student in students:
            row = [student]
            for m in modules:
                r = next((x for x in m.results if x.student == student), None)
                row.append("" if r is None or r.status not in COUNTED else f"{r.total():g}")
            writer.writerow(row)


class _atomic:
    """Write a text file fully or not at all."""

    def __init__(self, path: Path):
        self.path, self.tmp = path, path.with_name(path.name + ".tmp")

    def __enter__(self):
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.file = open(self.tmp, "w", encoding="utf-8", newline="")  # noqa: SIM115
        return self.file

    def __exit__(self, exc_type, *rest):
        self.file.close()
        if exc_type is None:
            self.tmp.replace(self.path)
        else:
            self.tmp.unlink(missing_ok=True)


def _png(fig) -> str:
    import matplotlib.pyplot as plt

    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110, bbox_inches="tight")
    plt.close(fig)
    return '<img alt="" src="data:image/png;base64,' + base64.b64encode(buffer.getvalue()).decode() + '">'


def success_rates(m: ModuleResults) -> dict[str, float | None]:
    """Share of counted students with full points, per autograded exercise (None when nobody counts)."""
    counted = [r for r in m.results if r.status in COUNTED]
    rates = {}
    for e in m.exercises:
        if e.manual:
            continue
        scored = [r.scores.get(e.grade_id) for r in counted if r.scores.get(e.grade_id) is not None]
        rates[e.grade_id] = (sum(s >= e.max_points for s in scored) / len(scored)) if scored else None
    return rates


def _charts(m: ModuleResults) -> list[str]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    counted = [r for r in m.results if r.status in COUNTED]
    charts = []
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist([r.total() for r in counted], bins=min(10, int(m.max_total) + 1), range=(0, m.max_total),
            color="#0072B2", edgecolor="white")
    ax.set(title="Punkteverteilung", xlabel="Punkte", ylabel="Teilnehmende")
    charts.append(_png(fig))
    rates = {gid: rate for gid, rate in success_rates(m).items() if rate is not None}
    if rates:
        fig, ax = plt.subplots(figsize=(6, 0.4 * len(rates) + 1))
        labels = [gid.rsplit("-", 1)[-1] for gid in rates]
        ax.barh(labels, [100 * v for v in rates.values()], color=["#D55E00" if v < 0.5 else "#009E73"
                                                                   for v in rates.values()])
        ax.set(title="Erfolgsquote je Aufgabe (volle Punkte)", xlabel="% der Teilnehmenden", xlim=(0, 100))
        ax.invert_yaxis()
        charts.append(_png(fig))
    auto = [e for e in m.exercises if not e.manual]
    if counted and auto:
        fig, ax = plt.subplots(figsize=(0.5 * len(auto) + 2, 0.3 * len(counted) + 1))
        grid = [[(r.scores.get(e.grade_id) or 0) / e.max_points for e in auto] for r in counted]
        ax.imshow(grid, cmap="cividis", vmin=0, vmax=1, aspect="auto")
        ax.set_xticks(range(len(auto)), [e.grade_id.rsplit("-", 1)[-1] for e in auto])
        ax.set_yticks(range(len(counted)), [r.student for r in counted])
        ax.set_title("Teilnehmende × Aufgaben (hell = volle Punkte)")
        charts.append(_png(fig))
    return charts


def render_html(modules: list[ModuleResults]) -> str:
    sections = []
    for m in modules:
        counts = {s: sum(r.status == s for r in m.results) for s in STATUS_DE}
        rates = success_rates(m)
        hardest = min((g for g in rates if rates[g] is not None), key=lambda g: rates[g], default=None)
        attention = "".join(f"<li>{html.escape(r.student)}: {STATUS_DE[r.status]} – {html.escape('; '.join(r.reasons))}</li>"
                            for r in m.results if r.reasons)
        status_table = "".join(f"<tr><td>{STATUS_DE[s]}</td><td>{n}</td></tr>" for s, n in counts.items() if n)
        protections: dict[str, bool] = {}
        for r in m.results:
            for key, value in r.protections.items():
                protections[key] = protections.get(key, True) and value
        sections.append(
            f"<section><h2>{html.escape(m.module)}</h2>"
            + (f"<p><strong>Schwierigste Aufgabe:</strong> {html.escape(hardest)} "
               f"({100 * rates[hardest]:.0f} % mit vollen Punkten)</p>" if hardest else "")
            + f"<table><tr><th>Status</th><th>Anzahl</th></tr>{status_table}</table>"
            + (f"<p><small>{html.escape(describe_protections(protections))}</small></p>" if protections else "")
            + "".join(_charts(m))
            + (f"<h3>Braucht deine Aufmerksamkeit</h3><ul>{attention}</ul>" if attention else "")
            + "</section>")
    if len(modules) > 1:
        students = sorted({r.student for m in modules for r in m.results})
        head = "".join(f"<th>{html.escape(m.module)}</th>" for m in modules)
        rows = ""
        for s in students:
            cells = ""
            for m in modules:
                r = next((x for x in m.results if x.student == s), None)
                value = "–" if r is None or r.total() is None else f"{100 * r.total() / m.max_total:.0f} %"
                cells += f"<td>{value}</td>"
            rows += f"<tr><td>{html.escape(s)}</td>{cells}</tr>"
        sections.append(f"<section><h2>Fortschritt über die Module</h2><table><tr><th>Teilnehmende</th>{head}</tr>"
                        f"{rows}</table></section>")
    style = ("body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}"
             "table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #ccc;padding:.2rem .6rem}"
             "img{max-width:100%;display:block;margin:1rem 0}")
    return (f'<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>Auswertung</title>'
            f"<style>{style}</style></head><body><h1>Auswertung der Abgaben</h1>{''.join(sections)}</body></html>")


def write_report(module_ids: list[str], course: Path, out: Path | None = None, db_url: str | None = None) -> list[Path]:
    course = course.resolve()
    out = out or course / "berichte"
    modules = collect(module_ids, course, db_url)
    stem = module_ids[0] if len(module_ids) == 1 else "module"
    files = [out / f"noten-{stem}.csv", out / f"moodle-{stem}.csv", out / f"bericht-{stem}.html"]
    write_grades_csv(modules, files[0])
    write_moodle_csv(modules, files[1])
    with _atomic(files[2]) as page:
        page.write(render_html(modules))
    return files
