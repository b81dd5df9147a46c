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

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Iterable

__all__ = [
    "NochNichtBearbeitet",
    "NochNichtRichtig",
    "geschafft",
    "loesung",
    "pruefe_bearbeitet",
    "pruefe_datentyp",
    "pruefe_gleich",
    "pruefe_spalten",
    "pruefe_tabelle",
    "pruefe_text",
    "pruefe_zahl",
    "tipp",
]

HINTS_FILE = "tipps.yml"
SOLUTIONS_FILE = "loesungen.json"


class Rueckmeldung(AssertionError):
    """A check that did not pass; shown to the learner as a short German message, without traceback."""

    kopf = "Noch nicht ganz"

    def __init__(self, nachricht: str, tipp: str | None = None):
        self.nachricht = nachricht
        self.tipp = tipp
        super().__init__(str(self))

    def __str__(self) -> str:
        text = self.nachricht
        if self.tipp:
            text += f"\nTipp: {self.tipp}"
        return text

    def _render_traceback_(self) -> list[str]:
        lines = [f"✗ {self.kopf}: {self.nachricht}"]
        if self.tipp:
            lines.append(f"💡 Tipp: {self.tipp}")
        return lines


class NochNichtRichtig(Rueckmeldung):
    """The answer is there but not right yet."""


class NochNichtBearbeitet(Rueckmeldung):
    """The starter code (``...``) is untouched."""

    kopf = "Noch offen"


# --- small helpers -------------------------------------------------------------------------------------------------


def _art(wert: Any) -> str:
    """Describe a value's kind in learner words (German)."""
    name = type(wert).__name__
    return {
        "DataFrame": "eine Tabelle (DataFrame)",
        "Series": "eine einzelne Spalte (Series)",
        "int": "eine ganze Zahl",
        "float": "eine Kommazahl",
        "str": "ein Text",
        "list": "eine Liste",
        "dict": "ein Wörterbuch (dict)",
        "tuple": "ein Tupel",
        "bool": "ein Wahrheitswert (True/False)",
        "NoneType": "None (leer)",
        "Figure": "eine Grafik (Figure)",
    }.get(name, f"ein Objekt vom Typ {name}")


def _kurz(wert: Any, laenge: int = 60) -> str:
    if hasattr(wert, "item") and getattr(wert, "shape", None) == ():
        wert = wert.item()  # numpy scalar: show 0.6, not np.float64(0.6)
    text = repr(wert)
    return text if len(text) <= laenge else text[: laenge - 1] + "…"


def _ist_zahl(wert: Any) -> bool:
    # numpy scalars are numbers.Number too; bool is excluded on purpose (True is not an answer "1")
    import numbers

    return isinstance(wert, numbers.Number) and not isinstance(wert, bool)


# --- checks --------------------------------------------------------------------------------------------------------


def pruefe_bearbeitet(wert: Any, name: str) -> None:
    """Raise ``NochNichtBearbeitet`` while the starter ``...`` is still the value of ``name``."""
    if wert is Ellipsis:
        raise NochNichtBearbeitet(
            f"Du hast für `{name}` noch nichts eingetragen.",
            "Ersetze die drei Punkte `...` durch deinen Code und führe die Zelle aus (Umschalt + Enter).",
        )


def pruefe_tabelle(wert: Any, name: str, *, min_zeilen: int = 1) -> None:
    """The value is a pandas DataFrame with at least ``min_zeilen`` rows."""
    import pandas as pd

    pruefe_bearbeitet(wert, name)
    if isinstance(wert, pd.Series):
        raise NochNichtRichtig(
            f"`{name}` ist {_art(wert)}, keine ganze Tabelle.",
            "Mit doppelten eckigen Klammern, z. B. `df[[\"a\", \"b\"]]`, bekommst du eine Tabelle.",
        )
    if not isinstance(wert, pd.DataFrame):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, aber hier wird eine Tabelle (DataFrame) gebraucht.")
    if len(wert) < min_zeilen:
        raise NochNichtRichtig(f"Die Tabelle `{name}` hat {len(wert)} Zeilen – das ist zu wenig.")
    _pruefe_csv_fehler(wert, name)


def _pruefe_csv_fehler(df: Any, name: str) -> None:
    """Recognise the classic mistakes of reading a German export, and say which option fixes them."""
    spalten = [str(s) for s in df.columns]
    if len(spalten) == 1 and (";" in spalten[0] or "\t" in spalten[0]):
        zeichen = ";" if ";" in spalten[0] else "\\t"
        raise NochNichtRichtig(
            f"Die Tabelle `{name}` hat nur eine einzige Spalte; in ihrem Namen steckt noch das Zeichen `{zeichen}`. "
            "Die Datei wurde also nicht in Spalten zerlegt.",
            f"Gib das Trennzeichen an: `pd.read_csv(..., sep=\"{zeichen}\")`.",
        )
    if spalten and (spalten[0].startswith("\ufeff") or spalten[0].startswith("ï»¿")):
        raise NochNichtRichtig(
            f"Der Name der ersten Spalte von `{name}` beginnt mit unsichtbaren Zeichen ({_kurz(spalten[0], 20)}). "
            "Das ist eine Byte-Order-Mark (BOM) am Anfang der Datei.",
            "Lies die Datei mit `encoding=\"utf-8-sig\"` ein.",
        )
    if any(m in s for s in spalten for m in ("Ã¤", "Ã¶", "Ã¼", "ÃŸ", "Ã„", "Ã–", "Ãœ")):
        raise NochNichtRichtig(
            f"In den Spaltennamen von `{name}` stehen Zeichen wie `Ã¤` statt Umlauten. "
            "Die Datei wurde mit der falschen Zeichenkodierung gelesen.",
            "Probiere `encoding=\"utf-8-sig\"` (oder für Excel-Exporte `encoding=\"cp1252\"`).",
        )


