"""Helpers for the deployment tests: free loopback ports, polling, processes stopped by PID, system tools.

System tools (Debian's chromium, PostgreSQL, configurable-http-proxy from npm) are installed by
`deploy/system-deps.sh`; a missing tool fails the test with that instruction instead of skipping it.
"""

from __future__ import annotations

import glob
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
VENV_BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def system_tool(path_or_glob: str) -> str:
    """The path of a tool deploy/system-deps.sh installs; fails (never skips) when it is missing."""
    found = sorted(glob.glob(path_or_glob)) if any(ch in path_or_glob for ch in "*?") else (
        [path_or_glob] if os.path.exists(path_or_glob) else [p for p in [shutil.which(path_or_glob)] if p])
    if not found:
        pytest.fail(f"{path_or_glob} is missing: run `bash deploy/system-deps.sh` (as root) first")
    return found[-1]


def wait_until(what: str, probe, timeout: float = 30.0, interval: float = 0.2, process=None):
    """Poll ``probe()`` until it returns something truthy; fail with ``what`` after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            pytest.fail(f"{what}: the process exited with {process.returncode}")
        try:
            value = probe()
        except OSError:
            value = None
        if value:
            return value
        time.sleep(interval)
    pytest.fail(f"{what}: not ready after {timeout:.0f} s")


def http_ok(url: str) -> bool:
    import requests

    try:
        return requests.get(url, timeout=2).status_code < 500
    except requests.ConnectionError:
        return False


class Processes:
    """Start processes and stop them, and every descendant they started, by PID."""

    def __init__(self):
        self.started: list[subprocess.Popen] = []

    def start(self, args, *, log: Path, **kwargs) -> subprocess.Popen:
        out = open(log, "ab")  # noqa: SIM115 - closed in stop()
        proc = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, **kwargs)
        proc.log_file = out
        self.started.append(proc)
        return proc

    def stop(self, proc: subprocess.Popen, timeout: float = 15.0) -> None:
        """SIGTERM the process (it may stop its own children, as JupyterHub does), then any descendant still there."""
        import psutil

        try:
            family = psutil.Process(proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if proc.poll() is None:
            proc.send_signal(signal.SIGTERM)
            try:
                proc.wait(timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        for child in family:
            try:
                child.terminate()
            except psutil.NoSuchProcess:
                continue
        _, alive = psutil.wait_procs(family, timeout=5)
        for child in alive:
            child.kill()
        proc.log_file.close()

    def stop_all(self) -> None:
        for proc in reversed(self.started):
            self.stop(proc)


def kernel_peak_rss(notebook: Path) -> int:
    """Peak resident memory (bytes, the kernel's VmHWM) of running ``notebook`` top to bottom in its own folder."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(notebook, as_version=4)
    client = NotebookClient(nb, timeout=120, kernel_name="python3", allow_errors=True,
                            resources={"metadata": {"path": str(notebook.parent)}})
    with client.setup_kernel():
        for index, cell in enumerate(nb.cells):
            client.execute_cell(cell, index)
        status = Path(f"/proc/{client.km.provisioner.process.pid}/status").read_text()
    kib = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM:"))
    return kib * 1024
