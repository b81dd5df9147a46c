"""The core of the learner checks: the two outcomes that are not a pass, and the checks for tables, numbers,
texts and values."""

from __future__ import annotations

import math
from typing import Any, Iterable


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
