"""Learner checks: each passes silently on a right answer, says "noch nichts eingetragen" on the untouched starter,
and on a wrong answer says in German what the value IS and what to try - never what it should be."""

from __future__ import annotations

import io

import pandas as pd
import pytest

from datenwerkstatt import check
from datenwerkstatt.check import NochNichtBearbeitet, NochNichtRichtig


def message(func, *args, **kwargs) -> str:
    with pytest.raises(NochNichtRichtig) as err:
        func(*args, **kwargs)
    return str(err.value)


def test_untouched_starter_is_not_attempted_not_wrong():
    for func in (check.pruefe_tabelle, check.pruefe_zahl, check.pruefe_text):
        with pytest.raises(NochNichtBearbeitet, match="noch nichts eingetragen"):
            func(..., "x")
    with pytest.raises(NochNichtBearbeitet):
        check.pruefe_gleich(..., 3, "x")


def test_passing_checks_return_none_so_nbgrader_sees_no_partial_credit():
    df = pd.DataFrame({"a": [1.5, 2.0]})
    assert check.pruefe_tabelle(df, "df") is None
    assert check.pruefe_datentyp(df, "a", "zahl", "df") is None
    assert check.pruefe_zahl(3, "n", ganzzahl=True, minimum=0) is None
    assert check.pruefe_gleich(0.1 + 0.2, 0.3, "x") is None


def test_forgotten_separator_is_recognised():
    raw = "id;alter;ort\n1;34;Köln\n2;51;Bonn\n"
    wrong = pd.read_csv(io.StringIO(raw))
    text = message(check.pruefe_tabelle, wrong, "umfrage")
    assert "nur eine einzige Spalte" in text and 'sep=";"' in text


def test_bom_and_mojibake_are_recognised():
    bom = pd.DataFrame({"\ufeffid": [1]})
    assert "utf-8-sig" in message(check.pruefe_tabelle, bom, "umfrage")
    mojibake = pd.DataFrame({"StraÃŸe": [1]})
    assert "Zeichenkodierung" in message(check.pruefe_tabelle, mojibake, "umfrage")


def test_decimal_comma_and_german_dates_get_the_right_tip():
    df = pd.DataFrame({"km": ["12,5", "3,0"], "datum": ["03.04.26 10:15", "05.04.26 09:00"]})
    assert 'decimal=","' in message(check.pruefe_datentyp, df, "km", "zahl", "df")
    assert "%d.%m.%y" in message(check.pruefe_datentyp, df, "datum", "datum", "df")


def test_missing_columns_are_named_with_what_exists():
    df = pd.DataFrame({"Alter": [1], "ort": [2]})
    text = message(check.pruefe_spalten, df, ["alter"], "df")
    assert "`alter`" in text and "`Alter`" in text


def test_wrong_value_message_never_reveals_the_expected_value():
    text = message(check.pruefe_gleich, 41, 598, "anzahl")
    assert "41" in text and "598" not in text
    text = message(check.pruefe_gleich, 598, 596, "anzahl", typische_fehler=[(598, "Die Testantworten sind noch drin.")])
    assert "Testantworten" in text and "596" not in text


def test_series_instead_of_table_and_text_instead_of_number():
    assert "einzelne Spalte" in message(check.pruefe_tabelle, pd.Series([1]), "x")
    assert "Text" in message(check.pruefe_zahl, "42", "x")
    assert "mehreren Werten" in message(check.pruefe_zahl, pd.Series([1, 2]), "x")


def test_rendered_without_traceback():
    try:
        check.pruefe_zahl("42", "anzahl")
    except NochNichtRichtig as err:
        lines = err._render_traceback_()
    assert lines[0].startswith("✗ Noch nicht ganz:") and not any("Traceback" in line for line in lines)


def test_hints_are_tiered(tmp_path, capsys):
    (tmp_path / "tipps.yml").write_text("tipps:\n  m-ex01: [erst, dann, fast]\n", encoding="utf-8")
    check.tipp("m-ex01", ordner=tmp_path)
    assert "Tipp 1 von 3: erst" in capsys.readouterr().out
    check.tipp("m-ex01", 3, ordner=tmp_path)
    assert "fast" in capsys.readouterr().out
    check.tipp("m-ex01", 4, ordner=tmp_path)
    assert "letzte" in capsys.readouterr().out
    check.tipp("m-ex99", ordner=tmp_path)
    assert "keine Tipps" in capsys.readouterr().out


def test_solutions_only_in_self_study(tmp_path, capsys):
    check.loesung("m-ex01", ordner=tmp_path)
    assert "nur in der Selbstlern-Fassung" in capsys.readouterr().out
    (tmp_path / "loesungen.json").write_text('{"m-ex01": "x = 1"}', encoding="utf-8")
    check.loesung("m-ex01", ordner=tmp_path)
    assert "x = 1" in capsys.readouterr().out
