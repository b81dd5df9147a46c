"""`make demo`: the trainer's whole cycle on the pilot module with sample submissions, ending in the score table."""

from __future__ import annotations

import shutil
from pathlib import Path

from datenwerkstatt.curriculum import Curriculum

PILOT = "b02-exporte-laden"


def run_demo(cur: Curriculum, course: Path) -> int:
    from datenwerkstatt.grading import samples
    from datenwerkstatt.grading.autograde import grade
    from datenwerkstatt.grading.release import release
    from datenwerkstatt.grading.table import render_scores

    module_id = PILOT if PILOT in cur.modules and cur.modules[PILOT].available else next(
        m.id for m in cur.modules.values() if m.available)
    if course.exists():
        shutil.rmtree(course)
    print(f"1. release {module_id} into {course}")
    released = release(cur, module_id, course)
    print("2. sample submissions (as participants would download them after a Binder workshop):")
    inbox = course.parent / f"{course.name}-abgaben"
    if inbox.exists():
        shutil.rmtree(inbox)
    for name, what in samples.build(cur.root, module_id, released, inbox).items():
        print(f"   {name:<28} {what}")
    print("3. grade")
    outcome = grade(module_id, course, submissions=inbox)
    print()
    print(render_scores(outcome))
    print(f"\nCourse directory: {course}  (nbgrader formgrader works on it too)")
    return 0
