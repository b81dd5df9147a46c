"""An nbgrader course directory: create it from our template, load its config, talk to nbgrader's API in-process
(no `nbgrader` subprocesses: each costs 4-5 s of start-up here)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from datenwerkstatt.errors import UserError

TEMPLATE = Path(__file__).resolve().parents[3] / "grader" / "nbgrader_config.py"
CONFIG_NAME = "nbgrader_config.py"


def ensure_course(course: Path) -> Path:
    """Create the course directory with our nbgrader config if it has none; an existing config is never touched."""
    course.mkdir(parents=True, exist_ok=True)
    config = course / CONFIG_NAME
    if not config.exists():
        if not TEMPLATE.exists():
            raise UserError(f"{course} has no {CONFIG_NAME} and the template {TEMPLATE} is missing; "
                            "create one with `nbgrader quickstart` or reinstall the package from the repository")
        shutil.copyfile(TEMPLATE, config)
    return course.resolve()


def load_config(course: Path, db_url: str | None = None):
    """The course's nbgrader config (if any), with the course root and an optional gradebook URL applied."""
    from datenwerkstatt._imports import skip_slow_iri_checker

    skip_slow_iri_checker()
    from traitlets.config import Config
    from traitlets.config.loader import PyFileConfigLoader

    config = Config()
    if (course / CONFIG_NAME).exists():
        config.merge(PyFileConfigLoader(CONFIG_NAME, path=str(course)).load_config())
    config.CourseDirectory.root = str(course)
    if db_url:
        config.CourseDirectory.db_url = db_url
    return config


def _tools_on_path() -> None:
    """nbgrader creates a new gradebook by running the `alembic` executable; make the one next to our interpreter
    findable even when the venv is not activated (e.g. `.venv/bin/datenwerkstatt grade ...`)."""
    bindir = str(Path(sys.executable).parent)
    if bindir not in os.environ.get("PATH", "").split(os.pathsep):
        os.environ["PATH"] = bindir + os.pathsep + os.environ.get("PATH", "")


def nbgrader_api(course: Path, db_url: str | None = None, config=None):
    """nbgrader's Python API bound to this course."""
    from datenwerkstatt._imports import skip_slow_iri_checker

    _tools_on_path()

    skip_slow_iri_checker()
    from nbgrader.apps import NbGraderAPI
    from nbgrader.coursedir import CourseDirectory

    config = config or load_config(course, db_url)
    return NbGraderAPI(coursedir=CourseDirectory(config=config), config=config)


def check(result: dict, what: str) -> None:
    """nbgrader's API reports failure in a dict and keeps going; we stop with the reason."""
    if not result.get("success"):
        detail = (result.get("error") or result.get("log") or "no details").strip().splitlines()
        raise UserError(f"{what} failed: " + " | ".join(detail[-6:]))
