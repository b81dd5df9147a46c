"""Chart checks (added for b04-diagramme): bar, line and histogram content, labels, y axis from zero, palette, PNG files.

Each check: passes (returns None), not attempted (starter ``...``) and wrong, with the message a learner sees: it
describes the learner's chart (what it IS), never the expected values.
"""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from datenwerkstatt.check import (NochNichtBearbeitet, NochNichtRichtig, pruefe_achse_ab_null,  # noqa: E402
                                  pruefe_beschriftung, pruefe_diagramm, pruefe_farben, pruefe_png)

JAHRE = [2021, 2022, 2023, 2024, 2025]
SUMMEN = [147_754.5, 144_424.0, 152_693.5, 149_441.0, 146_384.0]
OKABE_ITO = ["#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000"]


@pytest.fixture
def chart():
    """A factory for fresh figures; every figure is closed after the test."""
    made = []

    def make(figsize=(6, 4)):
        fig, ax = plt.subplots(figsize=figsize)
        made.append(fig)
        return fig, ax

    yield make
    for fig in made:
        plt.close(fig)


def message(check, *args, **kwargs) -> str:
    with pytest.raises(NochNichtRichtig) as err:
        check(*args, **kwargs)
    return str(err.value)


def test_bar_chart_passes_with_axes_or_its_figure(chart):
    fig, ax = chart()
    ax.bar(JAHRE, SUMMEN)
    assert pruefe_diagramm(ax, "ax", "balken", anzahl=5, werte=SUMMEN) is None
    assert pruefe_diagramm(fig, "fig", "balken", anzahl=5) is None


def test_not_attempted_for_every_chart_check():
    for check in (lambda w: pruefe_diagramm(w, "ax", "balken"), lambda w: pruefe_beschriftung(w, "ax"),
                  lambda w: pruefe_achse_ab_null(w, "ax"), lambda w: pruefe_farben(w, "ax", OKABE_ITO),
                  lambda w: pruefe_png(w, "datei")):
        with pytest.raises(NochNichtBearbeitet, match="noch nichts eingetragen"):
            check(...)


def test_not_axes_says_what_the_value_is(chart):
    fig, ax = chart()
    assert "Tupel mit 2 Teilen" in message(pruefe_diagramm, (fig, ax), "ax", "balken")
    assert "eine ganze Zahl" in message(pruefe_diagramm, 3, "ax", "balken")
    fig.add_subplot(2, 1, 2)
    assert "2 Achsen" in message(pruefe_diagramm, fig, "fig", "balken")


def test_wrong_kind_of_chart_names_what_is_drawn(chart):
    _, ax = chart()
    ax.plot(JAHRE, SUMMEN)
    text = message(pruefe_diagramm, ax, "ax", "balken")
    assert "1 Linie gezeichnet" in text and "ax.bar" in text
    _, leer = chart()
    assert "noch gar nichts" in message(pruefe_diagramm, leer, "leer", "linie")
    _, quer = chart()
    quer.barh(JAHRE, SUMMEN)
    assert "waagerecht" in message(pruefe_diagramm, quer, "quer", "balken")


def test_bar_count_and_heights_describe_the_learners_chart_only(chart):
    _, ax = chart()
    ax.bar([2022, 2023, 2024], [10.0, 20.0, 30.0])
    text = message(pruefe_diagramm, ax, "ax", "balken", anzahl=5)
    assert "3 Balken" in text and "5" not in text.split("Tipp")[0]
    text = message(pruefe_diagramm, ax, "ax", "balken", werte=[1000.0, 2000.0, 3000.5])
    assert "von 10 bis 30" in text and "1.000" not in text and "3.000,5" not in text


def test_typical_mistake_and_wrong_order(chart):
    _, ax = chart()
    ax.bar(JAHRE, [4900, 4800, 6400, 4950, 4870])
    text = message(pruefe_diagramm, ax, "ax", "balken", werte=SUMMEN,
                   typische_fehler=[(lambda hoehen: all(h == int(h) for h in hoehen), "Das sind Anzahlen.")])
    assert "von 4.800 bis 6.400" in text and "Anzahlen" in text
    # without the expected values (a visible test), a typical mistake is still named; a correct chart passes
    assert "Anzahlen" in message(pruefe_diagramm, ax, "ax", "balken",
                                 typische_fehler=[(lambda hoehen: max(hoehen) < 10_000, "Das sind Anzahlen.")])
    _, richtig = chart()
    richtig.bar(JAHRE, SUMMEN)
    assert pruefe_diagramm(richtig, "ax", "balken", typische_fehler=[(lambda h: max(h) < 10_000, "x")]) is None
    _, rueckwaerts = chart()
    rueckwaerts.bar(JAHRE, SUMMEN[::-1])
    assert "Reihenfolge" in message(pruefe_diagramm, rueckwaerts, "ax", "balken", werte=SUMMEN)


def test_line_counts_points_and_compares_y_values(chart):
    _, ax = chart()
    ax.plot(range(12), [float(m) for m in range(12)])
    assert pruefe_diagramm(ax, "ax", "linie", anzahl=12, werte=range(12)) is None
    assert "12 Punkte" in message(pruefe_diagramm, ax, "ax", "linie", anzahl=60)
    assert "Werte deiner Linie" in message(pruefe_diagramm, ax, "ax", "linie", werte=range(1, 13))


def test_histogram_bins_and_bar_chart_posing_as_histogram(chart):
    betraege = [5, 10, 15, 20, 20, 25, 50, 120, 199, 200]
    _, ax = chart()
    ax.hist(betraege, bins=range(0, 201, 10))
    assert pruefe_diagramm(ax, "ax", "histogramm", anzahl=20) is None
    _, grob = chart()
    grob.hist(betraege)
    assert "10 Balken" in message(pruefe_diagramm, grob, "grob", "histogramm", anzahl=20)
    _, balken = chart()
    balken.bar(JAHRE, SUMMEN)
    assert "Lücken" in message(pruefe_diagramm, balken, "balken", "histogramm")


