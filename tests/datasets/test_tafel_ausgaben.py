"""tafel-ausgaben: the codebook's read calls work and every documented conflict is in the data, with its count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "datasets" / "tafel-ausgaben"
XLSX = DATA / "brotkorb_wochenstatistik.xlsx"
INT = "Int64"
C_COUNTS = ["households_cards", "persons_on_cards", "minors_on_cards", "food_kg"]


@pytest.fixture(scope="module")
def a() -> pd.DataFrame:
    return pd.read_csv(DATA / "nordstadt_ausgaben.csv", sep=";", decimal=",", parse_dates=["Datum"],
                       date_format="%d.%m.%Y", dtype={"Haushalte": INT, "Personen": INT, "davon Kinder": INT})


@pytest.fixture(scope="module")
def b() -> dict[str, pd.DataFrame]:
    return pd.read_excel(XLSX, sheet_name=None, skiprows=3)


@pytest.fixture(scope="module")
def b_lang(b) -> pd.DataFrame:
    """The README's long form of B."""
    return pd.concat(
        sheet.assign(Ausgabestelle=sheet["Ausgabestelle"].ffill())
        .melt(id_vars=["Ausgabestelle", "Kennzahl"], var_name="KW", value_name="Wert")
        for sheet in b.values()
    )


@pytest.fixture(scope="module")
def c() -> pd.DataFrame:
    return pd.read_csv(DATA / "openpantry_distributions.csv", parse_dates=["distribution_date"],
                       dtype=dict.fromkeys(C_COUNTS, INT))


@pytest.fixture(scope="module")
def c_sites() -> pd.DataFrame:
    return pd.read_csv(DATA / "openpantry_sites.csv", parse_dates=["active_since"])


def _notes(frame: pd.DataFrame, values: str, notes: str) -> tuple[dict, dict]:
    """(note counts of rows without numbers, note counts of rows with numbers)."""
    empty = frame[values].isna()
    return frame.loc[empty, notes].value_counts().to_dict(), frame.loc[~empty, notes].value_counts().to_dict()


def test_documented_read_calls_give_shapes_and_dtypes(a, b, c, c_sites):
    assert a.shape == (313, 7) and c.shape == (174, 7) and c_sites.shape == (2, 5)
    assert list(b) == ["2024", "2025"] and all(sheet.shape == (10, 54) for sheet in b.values())
    assert pd.api.types.is_datetime64_any_dtype(a["Datum"])
    assert pd.api.types.is_datetime64_any_dtype(c["distribution_date"])
    assert all(str(a[col].dtype) == INT for col in ["Haushalte", "Personen", "davon Kinder"])
    assert pd.api.types.is_float_dtype(a["Lebensmittel (kg)"]) and a["Lebensmittel (kg)"].max() > 100
    assert all(str(c[col].dtype) == INT for col in C_COUNTS)
    assert a["Datum"].min() == pd.Timestamp("2024-01-02") and a["Datum"].max() == pd.Timestamp("2025-12-30")
    assert list(b["2024"].columns[:3]) == ["Ausgabestelle", "Kennzahl", "KW 01/2024"]
    assert b["2025"].columns[-1] == "KW 52/2025"


def test_file_formats_differ_as_documented():
    a_bytes = (DATA / "nordstadt_ausgaben.csv").read_bytes()
    assert a_bytes.startswith("Datum;".encode()) and b"\r\n" in a_bytes and "Kühlwagen".encode("utf-8") in a_bytes
    c_text = (DATA / "openpantry_distributions.csv").read_text(encoding="utf-8")
    assert c_text.startswith("distribution_date,site_id,") and "\r" not in c_text
    assert XLSX.read_bytes()[:2] == b"PK"


def test_b_blocks_need_fill_down_and_estimates_are_text(b, b_lang):
    for sheet in b.values():
        assert sheet["Ausgabestelle"].notna().sum() == 2  # one name per block of five rows
        assert list(sheet["Kennzahl"][:5]) == ["Abholungen", "Erwachsene", "Kinder (u. 14)", "Ware (kg)", "Bemerkung"]
    assert b_lang["Ausgabestelle"].notna().all()
    metrics = b_lang[b_lang["Kennzahl"] != "Bemerkung"]
    texts = metrics[metrics["Wert"].map(lambda v: isinstance(v, str))]
    assert sorted(zip(texts["KW"], texts["Wert"])) == [
        ("KW 10/2025", "ca. 75"), ("KW 23/2025", "ca. 45"), ("KW 34/2024", "ca. 40")]
    assert set(texts["Kennzahl"]) == {"Abholungen"}
    coerced = pd.to_numeric(metrics["Wert"], errors="coerce")
    assert coerced.isna().sum() - metrics["Wert"].isna().sum() == 3  # coercion silently loses the estimates
    extracted = pd.to_numeric(texts["Wert"].str.extract(r"(\d+)")[0])
    assert list(extracted.sort_values()) == [40, 45, 75]


