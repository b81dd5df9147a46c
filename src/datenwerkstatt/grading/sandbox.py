"""Sandboxed, pre-warmed notebook execution for the autograder (DESIGN.md section 6).

One :class:`Sandbox` owns one long-lived fork server (``_forkserver.py``, started with ``sys.executable``) that has
imported pandas, matplotlib, numpy and ipykernel once. :meth:`Sandbox.execute` asks it for a fresh kernel per
submission; the forked child

1. calls ``setsid()`` (its own session and process group),
2. when we are root: ``unshare(CLONE_NEWNET)`` (only a down loopback, so no network; the kernel talks zmq over
   ``ipc://`` unix sockets, which do not depend on the network namespace) and ``unshare(CLONE_NEWNS)``: ``/tmp``,
   ``/var/tmp``, ``/dev/shm`` and ``/run/lock`` become small empty tmpfs mounts (only the sandbox work dir stays
   visible) and every path in ``hide_paths`` (e.g. the nbgrader source folder, the gradebook) is covered,
3. sets RLIMIT_AS/CPU/NPROC/FSIZE (and CORE=0),
4. when we are root: drops to the slot's own uid/gid (``uid_base + slot``, no passwd entry needed, no
   supplementary groups), so two concurrent submissions never share a uid and a fork bomb in one slot only hits
   that uid's RLIMIT_NPROC,
5. chdirs into its private copy of the release files (mode 0700, owned by that uid; HOME, IPYTHONDIR,
   MPLCONFIGDIR, TMPDIR and the Jupyter dirs live inside it), clears the environment and starts an ``IPKernelApp``.

Without root (or when ``drop_privileges=False``) the same code runs with what the OS allows: a new session and the
rlimits; :attr:`Execution.protections` says which protections were really in place.

Timeouts. nbclient, and nbgrader's ``Execute`` preprocessor built on it (``interrupt_on_timeout=True``,
``allow_errors=True``), interrupt a timed-out cell, record a ``CellTimeoutError`` output and go on with the next cell
in the *same* kernel. We do the same, because a later test cell that does not depend on the slow one should still
earn its points: the timed-out cell gets an error output, the kernel is interrupted (SIGINT to its process group),
and if it becomes idle within ``interrupt_grace`` seconds the remaining cells run. If it does not (student code
swallowing KeyboardInterrupt, a C loop), the kernel is killed and the remaining cells are not run. The notebook
wall-clock timeout always stops the run. Either way the status is ``"timeout"``.

Outputs. At most ``max_output_chars`` characters of stream/display/result output are kept per notebook; the rest
is drained (so an endless print loop cannot fill the grader's memory) and discarded, and one German note is added.
Error outputs are always kept (their tracebacks trimmed): nbgrader decides whether a test cell failed by the
presence of an error output, so dropping one would hand out points.

After every execution all processes of the run are killed (a ``kill(-1)`` helper running as the slot uid, then a
``/proc`` scan by uid and by session until none is left) and the work dir is removed, before the slot is reused.
Because that cleanup kills *every* process of a slot uid, a Sandbox holds an flock per slot uid while it runs; a
second Sandbox (other process or thread) with an overlapping ``uid_base`` range fails at ``__enter__``.
"""

from __future__ import annotations

import contextlib
import copy
import dataclasses
import fcntl
import itertools
import json
import os
import queue
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Sequence

import nbformat

STATUS_ORDER = ("ok", "output_truncated", "timeout", "kernel_died", "failed_to_start")
TRACEBACK_CHARS = 20_000
KERNEL_START_TIMEOUT = 30.0
PROCESS_CLEANUP_TIMEOUT = 10.0


@dataclass(frozen=True)
class Limits:
    notebook_timeout: float = 300.0  # wall clock for the whole notebook, seconds
    cell_timeout: float = 60.0  # per cell
    memory_mb: int = 1536  # RLIMIT_AS of the kernel
    cpu_seconds: int = 300  # RLIMIT_CPU (soft; SIGKILL 5 s later)
    max_processes: int = 64  # RLIMIT_NPROC, per slot uid (threads count too)
    max_file_mb: int = 64  # RLIMIT_FSIZE; also the size of the private /tmp
    max_output_chars: int = 200_000  # per notebook; beyond it outputs are dropped and one note output is added
    interrupt_grace: float = 3.0  # after a cell timeout: seconds the interrupted kernel gets to become idle


