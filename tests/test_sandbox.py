"""The grading sandbox: fresh isolated kernels from a pre-warmed fork server (datenwerkstatt.grading.sandbox)."""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import nbformat
import pytest

from datenwerkstatt.grading.sandbox import Limits, Sandbox, sandbox_processes

ROOT = os.geteuid() == 0
needs_root = pytest.mark.skipif(not ROOT, reason="uid drop and namespaces need root (CI runs as root)")
UID_BASE = 61500  # not the default 61000: a grader run (bench, hub) may hold that one meanwhile
LIMITS = Limits(notebook_timeout=60, cell_timeout=20, max_output_chars=20_000, max_file_mb=16)
SHORT = Limits(notebook_timeout=30, cell_timeout=3, interrupt_grace=1.5, max_output_chars=20_000)  # timeout tests


def notebook(*sources: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in sources])


def outputs(execution, index: int) -> list:
    return execution.notebook.cells[index].outputs


def text(execution, index: int) -> str:
    return "".join(o.get("text", "") for o in outputs(execution, index) if o.output_type == "stream")


def errors(execution, index: int) -> list[str]:
    return [o.ename for o in outputs(execution, index) if o.output_type == "error"]


@pytest.fixture(scope="module")
def files(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("release")
    (folder / "daten").mkdir()
    (folder / "daten" / "spenden.csv").write_text("monat;betrag\nJan;120,5\nFeb;80\nMär;99,5\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def hidden():
    """Stands for the nbgrader source folder: world-readable on disk, covered in the sandbox. It lives outside /tmp
    (which the sandbox replaces anyway), next to a world-readable neighbour file that must stay visible."""
    base = Path(tempfile.mkdtemp(prefix="datenwerkstatt-test-", dir="/srv" if os.access("/srv", os.W_OK) else None))
    base.chmod(0o755)
    folder = base / "versteckt"
    folder.mkdir(mode=0o755)
    (folder / "geheim.py").write_text("ANTWORT = 42\n")
    (base / "CONTRIBUTING.md").write_text("sichtbar\n")
    for path in (folder / "geheim.py", base / "CONTRIBUTING.md"):
        path.chmod(0o644)
    yield folder
    shutil.rmtree(base, ignore_errors=True)


@pytest.fixture(scope="module")
def sandbox(hidden):
    with Sandbox(LIMITS, uid_base=UID_BASE, slots=2, hide_paths=[hidden]) as sb:
        yield sb
    assert not sandbox_processes(uid=UID_BASE) and not sandbox_processes(uid=UID_BASE + 1)


@pytest.fixture
def outside(sandbox) -> Path:
    """A root-owned folder outside the submission's own dir (but visible in the sandbox), with a 0600 secret."""
    folder = Path(tempfile.mkdtemp(dir=sandbox.workdir))
    folder.chmod(0o755)
    (folder / "secret.txt").write_text("geheim")
    (folder / "secret.txt").chmod(0o600)
    return folder


def test_normal_notebook_with_pandas_and_figure(sandbox, files):
    ex = sandbox.execute(notebook(
        "import pandas as pd\n"
        "spenden = pd.read_csv('daten/spenden.csv', sep=';', decimal=',')\n"
        "spenden",
        "import matplotlib.pyplot as plt\n"
        "spenden.plot.bar(x='monat', y='betrag')\n"
        "print(spenden['betrag'].sum())",
        "import os\nprint(os.getcwd() != %r, sorted(os.listdir('daten')))" % str(files),
    ), files)
    assert ex.status == "ok", ex.reason
    table = outputs(ex, 0)[0]
    assert table.output_type == "execute_result" and "text/html" in table.data and "Mär" in table.data["text/plain"]
    assert text(ex, 1) == "300.0\n"
    figures = [o for o in outputs(ex, 1) if o.output_type == "display_data" and "image/png" in o.data]
    assert len(figures) == 1  # inline backend without any %matplotlib magic, as in Jupyter
    assert text(ex, 2) == "True ['spenden.csv']\n"
    assert ex.notebook.cells[0].execution_count == 1
    assert ex.protections["prewarmed"] and ex.protections["resource_limits"]
    if ROOT:
        assert all(ex.protections.values()), ex.protections
    assert ex.seconds < 5
    assert not list(sandbox.workdir.glob("run-*"))  # the work dir is removed afterwards


def test_no_state_leaks_between_executions(sandbox, files):
    first = sandbox.execute(notebook(
        "import json, os, matplotlib.pyplot as plt\n"
        "leak = 1\njson.leak = 2\nplt.rcParams['lines.linewidth'] = 7.5\nos.environ['LEAK'] = '3'\n"
        "open('leak.txt', 'w').write('x')\nprint('set')",
    ), files)
    assert text(first, 0) == "set\n"
    second = sandbox.execute(notebook(
        "import json, os, matplotlib.pyplot as plt\n"
        "print('leak' in globals(), hasattr(json, 'leak'), plt.rcParams['lines.linewidth'],\n"
        "      'LEAK' in os.environ, os.path.exists('leak.txt'))",
    ), files)
    assert text(second, 0) == "False False 1.5 False False\n"


def test_infinite_loop_times_out_and_the_next_cells_run(sandbox, files):
    ex = sandbox.execute(notebook("x = 5", "while True:\n    pass", "print('weiter', x)"), files, limits=SHORT)
    assert ex.status == "timeout" and ex.cell_index == 1
    assert "cell 2 exceeded 3 s" in ex.reason
    assert errors(ex, 1) == ["CellTimeoutError"]
    assert text(ex, 2) == "weiter 5\n"  # interrupted, same kernel, like nbgrader
    assert 3 <= ex.seconds < 3 + SHORT.interrupt_grace + 2


def test_loop_ignoring_interrupts_is_killed_and_sandbox_still_works(sandbox, files):
    ex = sandbox.execute(notebook(
        "import time\nwhile True:\n    try:\n        time.sleep(0.1)\n    except KeyboardInterrupt:\n        pass",
        "print('nie')",
    ), files, limits=SHORT)
    assert ex.status == "timeout" and ex.cell_index == 0 and "stopped there" in ex.reason
    assert outputs(ex, 1) == []
    again = sandbox.execute(notebook("print(6 * 7)"), files)
    assert again.status == "ok" and text(again, 0) == "42\n"


def test_output_is_capped_but_errors_are_kept(sandbox, files):
    ex = sandbox.execute(notebook(
        "for i in range(200_000):\n    print('zeile', i)",
        "print('danach')\n1 / 0",
    ), files)
    assert ex.status == "output_truncated", ex.reason
    kept = sum(len(o.get("text", "")) for c in ex.notebook.cells for o in c.outputs)
    assert LIMITS.max_output_chars * 0.5 < kept < LIMITS.max_output_chars + 500
    assert "Ausgabe gekürzt" in text(ex, 0)
    assert "danach" not in text(ex, 1)
    assert errors(ex, 1) == ["ZeroDivisionError"]  # nbgrader needs the error to withhold the points


def test_endless_printing_is_drained_until_the_timeout(sandbox, files):
    ex = sandbox.execute(notebook("while True:\n    print('x' * 1000)"), files, limits=SHORT)
    assert ex.status == "timeout"
    kept = sum(len(o.get("text", "")) for o in outputs(ex, 0))
    assert kept < SHORT.max_output_chars + 500
    assert errors(ex, 0) == ["CellTimeoutError"]


def test_memory_bomb_raises_memory_error_in_the_kernel(sandbox, files):
    ex = sandbox.execute(notebook(
        "block = bytearray(3 * 1024 ** 3)",
        "import numpy as np\nbig = np.ones(400_000_000)",
        "print('lebt')",
    ), files)
    assert ex.status == "ok"
    assert errors(ex, 0) == ["MemoryError"] and errors(ex, 1) == ["MemoryError"]
    assert text(ex, 2) == "lebt\n"


@needs_root
def test_fork_bomb_is_contained_and_the_other_slot_keeps_working(sandbox, files):
    bomb = notebook(
        "import os, time\nn = 0\n"
        "try:\n"
        "    while n < 1000:\n"
        "        if os.fork() == 0:\n"
        "            time.sleep(2)\n"
        "            os._exit(0)\n"
        "        n += 1\n"
        "except OSError as exc:\n"
        "    print('gestoppt', n, type(exc).__name__)",
        "time.sleep(1)",
    )
    normal = notebook("import pandas as pd\nprint(pd.read_csv('daten/spenden.csv', sep=';').shape)")
    with ThreadPoolExecutor(2) as pool:
        bombed = pool.submit(sandbox.execute, bomb, files)
        fine = [pool.submit(sandbox.execute, normal, files) for _ in range(2)]
        bombed, fine = bombed.result(), [f.result() for f in fine]
    words = text(bombed, 0).split()
    assert words[0] == "gestoppt" and 0 < int(words[1]) < LIMITS.max_processes
    assert all(f.status == "ok" and text(f, 0) == "(3, 2)\n" for f in fine)
    assert bombed.details["processes_killed"] >= 1  # the sleeping children were cleaned up
    assert not sandbox_processes(uid=UID_BASE) and not sandbox_processes(uid=UID_BASE + 1)


def test_kernel_exit_and_crash_are_reported(sandbox, files):
    exited = sandbox.execute(notebook("print('vorher')", "import os\nos._exit(1)", "print('nie')"), files)
    assert exited.status == "kernel_died" and exited.cell_index == 1
    assert "cell 2" in exited.reason and "exit code 1" in exited.reason
    assert errors(exited, 1) == ["DeadKernelError"] and outputs(exited, 2) == []
    crashed = sandbox.execute(notebook("import ctypes\nctypes.string_at(0)"), files)
    assert crashed.status == "kernel_died" and "SIGSEGV" in crashed.reason


@needs_root
def test_kernel_cannot_kill_the_grader_or_the_server(sandbox, files):
    ex = sandbox.execute(notebook(
        "import os, signal\n"
        "try:\n    os.kill(os.getppid(), signal.SIGKILL)\nexcept PermissionError:\n    print('parent: verweigert')",
        "killed = denied = 0\n"
        "for pid in [int(p) for p in os.listdir('/proc') if p.isdigit()]:\n"
        "    if pid != os.getpid():\n"
        "        try:\n            os.kill(pid, signal.SIGKILL)\n            killed += 1\n"
        "        except PermissionError:\n            denied += 1\n"
        "        except ProcessLookupError:\n            pass\n"
        "os.kill(-1, signal.SIGKILL)\n"
        "print(killed, denied > 0)",
    ), files)
    assert text(ex, 0) == "parent: verweigert\n"
    assert text(ex, 1) == "0 True\n"
    assert sandbox._proc.poll() is None  # the fork server is alive (and so, evidently, is this test process)
    assert sandbox.execute(notebook("print('ok')"), files).status == "ok"


@needs_root
def test_files_outside_the_sandbox_can_be_neither_read_nor_written(sandbox, files, outside, hidden):
    escape = Path("/tmp") / f"dw-escape-{secrets.token_hex(4)}"
    ex = sandbox.execute(notebook(
        f"try:\n    open({str(outside / 'secret.txt')!r}).read()\n"
        "except PermissionError:\n    print('lesen: verweigert')",
        f"import os\nprint(os.listdir({str(hidden)!r}), os.path.exists({str(hidden / 'geheim.py')!r}),\n"
        f"      os.path.exists({str(hidden.parent / 'CONTRIBUTING.md')!r}))",
        "for target in [%r, %r, %r]:\n"
        "    try:\n        open(target, 'w').write('x')\n"
        "    except (PermissionError, OSError) as exc:\n        print(type(exc).__name__)"
        % (str(outside / "neu.txt"), str(Path(__file__).resolve().parents[1] / "neu.txt"), str(sandbox.workdir / "x")),
        f"open({str(escape)!r}, 'w').write('x')\nprint(open({str(escape)!r}).read())",
    ), files)
    assert text(ex, 0) == "lesen: verweigert\n"
    assert text(ex, 1) == "[] False True\n"  # the hidden folder is covered, its world-readable neighbour is not
    assert text(ex, 2) == "PermissionError\n" * 3
    assert text(ex, 3) == "x\n" and not escape.exists()  # /tmp inside is private
    assert not (outside / "neu.txt").exists()


@needs_root
def test_no_network_to_a_local_server(sandbox, files):
    server = socket.create_server(("127.0.0.1", 0))
    server.settimeout(5)
    port = server.getsockname()[1]
    accepted = []

    def accept():
        try:
            accepted.append(server.accept())
        except OSError:
            pass

    with socket.create_connection(("127.0.0.1", port), timeout=5):  # the server is reachable from the grader
        accept()
    assert len(accepted) == 1
    ex = sandbox.execute(notebook(
        "import socket\n"
        f"try:\n    socket.create_connection(('127.0.0.1', {port}), timeout=2)\n    print('verbunden')\n"
        "except OSError as exc:\n    print('kein Netz', exc.errno)",
    ), files)
    server.settimeout(0.2)
    accept()
    server.close()
    for conn, _ in accepted:
        conn.close()
    assert text(ex, 0).startswith("kein Netz") and len(accepted) == 1


def test_huge_file_and_deep_recursion(sandbox, files):
    ex = sandbox.execute(notebook(
        "import errno\nchunk = b'0' * (1024 * 1024)\n"
        "try:\n    with open('gross.bin', 'wb') as fh:\n        for _ in range(200):\n            fh.write(chunk)\n"
        "except OSError as exc:\n    print(exc.errno == errno.EFBIG)\n"
        "import os\nprint(os.path.getsize('gross.bin') <= %d)" % (LIMITS.max_file_mb * 1024 * 1024),
        "def tief(n):\n    return tief(n + 1)\ntief(0)",
        "print('fertig')",
    ), files)
    assert ex.status == "ok"
    assert text(ex, 0) == "True\nTrue\n"
    assert errors(ex, 1) == ["RecursionError"] and text(ex, 2) == "fertig\n"


def test_without_privilege_drop(files):
    """The non-root path (also what runs when the grader is not root): rlimits and sessions, honestly reported."""
    limits = Limits(notebook_timeout=2.5, cell_timeout=2, memory_mb=1024)
    with Sandbox(limits, slots=1, drop_privileges=False) as sb:
        server = sb.server_pid
        ex = sb.execute(notebook(
            "import os, resource\nprint(os.getuid(), resource.getrlimit(resource.RLIMIT_AS)[0] // 2 ** 20)",
            "import time\ntime.sleep(1.5)",
            "time.sleep(1.5)",
            "print('nie')",
        ), files)
        workdir = sb.workdir
    assert text(ex, 0) == f"{os.getuid()} 1024\n"
    assert ex.protections == {"separate_user": False, "no_network": False, "resource_limits": True,
                              "prewarmed": True, "private_tmp": False}
    assert ex.status == "timeout" and ex.cell_index == 2 and "exceeded 2.5 s" in ex.reason
    assert outputs(ex, 3) == []
    assert not workdir.exists()
    assert not Path(f"/proc/{server}").exists()  # nothing left running
    assert not sandbox_processes(sid=ex.details["kernel_pid"])


def test_parallel_executions_use_separate_kernels(sandbox, files):
    nb = notebook("import os, time\ntime.sleep(0.5)\nprint(os.getpid(), os.getuid())")
    barrier = threading.Barrier(2)

    def run():
        barrier.wait()
        return sandbox.execute(nb, files)

    with ThreadPoolExecutor(2) as pool:
        results = [f.result() for f in [pool.submit(run), pool.submit(run)]]
    seen = [text(r, 0).split() for r in results]
    assert all(r.status == "ok" for r in results)
    assert seen[0][0] != seen[1][0]
    if ROOT:
        assert {s[1] for s in seen} == {str(UID_BASE), str(UID_BASE + 1)}


@needs_root
def test_two_sandboxes_cannot_share_slot_uids(sandbox, files):
    with pytest.raises(RuntimeError, match=f"uid {UID_BASE + 1} is in use"):
        with Sandbox(LIMITS, uid_base=UID_BASE + 1, slots=1):
            pass
    assert sandbox.execute(notebook("print('noch da')"), files).status == "ok"  # the first one was not harmed


NON_ROOT_SCRIPT = """
import json, sys
from pathlib import Path
import nbformat
from datenwerkstatt.grading.sandbox import Limits, Sandbox
nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("import os, resource, pandas\\n"
    "print(os.getuid(), resource.getrlimit(resource.RLIMIT_NPROC)[0] > 64)")])
with Sandbox(Limits(cell_timeout=10), slots=1) as sb:
    ex = sb.execute(nb, Path(sys.argv[1]) / "files")
print(json.dumps({"status": ex.status, "protections": ex.protections,
                  "out": ex.notebook.cells[0].outputs[0]["text"]}))
"""


@needs_root
def test_grader_running_without_root(tmp_path):
    """The whole grader as an unprivileged user: drop_privileges=True cannot drop, the run still works and
    reports the missing protections; RLIMIT_NPROC leaves room for the user's other processes."""
    uid = UID_BASE + 9
    home = Path(tempfile.mkdtemp())
    (home / "files").mkdir()
    os.chown(home, uid, uid)
    result = subprocess.run(
        [sys.executable, "-c", NON_ROOT_SCRIPT, str(home)], user=uid, group=uid, extra_groups=[],
        env={"PATH": os.environ["PATH"], "HOME": str(home), "MPLCONFIGDIR": str(home / "mpl"), "TMPDIR": str(home)},
        capture_output=True, text=True, timeout=60,
    )
    subprocess.run(["rm", "-rf", str(home)], check=True)
    assert not sandbox_processes(uid=uid)
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report["status"] == "ok"
    assert report["out"] == f"{uid} True\n"
    assert report["protections"] == {"separate_user": False, "no_network": False, "resource_limits": True,
                                     "prewarmed": True, "private_tmp": False}


def test_error_with_silenced_display_still_counts_as_error(sandbox, files):
    """Replacing IPython's showtraceback hides the error output; the execute_reply still says 'error'."""
    execution = sandbox.execute(notebook("get_ipython().showtraceback = lambda *a, **k: None",
                                         "raise ValueError('falsch')", "x = 1"), files)
    assert errors(execution, 1) == ["ValueError"]
    assert errors(execution, 2) == []
