"""Look at a submission before anything runs: can it be graded at all, and did someone tamper with graded cells or
with the grading machinery?

nbgrader restores what it can (locked cells' source, data files) but says nothing about deleted graded cells and
warns "checksum changed" for every hidden-test cell, burying real tampering. We compare against the *release* version
of each cell (hidden tests stripped), so an untouched test cell is never reported, and we scan the participant's own
cells for code that reaches into the checks, the builtins or IPython's error display. Such a submission is graded,
but its automatic points are withheld for the trainer to review (a wrong answer never turns into points).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from pathlib import Path

from datenwerkstatt.notebooks import HIDDEN_BEGIN, HIDDEN_END, exercises, nbgrader_meta, read_notebook, source

# builtins a participant never needs in these modules, but that reach around the checks
SUSPICIOUS_BUILTINS = {"__builtins__", "__import__", "get_ipython", "setattr", "delattr", "globals", "exec", "eval",
                       "compile", "vars"}
# attributes of IPython's error display and the interpreter's hooks
SUSPICIOUS_ATTRIBUTES = {"showtraceback", "_showtraceback", "_render_traceback_", "excepthook", "run_cell",
                         "set_custom_exc", "displayhook", "modules", "InteractiveShell",
                         # processes and signals: nothing in these modules needs them
                         "kill", "killpg", "_exit", "fork", "forkpty", "system", "popen", "spawnl", "execv",
                         "setrlimit"}
# objects whose attributes a participant must not assign (plus every alias bound to our own package)
PROTECTED_ROOTS = {"sys", "builtins", "__builtins__", "IPython", "datenwerkstatt"}
SUSPICIOUS_IMPORTS = {"ctypes", "builtins", "importlib", "gc", "signal", "subprocess", "socket", "pty",
                      "multiprocessing", "IPython", "urllib", "http", "requests", "ftplib", "smtplib", "shutil"}
OWN_PACKAGE = "datenwerkstatt"


@dataclass
class Verdict:
    status: str = "graded"  # graded | flagged | not_gradable
    reasons: list[str] = field(default_factory=list)
    withhold: bool = False  # suspicious code: automatic points go to the trainer for review


def _strip_hidden(text: str) -> str:
    out, inside = [], False
    for line in text.splitlines():
        if line.strip() == HIDDEN_BEGIN:
            inside = True
        elif line.strip() == HIDDEN_END:
            inside = False
        elif not inside:
            out.append(line.rstrip())
    return "\n".join(out).strip()


def check_submission(path: Path, source_nb: dict, module_id: str) -> Verdict:
    """All pre-execution checks of one submitted notebook against the source notebook."""
    verdict = Verdict()
    if path.stat().st_size == 0:
        return Verdict("not_gradable", ["the file is empty (0 bytes): the participant probably saved before the "
                                        "download finished; ask for the notebook again"])
    try:
        nb = read_notebook(path)
    except ValueError as exc:
        return Verdict("not_gradable", [f"unreadable notebook: {str(exc).split(': ', 1)[-1]}; "
                                        "ask for the file again"])
    expected = {e.grade_id for e in exercises(source_nb)}
    graded_cells = [c for c in nb["cells"] if nbgrader_meta(c).get("grade")]
    found = [nbgrader_meta(c).get("grade_id", "") for c in graded_cells]
    if expected and not expected & set(found):
        others = sorted({gid.rsplit("-ex", 1)[0] for gid in found if "-ex" in gid})
        hint = f" It looks like module {', '.join(others)}." if others else ""
        return Verdict("not_gradable", [f"contains none of {module_id}'s exercises.{hint} "
                                        "Was the wrong file submitted?"])
    _cell_changes(nb, source_nb, expected, found, verdict)
    _suspicious_code(nb, verdict)
    if verdict.reasons:
        verdict.status = "flagged"
    return verdict


def _cell_changes(nb: dict, source_nb: dict, expected: set[str], found: list[str], verdict: Verdict) -> None:
    missing = sorted(expected - set(found))
    if missing:
        verdict.reasons.append(f"graded cell(s) deleted: {', '.join(missing)} (scored 0)")
    duplicated = sorted({gid for gid in found if found.count(gid) > 1})
    if duplicated:
        verdict.reasons.append(f"graded cell(s) duplicated: {', '.join(duplicated)} (only the original counts)")
    originals = {nbgrader_meta(c)["grade_id"]: c for c in source_nb["cells"] if nbgrader_meta(c).get("grade_id")}
    edited, retyped = [], []
    for cell in nb["cells"]:
        gid = nbgrader_meta(cell).get("grade_id")
        original = originals.get(gid)
        if original is None:
            continue
        if cell.get("cell_type") != original.get("cell_type"):
            retyped.append(gid)
        elif nbgrader_meta(original).get("locked") and not nbgrader_meta(original).get("solution"):
            if _strip_hidden(source(cell)) != _strip_hidden(source(original)):
                edited.append(gid)
    if retyped:
        verdict.reasons.append(f"cell type changed: {', '.join(sorted(set(retyped)))} (restored before grading)")
    if edited:
        verdict.reasons.append(f"test cell(s) edited: {', '.join(sorted(set(edited)))} "
                               "(the original was restored before grading)")


def _suspicious_code(nb: dict, verdict: Verdict) -> None:
    """Scan the participant's own code cells (not the locked ones nbgrader restores anyway)."""
    found: set[str] = set()
    for cell in nb["cells"]:
        meta = nbgrader_meta(cell)
        if cell.get("cell_type") != "code" or (meta.get("locked") and not meta.get("solution")):
            continue
        found |= suspicious_constructs(source(cell))
    if found:
        verdict.withhold = True
        verdict.reasons.append("code that reaches into the grading checks or Python/IPython internals: "
                               f"{', '.join(sorted(found))}; automatic points withheld until you review it")


