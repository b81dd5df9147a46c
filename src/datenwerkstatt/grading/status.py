"""The grader's own record next to nbgrader's gradebook: one status, its reasons and the protections that were
active, per student and module (course/datenwerkstatt/<module>.json). nbgrader has no place for "not gradable" or
"flagged"; reports and feedback read them from here. Written atomically after each student."""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
from pathlib import Path
from typing import Any

FOLDER = "datenwerkstatt"


def path(course: Path, module_id: str) -> Path:
    return course / FOLDER / f"{module_id}.json"


def load(course: Path, module_id: str) -> dict[str, Any]:
    from datenwerkstatt.grading.autograde import StudentResult

    file = path(course, module_id)
    if not file.exists():
        return {}
    try:
        raw = json.loads(file.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return {}  # a damaged record only costs a regrade
    known = {f.name for f in dataclasses.fields(StudentResult)}
    return {student: StudentResult(**{k: v for k, v in entry.items() if k in known}) for student, entry in raw.items()}


def save(course: Path, module_id: str, results: dict[str, Any]) -> None:
    file = path(course, module_id)
    file.parent.mkdir(parents=True, exist_ok=True)
    data = {student: dataclasses.asdict(r) for student, r in sorted(results.items())}
    fd, tmp = tempfile.mkstemp(prefix=".status-", dir=file.parent)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, ensure_ascii=False, indent=1)
    os.replace(tmp, file)
