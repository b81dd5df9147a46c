"""The score table printed after grading: one row per student, one column per exercise, then what needs attention."""

from __future__ import annotations

from datenwerkstatt.grading.autograde import Outcome

STATUS_LABEL = {
    "graded": "graded", "late": "late", "not_gradable": "NOT GRADABLE", "timed_out": "TIMED OUT",
    "flagged": "FLAGGED", "missing": "missing",
}


def _points(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:g}"


PROTECTION_LABEL = {"separate_user": "own unprivileged user", "no_network": "no network",
                    "resource_limits": "memory/CPU/process limits", "private_tmp": "private /tmp, course hidden",
                    "prewarmed": "pre-warmed kernels"}


def describe_protections(protections: dict[str, bool]) -> str:
    """One line: which sandbox protections were really active in this run (some need root)."""
    if not any(protections.values()):
        return ("Sandbox: off - notebooks ran with your own rights (--no-sandbox, or not Linux): grade only "
                "notebooks you trust this way")
    active = [PROTECTION_LABEL.get(k, k) for k, v in protections.items() if v]
    missing = [PROTECTION_LABEL.get(k, k) for k, v in protections.items() if not v]
    text = "Sandbox: " + (", ".join(active) or "none")
    return text + (f"; NOT active here: {', '.join(missing)} (run as root to enable)" if missing else "")


def render_scores(outcome: Outcome) -> str:
    short = [e.grade_id.rsplit("-", 1)[-1] + ("*" if e.manual else "") for e in outcome.exercises]
    header = ["student", *short, "total", "status"]
    rows = [header, ["(max)", *[_points(e.max_points) for e in outcome.exercises], _points(outcome.max_total), ""]]
    for r in sorted(outcome.results, key=lambda r: r.student):
        rows.append([r.student, *[_points(r.scores.get(e.grade_id)) if r.status != "not_gradable" else "–"
                                  for e in outcome.exercises], _points(r.total()), STATUS_LABEL[r.status]])
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    lines = ["  ".join(cell.rjust(widths[i]) if 0 < i < len(header) - 1 else cell.ljust(widths[i])
                       for i, cell in enumerate(row)).rstrip() for row in rows]
    lines.insert(1, "-" * len(lines[0]))
    lines.append("(* = graded by hand: '–' until you grade it in the formgrader)")
    if outcome.protections:
        lines.append(describe_protections(outcome.protections))
    attention = [f"- {r.student}: {STATUS_LABEL[r.status]}: {'; '.join(r.reasons)}"
                 for r in sorted(outcome.results, key=lambda r: r.student) if r.reasons]
    attention += [f"- file '{name}': {reason}" for name, reason in outcome.unmatched]
    if attention:
        lines += ["", "Needs your attention:", *attention]
    return "\n".join(lines)