def suspicious_constructs(code: str) -> set[str]:
    """Names of suspicious constructs in one cell (magics and shell lines are ignored; unparsable code is not
    suspicious by itself - it simply fails when run)."""
    lines = [line for line in code.splitlines() if not line.lstrip().startswith(("%", "!"))]
    try:
        tree = ast.parse("\n".join(lines))
    except SyntaxError:
        return set()
    hits: set[str] = set()
    protected = set(PROTECTED_ROOTS)
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                top = alias.name.split(".")[0]
                if top in SUSPICIOUS_IMPORTS or top == OWN_PACKAGE:
                    # learners only ever need `from datenwerkstatt.check import ...`
                    hits.add(f"import {alias.name}")
                if top == OWN_PACKAGE:
                    protected.add((alias.asname or alias.name).split(".")[0])
        elif isinstance(node, ast.ImportFrom):
            top = (node.module or "").split(".")[0]
            if top in SUSPICIOUS_IMPORTS:
                hits.add(f"import {node.module}")
            if top == OWN_PACKAGE:
                # whatever comes from our package (a module such as `check` or `check._kern`, or a function) must not
                # have attributes replaced
                protected.update(a.asname or a.name for a in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and _outside_path(node.value):
            hits.add(f"path outside the notebook folder ({node.value[:40]!r})")
        elif isinstance(node, ast.Name) and node.id in SUSPICIOUS_BUILTINS:
            hits.add(node.id)
        elif isinstance(node, ast.Attribute) and node.attr in SUSPICIOUS_ATTRIBUTES:
            hits.add(_dotted(node) or node.attr)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, (ast.Store, ast.Del)):
            dotted = _dotted(node)
            if dotted and dotted.split(".")[0] in protected:
                hits.add(f"assignment to {dotted}")
    return hits


def _outside_path(text: str) -> bool:
    """Notebooks read `daten/...` next to them; '..', absolute paths and the gradebook point elsewhere."""
    text = text.strip()
    return ("../" in text or text == ".." or "gradebook" in text.lower()
            or (text.startswith("/") and text.count("/") >= 2 and "\n" not in text))


def _dotted(node: ast.AST) -> str:
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return ""