def pruefe_spalten(df: Any, spalten: Iterable[str], name: str) -> None:
    """The table has all of the named columns (the names are part of the task, so showing them is fine)."""
    pruefe_tabelle(df, name)
    fehlend = [s for s in spalten if s not in df.columns]
    if fehlend:
        vorhanden = ", ".join(f"`{s}`" for s in list(df.columns)[:8])
        mehr = " …" if len(df.columns) > 8 else ""
        raise NochNichtRichtig(
            f"In `{name}` {'fehlt die Spalte' if len(fehlend) == 1 else 'fehlen die Spalten'} "
            f"{', '.join(f'`{s}`' for s in fehlend)}. Vorhanden sind: {vorhanden}{mehr}.",
            "Achte auf genaue Schreibweise, Groß- und Kleinschreibung und Leerzeichen.",
        )


_ARTEN = {
    "zahl": ("eine Zahlenspalte", "is_numeric_dtype"),
    "ganzzahl": ("eine Spalte mit ganzen Zahlen", "is_integer_dtype"),
    "datum": ("eine Datumsspalte", "is_datetime64_any_dtype"),
    "text": ("eine Textspalte", "is_string_dtype"),
    "kategorie": ("eine Kategorie-Spalte", "is_categorical_dtype"),
}


def pruefe_datentyp(df: Any, spalte: str, art: str, name: str) -> None:
    """Column ``spalte`` of ``df`` has the data type ``art`` (zahl, ganzzahl, datum, text, kategorie)."""
    import pandas as pd

    pruefe_spalten(df, [spalte], name)
    beschreibung, pruefer = _ARTEN[art]
    reihe = df[spalte]
    if art == "kategorie":
        ok = isinstance(reihe.dtype, pd.CategoricalDtype)
    else:
        ok = getattr(pd.api.types, pruefer)(reihe.dtype)
        if art in ("zahl", "ganzzahl") and pd.api.types.is_bool_dtype(reihe.dtype):
            ok = False
    if ok:
        return
    raise NochNichtRichtig(
        f"Die Spalte `{spalte}` in `{name}` hat den Datentyp `{reihe.dtype}`; gebraucht wird {beschreibung}.",
        _typ_tipp(reihe, art),
    )


def _typ_tipp(reihe: Any, art: str) -> str:
    """Guess from the values why a column has the wrong type, and name the fix."""
    beispiele = [str(v) for v in reihe.dropna().head(50)]
    if art in ("zahl", "ganzzahl"):
        if any("," in b and b.replace(",", "").replace(".", "").lstrip("-").isdigit() for b in beispiele):
            return "Die Werte haben ein Dezimalkomma. Beim Einlesen hilft `decimal=\",\"`."
        return "Wandle die Spalte um: `pd.to_numeric(df[\"…\"], errors=\"coerce\")` – Text wird dann zu NaN."
    if art == "datum":
        if any(b.count(".") == 2 for b in beispiele):
            return ("Die Daten sind im deutschen Format (Tag.Monat.Jahr). "
                    "Nutze `pd.to_datetime(df[\"…\"], format=\"%d.%m.%y %H:%M\")` und passe das Format an.")
        return "Wandle die Spalte mit `pd.to_datetime(...)` um."
    if art == "kategorie":
        return "Mit `df[\"…\"].astype(\"category\")` oder `pd.Categorical(...)` wird daraus eine Kategorie."
    return "Mit `.astype(str)` wird daraus Text."


