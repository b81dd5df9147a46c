"""Pre-warmed fork server for the grading sandbox (see ``sandbox.py`` for the whole picture).

Started by :class:`datenwerkstatt.grading.sandbox.Sandbox` as ``python -m datenwerkstatt.grading._forkserver``.
It imports the heavy modules once, then stays single-threaded and forks one child per request; the child isolates
itself (session, network and mount namespace, rlimits, unprivileged uid) and becomes an ``IPKernelApp``.

Protocol: one JSON object per line. Requests arrive on stdin, replies and events leave on the original stdout
(fd 1 is redirected to stderr right away so a chatty import cannot corrupt the protocol):

- ``{"op": "start", "req": n, "spec": {...}}`` -> ``{"req": n, "pid": p, "report": {...}}``
- ``{"op": "killuid", "req": n, "uid": u}`` -> ``{"req": n}`` after a helper running as ``u`` sent SIGKILL to
  every process of ``u`` (``kill(-1)`` is atomic in the kernel, a fork loop cannot outrun it)
- unsolicited ``{"event": "exit", "pid": p, "status": s}`` when a kernel ends (``s`` is the raw wait status)

EOF on stdin: every kernel is killed, then the server exits. The server is a child subreaper, so orphaned
descendants of a kernel are reparented to it and reaped (a zombie would otherwise keep counting towards the
sandbox uid's RLIMIT_NPROC).
"""

from __future__ import annotations

import ctypes
import importlib
import json
import os
import resource
import select
import signal
import sys
import traceback

CLONE_NEWNS = 0x00020000
CLONE_NEWNET = 0x40000000
MS_RDONLY = 1
MS_NOSUID = 2
MS_NODEV = 4
MS_BIND = 4096
MS_REC = 16384
MS_PRIVATE = 1 << 18
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36

# World-writable places that would let a submission write outside its own directory.
SHARED_WRITABLE = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")

_libc = ctypes.CDLL(None, use_errno=True)


def _check(result: int, what: str) -> None:
    if result != 0:
        err = ctypes.get_errno()
        raise OSError(err, f"{what}: {os.strerror(err)}")


def _mount(source: str | None, target: str, fstype: str | None, flags: int, data: str | None = None) -> None:
    enc = [None if v is None else v.encode() for v in (source, target, fstype, data)]
    _check(_libc.mount(enc[0], enc[1], enc[2], ctypes.c_ulong(flags), enc[3]), f"mount {target}")


def _prctl(option: int, value: int) -> None:
    _check(_libc.prctl(option, ctypes.c_ulong(value), 0, 0, 0), "prctl")


def _is_under(path: str, parent: str) -> bool:
    return path == parent or path.startswith(parent.rstrip("/") + "/")


