"""ehrenamt-einsaetze: the codebook's problem counts and stories are really in the committed files, and the documented
pandas read calls give the documented dtypes."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

DIR = Path(__file__).resolve().parents[2] / "datasets" / "ehrenamt-einsaetze"
SHIFTS = DIR / "einsaetze.csv"
PEOPLE = DIR / "ehrenamtliche.csv"


@pytest.fixture(scope="module")
def raw() -> pd.DataFrame:
    """The shift log as the README's read call gives it (duplicates included)."""
    return pd.read_csv(SHIFTS, sep=";", decimal=",")


@pytest.fixture(scope="module")
def people() -> pd.DataFrame:
    table = pd.read_csv(PEOPLE, sep=";", dtype={"geburtsjahr": "Int64"})
    for column in ("eintritt", "austritt"):
        table[column] = pd.to_datetime(table[column], format="%d.%m.%Y")
    return table


@pytest.fixture(scope="module")
def shifts(raw) -> pd.DataFrame:
    """Deduplicated shifts with real dates: the basis of every story figure in the README."""
    table = raw.drop_duplicates().copy()
    table["datum"] = pd.to_datetime(table["datum"], format="%d.%m.%Y")
    return table


def test_b01_first_read_shape_and_dtypes():
    first = pd.read_csv(SHIFTS, sep=";")
    assert first.shape == (8843, 11)
    assert list(first.columns) == ["einsatz_id", "person_id", "datum", "beginn", "ende", "standort", "taetigkeit",
                                   "stunden_geplant", "erschienen", "kurzfristig_abgesagt", "kommentar"]
    assert first["einsatz_id"].dtype == "int64" and first["person_id"].dtype == "int64"
    text = first.columns.drop(["einsatz_id", "person_id"])
    assert all(pd.api.types.is_string_dtype(first[c]) for c in text), first.dtypes
    assert SHIFTS.stat().st_size < 2_000_000


def test_documented_read_calls_give_documented_dtypes(raw, people):
    assert raw["stunden_geplant"].dtype == "float64"
    assert sorted(raw["stunden_geplant"].unique()) == [1.5, 2.0, 2.5, 3.0, 5.0, 6.0]
    assert people["person_id"].dtype == "int64"
    assert people["geburtsjahr"].dtype == "Int64" and people["geburtsjahr"].isna().sum() == 15
    assert pd.read_csv(PEOPLE, sep=";")["geburtsjahr"].dtype == "float64"  # the README's warning
    assert pd.api.types.is_datetime64_any_dtype(people["eintritt"])
    with pytest.raises(pd.errors.ParserError):
        pd.read_csv(SHIFTS)  # without sep=";" as the README says


def test_export_format_is_german_style():
    data = SHIFTS.read_bytes()
    assert not data.startswith(b"\xef\xbb\xbf")
    assert data.count(b"\r\n") == 8844 and data.count(b"\n") == 8844
    lines = data.decode("utf-8").split("\r\n")[1:-1]
    row = re.compile(r"^\d{6};\d{4};\d\d\.\d\d\.20\d\d;\d\d:\d\d;(\d\d:\d\d)?;[^;]+;[^;]+;\d,\d;(ja|nein|no-show);(ja|nein);")
    assert all(row.match(line) for line in lines)


def test_double_export_week(raw):
    duplicated = raw[raw.duplicated()]
    assert len(duplicated) == 65
    assert raw["einsatz_id"].nunique() == 8778
    days = pd.to_datetime(duplicated["datum"], format="%d.%m.%Y")
    assert days.min() >= pd.Timestamp("2024-11-11") and days.max() <= pd.Timestamp("2024-11-17")
    # pasted below itself: the block of duplicates starts right after the original block
    first_copy = duplicated.index.min()
    assert raw.loc[first_copy, "einsatz_id"] == raw.loc[raw["datum"] == "11.11.2024", "einsatz_id"].min()


def test_end_before_start(raw):
    ends = raw.dropna(subset=["ende"])
    backwards = ends[ends["ende"] < ends["beginn"]]
    assert len(backwards) == 19
    overnight = backwards[backwards["taetigkeit"] == "Veranstaltung"]
    assert len(overnight) == 12 and set(overnight["ende"]) == {"01:00"}
    typos = backwards[backwards["taetigkeit"] != "Veranstaltung"]
    assert len(typos) == 7
    # a 12-hour slip: adding 12 hours gives the real end, which matches the planned hours
    start = pd.to_timedelta(typos["beginn"] + ":00")
    real_end = pd.to_timedelta(typos["ende"] + ":00") + pd.Timedelta(hours=12)
    assert ((real_end - start).dt.total_seconds() / 3600 == typos["stunden_geplant"]).all()