def pruefe_zahl(
    wert: Any,
    name: str,
    *,
    ganzzahl: bool = False,
    minimum: float | None = None,
    maximum: float | None = None,
) -> None:
    """The value is a number (optionally whole) inside [minimum, maximum]."""
    pruefe_bearbeitet(wert, name)
    if isinstance(wert, str):
        raise NochNichtRichtig(
            f"`{name}` ist ein Text ({_kurz(wert)}), keine Zahl.",
            "Lass die Anführungszeichen weg oder rechne das Ergebnis mit Python aus.",
        )
    if hasattr(wert, "shape") and getattr(wert, "shape", ()) != ():
        raise NochNichtRichtig(
            f"`{name}` ist {_art(wert)} mit mehreren Werten, gesucht ist eine einzelne Zahl.",
            "Vielleicht fehlt noch `.sum()`, `.mean()` oder `len(...)`.",
        )
    if not _ist_zahl(wert):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gesucht ist eine Zahl.")
    if isinstance(wert, float) and math.isnan(wert):
        raise NochNichtRichtig(f"`{name}` ist NaN (keine Zahl). Vermutlich wurde über leere Werte gerechnet.")
    if ganzzahl and float(wert) != int(wert):
        raise NochNichtRichtig(f"`{name}` ist {wert}, gesucht ist eine ganze Zahl (eine Anzahl).")
    if minimum is not None and wert < minimum:
        raise NochNichtRichtig(f"`{name}` ist {wert} – das ist kleiner als möglich (mindestens {minimum}).")
    if maximum is not None and wert > maximum:
        raise NochNichtRichtig(f"`{name}` ist {wert} – das ist größer als möglich (höchstens {maximum}).")


def pruefe_text(wert: Any, name: str, *, erlaubt: Iterable[str] | None = None) -> None:
    """The value is a non-empty text, optionally one of ``erlaubt`` (the choices are part of the task)."""
    pruefe_bearbeitet(wert, name)
    if not isinstance(wert, str):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gesucht ist ein Text in Anführungszeichen.")
    if not wert.strip():
        raise NochNichtRichtig(f"`{name}` ist ein leerer Text.")
    if erlaubt is not None:
        erlaubt = list(erlaubt)
        if wert not in erlaubt:
            raise NochNichtRichtig(
                f"`{name}` ist {_kurz(wert)}; erlaubt sind nur: {', '.join(repr(e) for e in erlaubt)}.",
                "Kopiere die Schreibweise genau, mit Groß- und Kleinschreibung.",
            )


def pruefe_haeufigkeiten(
    wert: Any, name: str, *, prozent: bool = False, kategorien: Iterable[str] | None = None
) -> None:
    """A frequency table as ``value_counts()`` returns it: counts, or (``prozent=True``) percentages summing to 100.

    Recognises the usual mix-ups (shares 0-1 instead of percent, counts instead of percent and the reverse) and, with
    ``kategorien`` (the answer labels named in the task), a count of the wrong column.
    """
    import pandas as pd

    pruefe_bearbeitet(wert, name)
    zaehlen = "`df[\"spalte\"].value_counts()` zählt, wie oft jeder Wert in einer Spalte vorkommt."
    if not isinstance(wert, pd.Series):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}; gesucht ist eine Häufigkeitstabelle "
                               "(eine Spalte mit einem Wert je Antwort).", zaehlen)
    if kategorien is not None and set(map(str, wert.index)) != set(kategorien):
        raise NochNichtRichtig(
            f"In `{name}` stehen die Einträge {', '.join(_kurz(str(k), 30) for k in list(wert.index)[:8])}"
            f"{' …' if len(wert) > 8 else ''}. Hast du die richtige Spalte gezählt?", zaehlen)
    if not pd.api.types.is_numeric_dtype(wert.dtype) or pd.api.types.is_bool_dtype(wert.dtype) or wert.isna().any():
        raise NochNichtRichtig(f"`{name}` enthält nicht nur Zahlen (Datentyp `{wert.dtype}`).", zaehlen)
    summe = float(wert.sum())
    ganz = bool(((wert >= 0) & (wert == wert.round())).all())
    if math.isclose(summe, 1, abs_tol=1e-3) and not (ganz and len(wert) == 1):
        raise NochNichtRichtig(
            f"Die Werte in `{name}` sind Anteile zwischen 0 und 1 (zusammen 1).",
            "Für Prozent nimm sie mal 100." if prozent else "Für Anzahlen lass `normalize=True` weg.")
    if prozent and not math.isclose(summe, 100, abs_tol=0.5):
        art = "ganze Zahlen, also eher Anzahlen als Prozent" if ganz else "keine Prozentwerte"
        raise NochNichtRichtig(f"Die Werte in `{name}` ergeben zusammen {summe:g}; das sind {art}. "
                               "Prozentwerte ergeben zusammen 100.",
                               "`value_counts(normalize=True)` gibt Anteile; mal 100 werden daraus Prozent.")
    if not prozent and not ganz:
        art = "Prozentwerte" if math.isclose(summe, 100, abs_tol=0.5) else "keine ganzen Zahlen"
        raise NochNichtRichtig(f"Die Werte in `{name}` sind {art}; gesucht sind Anzahlen.",
                               "Für Anzahlen lass `normalize=True` (und `* 100`) weg.")