def _private_mounts(keep: list[str], hide: list[str], tmp_mb: int) -> None:
    """Replace shared writable directories by small empty tmpfs mounts, keep the ``keep`` paths visible (the work
    dir, and the interpreter and our package when they live under /tmp, as in a CI checkout), hide ``hide``."""
    _mount(None, "/", None, MS_REC | MS_PRIVATE)
    keep_fds = {path: os.open(path, os.O_PATH | os.O_DIRECTORY) for path in keep if os.path.isdir(path)}
    for shared in SHARED_WRITABLE:
        if os.path.isdir(shared) and not os.path.islink(shared):
            _mount("tmpfs", shared, "tmpfs", MS_NOSUID | MS_NODEV, f"size={tmp_mb}m,mode=1777")
            for path, fd in keep_fds.items():
                if _is_under(path, shared):
                    os.makedirs(path, mode=0o711, exist_ok=True)
                    _mount(f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
    for fd in keep_fds.values():
        os.close(fd)
    for path in hide:
        if os.path.isdir(path):
            _mount("tmpfs", path, "tmpfs", MS_RDONLY | MS_NOSUID | MS_NODEV, "size=4k,mode=0555")
        elif os.path.exists(path):
            _mount("/dev/null", path, None, MS_BIND)


def _count_tasks(uid: int) -> int:
    """Threads and processes of ``uid`` (what RLIMIT_NPROC counts)."""
    count = 0
    for pid in os.listdir("/proc"):
        if pid.isdigit():
            try:
                if os.stat(f"/proc/{pid}").st_uid == uid:
                    count += len(os.listdir(f"/proc/{pid}/task"))
            except OSError:
                pass
    return count


def _set_limits(limits: dict, uid: int) -> None:
    cpu = limits["cpu_seconds"]
    nproc = limits["max_processes"]
    if uid == os.getuid() and uid != 0:
        # Not root: RLIMIT_NPROC counts every process of the grader's own user; leave room for those.
        nproc += _count_tasks(uid)
    wanted = {
        resource.RLIMIT_AS: limits["memory_mb"] * 1024 * 1024,
        resource.RLIMIT_CPU: (cpu, cpu + 5),  # SIGXCPU first, SIGKILL 5 s later
        resource.RLIMIT_NPROC: nproc,
        resource.RLIMIT_FSIZE: limits["max_file_mb"] * 1024 * 1024,
        resource.RLIMIT_CORE: 0,
    }
    for which, value in wanted.items():
        soft, hard = value if isinstance(value, tuple) else (value, value)
        _, old_hard = resource.getrlimit(which)
        if old_hard != resource.RLIM_INFINITY:  # unprivileged: never above the current hard limit
            soft, hard = min(soft, old_hard), min(hard, old_hard)
        resource.setrlimit(which, (soft, hard))


def _isolate(spec: dict) -> dict:
    """Run in the forked child as root (or as the grader's user): apply what the OS allows, say what applied."""
    report = {"separate_user": False, "no_network": False, "private_tmp": False, "resource_limits": False}
    os.setsid()
    if os.getuid() == 0 and spec["uid"] is not None:
        try:
            _check(_libc.unshare(CLONE_NEWNET), "unshare(CLONE_NEWNET)")
            report["no_network"] = True
        except OSError as exc:
            report["no_network_error"] = str(exc)
        try:
            _check(_libc.unshare(CLONE_NEWNS), "unshare(CLONE_NEWNS)")
            _private_mounts(spec["keep_visible"], spec["hide_paths"], spec["limits"]["max_file_mb"])
            report["private_tmp"] = True
        except OSError as exc:
            report["private_tmp_error"] = str(exc)
    uid = spec["uid"] if spec["uid"] is not None else os.getuid()
    _set_limits(spec["limits"], uid)
    report["resource_limits"] = True
    if spec["uid"] is not None and os.getuid() == 0:
        os.setgroups([])
        os.setgid(uid)
        os.setuid(uid)
        report["separate_user"] = os.getuid() == uid and os.geteuid() == uid
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)  # after setuid: changing credentials clears it
    return report


