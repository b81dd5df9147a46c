"""pruefe_eintraege (added for b01-daten-im-verein): a list of records (dicts), as a beginner writes a data inventory.

Passing, not attempted, and each typical wrong shape with the message a learner sees (what the value IS).
"""

from __future__ import annotations

import pytest

from datenwerkstatt.check import NochNichtBearbeitet, NochNichtRichtig, pruefe_eintraege

FELDER = ["daten", "ort"]


def message(wert, **kwargs) -> str:
    with pytest.raises(NochNichtRichtig) as err:
        pruefe_eintraege(wert, "inventar", schluessel=FELDER, **kwargs)
    return str(err.value)


def test_records_pass_in_any_key_order_and_return_none():
    eintraege = [{"daten": "Einsatzplan", "ort": "Planer"}, {"ort": "Ordner", "daten": "Spenden"}]
    assert pruefe_eintraege(eintraege, "inventar", schluessel=FELDER, mindestens=2) is None


def test_untouched_starter_and_dots_inside_an_entry_are_not_attempted():
    with pytest.raises(NochNichtBearbeitet, match="noch nichts eingetragen"):
        pruefe_eintraege(..., "inventar", schluessel=FELDER)
    with pytest.raises(NochNichtBearbeitet, match="noch `...`"):
        pruefe_eintraege([{"daten": "Spenden", "ort": ...}], "inventar", schluessel=FELDER)


def test_a_single_dict_or_text_is_not_a_list_of_records():
    assert "einzelnes Wörterbuch" in message({"daten": "x", "ort": "y"})
    text = message("Einsatzplan, Spenden")
    assert "ein Text" in text and "Liste von Wörterbüchern" in text


def test_too_few_entries_counts_what_is_there():
    assert "erst 1 Einträge" in message([{"daten": "x", "ort": "y"}], mindestens=3)


def test_wrong_entry_and_misspelled_key_are_named_by_position():
    assert "Eintrag 2 von inventar" in message([{"daten": "x", "ort": "y"}, "Spenden"])
    text = message([{"daten": "x", "ort": "y"}, {"daten": "z", "Ort": "w"}])
    assert "Eintrag 2 von inventar" in text and "`ort`" in text and "`Ort`" in text and "Tippfehler" in text