def pruefe_eintraege(wert: Any, name: str, *, schluessel: Iterable[str], mindestens: int = 1) -> None:
    """A list of records (added for b01-daten-im-verein): at least ``mindestens`` dicts, each with every key of
    ``schluessel`` (named by the task), checked one by one with ``pruefe_woerterbuch``."""
    pruefe_bearbeitet(wert, name)
    if isinstance(wert, dict):
        raise NochNichtRichtig(f"`{name}` ist ein einzelnes Wörterbuch (dict), gesucht ist eine Liste davon.",
                               "Setze eckige Klammern um deine Einträge: `[{...}, {...}]`.")
    if not isinstance(wert, list):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gesucht ist eine Liste von Wörterbüchern.",
                               "Eine Liste steht in eckigen Klammern, jeder Eintrag in geschweiften: `[{...}, {...}]`.")
    if len(wert) < mindestens:
        raise NochNichtRichtig(f"`{name}` hat erst {len(wert)} Einträge; "
                               f"die Aufgabe verlangt mindestens {mindestens}.")
    for nummer, eintrag in enumerate(wert, start=1):
        pruefe_woerterbuch(eintrag, f"Eintrag {nummer} von {name}", schluessel=schluessel)


def pruefe_gleich(
    wert: Any,
    erwartet: Any,
    name: str,
    *,
    tipp: str | None = None,
    typische_fehler: Iterable[tuple[Any, str]] = (),
    toleranz: float = 1e-6,
) -> None:
    """``wert`` equals ``erwartet``. The message never shows ``erwartet``: hidden tests may use this too.

    ``typische_fehler`` pairs a known wrong value (or a predicate ``callable(wert) -> bool``) with a message that
    explains that mistake, e.g. ``[(anzahl_mit_testantworten, "Die zwei Testantworten sind noch drin.")]``.
    """
    pruefe_bearbeitet(wert, name)
    if _gleich(wert, erwartet, toleranz):
        return
    for fehler, nachricht in typische_fehler:
        treffer = fehler(wert) if callable(fehler) else _gleich(wert, fehler, toleranz)
        if treffer:
            raise NochNichtRichtig(f"`{name}` ist {_beschreibe(wert)}. {nachricht}", tipp)
    raise NochNichtRichtig(f"`{name}` ist {_beschreibe(wert)} – das stimmt noch nicht.", tipp)


def _beschreibe(wert: Any) -> str:
    import pandas as pd

    if isinstance(wert, pd.DataFrame):
        return f"eine Tabelle mit {wert.shape[0]} Zeilen und {wert.shape[1]} Spalten"
    if isinstance(wert, pd.Series):
        return f"eine Spalte mit {len(wert)} Werten"
    if isinstance(wert, (list, tuple, set, dict)):
        return f"{_art(wert)} mit {len(wert)} {'Eintrag' if len(wert) == 1 else 'Einträgen'}"
    return f"{_kurz(wert)}"


def _gleich(a: Any, b: Any, toleranz: float) -> bool:
    import pandas as pd

    if isinstance(a, (pd.DataFrame, pd.Series)) or isinstance(b, (pd.DataFrame, pd.Series)):
        if type(a) is not type(b):
            return False
        try:
            if isinstance(a, pd.DataFrame):
                pd.testing.assert_frame_equal(a, b, check_dtype=False, check_exact=False, rtol=toleranz)
            else:
                pd.testing.assert_series_equal(a, b, check_dtype=False, check_exact=False, rtol=toleranz,
                                               check_names=False)
        except AssertionError:
            return False
        return True
    if _ist_zahl(a) and _ist_zahl(b):
        return math.isclose(float(a), float(b), rel_tol=toleranz, abs_tol=toleranz)
    try:
        return bool(a == b)
    except (TypeError, ValueError):
        return False


def geschafft(text: str = "Richtig, das sieht gut aus!") -> None:
    """Praise at the end of a visible test cell (only reached when every check above passed)."""
    print(f"✓ {text}")


# --- charts (added for b04-diagramme) ------------------------------------------------------------------------------
# Charts are checked by what matplotlib holds (bars, lines, labels, limits, colours), never by pixels.

_DIAGRAMM_ARTEN = {
    "balken": ("Balken", "ax.bar(x, hoehen)"),
    "linie": ("Linie", "ax.plot(x, y)"),
    "histogramm": ("Histogramm", "ax.hist(werte, bins=...)"),
}


def _zahl_de(wert: float) -> str:
    """A number the German way: 141.000 or 12,5."""
    wert = float(wert)
    text = f"{wert:,.0f}" if wert.is_integer() else f"{wert:,.2f}"
    return text.replace(",", "_").replace(".", ",").replace("_", ".")


def _achsen(wert: Any, name: str) -> Any:
    """The Axes behind ``wert``: an Axes, or a Figure with exactly one Axes."""
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    pruefe_bearbeitet(wert, name)
    if isinstance(wert, Figure) and len(wert.axes) == 1:
        return wert.axes[0]
    if isinstance(wert, Axes):
        return wert
    tipp = "`fig, ax = plt.subplots()` gibt dir die Grafik `fig` und die Achsen `ax` (mit Komma dazwischen)."
    if isinstance(wert, Figure):
        raise NochNichtRichtig(f"`{name}` ist eine Grafik (Figure) mit {len(wert.axes)} Achsen (Axes); "
                               "gebraucht wird eine Grafik mit genau einem Diagramm.", tipp)
    if isinstance(wert, tuple):
        raise NochNichtRichtig(f"`{name}` ist ein Tupel mit {len(wert)} Teilen, keine Achsen (Axes).", tipp)
    raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gebraucht werden die Achsen (Axes) eines Diagramms.", tipp)


