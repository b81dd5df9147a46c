"""kobo-bedarfserhebung: the problems the codebook documents are in the data in the stated numbers, the
select_multiple columns agree with each other, and the documented pandas calls give the documented dtypes."""

from __future__ import annotations

import warnings
from pathlib import Path

import pandas as pd
import pytest
from codebook import problem_counts

FOLDER = Path(__file__).resolve().parents[2] / "datasets" / "kobo-bedarfserhebung"
STEM = "Bedarfserhebung_2025_-_all_versions_-_False_-_2025-05-05-16-04-31"
MULTI = ("haushalt/einkommensquelle", "bedarf/fehlt", "bedarf/kinder_bedarf")
# "other" texts the codebook says are really one of the listed choices
OTHER_IS_CHOICE = {
    "haushalt/einkommensquelle_other": {"Jobcenter", "Bürgergeld", "Hartz 4", "Minijob", "Putzstelle 450€",
                                        "Witwenrente"},
    "bedarf/fehlt_other": {"frisches Gemüse", "Käse", "Duschgel, Shampoo", "Halal Fleisch"},
}


@pytest.fixture(scope="module")
def export() -> pd.DataFrame:
    # the read call the codebook documents
    return pd.read_csv(FOLDER / f"{STEM}.csv", sep=";", parse_dates=["today"])


@pytest.fixture(scope="module")
def documented() -> dict[str, int]:
    return problem_counts(FOLDER, "K", at_least=9)


def test_duplicate_uploads(export, documented):
    assert export["_uuid"].duplicated().sum() == documented["K1"]
    assert export["_id"].is_unique  # a re-upload gets a new server id
    repeats = export[export["_uuid"].duplicated(keep=False)].drop(columns=["_id", "_index", "_submission_time",
                                                                           "_validation_status"])
    assert repeats.drop_duplicates().shape[0] == documented["K1"]  # the copies carry identical answers


def test_test_submissions(export, documented):
    before_field = export["today"] < "2025-03-04"
    says_test = export["anmerkungen"].str.contains("test", case=False, na=False)
    assert before_field.sum() == says_test.sum() == (before_field & says_test).sum() == documented["K2"]


def test_refused_consent_blanks_the_rest(export, documented):
    refused = export["einleitung/einwilligung"] == "nein"
    assert refused.sum() == documented["K3"]
    answers = export.loc[refused, "haushalt/anzahl_personen":"anmerkungen"]
    assert answers.isna().all().all()


def test_children_question_skipped(export, documented):
    skipped = export["bedarf/kinder_bedarf"].isna()
    assert skipped.sum() == documented["K4"]
    no_children = export["haushalt/anzahl_kinder"].fillna(0) == 0
    assert (skipped == no_children).all()


@pytest.mark.parametrize("column, code", [("haushalt/einkommensquelle_other", "K5"), ("bedarf/fehlt_other", "K6")])
def test_other_text_that_is_a_choice(export, documented, column, code):
    assert export[column].isin(OTHER_IS_CHOICE[column]).sum() == documented[code]
    question = column.removesuffix("_other")
    has_text = export[column].notna()
    assert (has_text == (export[f"{question}/sonstiges"] == 1)).all()


def test_gps(export, documented):
    zero = (export["_standort_latitude"] == 0) & (export["_standort_longitude"] == 0)
    assert zero.sum() == documented["K7"]
    assert (export.loc[zero, "standort"] == "0 0 0 0").all()
    assert export["standort"].isna().sum() == documented["K8"]
    ok = export["standort"].notna() & ~zero
    assert export.loc[ok, "_standort_latitude"].between(51.4, 51.5).all()
    combined = export.loc[ok, "standort"].str.split(" ", expand=True).astype(float)
    assert (combined[0].to_numpy() == export.loc[ok, "_standort_latitude"].to_numpy()).all()
    assert (combined[1].to_numpy() == export.loc[ok, "_standort_longitude"].to_numpy()).all()


def test_select_multiple_columns_agree(export, documented):
    disagree = 0
    for question in MULTI:
        choices = [c.removeprefix(question + "/") for c in export if c.startswith(question + "/")]
        assert len(choices) >= 5
        for _, row in export.iterrows():
            joined = row[question]
            flags = row[[f"{question}/{c}" for c in choices]]
            if pd.isna(joined):
                disagree += int(flags.notna().any())
                continue
            ticked = {c for c in choices if flags[f"{question}/{c}"] == 1}
            disagree += int(set(joined.split(" ")) != ticked or flags.isna().any())
    assert disagree == documented["K9"]


def test_likert_recipe_of_the_codebook(export):
    levels = ["sehr_unzufrieden", "eher_unzufrieden", "teils_teils", "eher_zufrieden", "sehr_zufrieden"]
    for item in ("menge", "qualitaet", "auswahl", "wartezeit", "umgang"):
        column = export[f"zufriedenheit/{item}"]
        assert set(column.dropna()) == set(levels) | {"weiss_nicht"}
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # the documented recipe must not hit pandas' deprecation
            coded = pd.Categorical(column.replace("weiss_nicht", None), categories=levels, ordered=True)
        assert pd.isna(coded).sum() == column.isna().sum() + (column == "weiss_nicht").sum()
        # comparisons follow the scale, not the alphabet
        satisfied = column.isin(["eher_zufrieden", "sehr_zufrieden"]).to_numpy()
        assert ((coded >= "eher_zufrieden") == satisfied).all()


def test_documented_read_calls_and_dtypes(export):
    assert export.shape == (596, 64)
    assert export["_id"].dtype == "int64" and export["_index"].dtype == "int64"
    # skip logic leaves blanks, so counts and 1/0 flags arrive as float
    assert export["haushalt/anzahl_personen"].dtype == "float64"
    assert export["bedarf/fehlt/halal"].dtype == "float64"
    assert pd.api.types.is_datetime64_any_dtype(export["today"])
    assert pd.api.types.is_string_dtype(export["einleitung/sprache"])
    # start/end switch from +01:00 to +02:00 on 30 March: only utc=True gives one datetime column
    start = pd.to_datetime(export["start"], utc=True)
    assert str(start.dt.tz) == "UTC"
    assert set(export["start"].str[-6:]) == {"+01:00", "+02:00"}


def test_xlsx_holds_the_same_table(export):
    sheet = pd.read_excel(FOLDER / f"{STEM}.xlsx")
    csv = export.assign(today=export["today"].dt.strftime("%Y-%m-%d"))
    pd.testing.assert_frame_equal(sheet, csv, check_dtype=False)
    assert (sheet.dtypes == pd.read_csv(FOLDER / f"{STEM}.csv", sep=";").dtypes).all()
