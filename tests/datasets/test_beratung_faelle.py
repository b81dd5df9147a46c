"""beratung-faelle: the data-protection problems and the k=1/k=2 counts the codebook states are in the data,
phone numbers are fictional, and the documented pandas call gives the documented dtypes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from codebook import problem_counts

FOLDER = Path(__file__).resolve().parents[2] / "datasets" / "beratung-faelle"
QI_COARSE = ["altersgruppe", "geschlecht", "herkunftsland", "bezirk"]
QI_FINE = ["geburtsjahr", "geschlecht", "herkunftsland", "plz"]
NAME = r"\b(?:Tochter|Sohn|Nachbarin|Ehemann|Schwester) [A-ZÄÖÜ][a-zäöüß]+"
PHONE = r"(?:\+49 |0)\d{2,4}[ /]?\d{4,5} ?\d{3}"
HEALTH = r"Diabetes|psychisch|Rollstuhl|schwanger|Reha\b|Depression"
# blocks the Bundesnetzagentur keeps free for film and TV, as the codebook says
FICTION_BLOCKS = ("3023125", "4066969", "6990009", "2214710", "8999998")


@pytest.fixture(scope="module")
def cases() -> pd.DataFrame:
    # the read call the codebook documents
    return pd.read_csv(FOLDER / "faelle_export_2025-07-01.csv", sep=";", dtype={"plz": "string"},
                       parse_dates=["erstkontakt", "abschluss"], date_format="%d.%m.%Y")


@pytest.fixture(scope="module")
def documented() -> dict[str, int]:
    return problem_counts(FOLDER, "B", at_least=10)


def _k(cases: pd.DataFrame, columns: list[str]) -> pd.Series:
    """Size of each record's equivalence class under the quasi-identifiers ``columns``."""
    return cases.groupby(columns, dropna=False)["fall_id"].transform("size")


def test_notes_with_personal_data(cases, documented):
    notes = cases["notiz"].fillna("")
    assert notes.str.contains(NAME).sum() == documented["B1"]
    phones = notes.str.extract(f"({PHONE})")[0].dropna()
    assert len(phones) == documented["B2"]
    digits = phones.str.replace(r"\D", "", regex=True).str.replace(r"^(?:49|0)", "", regex=True)
    assert digits.str.startswith(FICTION_BLOCKS).all()
    assert notes.str.contains(HEALTH).sum() == documented["B3"]
    # a health detail in a note belongs to someone flagged with a health impairment
    assert (cases.loc[notes.str.contains(HEALTH), "gesundheit_einschraenkung"] == "ja").all()


def test_special_categories(cases, documented):
    old_form = cases["erstkontakt"] <= "2023-12-31"
    assert cases["religion"].notna().sum() == old_form.sum() == documented["B4"]
    assert cases.loc[~old_form, "religion"].isna().all()
    assert (cases["gesundheit_einschraenkung"] == "ja").sum() == documented["B5"]


def test_quasi_identifier_counts(cases, documented):
    coarse, fine = _k(cases, QI_COARSE), _k(cases, QI_FINE)
    assert ((coarse == 1).sum(), (coarse == 2).sum()) == (documented["B6"], documented["B7"])
    assert ((fine == 1).sum(), (fine == 2).sum()) == (documented["B8"], documented["B9"])
    # the risk is real but not total: most records hide in a group of at least 3 under the coarse set
    assert 0 < (coarse < 3).mean() < 0.5 < (fine < 3).mean()


def test_open_cases(cases, documented):
    open_cases = cases["abschluss"].isna()
    assert open_cases.sum() == (cases["ergebnis"] == "offen").sum() == documented["B10"]
    closed = cases[~open_cases]
    assert (closed["abschluss"] >= closed["erstkontakt"]).all()


def test_documented_read_call_and_dtypes(cases):
    assert cases.shape == (2000, 21)
    assert cases["fall_id"].is_unique
    for column in ("geburtsjahr", "anzahl_termine", "dauer_min"):
        assert cases[column].dtype == "int64", column
    assert cases["plz"].dtype == "string" and cases["plz"].str.len().eq(5).all()
    assert pd.api.types.is_datetime64_any_dtype(cases["erstkontakt"])
    assert pd.api.types.is_datetime64_any_dtype(cases["abschluss"])
    assert cases["erstkontakt"].min() >= pd.Timestamp("2023-01-01")
    assert cases["erstkontakt"].max() <= pd.Timestamp("2025-06-30")
