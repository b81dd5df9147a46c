"""Read the counts a codebook states, so dataset tests compare the data with what the README promises."""

from __future__ import annotations

import re
from pathlib import Path


def problem_counts(folder: Path, prefix: str, at_least: int) -> dict[str, int]:
    """Problem code -> row count from the codebook's tables (rows like `| K3 | what | 14 |`)."""
    text = (folder / "README.md").read_text(encoding="utf-8")
    pattern = rf"^\| ({re.escape(prefix)}\d+) \|[^|\n]*\|\s*(\d+)\s*\|"
    counts = {code: int(n) for code, n in re.findall(pattern, text, re.MULTILINE)}
    assert len(counts) >= at_least, f"codebook table of problems ({prefix}1, {prefix}2, ...) not found"
    return counts
