"""Import helpers that keep the command line fast."""

from __future__ import annotations

import sys


def skip_slow_iri_checker() -> None:
    """jsonschema's IRI format checker (rfc3987_syntax) builds a grammar at import time: ~0.5 s on every start, and
    nbgrader/nbformat import jsonschema too. We validate no IRI formats, so we make that optional import fail fast;
    jsonschema treats the checker as absent. Must run before the first ``import jsonschema``."""
    if "jsonschema" not in sys.modules:
        sys.modules.setdefault("rfc3987_syntax", None)  # type: ignore[arg-type]
