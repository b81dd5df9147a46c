"""pruefe_haeufigkeiten (added for b03-erste-auswertung): frequency tables from value_counts, as counts or percent.

Passing, not attempted, and each wrong shape with the message a learner sees (what the value IS, never the answer).
"""

from __future__ import annotations

import pandas as pd
import pytest

from datenwerkstatt.check import NochNichtBearbeitet, NochNichtRichtig, pruefe_haeufigkeiten

ANTWORTEN = pd.Series(["Ja", "Ja", "Ja", "Nein", "keine Angabe", "Ja", "Nein", "Ja"])
LABELS = ["Ja", "Nein", "keine Angabe"]


def message(*args, **kwargs) -> str:
    with pytest.raises(NochNichtRichtig) as err:
        pruefe_haeufigkeiten(*args, **kwargs)
    return str(err.value)


def test_counts_and_percentages_pass_and_return_none():
    assert pruefe_haeufigkeiten(ANTWORTEN.value_counts(), "n", kategorien=LABELS) is None
    prozent = (ANTWORTEN.value_counts(normalize=True) * 100).round(1)
    assert pruefe_haeufigkeiten(prozent, "p", prozent=True, kategorien=LABELS) is None


def test_untouched_starter_is_not_attempted():
    with pytest.raises(NochNichtBearbeitet, match="noch nichts eingetragen"):
        pruefe_haeufigkeiten(..., "n")


def test_shares_instead_of_counts_or_percent_name_the_fix():
    shares = ANTWORTEN.value_counts(normalize=True)
    assert "normalize=True` weg" in message(shares, "n")
    assert "mal 100" in message(shares, "p", prozent=True)


def test_counts_instead_of_percent_and_percent_instead_of_counts():
    text = message(ANTWORTEN.value_counts(), "p", prozent=True)
    assert "zusammen 8" in text and "Anzahlen" in text
    assert "Prozentwerte" in message(ANTWORTEN.value_counts(normalize=True) * 100, "n")


def test_wrong_column_lists_the_learners_labels_not_the_expected_ones():
    other = pd.Series(["Köln", "Bonn", "Köln"]).value_counts()
    text = message(other, "n", kategorien=LABELS)
    assert "Köln" in text and "richtige Spalte" in text and "keine Angabe" not in text


def test_not_a_series():
    assert "Tabelle" in message(ANTWORTEN.value_counts().to_frame(), "n")
    assert "eine ganze Zahl" in message(8, "n")
    assert "nicht nur Zahlen" in message(pd.Series(["3", "5"], index=["a", "b"]), "n")
