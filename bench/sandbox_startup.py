"""Micro benchmark: kernel ready + one small pandas cell + shutdown, warm sandbox vs. a fresh KernelManager kernel.

Run: .venv/bin/python bench/sandbox_startup.py [runs]. Prints figures; not a test.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

import nbformat
from jupyter_client.manager import start_new_kernel

from datenwerkstatt.grading.sandbox import Sandbox

CELL = "import pandas as pd\ndf = pd.DataFrame({'a': [1, 2, 3]})\nint(df['a'].sum())"


def warm(runs: int, files: Path) -> tuple[float, list[float]]:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(CELL)])
    started = time.perf_counter()
    with Sandbox(slots=1, uid_base=61700) as sandbox:  # not 61000: a grader run may hold that one
        server_start = time.perf_counter() - started
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            ex = sandbox.execute(nb, files)
            times.append(time.perf_counter() - t0)
            assert ex.status == "ok" and ex.notebook.cells[0].outputs[0].data["text/plain"] == "6", ex.reason
    return server_start, times


def cold(runs: int, files: Path) -> list[float]:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        km, kc = start_new_kernel(kernel_name="python3", cwd=str(files))
        reply = kc.execute_interactive(CELL, timeout=60, output_hook=lambda msg: None)
        assert reply["content"]["status"] == "ok"
        kc.stop_channels()
        km.shutdown_kernel(now=True)
        times.append(time.perf_counter() - t0)
    return times


def describe(label: str, times: list[float]) -> None:
    print(f"{label:<34} median {statistics.median(times):.3f} s  min {min(times):.3f} s  max {max(times):.3f} s"
          f"  (n={len(times)})")


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 10
    with tempfile.TemporaryDirectory() as tmp:
        files = Path(tmp)
        server_start, warm_times = warm(runs, files)
        print(f"{'fork server start (one-off)':<34} {server_start:.3f} s")
        describe("warm sandbox kernel + cell + stop", warm_times)
        describe("fresh KernelManager kernel", cold(max(3, runs // 3), files))


if __name__ == "__main__":
    main()
