"""Friendly checks, hints and solutions for learners (the only part of the package learners call).

Test cells in the module notebooks call the ``pruefe_*`` functions. A check has three outcomes (after learntools):

* passes: returns None and prints nothing (``geschafft()`` prints the praise at the end of a test cell). Returning
  None matters: nbgrader reads a number shown as a test cell's last result as partial credit;
* not attempted: the starter ``...`` is still there -> ``NochNichtBearbeitet`` ("du hast hier noch nichts eingetragen");
* incorrect: ``NochNichtRichtig`` with a German message that says what the learner's value *is* and what to try next,
  never what the expected value is (hidden tests use the same functions, so their messages are safe to show).

Both exceptions subclass ``AssertionError`` so nbgrader counts them as failed tests, and both render in Jupyter as a
short message instead of a traceback (IPython calls ``_render_traceback_`` when an exception has one).

Hints live next to the notebook in ``tipps.yml``; solutions only exist in self-study copies (``loesungen.json``, written
by ``datenwerkstatt release --self-study``). Both are looked up in the notebook's folder (the kernel's working directory).
"""

from datenwerkstatt.check._kern import (
    NochNichtBearbeitet, NochNichtRichtig, Rueckmeldung, geschafft, pruefe_bearbeitet, pruefe_datentyp,
    pruefe_gleich, pruefe_haeufigkeiten, pruefe_spalten, pruefe_tabelle, pruefe_text, pruefe_zahl,
)
from datenwerkstatt.check.diagramme import (
    pruefe_achse_ab_null, pruefe_beschriftung, pruefe_diagramm, pruefe_farben, pruefe_png,
)
from datenwerkstatt.check.eintraege import (
    pruefe_eintraege, pruefe_liste, pruefe_nur_spalten, pruefe_woerterbuch,
)
from datenwerkstatt.check.hilfe import (
    loesung, tipp, HINTS_FILE, SOLUTIONS_FILE,
)

__all__ = [
    "HINTS_FILE", "NochNichtBearbeitet", "NochNichtRichtig", "Rueckmeldung", "SOLUTIONS_FILE", "geschafft",
    "loesung", "pruefe_achse_ab_null", "pruefe_bearbeitet", "pruefe_beschriftung", "pruefe_datentyp",
    "pruefe_diagramm", "pruefe_eintraege", "pruefe_farben", "pruefe_gleich", "pruefe_haeufigkeiten",
    "pruefe_liste", "pruefe_nur_spalten", "pruefe_png", "pruefe_spalten", "pruefe_tabelle", "pruefe_text",
    "pruefe_woerterbuch", "pruefe_zahl", "tipp",
]
