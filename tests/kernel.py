"""A tiny Jupyter kernel driver for tests that need to run code cells in an order of their own choosing."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jupyter_client.manager import start_new_kernel


@dataclass
class CellRun:
    status: str  # "ok" | "error"
    text: str  # everything the learner would see: stdout/stderr, results, the rendered error


class Kernel:
    def __init__(self, cwd: Path):
        self.km, self.kc = start_new_kernel(kernel_name="python3", cwd=str(cwd))

    def run(self, code: str, timeout: float = 60) -> CellRun:
        parts: list[str] = []

        def collect(msg):
            kind, content = msg["msg_type"], msg["content"]
            if kind == "stream":
                parts.append(content["text"])
            elif kind in ("execute_result", "display_data"):
                parts.append(content["data"].get("text/plain", ""))
            elif kind == "error":
                parts.append("\n".join(content["traceback"]) + "\n" + content["evalue"])

        reply = self.kc.execute_interactive(code, timeout=timeout, output_hook=collect, allow_stdin=False)
        return CellRun(reply["content"]["status"], "".join(parts))

    def close(self) -> None:
        self.kc.stop_channels()
        self.km.shutdown_kernel(now=True)

    def __enter__(self) -> "Kernel":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
