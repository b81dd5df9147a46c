"""Grading speed: stock nbgrader autograde (serial) against `datenwerkstatt grade` (sandboxed, parallel), on the same
30 submissions of a real module (solutions, untouched releases, typical mistakes, two that never finish).

Prints wall time, ratio, per-submission median and peak memory. A benchmark, not a test: nothing is asserted.
Usage: python bench/grading.py [--module b02-exporte-laden] [--count 28] [--hanging 2] [--workers N]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CELL_TIMEOUT = 10  # same per-cell limit for both, so the never-ending submissions cost both the same


def stock(course: Path, module: str) -> dict:
    """nbgrader's own autograde, one submission after another, in this process (what `nbgrader autograde` runs,
    minus its 4-5 s start-up, which we time separately below)."""
    from datenwerkstatt.grading.course import load_config, nbgrader_api

    config = load_config(course)
    config.Execute.timeout = CELL_TIMEOUT
    api = nbgrader_api(course, config=config)
    times = []
    students = sorted(p.name for p in (course / "submitted").iterdir())
    for student in students:
        started = time.perf_counter()
        api.autograde(module, student, force=True, create=True)
        times.append(time.perf_counter() - started)
    return {"per_submission": times}


def ours(course: Path, module: str, workers: int) -> dict:
    from datenwerkstatt.grading.autograde import grade
    from datenwerkstatt.grading.sandbox import Limits

    started = time.perf_counter()
    outcome = grade(module, course, workers=workers, progress=False, force=True,
                    limits=Limits(cell_timeout=CELL_TIMEOUT, notebook_timeout=60))
    wall = time.perf_counter() - started
    return {"per_submission": [wall * workers / max(1, len(outcome.results))], "protections": outcome.protections}


def child(kind: str, course: Path, module: str, workers: int) -> dict:
    """Run one side in a fresh interpreter: wall time and peak memory include its imports and children."""
    started = time.perf_counter()
    code = (f"import json, sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import grading as g; "
            f"print('RESULT' + json.dumps(g.{kind}(__import__('pathlib').Path({str(course)!r}), {module!r}"
            + (f", {workers}" if kind == "ours" else "") + ")))")
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    wall = time.perf_counter() - started
    if run.returncode != 0:
        sys.exit(f"{kind} failed:\n{run.stderr[-3000:]}")
    data = json.loads(run.stdout.split("RESULT", 1)[1])
    data["wall"] = wall
    data["peak_mb"] = max(before, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
    return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--module", default="b02-exporte-laden")
    parser.add_argument("--count", type=int, default=28)
    parser.add_argument("--hanging", type=int, default=2)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    from datenwerkstatt.curriculum import load_curriculum
    from datenwerkstatt.grading import samples
    from datenwerkstatt.grading.autograde import place
    from datenwerkstatt.grading.collect import gather
    from datenwerkstatt.grading.release import release
    from datenwerkstatt.project import find_root

    cur = load_curriculum(find_root())
    with tempfile.TemporaryDirectory(prefix="datenwerkstatt-bench-") as tmp:
        base = Path(tmp)
        released = release(cur, args.module, base / "stock")
        made = samples.build(cur.root, args.module, released, base / "abgaben", count=args.count,
                             hanging=args.hanging, broken=0)
        shutil.copytree(base / "stock", base / "ours")
        for course in (base / "stock", base / "ours"):
            intake = gather(base / "abgaben", args.module, base / "work")
            place(intake, course, args.module, f"{args.module}.ipynb")
        cli_start = time.perf_counter()
        subprocess.run([str(Path(sys.executable).with_name("nbgrader")), "--version"], capture_output=True)
        cli_start = time.perf_counter() - cli_start
        print(f"module {args.module}: {len(made)} submissions ({args.hanging} never finish), "
              f"{args.workers} workers, cell timeout {CELL_TIMEOUT} s")
        s = child("stock", base / "stock", args.module, args.workers)
        o = child("ours", base / "ours", args.module, args.workers)
    stock_wall = s["wall"] + cli_start  # the CLI's own start-up, which `nbgrader autograde` pays once
    rows = [
        ("stock nbgrader autograde (serial)", stock_wall, statistics.median(s["per_submission"]), s["peak_mb"]),
        ("datenwerkstatt grade (sandbox, parallel)", o["wall"], statistics.median(o["per_submission"]), o["peak_mb"]),
    ]
    print(f"{'':42} {'wall s':>8} {'median s/sub':>13} {'peak MB':>8}")
    for name, wall, median, peak in rows:
        print(f"{name:42} {wall:8.1f} {median:13.2f} {peak:8.0f}")
    print(f"speed-up: {stock_wall / o['wall']:.2f}x   (nbgrader CLI start-up alone: {cli_start:.1f} s)")
    print("sandbox protections active: " + ", ".join(k for k, v in o.get("protections", {}).items() if v))
    print("(datenwerkstatt's per-submission figure is wall x workers / submissions: an effective cost, "
          "since submissions overlap)")


if __name__ == "__main__":
    main()
