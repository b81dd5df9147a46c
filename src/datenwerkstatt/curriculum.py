"""Load and validate the curriculum (``curriculum/*.yml``): modules, personas, and the rules between them.

Everything else (catalog, persona paths, releases, tests) is derived from what this module returns. Errors are
``Problem`` objects that name the file, the entry and the fix; ``validate_curriculum`` collects all of them instead of
stopping at the first, so an author sees everything to mend in one run.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

LEVEL_PREFIX = {"beginner": "b", "intermediate": "i", "advanced": "a"}
LEVEL_DE = {"beginner": "Einstieg", "intermediate": "Aufbau", "advanced": "Vertiefung"}


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the project's inputs: where, what, and how to fix it."""

    file: str
    entry: str
    message: str
    fix: str = ""

    def __str__(self) -> str:
        text = f"{self.file}: {self.entry}: {self.message}"
        return f"{text} (fix: {self.fix})" if self.fix else text


class CurriculumError(Exception):
    """The curriculum cannot be used; ``problems`` lists every reason."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


@dataclass(frozen=True)
class Objective:
    text: str
    exercises: tuple[str, ...]


@dataclass(frozen=True)
class Module:
    id: str
    title_de: str
    title_en: str
    level: str
    format: str
    teaching: int
    exercises: int
    prerequisites: tuple[str, ...]
    datasets: tuple[str, ...]
    objectives: tuple[Objective, ...]
    keypoints: tuple[str, ...]
    status: str = "available"

    @property
    def minutes(self) -> int:
        return self.teaching + self.exercises

    @property
    def available(self) -> bool:
        return self.status == "available"

    def grade_id(self, exercise: str) -> str:
        """``ex03`` -> ``<module-id>-ex03`` (grade ids are unique across the curriculum)."""
        return f"{self.id}-{exercise}"


@dataclass(frozen=True)
class Persona:
    id: str
    title_de: str
    title_en: str
    for_whom: str
    outcome: str
    path: tuple[str, ...]


@dataclass
class Curriculum:
    root: Path
    modules: dict[str, Module] = field(default_factory=dict)
    personas: dict[str, Persona] = field(default_factory=dict)

    def path_modules(self, persona_id: str) -> list[Module]:
        return [self.modules[m] for m in self.personas[persona_id].path]

    def personas_of(self, module_id: str) -> list[str]:
        """Persona ids whose path contains the module (derived: nothing in curriculum.yml repeats it)."""
        return [p.id for p in self.personas.values() if module_id in p.path]


# --- loading -------------------------------------------------------------------------------------------------------


def _fast_jsonschema():
    from datenwerkstatt._imports import skip_slow_iri_checker

    skip_slow_iri_checker()
    import jsonschema

    return jsonschema


def _read_yaml(path: Path, problems: list[Problem], rel: str) -> Any:
    import yaml

    if not path.exists():
        problems.append(Problem(rel, "(file)", "file is missing", f"create {rel}"))
        return None
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        problems.append(Problem(rel, where, f"is not valid YAML: {getattr(exc, 'problem', exc)}",
                                "check indentation and quoting at that line"))
        return None


def _schema_problems(data: Any, schema_path: Path, rel: str, list_key: str) -> list[Problem]:
    jsonschema = _fast_jsonschema()
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    validator = jsonschema.Draft202012Validator(schema)
    found = []
    for err in sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path)):
        path = list(err.absolute_path)
        entry = "(top level)"
        if len(path) >= 2 and path[0] == list_key and isinstance(path[1], int):
            items = data.get(list_key) or []
            ident = items[path[1]].get("id") if isinstance(items[path[1]], dict) else None
            entry = f"{list_key[:-1]} {ident or '#' + str(path[1] + 1)}"
            if len(path) > 2:
                entry += " -> " + ".".join(str(p) for p in path[2:])
        found.append(Problem(rel, entry, err.message, f"see {schema_path.name} for the allowed form"))
    return found


def load_curriculum(root: Path) -> Curriculum:
    """Load and fully validate; raises ``CurriculumError`` listing every problem."""
    curriculum, problems = _load(root)
    problems += validate_curriculum(curriculum)
    if problems:
        raise CurriculumError(problems)
    return curriculum


def _module(m: dict) -> Module:
    return Module(
        id=m["id"], title_de=m["title"]["de"], title_en=m["title"]["en"], level=m["level"], format=m["format"],
        teaching=m["minutes"]["teaching"], exercises=m["minutes"]["exercises"],
        prerequisites=tuple(m["prerequisites"]), datasets=tuple(m["datasets"]),
        objectives=tuple(Objective(o["text"], tuple(o["exercises"])) for o in m["objectives"]),
        keypoints=tuple(m["keypoints"]), status=m.get("status", "available"),
    )


def _persona(p: dict) -> Persona:
    return Persona(p["id"], p["title"]["de"], p["title"]["en"], p["for_whom"], p["outcome"], tuple(p["path"]))


def _load_entries(root: Path, name: str, key: str, build, problems: list[Problem]) -> dict:
    """Read curriculum/<name>.yml, check it against its schema, build one object per entry of ``key`` by id."""
    rel = f"curriculum/{name}.yml"
    data = _read_yaml(root / rel, problems, rel)
    if data is None:
        return {}
    schema_problems = _schema_problems(data, root / "curriculum" / "schema" / f"{name}.schema.json", rel, key)
    problems += schema_problems
    entries: dict = {}
    if schema_problems:
        return entries
    kind = key[:-1]
    for raw in data[key]:
        if raw["id"] in entries:
            problems.append(Problem(rel, f"{kind} {raw['id']}", f"duplicate {kind} id",
                                    f"give every {kind} its own id" + (" (= its folder name)" if kind == "module" else "")))
            continue
        entries[raw["id"]] = build(raw)
    return entries


def _load(root: Path) -> tuple[Curriculum, list[Problem]]:
    problems: list[Problem] = []
    cur = Curriculum(root=root)
    cur.modules = _load_entries(root, "curriculum", "modules", _module, problems)
    cur.personas = _load_entries(root, "personas", "personas", _persona, problems)
    return cur, problems


# --- rules between entries ----------------------------------------------------------------------------------------


def validate_curriculum(cur: Curriculum) -> list[Problem]:
    """Cross-entry rules: level prefix, known prerequisites and datasets, no cycles, paths respect prerequisites."""
    cf, pf = "curriculum/curriculum.yml", "curriculum/personas.yml"
    problems: list[Problem] = []
    for m in cur.modules.values():
        where = f"module {m.id}"
        if m.id[0] != LEVEL_PREFIX[m.level]:
            problems.append(Problem(cf, where, f"id starts with '{m.id[0]}' but level is {m.level}",
                                    f"rename to '{LEVEL_PREFIX[m.level]}{m.id[1:]}' or change the level"))
        for pre in m.prerequisites:
            if pre not in cur.modules:
                problems.append(Problem(cf, where, f"prerequisite '{pre}' does not exist",
                                        "use the id of a module listed in curriculum.yml"))
            elif pre == m.id:
                problems.append(Problem(cf, where, "lists itself as a prerequisite", "remove it"))
        for ds in m.datasets:
            if not (cur.root / "datasets" / ds / "datapackage.json").exists():
                problems.append(Problem(cf, where, f"dataset '{ds}' does not exist (no datasets/{ds}/datapackage.json)",
                                        "add the dataset or fix the id"))
        if m.available:
            if not m.objectives:
                problems.append(Problem(cf, where, "has no objectives", "add 'Du kannst ...' objectives"))
            if not m.keypoints:
                problems.append(Problem(cf, where, "has no keypoints", "add the 'Das nimmst du mit' points"))
            for pre in m.prerequisites:
                if pre in cur.modules and not cur.modules[pre].available:
                    problems.append(Problem(cf, where, f"is available but its prerequisite '{pre}' is only planned",
                                            "write the prerequisite first or mark this module planned"))
    problems += _cycle_problems(cur, cf)
    for p in cur.personas.values():
        seen: set[str] = set()
        for mid in p.path:
            if mid not in cur.modules:
                problems.append(Problem(pf, f"persona {p.id}", f"path names unknown module '{mid}'",
                                        "use an id from curriculum.yml"))
                continue
            for pre in cur.modules[mid].prerequisites:
                if pre not in seen:
                    problems.append(Problem(pf, f"persona {p.id}",
                                            f"module '{mid}' comes before its prerequisite '{pre}'",
                                            f"put '{pre}' earlier in the path"))
            seen.add(mid)
    return problems


def _cycle_problems(cur: Curriculum, cf: str) -> list[Problem]:
    """Depth-first search; reports each cycle once, as the chain of ids that closes it."""
    state: dict[str, int] = {}  # 1 = on the stack, 2 = done
    problems: list[Problem] = []

    def visit(mid: str, stack: list[str]) -> None:
        state[mid] = 1
        for pre in cur.modules[mid].prerequisites:
            if pre not in cur.modules or pre == mid:
                continue
            if state.get(pre) == 1:
                cycle = stack[stack.index(pre):] + [mid, pre] if pre in stack else [mid, pre]
                problems.append(Problem(cf, f"module {mid}", "prerequisites form a cycle: " + " -> ".join(cycle),
                                        "remove one of these prerequisites"))
            elif pre not in state:
                visit(pre, stack + [mid])
        state[mid] = 2

    for mid in cur.modules:
        if mid not in state:
            visit(mid, [])
    return problems


# --- rendering ------------------------------------------------------------------------------------------------------


def header_markdown(module: Module) -> str:
    """The first cell of a module notebook, derived from curriculum.yml (a test keeps notebook and entry equal)."""
    code = module.id.split("-")[0].upper()
    lines = [
        f"# {code} · {module.title_de}",
        "",
        f"**Stufe:** {LEVEL_DE[module.level]} · **Zeit:** etwa {module.minutes} Minuten "
        f"({module.teaching} Min. Input, {module.exercises} Min. Übungen)",
        "",
        "**Das lernst du hier:**",
        "",
    ]
    lines += [f"- {o.text}" for o in module.objectives]
    return "\n".join(lines)


def format_minutes(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours} h {rest:02d} min" if hours else f"{rest} min"