def test_labels_list_what_is_missing_and_find_the_source_line(chart):
    fig, ax = chart()
    ax.bar(JAHRE, SUMMEN)
    text = message(pruefe_beschriftung, ax, "ax")
    assert "fehlen noch ein Titel" in text and "x-Achse" in text and "und eine Beschriftung der y-Achse" in text
    ax.set_title("Spenden je Jahr")
    ax.set_xlabel("Jahr")
    text = message(pruefe_beschriftung, ax, "ax")
    assert "fehlt noch eine Beschriftung der y-Achse" in text and "Titel" not in text
    ax.set_ylabel("Euro")
    assert pruefe_beschriftung(ax, "ax") is None
    assert "Quelle" in message(pruefe_beschriftung, ax, "ax", quelle=True)
    fig.text(0.01, 0.01, "Quelle: CRM-Export")
    assert pruefe_beschriftung(ax, "ax", quelle=True) is None
    _, ax2 = chart()
    ax2.set(title="T", xlabel="x", ylabel="y")
    ax2.annotate("Daten: Quelle CiviCRM", (0, 0))
    assert pruefe_beschriftung(ax2, "ax2", quelle=True) is None


def test_axis_from_zero_reports_the_learners_lower_limit(chart):
    _, ax = chart()
    ax.bar(JAHRE, SUMMEN)
    assert pruefe_achse_ab_null(ax, "ax") is None
    ax.set_ylim(140_000, 155_000)
    text = message(pruefe_achse_ab_null, ax, "ax")
    assert "beginnt bei 140.000" in text and "set_ylim(bottom=0)" in text
    ax.set_ylim(-5_000, 155_000)
    assert "unter null" in message(pruefe_achse_ab_null, ax, "ax")


def test_palette_colours(chart):
    _, ax = chart()
    ax.bar(JAHRE, SUMMEN, color=[OKABE_ITO[4]] * 2 + [OKABE_ITO[0]] + [OKABE_ITO[4]] * 2)
    assert pruefe_farben(ax, "ax", OKABE_ITO) is None
    _, standard = chart()
    standard.bar(JAHRE, SUMMEN)
    standard.plot(JAHRE, SUMMEN, color="red")
    text = message(pruefe_farben, standard, "standard", OKABE_ITO)
    assert "#1f77b4" in text and "#ff0000" in text
    _, leer = chart()
    assert "noch nichts gezeichnet" in message(pruefe_farben, leer, "leer", OKABE_ITO)


def test_palette_colour_per_bar_lists_the_learners_colours(chart):
    blau, orange = OKABE_ITO[4], OKABE_ITO[0]
    soll = [blau, blau, orange, blau, blau]
    _, ax = chart()
    ax.bar(JAHRE, SUMMEN, color=soll)
    assert pruefe_farben(ax, "ax", OKABE_ITO, je_balken=soll) is None
    _, einfarbig = chart()
    einfarbig.bar(JAHRE, SUMMEN, color=blau)
    text = message(pruefe_farben, einfarbig, "ax", OKABE_ITO, je_balken=soll, tipp="Nur 2023 anders.")
    assert "der Reihe nach die Farben #0072b2, #0072b2, #0072b2, #0072b2, #0072b2" in text
    assert "#e69f00" not in text.lower() and "Nur 2023 anders." in text


def test_png_file_dpi_and_pixel_size(chart, tmp_path):
    fig, ax = chart(figsize=(4, 3))
    ax.bar(JAHRE, SUMMEN)
    ax.set_title("Spenden")
    druck, ganz = tmp_path / "druck.png", tmp_path / "ganz.png"
    fig.savefig(druck, dpi=150, bbox_inches="tight")
    fig.savefig(ganz, dpi=150)
    assert pruefe_png(str(druck), "druck", dpi=150, fig=fig) is None
    assert "mit 150 dpi" in message(pruefe_png, str(druck), "druck", dpi=300)
    assert "samt leerem Rand" in message(pruefe_png, str(ganz), "ganz", dpi=150, fig=fig)
    assert pruefe_png(str(druck), "druck", dpi=150, fig=ax) is None  # the Axes stands for its figure
    other, other_ax = chart(figsize=(8, 2))
    other_ax.plot([1, 2])
    text = message(pruefe_png, str(druck), "druck", dpi=150, fig=other_ax, fig_name="ax_bericht")
    assert "andere Grafik" in text and "`ax_bericht`" in text
    with pytest.raises(NochNichtBearbeitet, match="ax_bericht"):  # file saved, but the chart task not done yet
        pruefe_png(str(druck), "druck", dpi=150, fig=..., fig_name="ax_bericht")


def test_png_path_problems(tmp_path):
    assert "gibt es in diesem Ordner (noch) nicht" in message(pruefe_png, str(tmp_path / "fehlt.png"), "datei")
    assert "nicht auf `.png`" in message(pruefe_png, "bild.jpg", "datei")
    assert "Dateiname" in message(pruefe_png, 300, "datei")
    kaputt = tmp_path / "kaputt.png"
    kaputt.write_text("kein Bild")
    assert "nicht als Bild öffnen" in message(pruefe_png, str(kaputt), "datei")
    from PIL import Image

    foto = tmp_path / "foto.png"
    Image.new("RGB", (20, 10)).save(foto, format="JPEG")
    assert "kein PNG, sondern JPEG" in message(pruefe_png, str(foto), "datei")
