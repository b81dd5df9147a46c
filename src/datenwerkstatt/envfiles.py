"""Derive the conda environment files from requirements.txt, the one pinned set.

`python -m datenwerkstatt.envfiles --write` rewrites environment.yml and binder/environment.yml;
`--check` exits 1 when they differ from what requirements.txt implies (tests/test_environment.py does the same).
"""

from __future__ import annotations

import sys
from pathlib import Path

PYTHON = "3.11"
TARGETS = ("environment.yml", "binder/environment.yml")


def pins(requirements: Path) -> list[str]:
    """The `name==version` lines of a requirements file, in file order."""
    lines = [line.split("#", 1)[0].strip() for line in requirements.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line and "==" in line]


def render(requirements: Path, for_binder: bool) -> str:
    head = [
        "# GENERATED from requirements.txt by `python -m datenwerkstatt.envfiles --write`: do not edit by hand.",
        "# Conda provides Python and pip; every package comes from PyPI at exactly the pinned version, so conda,",
        "# Binder and pip users get the same set CI tests.",
        "# Afterwards: pip install --no-deps -e ." + ("  (binder/postBuild does this)" if for_binder else ""),
        "name: datenwerkstatt",
        "channels:",
        "  - conda-forge",
        "dependencies:",
        f"  - python={PYTHON}",
        "  - pip",
        "  - pip:",
    ]
    return "\n".join(head + [f"      - {pin}" for pin in pins(requirements)]) + "\n"


def main(argv: list[str]) -> int:
    root = Path(__file__).resolve().parents[2]
    requirements = root / "requirements.txt"
    stale = []
    for target in TARGETS:
        text = render(requirements, for_binder=target.startswith("binder/"))
        path = root / target
        if "--write" in argv:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(target)
    for target in stale:
        print(f"{target} differs from requirements.txt: run `python -m datenwerkstatt.envfiles --write`")
    return 1 if stale else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