def test_same_distribution_reported_by_a_and_c(a, c, c_sites):
    assert c_sites.set_index("site_id").loc["C02", "site_name"] == "STZ Mitte (Bürgerhaus), Saal 2"
    mitte = a["Ausgabestelle"].str.strip().isin(["Stadtteilzentrum Mitte", "Stadteilzentrum Mitte", "STZ Mitte"])
    a_mitte = a[mitte & (a["Datum"] >= "2024-09-05")].set_index("Datum")["Haushalte"]
    c_mitte = c[c["site_id"] == "C02"].set_index("distribution_date")["households_cards"]
    assert len(c_mitte) == 69 and a_mitte.index.equals(c_mitte.index)
    both = a_mitte.notna() & c_mitte.notna()
    assert int(both.sum()) == 58
    assert int((a_mitte.notna() & c_mitte.isna()).sum()) == 2 and int((a_mitte.isna() & c_mitte.notna()).sum()) == 2
    assert int((a_mitte.isna() & c_mitte.isna()).sum()) == 7
    difference = (a_mitte - c_mitte)[both]
    assert difference.min() == -2 and difference.max() == 3
    # before 05.09.2024 C has no site there
    assert c["distribution_date"][c["site_id"] == "C02"].min() == pd.Timestamp("2024-09-05")


def test_counting_method_changes_at_a(a):
    counted = a.dropna(subset=["Haushalte"])
    before, after = counted[counted["Datum"] < "2024-07-01"], counted[counted["Datum"] >= "2024-07-01"]
    assert (len(before), len(after)) == (76, 203)
    ratio = lambda part: (part["Personen"] / part["Haushalte"]).mean()  # noqa: E731
    assert ratio(before) == pytest.approx(1.27, abs=0.005) and ratio(after) == pytest.approx(2.41, abs=0.005)
    assert ratio(before) < 1.5 < 2.0 < ratio(after)
    note = a[a["Bemerkung"] == "ab heute: Personen = alle Haushaltsmitglieder laut Ausweis"]
    assert list(note["Datum"]) == [pd.Timestamp("2024-07-02")]


def test_closures_and_gaps_only_distinguishable_by_notes(a, b_lang, c):
    assert _notes(a, "Haushalte", "Bemerkung")[0] == {
        "geschlossen (Sommerpause)": 12, "Feiertag - keine Ausgabe": 10, "Weihnachtspause": 7,
        "Zählliste fehlt": 3, "Zahlen nicht übermittelt": 2}
    assert sum(_notes(a, "Haushalte", "Bemerkung")[1].values()) == 6 + 1
    assert a["Haushalte"].isna().sum() == 34 and a[a["Haushalte"].isna()]["Bemerkung"].notna().all()
    assert _notes(c, "households_cards", "notes")[0] == {
        "closed: public holiday": 10, "closed: winter break": 5, "closed: summer break": 3,
        "sheet missing": 2, "not entered": 2}
    assert sum(_notes(c, "households_cards", "notes")[1].values()) == 6
    expected_b = {
        "2024": {"Ferien - geschlossen": 6, "Feiertag": 2, "Weihnachtsferien": 1},
        "2025": {"Ferien - geschlossen": 6, "Weihnachtsferien": 2, "Feiertag": 1,
                 "Liste fehlt": 2, "nicht eingetragen": 1},
    }
    for year, expected in expected_b.items():
        in_year = b_lang[b_lang["KW"].str.endswith(year)]
        notes = in_year[in_year["Kennzahl"] == "Bemerkung"].set_index(["Ausgabestelle", "KW"])["Wert"]
        pickups = in_year[in_year["Kennzahl"] == "Abholungen"].set_index(["Ausgabestelle", "KW"])["Wert"]
        assert notes.value_counts().to_dict() == expected
        assert pickups.isna().equals(notes.notna())  # every empty week has a note, no note on a week with numbers


def test_location_typos(a, b):
    assert a["Ausgabestelle"].value_counts().to_dict() == {
        "Gemeindehaus Lutherkirche": 202, "Stadtteilzentrum Mitte": 99, "Gemeindehaus Lutherkriche": 4,
        "Gemeindehaus Lutherkirche ": 3, "Stadteilzentrum Mitte": 3, "STZ Mitte": 2}
    assert set(b["2024"]["Ausgabestelle"].dropna()) == {"Bürgerhaus Südviertel", "Kirchgemeinde St. Marien (Saal)"}
    assert set(b["2025"]["Ausgabestelle"].dropna()) == {"Bürgerhaus Süd-Viertel", "Kirchgemeinde St. Marien (Saal)"}


def test_definitions_differ(a, b_lang, c):
    metrics = b_lang.assign(Wert=pd.to_numeric(b_lang["Wert"], errors="coerce"))
    wide = metrics.pivot_table(index=["Ausgabestelle", "KW"], columns="Kennzahl", values="Wert")
    adults_per_pickup = (wide["Erwachsene"] / wide["Abholungen"]).mean()
    assert 1.3 < adults_per_pickup < 1.7  # pick-ups run above households
    counted = c.dropna(subset=["households_cards"])
    assert ((counted["minors_on_cards"] <= counted["persons_on_cards"]) & (counted["food_kg"] > 0)).all()
    assert (a["Lebensmittel (kg)"].dropna() % 1 != 0).any()  # A has decimals, C whole kg by dtype


def test_iso_week_differs_from_calendar_year(a):
    weeks = a["Datum"].dt.isocalendar()
    assert ((weeks["year"] != a["Datum"].dt.year)).sum() >= 1
    assert (weeks.loc[a["Datum"] == "2024-12-31", "year"] == 2025).all()


def test_demand_rises(a, c):
    counted = a.dropna(subset=["Haushalte"])
    by_year = counted.groupby(counted["Datum"].dt.year)["Haushalte"].mean()
    assert by_year[2025] > 1.08 * by_year[2024]
    c01 = c[(c["site_id"] == "C01")].dropna(subset=["households_cards"])
    c_year = c01.groupby(c01["distribution_date"].dt.year)["households_cards"].mean()
    assert c_year[2025] > 1.08 * c_year[2024]