@dataclass
class Execution:
    notebook: nbformat.NotebookNode  # executed copy, outputs in place
    status: str  # "ok" | "timeout" | "kernel_died" | "output_truncated" | "failed_to_start"
    reason: str  # one English sentence a trainer can read
    protections: dict[str, bool]  # separate_user, no_network, resource_limits, prewarmed, private_tmp
    seconds: float
    cell_index: int | None = None  # index in notebook.cells of the cell that timed out / killed the kernel
    details: dict[str, Any] = field(default_factory=dict)  # kernel pid, wait status, isolation errors


class _ServerGone(RuntimeError):
    pass


class Sandbox:
    """Executes notebooks in fresh, isolated kernels forked from one pre-warmed server. Use as a context manager."""

    def __init__(
        self,
        limits: Limits = Limits(),
        *,
        preload: Sequence[str] = ("pandas", "matplotlib", "matplotlib.pyplot", "numpy"),
        uid_base: int = 61000,
        slots: int = 2,
        drop_privileges: bool = True,
        hide_paths: Sequence[Path] = (),
    ) -> None:
        self.limits = limits
        self.preload = tuple(preload)
        self.uid_base = uid_base
        self.slots = slots
        self.hide_paths = tuple(Path(p).resolve() for p in hide_paths)
        self.as_root = drop_privileges and os.getuid() == 0
        self.workdir: Path | None = None
        self._proc: subprocess.Popen | None = None
        self._free_slots: queue.Queue[int] = queue.Queue()
        self._write_lock = threading.Lock()
        self._state = threading.Condition()
        self._replies: dict[int, dict] = {}
        self._exits: dict[int, int] = {}
        self._req = itertools.count(1)
        self._reader: threading.Thread | None = None
        self._server_error = ""
        self._uid_locks: list[Any] = []

    # -- lifecycle ----------------------------------------------------------------------------------------------

    def __enter__(self) -> Sandbox:
        if self.as_root:
            self._lock_uids()
        self.workdir = Path(tempfile.mkdtemp(prefix="dw-sandbox-"))
        self.workdir.chmod(0o711)  # sandbox uids may pass through, never list or write
        server_log = open(self.workdir / "server.log", "wb")  # noqa: SIM115 - handed to the child
        env = {
            **os.environ,
            # No thread pools in the server before fork, no oversized malloc arenas under RLIMIT_AS.
            "OPENBLAS_NUM_THREADS": "1",
            "OMP_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "MALLOC_ARENA_MAX": "2",
            # Read by matplotlib at import time (in the server): figures go to the inline backend as in Jupyter.
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "PYTHONDONTWRITEBYTECODE": "1",
        }
        self._proc = subprocess.Popen(
            [sys.executable, "-m", "datenwerkstatt.grading._forkserver", json.dumps(list(self.preload))],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=server_log,
            env=env,
            start_new_session=True,
        )
        server_log.close()
        first = self._proc.stdout.readline()
        if not first:
            log = (self.workdir / "server.log").read_text(errors="replace").strip()
            self.__exit__()
            raise RuntimeError(f"the sandbox fork server did not start: {log[-2000:]}")
        hello = json.loads(first)
        self.server_pid = hello["pid"]
        self._reader = threading.Thread(target=self._read_server, name="sandbox-server-reader", daemon=True)
        self._reader.start()
        for slot in range(self.slots):
            self._free_slots.put(slot)
        return self

    def __exit__(self, *exc: object) -> None:
        proc = self._proc
        if proc is not None:
            with contextlib.suppress(OSError):
                proc.stdin.close()  # the server kills its kernels on EOF
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            if self._reader is not None:
                self._reader.join(timeout=5)
            proc.stdout.close()
            self._proc = None
        if self.as_root:
            for slot in range(self.slots):
                self._kill_leftovers(uid=self.uid_base + slot, sid=None, server_alive=False)
        for lock in self._uid_locks:
            lock.close()
        self._uid_locks = []
        if self.workdir is not None:
            _remove_tree(self.workdir)
            self.workdir = None

    def _lock_uids(self) -> None:
        """Slot uids are exclusive: the cleanup kills *every* process of a slot uid, so a second sandbox (another
        thread, another pytest run) using the same uids would lose its kernels. flock makes that an error."""
        for slot in range(self.slots):
            uid = self.uid_base + slot
            lock = open(Path(tempfile.gettempdir()) / f"datenwerkstatt-sandbox-uid-{uid}.lock", "a")  # noqa: SIM115
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                lock.close()
                for held in self._uid_locks:
                    held.close()
                self._uid_locks = []
                raise RuntimeError(
                    f"uid {uid} is in use by another running Sandbox; give each one its own uid_base") from None
            self._uid_locks.append(lock)

    def _read_server(self) -> None:
        assert self._proc is not None
        for line in self._proc.stdout:
            message = json.loads(line)
            with self._state:
                if "event" in message:
                    self._exits[message["pid"]] = message["status"]
                else:
                    if message.get("pid") is not None:  # a reused pid must not inherit an old exit status
                        self._exits.pop(message["pid"], None)
                    self._replies[message["req"]] = message
                self._state.notify_all()
        with self._state:
            self._server_error = "the sandbox fork server ended"
            self._state.notify_all()

    def _request(self, op: str, timeout: float, **payload: Any) -> dict:
        req = next(self._req)
        line = json.dumps({"op": op, "req": req, **payload}) + "\n"
        try:
            with self._write_lock:
                assert self._proc is not None, "use Sandbox as a context manager"
                self._proc.stdin.write(line.encode())
                self._proc.stdin.flush()
        except (OSError, ValueError) as exc:
            raise _ServerGone(f"the sandbox fork server is not reachable ({exc})") from exc
        with self._state:
            ok = self._state.wait_for(lambda: req in self._replies or self._server_error, timeout)
            if req in self._replies:
                return self._replies.pop(req)
        raise _ServerGone(self._server_error or f"the sandbox fork server did not answer within {timeout:.0f} s")

    def exit_status(self, pid: int) -> int | None:
        with self._state:
            return self._exits.get(pid)

    # -- one submission ------------------------------------------------------------------------------------------

    def execute(
        self,
        nb: nbformat.NotebookNode,
        files_dir: Path,
        *,
        notebook_name: str = "notebook.ipynb",
        limits: Limits | None = None,
    ) -> Execution:
        """Execute every code cell of a copy of ``nb`` in a fresh kernel whose cwd is a private copy of ``files_dir``.

        ``notebook_name`` only appears in the reason texts; ``limits`` overrides the sandbox's limits for this run
        (e.g. per assignment). Thread-safe; at most ``slots`` run at once.
        """
        assert self.workdir is not None, "use Sandbox as a context manager"
        if self.workdir.is_relative_to(Path(files_dir).resolve()):
            raise ValueError(f"files_dir {files_dir} contains the sandbox work dir {self.workdir}; "
                             "the copy would include itself. Use a folder that holds only the release files.")
        slot = self._free_slots.get()
        try:
            return self._execute_in_slot(slot, nb, Path(files_dir), notebook_name, limits or self.limits)
        finally:
            self._free_slots.put(slot)

    def _execute_in_slot(
        self, slot: int, nb: nbformat.NotebookNode, files_dir: Path, name: str, limits: Limits
    ) -> Execution:
        started = time.monotonic()
        uid = self.uid_base + slot if self.as_root else None
        run = _Run(self, copy.deepcopy(nb), uid, started, limits)
        try:
            run.prepare(files_dir)
            run.start_kernel()
            if run.status == "ok":
                run.execute_cells()
        finally:
            run.stop()
        return Execution(
            notebook=run.nb,
            status=run.status,
            reason=run.reason(name),
            protections=run.protections,
            seconds=round(time.monotonic() - started, 3),
            cell_index=run.cell_index,
            details=run.details,
        )

    def _kill_leftovers(self, uid: int | None, sid: int | None, server_alive: bool = True) -> int:
        """SIGKILL every process of ``uid`` / session ``sid`` until none is left; returns how many were seen."""
        if uid is not None and server_alive:
            with contextlib.suppress(_ServerGone):
                self._request("killuid", timeout=10, uid=uid)
        seen: set[int] = set()
        deadline = time.monotonic() + PROCESS_CLEANUP_TIMEOUT
        while True:
            pids = sandbox_processes(uid=uid, sid=sid)
            if not pids or time.monotonic() > deadline:
                return len(seen)
            for pid in pids:
                seen.add(pid)
                with contextlib.suppress(OSError):
                    os.kill(pid, signal.SIGKILL)
            time.sleep(0.01)


