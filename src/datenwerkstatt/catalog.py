"""The module catalog and persona paths as text tables (derived from the curriculum, never typed)."""

from __future__ import annotations

from dataclasses import dataclass

from datenwerkstatt.curriculum import LEVEL_DE, Curriculum, format_minutes


@dataclass(frozen=True)
class Row:
    id: str
    title: str
    level: str
    minutes: int
    prerequisites: str
    status: str


def catalog_rows(cur: Curriculum, *, level: str | None = None, persona: str | None = None,
                 max_minutes: int | None = None, include_planned: bool = True) -> list[Row]:
    if persona is not None and persona not in cur.personas:
        raise KeyError(f"unknown persona '{persona}'; known: {', '.join(cur.personas)}")
    modules = cur.path_modules(persona) if persona else list(cur.modules.values())
    rows = []
    for m in modules:
        if (level and m.level != level) or (max_minutes is not None and m.minutes > max_minutes):
            continue
        if not include_planned and not m.available:
            continue
        rows.append(Row(m.id, m.title_de, LEVEL_DE[m.level], m.minutes, ", ".join(m.prerequisites) or "–",
                        "" if m.available else "geplant"))
    return rows


def render_table(rows: list[Row]) -> str:
    if not rows:
        return "(no module matches these filters)"
    header = ("id", "title", "level", "min", "prerequisites", "status")
    cells = [header] + [(r.id, r.title, r.level, str(r.minutes), r.prerequisites, r.status) for r in rows]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(value.ljust(widths[i]) for i, value in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def render_path(cur: Curriculum, persona_id: str) -> str:
    persona = cur.personas[persona_id]
    modules = cur.path_modules(persona_id)
    total = sum(m.minutes for m in modules)
    planned = [m for m in modules if not m.available]
    lines = [f"{persona.title_de} ({persona.title_en})", f"Für dich, wenn: {persona.for_whom}",
             f"Am Ende: {persona.outcome}", ""]
    for step, m in enumerate(modules, start=1):
        mark = "  (geplant)" if not m.available else ""
        lines.append(f"{step:>2}. {m.id:<28} {m.title_de}  [{format_minutes(m.minutes)}]{mark}")
    lines += ["", f"Gesamt: {format_minutes(total)} in {len(modules)} Modulen"
                  + (f", davon {len(planned)} noch geplant" if planned else "")]
    return "\n".join(lines)
