"""nbgrader's ``Execute`` step, replaced by the sandbox: everything else in nbgrader's autograde pipeline (restore
locked cells, save grades, late penalties) stays nbgrader's own.

Several submissions are graded at once, one thread each. nbgrader's steps touch the gradebook, so a thread holds
``GRADEBOOK_LOCK`` for the whole autograde call *except* while its notebook executes in the sandbox: one writer at a
time, and the slow part runs in parallel. The thread's sandbox, lock and result travel in a thread-local ``context``
because nbgrader instantiates preprocessors itself.
"""

from __future__ import annotations

import contextlib
import os
import threading
from typing import Any

from nbgrader.preprocessors import (AssignLatePenalties, CheckCellMetadata, IgnorePattern, LimitOutput,
                                    NbGraderPreprocessor, SaveAutoGrades)
from nbconvert.preprocessors import ClearMetadataPreprocessor
from pathlib import Path

GRADEBOOK_LOCK = threading.RLock()
context = threading.local()  # .sandbox, .execution (set by the step)


class SandboxExecute(NbGraderPreprocessor):
    """Execute the notebook in a fresh sandboxed kernel forked from the warm server (see sandbox.py)."""

    def preprocess(self, nb: Any, resources: dict) -> tuple[Any, dict]:
        sandbox = context.sandbox
        files_dir = Path(resources["metadata"]["path"])
        GRADEBOOK_LOCK.release()  # held by this thread around the whole autograde call
        try:
            execution = sandbox.execute(nb, files_dir, notebook_name=resources["metadata"].get("name", "nb") + ".ipynb")
        finally:
            GRADEBOOK_LOCK.acquire()
        context.execution = execution
        return execution.notebook, resources


@contextlib.contextmanager
def nbgrader_env_for_threads():
    """nbgrader's autograde wraps each notebook in ``utils.setenv(NBGRADER_EXECUTION='autograde')``, which sets and
    then *deletes* the variable in the process environment: with two threads, the second delete raises KeyError.
    For the duration of a parallel run the variable is set once and nbgrader's per-notebook toggle is a no-op."""
    from nbgrader import utils

    original, previous = utils.setenv, os.environ.get("NBGRADER_EXECUTION")
    utils.setenv = _no_setenv
    os.environ["NBGRADER_EXECUTION"] = "autograde"
    try:
        yield
    finally:
        utils.setenv = original
        if previous is None:
            os.environ.pop("NBGRADER_EXECUTION", None)
        else:
            os.environ["NBGRADER_EXECUTION"] = previous


@contextlib.contextmanager
def _no_setenv(**_kwargs):
    yield


# nbgrader's autograde steps in nbgrader's order, with Execute swapped for the sandbox
AUTOGRADE_STEPS = [SandboxExecute, IgnorePattern, ClearMetadataPreprocessor, LimitOutput, SaveAutoGrades,
                   AssignLatePenalties, CheckCellMetadata]
