"""Checks for dicts, lists and minimised tables (modules b01, b05)."""

from __future__ import annotations

from typing import Any, Iterable

from datenwerkstatt.check._kern import (NochNichtBearbeitet, NochNichtRichtig, _art, _kurz, pruefe_bearbeitet,
                                        pruefe_spalten)


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
