"""Checks for charts (module b04): by what matplotlib holds - bars, lines, labels, limits, colours - never by
pixels."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Iterable

from datenwerkstatt.check._kern import NochNichtRichtig, _art, _kurz, pruefe_bearbeitet


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