def _become_kernel(spec: dict, report_fd: int) -> None:
    """Child side: isolate, report to the server, then run the kernel until it exits. Never returns."""
    code = 0
    try:
        signal.set_wakeup_fd(-1)
        for sig in (signal.SIGCHLD, signal.SIGINT, signal.SIGTERM, signal.SIGPIPE):
            signal.signal(sig, signal.SIG_DFL)
        devnull = os.open(os.devnull, os.O_RDONLY)
        log = os.open(spec["log_file"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
        if spec["uid"] is not None and os.getuid() == 0:
            os.chown(spec["log_file"], spec["uid"], spec["uid"])
        os.dup2(devnull, 0)
        os.dup2(log, 1)
        os.dup2(log, 2)
        os.closerange(3, report_fd)
        os.closerange(report_fd + 1, 65536)
        report = _isolate(spec)
        os.chdir(spec["cwd"])
        os.umask(0o077)
        os.environ.clear()
        os.environ.update(spec["env"])
        os.write(report_fd, json.dumps(report).encode())
        os.close(report_fd)
        report_fd = -1
        _run_kernel(spec)
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        message = traceback.format_exc()
        sys.stderr.write(message)
        if report_fd >= 0:
            os.write(report_fd, json.dumps({"error": message.strip().splitlines()[-1]}).encode())
        code = 70
    finally:
        try:
            sys.stdout.flush()
            sys.stderr.flush()
        finally:
            os._exit(code)


def _run_kernel(spec: dict) -> None:
    from ipykernel.kernelapp import IPKernelApp

    app = IPKernelApp.instance()
    app.initialize(["-f", spec["connection_file"], "--HistoryManager.hist_file=:memory:", "--quiet"])
    app.start()


def _kill_as(uid: int) -> None:
    """Fork a helper that becomes ``uid`` and sends SIGKILL to every process of that uid (itself excepted)."""
    pid = os.fork()
    if pid == 0:
        try:
            os.setgroups([])
            os.setgid(uid)
            os.setuid(uid)
            os.kill(-1, signal.SIGKILL)
        except BaseException:
            pass
        os._exit(0)
    os.waitpid(pid, 0)


class Server:
    def __init__(self) -> None:
        self.out = os.fdopen(os.dup(1), "w", buffering=1)
        os.dup2(2, 1)
        self.kernels: set[int] = set()
        self.wake_r, self.wake_w = os.pipe()
        os.set_blocking(self.wake_w, False)
        os.set_blocking(self.wake_r, False)
        signal.signal(signal.SIGCHLD, lambda *_: None)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.set_wakeup_fd(self.wake_w)

    def send(self, message: dict) -> None:
        self.out.write(json.dumps(message) + "\n")

    def start(self, req: int, spec: dict) -> None:
        threads = len(os.listdir("/proc/self/task"))
        if threads != 1:  # forking a multi-threaded process can deadlock the child
            self.send({"req": req, "pid": None, "report": {"error": f"fork server has {threads} threads"}})
            return
        report_r, report_w = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(report_r)
            _become_kernel(spec, report_w)
        os.close(report_w)
        self.kernels.add(pid)
        chunks = []
        while select.select([report_r], [], [], 15)[0]:
            chunk = os.read(report_r, 65536)
            if not chunk:
                break
            chunks.append(chunk)
        os.close(report_r)
        try:
            report = json.loads(b"".join(chunks) or b"{}")
        except ValueError:
            report = {}
        if not report:
            report = {"error": "the kernel process ended before it reported its isolation"}
        self.send({"req": req, "pid": pid, "report": report})

    def reap(self) -> None:
        while True:
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                return
            if pid in self.kernels:
                self.kernels.discard(pid)
                self.send({"event": "exit", "pid": pid, "status": status})

    def handle(self, line: str) -> None:
        request = json.loads(line)
        if request["op"] == "start":
            self.start(request["req"], request["spec"])
        elif request["op"] == "killuid":
            _kill_as(request["uid"])
            self.send({"req": request["req"]})

    def serve(self) -> None:
        buffer = b""
        while True:
            try:
                ready = select.select([0, self.wake_r], [], [])[0]
            except InterruptedError:
                continue
            if self.wake_r in ready:
                try:
                    while os.read(self.wake_r, 4096):
                        pass
                except BlockingIOError:
                    pass
                self.reap()
            if 0 in ready:
                data = os.read(0, 65536)
                if not data:
                    return
                buffer += data
                while b"\n" in buffer:
                    line, buffer = buffer.split(b"\n", 1)
                    self.handle(line.decode())
                self.reap()

    def shutdown(self) -> None:
        for pid in list(self.kernels):
            try:
                os.killpg(pid, signal.SIGKILL)
            except OSError:
                pass
        self.reap()


def main() -> None:
    _prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    preload = json.loads(sys.argv[1]) if len(sys.argv) > 1 else []
    server = Server()
    for name in [*preload, "ipykernel.kernelapp", "ipykernel.ipkernel", "ipykernel.zmqshell", "pdb",
                 "IPython.core.debugger", "jupyter_client.session"]:
        importlib.import_module(name)
    server.send({"ready": True, "pid": os.getpid(), "threads": len(os.listdir("/proc/self/task"))})
    try:
        server.serve()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main()