def _balken(ax: Any, richtung: str = "vertical") -> list:
    """The bars of ``ax`` in drawing order (bar, hist, pandas plot.bar; ``richtung="horizontal"``: barh)."""
    from matplotlib.container import BarContainer

    return [balken for c in ax.containers if isinstance(c, BarContainer) and c.orientation == richtung
            for balken in c.patches]


def _linie(ax: Any) -> Any:
    """The data line of ``ax`` (the one with most points), or None."""
    linien = [linie for linie in ax.get_lines() if len(linie.get_ydata()) > 0]
    return max(linien, key=lambda linie: len(linie.get_ydata())) if linien else None


def _inhalt(ax: Any) -> str:
    """What is drawn on ``ax``, in learner words."""
    teile = []
    if _balken(ax):
        teile.append(f"{len(_balken(ax))} Balken")
    if ax.get_lines():
        teile.append("1 Linie" if len(ax.get_lines()) == 1 else f"{len(ax.get_lines())} Linien")
    if not teile and ax.collections:
        teile.append("nur Punkte oder Flächen")
    return " und ".join(teile) if teile else "noch gar nichts"


def _diagramm_daten(ax: Any, name: str, art: str) -> list[float]:
    """The values the learner's chart shows (bar heights or line y values); fails if it is another kind of chart."""
    wort, befehl = _DIAGRAMM_ARTEN[art]
    falsch = NochNichtRichtig(f"In `{name}` ist {_inhalt(ax)} gezeichnet, aber kein Diagramm der Art {wort}.",
                              f"Zeichne es mit `{befehl}`.")
    if art == "linie":
        linie = _linie(ax)
        if linie is None:
            raise falsch
        return [float(y) for y in linie.get_ydata()]
    balken = _balken(ax)
    if not balken and _balken(ax, "horizontal"):
        raise NochNichtRichtig(f"Die Balken in `{name}` liegen waagerecht.",
                               f"Nimm hier senkrechte Balken: `{befehl}` (statt `barh` oder `orientation=...`).")
    if not balken:
        raise falsch
    if art == "histogramm":
        reihe = sorted(balken, key=lambda b: b.get_x())
        luecken = [b2.get_x() - (b1.get_x() + b1.get_width()) for b1, b2 in zip(reihe, reihe[1:])]
        if any(abs(luecke) > 1e-9 * max(1.0, abs(b.get_width())) for luecke, b in zip(luecken, reihe)):
            raise NochNichtRichtig(f"Zwischen den Balken in `{name}` sind Lücken: das ist ein Balkendiagramm, "
                                   "kein Histogramm. In einem Histogramm stoßen die Klassen aneinander.",
                                   f"Zeichne es mit `{befehl}` aus den einzelnen Werten, nicht aus Summen.")
    return [float(b.get_height()) for b in balken]


def pruefe_diagramm(
    wert: Any,
    name: str,
    art: str,
    *,
    anzahl: int | None = None,
    werte: Iterable[float] | None = None,
    typische_fehler: Iterable[tuple[Any, str]] = (),
    toleranz: float = 1e-6,
) -> None:
    """``wert`` (Axes, or a Figure with one Axes) shows a chart of kind ``art`` ("balken", "linie", "histogramm").

    ``anzahl``: number of bars (histogram: classes) or of points on the line. ``werte``: the expected bar heights
    (histogram: counts per class) or y values, in order. ``typische_fehler`` pairs known wrong values (or a predicate
    on the learner's values) with an explanation, as in ``pruefe_gleich``; without ``werte`` they are still checked
    (a visible test can name a mistake without knowing the answer). Messages describe the learner's chart only.
    """
    if art not in _DIAGRAMM_ARTEN:
        raise ValueError(f"art must be one of {sorted(_DIAGRAMM_ARTEN)}, not {art!r}")
    ax = _achsen(wert, name)
    daten = _diagramm_daten(ax, name, art)
    einheit = "Punkte" if art == "linie" else "Balken"
    if anzahl is not None and len(daten) != anzahl:
        tipp = {
            "balken": "Jeder Balken steht für eine Gruppe: prüfe, wonach du mit `groupby` gruppiert hast.",
            "linie": "Jeder Punkt steht für einen Zeitraum: prüfe, wie du die Daten zusammengefasst hast.",
            "histogramm": "Die Klassen legst du mit `bins=...` fest.",
        }[art]
        raise NochNichtRichtig(f"Dein Diagramm `{name}` hat {len(daten)} {einheit}.", tipp)
    erwartet = None if werte is None else [float(w) for w in werte]
    bereich = f"von {_zahl_de(min(daten))} bis {_zahl_de(max(daten))}" if daten else "keine"

    def gleich(a: list[float], b: list[float]) -> bool:
        return len(a) == len(b) and all(math.isclose(x, y, rel_tol=toleranz, abs_tol=toleranz) for x, y in zip(a, b))

    if erwartet is not None and gleich(daten, erwartet):
        return
    was = "Die Werte deiner Linie" if art == "linie" else "Die Höhen deiner Balken"
    for fehler, nachricht in typische_fehler:
        if fehler(daten) if callable(fehler) else gleich(daten, [float(f) for f in fehler]):
            raise NochNichtRichtig(f"{was} in `{name}` reichen {bereich}. {nachricht}")
    if erwartet is None:
        return
    if gleich(sorted(daten), sorted(erwartet)):
        raise NochNichtRichtig(f"{was} in `{name}` stehen in einer anderen Reihenfolge als gefragt.",
                               "Sortiere die Werte nach der x-Achse (z. B. `.sort_index()`), bevor du zeichnest.")
    raise NochNichtRichtig(f"{was} in `{name}` reichen {bereich} – das passt noch nicht zur Aufgabe.",
                           "Prüfe die Zahlen, die du zeichnest: filtern, gruppieren, summieren oder zählen?")


