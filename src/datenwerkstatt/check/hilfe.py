"""Hints in stages (``tipps.yml`` next to the notebook) and model solutions (``loesungen.json``, only in
self-study copies), both looked up in the notebook's folder."""

from __future__ import annotations

import json
from pathlib import Path


HINTS_FILE = "tipps.yml"
SOLUTIONS_FILE = "loesungen.json"


def _lade_tipps(ordner: Path) -> dict[str, list[str]]:
    import yaml

    datei = ordner / HINTS_FILE
    if not datei.exists():
        return {}
    daten = yaml.safe_load(datei.read_text(encoding="utf-8")) or {}
    return {aufgabe: list(stufen) for aufgabe, stufen in (daten.get("tipps") or {}).items()}


def tipp(aufgabe: str, stufe: int = 1, *, ordner: str | Path = ".") -> None:
    """Print hint number ``stufe`` (1 = gentle nudge, last = close to the solution) for exercise ``aufgabe``."""
    tipps = _lade_tipps(Path(ordner)).get(aufgabe)
    if not tipps:
        print(f"Zu `{aufgabe}` gibt es hier keine Tipps. Prüfe die Schreibweise der Aufgaben-Nummer.")
        return
    stufe = max(1, int(stufe))
    if stufe > len(tipps):
        print(f"Zu `{aufgabe}` gibt es {len(tipps)} Tipps; das war schon der letzte. "
              f"Im Selbstlern-Modus zeigt dir `loesung(\"{aufgabe}\")` eine Lösung.")
        return
    weiter = (f"\n(Mehr Hilfe: `tipp(\"{aufgabe}\", {stufe + 1})`)" if stufe < len(tipps) else "")
    print(f"💡 Tipp {stufe} von {len(tipps)}: {tipps[stufe - 1]}{weiter}")


def loesung(aufgabe: str, *, ordner: str | Path = ".") -> None:
    """Print the model solution of ``aufgabe`` - only in self-study copies, which ship ``loesungen.json``."""
    datei = Path(ordner) / SOLUTIONS_FILE
    if not datei.exists():
        print("Lösungen gibt es nur in der Selbstlern-Fassung. In einem Workshop frag gern deine*n Trainer*in "
              "oder nutze `tipp(...)`.")
        return
    loesungen = json.loads(datei.read_text(encoding="utf-8"))
    if aufgabe not in loesungen:
        print(f"Zu `{aufgabe}` gibt es keine Lösung. Prüfe die Schreibweise der Aufgaben-Nummer.")
        return
    print(f"Eine mögliche Lösung für {aufgabe}:\n\n{loesungen[aufgabe]}")
