"""Dataset generators: one module per dataset (``<dataset_id with underscores>.py``), each seeded.

A generator module defines ``DATASET_ID`` (the folder name under ``datasets/``) and ``generate(out_dir)``, which
writes the dataset's data files into ``out_dir`` and nothing else; ``datapackage.json`` and ``README.md`` are written
by hand next to the data. Modules whose name starts with ``_`` are helpers, not datasets.
"""

from __future__ import annotations

import importlib
import pkgutil
from pathlib import Path
from types import ModuleType


def generators() -> dict[str, ModuleType]:
    """All dataset generator modules, by dataset id."""
    found = {}
    for info in pkgutil.iter_modules(__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        found[module.DATASET_ID] = module
    return dict(sorted(found.items()))


def generate(dataset_id: str, out_dir: Path) -> list[Path]:
    """Regenerate one dataset into ``out_dir``; returns the files written."""
    gens = generators()
    if dataset_id not in gens:
        raise KeyError(f"no generator for dataset '{dataset_id}' (known: {', '.join(gens) or 'none'})")
    out_dir.mkdir(parents=True, exist_ok=True)
    before = {p: p.stat().st_mtime_ns for p in out_dir.rglob("*") if p.is_file()}
    gens[dataset_id].generate(out_dir)
    return sorted(p for p in out_dir.rglob("*") if p.is_file() and before.get(p) != p.stat().st_mtime_ns)