def pruefe_beschriftung(wert: Any, name: str, *, quelle: bool = False) -> None:
    """The chart has a title and both axis labels (and, with ``quelle=True``, a text containing "Quelle")."""
    ax = _achsen(wert, name)
    fig = ax.figure
    titel = ax.get_title() or ax.get_title("left") or fig.get_suptitle()
    fehlend = [text for text, vorhanden in (
        ("ein Titel (`ax.set_title(...)`)", titel),
        ("eine Beschriftung der x-Achse (`ax.set_xlabel(...)`)", ax.get_xlabel()),
        ("eine Beschriftung der y-Achse (`ax.set_ylabel(...)`)", ax.get_ylabel()),
    ) if not str(vorhanden).strip()]
    if fehlend:
        liste = fehlend[0] if len(fehlend) == 1 else ", ".join(fehlend[:-1]) + " und " + fehlend[-1]
        raise NochNichtRichtig(f"Deinem Diagramm `{name}` {'fehlt' if len(fehlend) == 1 else 'fehlen'} noch {liste}.",
                               "Leser*innen sollen ohne Erklärung verstehen, was sie sehen.")
    if quelle and not any("quelle" in t.get_text().lower() for t in [*fig.texts, *ax.texts]):
        raise NochNichtRichtig(f"An deinem Diagramm `{name}` steht noch keine Quellenangabe (ein Text mit »Quelle«).",
                               "Zum Beispiel `fig.text(0.01, 0.01, \"Quelle: ...\", fontsize=8)`.")


def pruefe_achse_ab_null(wert: Any, name: str) -> None:
    """The y axis starts at 0 (bar charts: otherwise the cut-off bars exaggerate differences)."""
    ax = _achsen(wert, name)
    unten, oben = sorted(ax.get_ylim())
    if abs(unten) <= 1e-9 * max(1.0, abs(oben)):
        return
    if unten > 0:
        raise NochNichtRichtig(
            f"Die y-Achse von `{name}` beginnt bei {_zahl_de(unten)}. Die Balken sind unten abgeschnitten, "
            "so wirken kleine Unterschiede riesig.",
            "Lass `ax.set_ylim(...)` weg oder setze die Untergrenze auf null: `ax.set_ylim(bottom=0)`.")
    raise NochNichtRichtig(f"Die y-Achse von `{name}` beginnt bei {_zahl_de(unten)}, also unter null.",
                           "Setze die Untergrenze auf null: `ax.set_ylim(bottom=0)`.")


def pruefe_farben(
    wert: Any, name: str, palette: Iterable[str], *, je_balken: Iterable[str] | None = None, tipp: str | None = None
) -> None:
    """Every bar and line of the chart has a colour from ``palette`` (e.g. the Okabe-Ito colours).

    ``je_balken``: the colour each bar must have, in order (when the task names them, e.g. one bar highlighted);
    the message lists the learner's bar colours and adds ``tipp``.
    """
    from matplotlib.colors import to_hex

    ax = _achsen(wert, name)
    erlaubt = {to_hex(farbe) for farbe in palette}
    benutzt = [to_hex(b.get_facecolor()) for b in _balken(ax) + _balken(ax, "horizontal")]
    benutzt += [to_hex(l.get_color()) for l in ax.get_lines()]
    if not benutzt:
        raise NochNichtRichtig(f"In `{name}` ist noch nichts gezeichnet, das eine Farbe hat.")
    fremd = sorted(set(benutzt) - erlaubt, key=benutzt.index)
    if fremd:
        raise NochNichtRichtig(
            f"In `{name}` kommen Farben vor, die nicht in der Palette stehen: {', '.join(fremd)}.",
            "Gib die Farben selbst an: `ax.bar(x, y, color=okabe_ito[1])` oder eine Liste mit einer Farbe je Balken.")
    if je_balken is not None:
        balken = [to_hex(b.get_facecolor()) for b in _balken(ax)]
        if balken != [to_hex(farbe) for farbe in je_balken]:
            raise NochNichtRichtig(f"Die Balken in `{name}` haben der Reihe nach die Farben {', '.join(balken)}.",
                                   tipp)