def sandbox_processes(uid: int | None = None, sid: int | None = None) -> list[int]:
    """PIDs (zombies included: they still count towards RLIMIT_NPROC) whose real/effective/saved uid is ``uid``
    or whose session is ``sid``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as fh:
                stat = fh.read()
            with open(f"/proc/{entry}/status", "rb") as fh:
                uid_line = next(line for line in fh if line.startswith(b"Uid:"))
        except (OSError, StopIteration):
            continue
        session = int(stat[stat.rindex(b")") + 2 :].split()[3])
        uids = {int(v) for v in uid_line.split()[1:4]}
        if (uid is not None and uid in uids) or (sid is not None and session == sid):
            found.append(int(entry))
    return found


def _remove_tree(path: Path) -> None:
    def make_writable(func: Any, target: str, _exc: Any) -> None:
        with contextlib.suppress(OSError):
            os.chmod(os.path.dirname(target), 0o700)
            os.chmod(target, 0o700)
        with contextlib.suppress(OSError):
            func(target)

    shutil.rmtree(path, onerror=make_writable)


def _signal_name(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        hint = {
            signal.SIGKILL: ", usually the memory or CPU limit",
            signal.SIGXCPU: ", the CPU time limit",
            signal.SIGSEGV: ", a crash",
        }.get(sig, "")
        return f"killed by signal {signal.Signals(sig).name}{hint}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _output_size(output: nbformat.NotebookNode) -> int:
    if output.output_type == "stream":
        return len(output.get("text", ""))
    return sum(len(v) if isinstance(v, str) else len(json.dumps(v)) for v in output.get("data", {}).values())


def _keep_visible(workdir: Path) -> list[str]:
    """What the kernel must still see after /tmp is replaced: its work dir, the interpreter's environment and our
    package (both may live under /tmp, e.g. in a CI checkout). Nothing else of the checkout: notebooks stay hidden."""
    import datenwerkstatt

    package = Path(datenwerkstatt.__file__).resolve().parent
    return [str(workdir), str(Path(sys.prefix).resolve()), str(package)]


def _record_hidden_error(cell: nbformat.NotebookNode, reply: dict) -> None:
    """The kernel reports a failed cell in its execute_reply even when student code silenced the error display
    (e.g. replaced ``showtraceback``); nbgrader scores only outputs, so make the failure visible as one, as
    nbgrader's own Execute step does."""
    if reply.get("status") != "error":
        return
    if not any(o.get("output_type") == "error" for o in cell.get("outputs", [])):
        cell.outputs.append(_error_output(reply.get("ename", "Error"), reply.get("evalue", "") or
                                          "Fehler, dessen Anzeige abgeschaltet war"))