def test_missing_end_times(raw):
    assert raw["ende"].isna().sum() == 38
    assert raw["stunden_geplant"].notna().all()


def test_deleted_profiles(raw, people):
    orphan = ~raw["person_id"].isin(people["person_id"])
    assert orphan.sum() == 40
    assert sorted(raw.loc[orphan, "person_id"].unique()) == [1042, 1100, 1104, 1133]
    assert len(raw.merge(people, on="person_id", how="inner")) == len(raw) - 40


def test_volunteer_list_is_consistent(people):
    assert people["person_id"].is_unique and len(people) == 291
    assert people["status"].value_counts().to_dict() == {"ausgetreten": 180, "aktiv": 99, "pausiert": 12}
    assert ((people["status"] == "ausgetreten") == people["austritt"].notna()).all()
    assert (people["eintritt"] < "2023-01-01").sum() == 84
    assert people["faehigkeiten"].isna().sum() == 63
    assert people["email"].str.match(r"^[a-z0-9.\-]+@example\.(org|com|net)$").all()


def test_no_shifts_outside_membership(shifts, people):
    merged = shifts.merge(people, on="person_id")
    assert (merged["datum"] >= merged["eintritt"]).all()
    left = merged[merged["austritt"].notna()]
    assert (left["datum"] <= left["austritt"]).all()


def test_story_churn_and_retention(shifts, people):
    recruits = people[(people["eintritt"] >= "2023-01-01") & (people["eintritt"] <= "2025-06-30")]
    assert len(recruits) == 159
    stayed = (recruits["austritt"] - recruits["eintritt"]).dt.days
    assert round((stayed <= 183).mean(), 2) == 0.49
    assert round((stayed <= 92).mean(), 2) == 0.28

    last = shifts[shifts["erschienen"] == "ja"].groupby("person_id")["datum"].max()
    cohort = people[people["eintritt"].dt.year.isin([2023, 2024])].set_index("person_id")
    retention = {}
    for months in (1, 3, 6, 12):
        still = last.reindex(cohort.index) >= cohort["eintritt"] + pd.DateOffset(months=months)
        retention[months] = still.groupby(cohort["eintritt"].dt.year).mean().round(2).to_dict()
    assert retention == {1: {2023: 0.90, 2024: 0.92}, 3: {2023: 0.73, 2024: 0.66},
                         6: {2023: 0.50, 2024: 0.46}, 12: {2023: 0.37, 2024: 0.27}}


SUMMER = (("2023-07-10", "2023-08-18"), ("2024-06-20", "2024-08-02"), ("2025-06-28", "2025-08-08"))


def test_story_seasonal_dips(shifts):
    weekly = shifts.groupby(shifts["datum"].dt.to_period("W")).size()
    in_summer = [any(pd.Timestamp(lo) <= week.start_time and week.end_time.normalize() <= pd.Timestamp(hi)
                     for lo, hi in SUMMER) for week in weekly.index]
    summer, rest = weekly[in_summer], weekly[[not s for s in in_summer]]
    assert len(summer) == 15
    assert round(summer.mean()) == 27 and round(rest.mean()) == 59
    day = shifts["datum"]
    christmas = shifts[((day.dt.month == 12) & (day.dt.day >= 24)) | ((day.dt.month == 1) & (day.dt.day == 1))]
    assert len(christmas) == 7 and set(christmas["taetigkeit"]) == {"Besuchsdienst"}
    assert not ((shifts["taetigkeit"] == "Hausaufgabenhilfe") & day.between("2024-06-20", "2024-08-02")).any()


def test_story_rising_location(shifts):
    by_year = shifts.groupby(shifts["datum"].dt.year).size().to_dict()
    suedpark = shifts[shifts["standort"] == "Südpark"].groupby(shifts["datum"].dt.year).size().to_dict()
    assert by_year == {2023: 2575, 2024: 2820, 2025: 3383}
    assert suedpark == {2023: 237, 2024: 474, 2025: 1047}


def test_story_no_shows_by_time_of_day(shifts):
    hour = shifts["beginn"].str[:2].astype(int)
    band = pd.cut(hour, [0, 9, 12, 24], right=False, labels=["früh", "vormittag", "ab mittag"])
    rate = (shifts["erschienen"] == "no-show").groupby(band, observed=True).mean().round(3).to_dict()
    assert rate == {"früh": 0.110, "vormittag": 0.043, "ab mittag": 0.035}
    assert shifts["erschienen"].value_counts().to_dict() == {"ja": 7689, "nein": 619, "no-show": 470}
    late = shifts["kurzfristig_abgesagt"] == "ja"
    assert late.sum() == 232 and (shifts.loc[late, "erschienen"] == "nein").all()