def pruefe_png(
    pfad: Any, name: str, *, dpi: float | None = None, fig: Any = None, fig_name: str = "fig"
) -> None:
    """``pfad`` names a PNG file that exists, (optionally) was saved with ``dpi`` and shows ``fig``.

    ``fig`` is the learner's Figure or its Axes, ``fig_name`` that variable's name. "Shows ``fig``" means: the file
    has the pixel size that ``fig.savefig(..., dpi=..., bbox_inches="tight")`` gives now.
    """
    from matplotlib.figure import Figure

    import io

    from PIL import Image

    pruefe_bearbeitet(pfad, name)
    if not isinstance(pfad, (str, Path)):
        raise NochNichtRichtig(f"`{name}` ist {_art(pfad)}, gebraucht ist ein Dateiname in Anführungszeichen.")
    datei = Path(pfad)
    if datei.suffix.lower() != ".png":
        raise NochNichtRichtig(f"Der Dateiname in `{name}` ({_kurz(str(pfad))}) endet nicht auf `.png`.",
                               "Die Endung bestimmt das Format: nimm `.png`.")
    if not datei.is_file():
        raise NochNichtRichtig(f"Die Datei {_kurz(str(pfad))} aus `{name}` gibt es in diesem Ordner (noch) nicht.",
                               "Speichere sie mit `fig.savefig(dateiname, ...)` und führe die Zelle aus.")
    try:
        with Image.open(datei) as bild:
            format_, groesse, aufloesung = bild.format, bild.size, bild.info.get("dpi")
    except OSError:
        raise NochNichtRichtig(f"Die Datei {_kurz(str(pfad))} lässt sich nicht als Bild öffnen.") from None
    if format_ != "PNG":
        raise NochNichtRichtig(f"Die Datei {_kurz(str(pfad))} ist kein PNG, sondern {format_}.",
                               "Lass `format=...` weg; die Endung `.png` genügt.")
    if dpi is not None:
        if not aufloesung:
            raise NochNichtRichtig(f"Die Datei {_kurz(str(pfad))} enthält keine Angabe zur Auflösung (dpi).")
        if abs(float(aufloesung[0]) - dpi) > 1:
            raise NochNichtRichtig(
                f"Die Datei {_kurz(str(pfad))} ist mit {round(float(aufloesung[0]))} dpi gespeichert.",
                "Die Auflösung legst du mit `fig.savefig(..., dpi=...)` fest.")
    if fig is None:
        return
    fig = fig if isinstance(fig, Figure) else _achsen(fig, fig_name).figure
    aufloesung = dpi or (float(aufloesung[0]) if aufloesung else 100)
    puffer = io.BytesIO()
    fig.savefig(puffer, format="png", dpi=aufloesung, bbox_inches="tight")
    with Image.open(puffer) as neu:
        soll = neu.size
    if all(abs(a - b) <= 2 for a, b in zip(groesse, soll)):
        return
    ganz = tuple(round(z * aufloesung) for z in fig.get_size_inches())
    text = f"Die Datei {_kurz(str(pfad))} ist {groesse[0]} × {groesse[1]} Pixel groß"
    if all(abs(a - b) <= 2 for a, b in zip(groesse, ganz)):
        raise NochNichtRichtig(f"{text}: das ist die ganze Grafik samt leerem Rand.",
                               "Mit `bbox_inches=\"tight\"` schneidet `savefig` den leeren Rand ab.")
    raise NochNichtRichtig(f"{text}; die Grafik von `{fig_name}` wird beim Speichern anders groß. "
                           "Hast du eine andere Grafik gespeichert oder sie danach noch verändert?",
                           "Speichere die Grafik mit `fig.savefig(...)` erneut, nachdem sie fertig ist.")


# --- dicts, lists and minimised tables (added for b05-datenschutz-grundlagen) --------------------------------------


def _namen(werte: Iterable[Any], hoechstens: int = 6) -> str:
    werte = list(werte)
    text = ", ".join(f"`{w}`" for w in werte[:hoechstens])
    return text + (" …" if len(werte) > hoechstens else "")


