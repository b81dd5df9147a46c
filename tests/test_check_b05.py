"""Checks added for b05-datenschutz-grundlagen: pruefe_woerterbuch, pruefe_liste, pruefe_nur_spalten.

Each: passing (returns None), not attempted (starter `...`), and wrong answers with the message a learner sees
(what the value IS; accepted labels and missing entries of hidden tests are never named).
"""

from __future__ import annotations

import pandas as pd
import pytest

from datenwerkstatt.check import (NochNichtBearbeitet, NochNichtRichtig, pruefe_liste, pruefe_nur_spalten,
                                  pruefe_woerterbuch)

KLASSEN = ["direkt", "indirekt", "nicht"]
SPALTEN = ["name", "plz", "betrag"]
RICHTIG = {"name": ["direkt"], "plz": ["indirekt"], "betrag": ["nicht", "indirekt"]}


def message(check, *args, **kwargs) -> str:
    with pytest.raises(NochNichtRichtig) as err:
        check(*args, **kwargs)
    return str(err.value)


# --- pruefe_woerterbuch ------------------------------------------------------------------------------------------


def test_dict_with_accepted_labels_passes():
    antwort = {"name": "direkt", "plz": "indirekt", "betrag": "indirekt", "extra": "frei"}
    assert pruefe_woerterbuch(antwort, "k", schluessel=SPALTEN, erlaubt=KLASSEN + ["frei"], richtig=RICHTIG) is None


@pytest.mark.parametrize("starter", [..., {"name": ..., "plz": ..., "betrag": ...}])
def test_dict_starter_is_not_attempted(starter):
    with pytest.raises(NochNichtBearbeitet):
        pruefe_woerterbuch(starter, "k", schluessel=SPALTEN, erlaubt=KLASSEN)


def test_dict_wrong_type_missing_key_and_label_outside_the_choices():
    assert "gesucht ist ein Wörterbuch" in message(pruefe_woerterbuch, ["name"], "k", schluessel=SPALTEN)
    text = message(pruefe_woerterbuch, {"Name": "direkt", "plz": "indirekt", "betrag": "nicht"}, "k",
                   schluessel=SPALTEN)
    assert "fehlt der Schlüssel `name`" in text and "`Name`" in text and "Tippfehler" in text
    text = message(pruefe_woerterbuch, {"name": "Direkt", "plz": "indirekt", "betrag": "nicht"}, "k",
                   schluessel=SPALTEN, erlaubt=KLASSEN)
    assert "bei `name` 'Direkt'" in text


def test_dict_wrong_labels_are_counted_and_the_first_named_without_the_accepted_label():
    antwort = {"name": "nicht", "plz": "direkt", "betrag": "nicht"}
    text = message(pruefe_woerterbuch, antwort, "k", schluessel=SPALTEN, erlaubt=KLASSEN, richtig=RICHTIG,
                   hinweise={"name": "Ein Name nennt die Person selbst."})
    assert "2 Einträge" in text and "`name` (bei dir: 'nicht')" in text and "Ein Name nennt" in text
    assert "'direkt'" not in text and "indirekt" not in text


def test_dict_richtig_may_cover_only_some_keys():
    antwort = {"name": "direkt", "plz": "nicht", "betrag": "direkt"}
    assert pruefe_woerterbuch(antwort, "k", schluessel=SPALTEN, richtig={"name": ["direkt"]}) is None
    assert "1 Eintrag" in message(pruefe_woerterbuch, antwort, "k", schluessel=SPALTEN, richtig={"plz": ["indirekt"]})


# --- pruefe_liste ------------------------------------------------------------------------------------------------


def test_list_passes():
    assert pruefe_liste(["plz", "name"], "l", min_eintraege=2, erlaubt=SPALTEN, muss_enthalten=["name"]) is None


@pytest.mark.parametrize("starter", [..., [...], ["plz", ...]])
def test_list_starter_is_not_attempted(starter):
    with pytest.raises(NochNichtBearbeitet):
        pruefe_liste(starter, "l")


def test_list_wrong_shapes():
    assert "gesucht ist eine Liste" in message(pruefe_liste, "plz", "l")
    assert "jeder Eintrag soll ein Text" in message(pruefe_liste, ["plz", 3], "l")
    assert "jeder Eintrag soll ein Text" in message(pruefe_liste, ["plz", " "], "l")
    assert "mindestens 2" in message(pruefe_liste, ["plz"], "l", min_eintraege=2)


def test_list_unknown_entry_is_named_missing_entries_are_only_counted():
    text = message(pruefe_liste, ["plz", "nmae"], "l", erlaubt=SPALTEN, hinweis="Nimm die Spaltennamen.")
    assert "`nmae`" in text and "Nimm die Spaltennamen." in text and "betrag" not in text
    text = message(pruefe_liste, ["plz"], "l", muss_enthalten=["name", "betrag"], hinweis="Denk an Art. 9.")
    assert "fehlen noch 2 wichtige Einträge" in text and "Denk an Art. 9." in text
    assert "name" not in text and "betrag" not in text


# --- pruefe_nur_spalten ------------------------------------------------------------------------------------------

TABELLE = pd.DataFrame({"name": ["A"], "plz": ["01067"], "betrag": [5]})


def test_only_columns_passes_in_any_order():
    assert pruefe_nur_spalten(TABELLE[["plz", "name"]], ["name", "plz"], "t") is None


def test_only_columns_not_attempted_missing_and_extra():
    with pytest.raises(NochNichtBearbeitet):
        pruefe_nur_spalten(..., ["name"], "t")
    assert "fehlt die Spalte `betrag`" in message(pruefe_nur_spalten, TABELLE[["plz"]], ["plz", "betrag"], "t")
    text = message(pruefe_nur_spalten, TABELLE, ["plz"], "t")
    assert "stehen noch die Spalten `name`, `betrag`" in text and "drop(columns" in text