def _error_output(ename: str, evalue: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_output("error", ename=ename, evalue=evalue, traceback=[f"{ename}: {evalue}"])


class _Run:
    """State of one execution: work dir, kernel, client, outputs and the verdict."""

    def __init__(
        self, sandbox: Sandbox, nb: nbformat.NotebookNode, uid: int | None, started: float, limits: Limits
    ) -> None:
        self.sb = sandbox
        self.nb = nb
        self.uid = uid
        self.limits = limits
        self.deadline = started + self.limits.notebook_timeout
        self.status = "ok"
        self.problem = ""
        self.cell_index: int | None = None
        self.details: dict[str, Any] = {}
        self.protections = {
            "separate_user": False, "no_network": False, "resource_limits": False,
            "prewarmed": False, "private_tmp": False,
        }
        self.dir: Path | None = None
        self.pid: int | None = None
        self.client: Any = None
        self.output_chars = 0
        self.truncated = False
        self.cells_run = 0

    def fail(self, status: str, problem: str, cell_index: int | None = None) -> None:
        """Record a problem; the worst status wins (STATUS_ORDER), its sentence is the reason."""
        if STATUS_ORDER.index(status) >= STATUS_ORDER.index(self.status):
            self.status, self.problem = status, problem
            if cell_index is not None:
                self.cell_index = cell_index

    def reason(self, name: str) -> str:
        if self.status == "ok":
            return f"{name}: all {self.cells_run} code cells were executed."
        return f"{name}: {self.problem}"

    # -- setup / teardown ----------------------------------------------------------------------------------------

    def prepare(self, files_dir: Path) -> None:
        assert self.sb.workdir is not None
        self.dir = Path(tempfile.mkdtemp(prefix="run-", dir=self.sb.workdir))
        shutil.copytree(files_dir, self.dir, dirs_exist_ok=True)
        for sub in (".kernel", ".home", ".home/.ipython", ".home/.config/matplotlib", ".home/.jupyter", ".tmp"):
            (self.dir / sub).mkdir(parents=True, exist_ok=True)
        if self.uid is not None:
            for root, dirs, files in os.walk(self.dir):
                for item in (root, *(os.path.join(root, n) for n in dirs + files)):
                    os.lchown(item, self.uid, self.uid)
        self.dir.chmod(0o700)

    def start_kernel(self) -> None:
        from jupyter_client import BlockingKernelClient
        from jupyter_client.connect import write_connection_file

        assert self.dir is not None
        kernel_dir = self.dir / ".kernel"
        connection_file = str(kernel_dir / "connection.json")
        write_connection_file(
            connection_file, transport="ipc", ip=str(kernel_dir / "zmq"), key=secrets.token_hex(32).encode(),
            shell_port=1, iopub_port=2, stdin_port=3, control_port=4, hb_port=5,
        )
        if self.uid is not None:
            os.chown(connection_file, self.uid, self.uid)
        home = self.dir / ".home"
        user = "sandbox" if self.uid is not None else os.environ.get("USER", "sandbox")
        env = {
            "PATH": f"{Path(sys.executable).parent}:/usr/local/bin:/usr/bin:/bin",
            "HOME": str(home), "USER": user, "LOGNAME": user,
            "IPYTHONDIR": str(home / ".ipython"), "MPLCONFIGDIR": str(home / ".config/matplotlib"),
            "JUPYTER_CONFIG_DIR": str(home / ".jupyter"), "JUPYTER_DATA_DIR": str(home / ".jupyter/data"),
            "JUPYTER_RUNTIME_DIR": str(self.dir / ".kernel"), "TMPDIR": str(self.dir / ".tmp"),
            "MPLBACKEND": "module://matplotlib_inline.backend_inline",
            "LANG": "C.UTF-8", "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8",
            "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1", "MALLOC_ARENA_MAX": "2",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
        }
        spec = {
            "uid": self.uid, "cwd": str(self.dir), "connection_file": connection_file, "env": env,
            "log_file": str(kernel_dir / "kernel.log"), "keep_visible": _keep_visible(self.sb.workdir),
            "hide_paths": [str(p) for p in self.sb.hide_paths], "limits": dataclasses.asdict(self.limits),
        }
        try:
            reply = self.sb._request("start", timeout=KERNEL_START_TIMEOUT, spec=spec)
        except _ServerGone as exc:
            self.fail("failed_to_start", f"the kernel could not be started: {exc}.")
            return
        self.pid = reply["pid"]
        report = reply["report"]
        self.details.update(kernel_pid=self.pid, isolation={k: v for k, v in report.items() if k.endswith("error")})
        if "error" in report:
            self.fail("failed_to_start", f"the kernel could not be started: {report['error']}.")
            return
        self.protections.update({k: bool(report.get(k)) for k in self.protections}, prewarmed=True)
        client = BlockingKernelClient(connection_file=connection_file)
        client.load_connection_file()
        client.start_channels(hb=False)
        self.client = client
        self.wait_ready(min(self.deadline, time.monotonic() + KERNEL_START_TIMEOUT))
        self.details["ready_after"] = round(time.monotonic() - self.deadline + self.limits.notebook_timeout, 3)

    def wait_ready(self, deadline: float) -> None:
        """Ready = a kernel_info request got its shell reply *and* its iopub status: a SUB socket that connects
        late misses messages (zmq slow joiner), and a missed "idle" would leave the first cell waiting forever."""
        requests: set[str] = set()
        replied = subscribed = False
        next_request = 0.0
        while time.monotonic() < deadline:
            if self.dead():
                log = self.kernel_log()
                self.fail("failed_to_start", f"the kernel ended during start-up ({self.death_text()}){log}.")
                return
            if not subscribed and time.monotonic() >= next_request:
                requests.add(self.client.kernel_info())
                next_request = time.monotonic() + 0.2
            with contextlib.suppress(queue.Empty):
                while True:
                    replied |= self.client.get_shell_msg(timeout=0)["parent_header"].get("msg_id") in requests
            with contextlib.suppress(queue.Empty):
                subscribed |= self.client.get_iopub_msg(timeout=0.02)["parent_header"].get("msg_id") in requests
            if replied and subscribed:
                time.sleep(0.02)  # let the remaining status messages of the extra requests arrive, then drop them
                with contextlib.suppress(queue.Empty):
                    while True:
                        self.client.get_iopub_msg(timeout=0)
                with contextlib.suppress(queue.Empty):
                    while True:
                        self.client.get_shell_msg(timeout=0)
                return
        self.fail("failed_to_start", "the kernel did not answer within the start-up time.")

    def kernel_log(self) -> str:
        assert self.dir is not None
        with contextlib.suppress(OSError):
            lines = (self.dir / ".kernel" / "kernel.log").read_text(errors="replace").strip().splitlines()
            if lines:
                return f"; last log line: {lines[-1][:300]}"
        return ""

    def dead(self) -> bool:
        """The kernel ended (or the fork server did, which takes its kernels with it via PDEATHSIG)."""
        return self.pid is not None and (self.sb.exit_status(self.pid) is not None or bool(self.sb._server_error))

    def death_text(self) -> str:
        status = self.sb.exit_status(self.pid) if self.pid is not None else None
        if status is None:
            return self.sb._server_error or "unknown cause"
        return _signal_name(status)

    def stop(self) -> None:
        if self.client is not None:
            self.client.stop_channels()
        if self.pid is not None and not self.dead():
            with contextlib.suppress(OSError):
                os.killpg(self.pid, signal.SIGKILL)
        if self.pid is not None:
            killed = self.sb._kill_leftovers(self.uid, self.pid)
            self.details["processes_killed"] = killed
        if self.dir is not None:
            _remove_tree(self.dir)

    # -- cells ---------------------------------------------------------------------------------------------------

    def execute_cells(self) -> None:
        for index, cell in enumerate(self.nb.cells):
            if cell.cell_type != "code":
                continue
            cell.outputs = []
            cell.execution_count = None
            if not cell.source.strip():
                continue
            if not self.run_cell(index, cell):
                break
            self.cells_run += 1
        if self.truncated:
            self.fail(
                "output_truncated",
                f"the outputs exceeded {self.limits.max_output_chars} characters; the rest was dropped.",
            )

    def run_cell(self, index: int, cell: nbformat.NotebookNode) -> bool:
        """Run one cell; False when the run must stop (kernel dead/killed, notebook timeout)."""
        msg_id = self.client.execute(cell.source, store_history=True, allow_stdin=False, stop_on_error=False)
        cell_deadline = time.monotonic() + self.limits.cell_timeout
        interrupted_at: float | None = None
        idle = replied = False
        reply_content: dict = {}
        while not (idle and replied):
            now = time.monotonic()
            if self.dead():
                cell.outputs.append(_error_output(
                    "DeadKernelError", "Der Python-Kernel ist bei dieser Zelle abgestürzt; danach lief nichts mehr."))
                self.fail("kernel_died", f"the kernel died during cell {index + 1} ({self.death_text()}); "
                                         "the notebook was stopped there.", index)
                return False
            if now > self.deadline:
                cell.outputs.append(_error_output(
                    "CellTimeoutError", f"Das Notebook lief länger als {self.limits.notebook_timeout:g} s "
                                        "und wurde hier abgebrochen."))
                self.fail("timeout", f"the notebook exceeded {self.limits.notebook_timeout:g} s in cell "
                                     f"{index + 1}; the notebook was stopped there.", index)
                return False
            if interrupted_at is None and now > cell_deadline:
                interrupted_at = now
                with contextlib.suppress(OSError):
                    os.killpg(self.pid, signal.SIGINT)
            elif interrupted_at is not None and now > interrupted_at + self.limits.interrupt_grace:
                self.add_timeout_output(cell)
                self.fail("timeout", f"cell {index + 1} exceeded {self.limits.cell_timeout:g} s and did not stop "
                                     "when interrupted; the notebook was stopped there.", index)
                return False
            # wait on the socket that still owes us something: outputs until idle, then the reply (which ipykernel
            # may send after idle); polling the other one would add its timeout to every cell
            with contextlib.suppress(queue.Empty):
                while True:
                    reply = self.client.get_shell_msg(timeout=0.05 if idle else 0)
                    if reply["parent_header"].get("msg_id") == msg_id:
                        replied = True
                        cell.execution_count = reply["content"].get("execution_count")
                        reply_content = reply["content"]
                        break
            if not idle:
                with contextlib.suppress(queue.Empty):
                    msg = self.client.get_iopub_msg(timeout=0.05)
                    if msg["parent_header"].get("msg_id") == msg_id:
                        idle = self.handle_iopub(cell, msg) or idle
        # only now: the reply can arrive before the error's iopub message, which must be counted first
        _record_hidden_error(cell, reply_content)
        if interrupted_at is not None:
            self.add_timeout_output(cell)
            self.fail("timeout", f"cell {index + 1} exceeded {self.limits.cell_timeout:g} s and was interrupted; "
                                 "the remaining cells were executed.", index)
        return True

    def add_timeout_output(self, cell: nbformat.NotebookNode) -> None:
        cell.outputs = [o for o in cell.outputs if not (o.output_type == "error" and o.ename == "KeyboardInterrupt")]
        cell.outputs.append(_error_output(
            "CellTimeoutError", f"Diese Zelle lief länger als {self.limits.cell_timeout:g} s und wurde abgebrochen."))

    def handle_iopub(self, cell: nbformat.NotebookNode, msg: dict) -> bool:
        """Add one iopub message to the cell; True when the kernel reported idle."""
        kind = msg["msg_type"]
        content = msg["content"]
        if kind == "status":
            return content["execution_state"] == "idle"
        if kind == "execute_input":
            cell.execution_count = content.get("execution_count")
        elif kind == "clear_output":
            kept = [o for o in cell.outputs if o.output_type == "error"]
            self.output_chars -= sum(_output_size(o) for o in cell.outputs if o.output_type != "error")
            cell.outputs = kept
        elif kind in ("stream", "display_data", "execute_result", "error"):
            self.add_output(cell, nbformat.v4.output_from_msg(msg))
        return False

    def add_output(self, cell: nbformat.NotebookNode, output: nbformat.NotebookNode) -> None:
        if output.output_type == "error":
            text = "\n".join(output.traceback)
            if len(text) > TRACEBACK_CHARS:
                output.traceback = [text[:TRACEBACK_CHARS], "... (gekürzt)"]
            cell.outputs.append(output)
            return
        if self.truncated:
            return
        size = _output_size(output)
        room = self.limits.max_output_chars - self.output_chars
        if size > room:
            self.truncated = True
            if output.output_type == "stream" and room > 0:  # keep the part of the text that still fits
                output.text = output.text[:room]
                self._append(cell, output)
            cell.outputs.append(nbformat.v4.new_output(
                "stream", name="stderr",
                text=f"\n[Ausgabe gekürzt: das Notebook hat mehr als {self.limits.max_output_chars} Zeichen "
                     "ausgegeben, der Rest wurde weggelassen.]\n",
            ))
            return
        self.output_chars += size
        self._append(cell, output)

    @staticmethod
    def _append(cell: nbformat.NotebookNode, output: nbformat.NotebookNode) -> None:
        """Append, merging consecutive stream outputs of the same name as Jupyter does."""
        last = cell.outputs[-1] if cell.outputs else None
        if (output.output_type == "stream" and last is not None and last.output_type == "stream"
                and last.name == output.name):
            last.text += output.text
        else:
            cell.outputs.append(output)