def pruefe_woerterbuch(
    wert: Any,
    name: str,
    *,
    schluessel: Iterable[str],
    erlaubt: Iterable[Any] | None = None,
    richtig: dict[str, Iterable[Any]] | None = None,
    hinweise: dict[str, str] | None = None,
) -> None:
    """A dict with every key of ``schluessel`` (named by the task); extra keys are allowed.

    A value still ``...`` counts as not attempted. With ``erlaubt`` (the labels the task offers) every value must be
    one of them. With ``richtig`` (key -> accepted labels; all keys in hidden tests, or a few the task makes obvious
    in visible ones) every value of those keys must be accepted: the message counts the keys that are not right yet
    and names the first with the learner's label and ``hinweise[key]``, never an accepted label.
    """
    pruefe_bearbeitet(wert, name)
    if not isinstance(wert, dict):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gesucht ist ein Wörterbuch (dict).",
                               'Ein Wörterbuch steht in geschweiften Klammern: `{"schlüssel": "wert", ...}`.')
    schluessel = list(schluessel)
    fehlend = [s for s in schluessel if s not in wert]
    if fehlend:
        fremd = [k for k in wert if k not in schluessel]
        raise NochNichtRichtig(
            f"In `{name}` {'fehlt der Schlüssel' if len(fehlend) == 1 else 'fehlen die Schlüssel'} {_namen(fehlend)}."
            + (f" Dafür gibt es {_namen(fremd)} – vielleicht ein Tippfehler?" if fremd else ""),
            "Schreib die Schlüssel genau so wie in der Aufgabe, mit Groß- und Kleinschreibung.",
        )
    offen = [s for s in schluessel if wert[s] is Ellipsis]
    if offen:
        raise NochNichtBearbeitet(f"In `{name}` steht noch `...` bei {_namen(offen)}.",
                                  "Ersetze die drei Punkte durch deine Angabe und führe die Zelle aus.")
    if erlaubt is not None:
        erlaubt = list(erlaubt)
        for s in schluessel:
            if wert[s] not in erlaubt:
                raise NochNichtRichtig(
                    f"In `{name}` steht bei `{s}` {_kurz(wert[s])}; erlaubt sind nur: "
                    f"{', '.join(repr(e) for e in erlaubt)}.",
                    "Kopiere die Schreibweise genau, mit Groß- und Kleinschreibung.",
                )
    if richtig is not None:
        falsch = [s for s in schluessel if s in richtig and wert[s] not in list(richtig[s])]
        if falsch:
            erste = falsch[0]
            anzahl = "ist 1 Eintrag" if len(falsch) == 1 else f"sind {len(falsch)} Einträge"
            raise NochNichtRichtig(
                f"In `{name}` {anzahl} noch nicht passend, zum Beispiel `{erste}` (bei dir: {_kurz(wert[erste])}).",
                (hinweise or {}).get(erste),
            )


def pruefe_liste(
    wert: Any,
    name: str,
    *,
    min_eintraege: int = 1,
    erlaubt: Iterable[str] | None = None,
    muss_enthalten: Iterable[str] = (),
    hinweis: str | None = None,
) -> None:
    """A list of non-empty texts with at least ``min_eintraege`` entries.

    With ``erlaubt`` every entry must be one of these texts (e.g. the column names of a table); the message names the
    learner's entry, not the allowed ones. With ``muss_enthalten`` (for hidden tests) these entries must be there;
    the message counts what is missing and adds ``hinweis``, without naming the missing entries.
    """
    pruefe_bearbeitet(wert, name)
    if not isinstance(wert, (list, tuple)):
        raise NochNichtRichtig(f"`{name}` ist {_art(wert)}, gesucht ist eine Liste.",
                               'Eine Liste steht in eckigen Klammern: `["erstens", "zweitens"]`.')
    if any(e is Ellipsis for e in wert):
        raise NochNichtBearbeitet(f"In der Liste `{name}` steht noch `...`.",
                                  "Ersetze die drei Punkte durch deine Einträge.")
    kein_text = [e for e in wert if not isinstance(e, str) or not e.strip()]
    if kein_text:
        raise NochNichtRichtig(f"In `{name}` steht {_kurz(kein_text[0])}; jeder Eintrag soll ein Text sein.",
                               "Setze jeden Eintrag in Anführungszeichen.")
    if len(wert) < min_eintraege:
        raise NochNichtRichtig(f"`{name}` hat {len(wert)} Einträge; hier werden mindestens {min_eintraege} gebraucht.")
    if erlaubt is not None:
        erlaubt = set(erlaubt)
        fremd = [e for e in wert if e not in erlaubt]
        if fremd:
            raise NochNichtRichtig(f"In `{name}` {'passt' if len(fremd) == 1 else 'passen'} {_namen(fremd)} "
                                   "hier nicht hin.", hinweis)
    fehlend = [e for e in muss_enthalten if e not in wert]
    if fehlend:
        anzahl = ("fehlt noch 1 wichtiger Eintrag" if len(fehlend) == 1
                  else f"fehlen noch {len(fehlend)} wichtige Einträge")
        raise NochNichtRichtig(f"In `{name}` {anzahl}.", hinweis)


def pruefe_nur_spalten(df: Any, spalten: Iterable[str], name: str) -> None:
    """The table has exactly the columns ``spalten`` (named by the task), in any order: data minimisation."""
    spalten = list(spalten)
    pruefe_spalten(df, spalten, name)
    zuviel = [s for s in df.columns if s not in spalten]
    if zuviel:
        raise NochNichtRichtig(
            f"In `{name}` {'steht noch die Spalte' if len(zuviel) == 1 else 'stehen noch die Spalten'} "
            f"{_namen(zuviel)}, die für diesen Zweck nicht gebraucht {'wird' if len(zuviel) == 1 else 'werden'}.",
            "Datenminimierung: wähle nur die nötigen Spalten aus (`df[[...]]`) oder entferne die anderen "
            "(`df.drop(columns=[...])`).",
        )


# --- hints and solutions -------------------------------------------------------------------------------------------


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
