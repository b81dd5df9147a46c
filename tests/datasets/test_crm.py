"""The mess and the stories documented in datasets/crm-kontakte/README.md and datasets/crm-spenden/README.md are
really in the files, with the stated counts, and the README's read calls give the dtypes they promise."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from datenwerkstatt.datasets.crm_kontakte import levenshtein

ROOT = Path(__file__).resolve().parents[2]
KONTAKTE = ROOT / "datasets" / "crm-kontakte" / "CiviCRM_Contact_Search.csv"
SPENDEN = ROOT / "datasets" / "crm-spenden" / "CiviCRM_Contribution_Search.csv"
SPENDEN_DATES = ["Contribution Date", "Thank-you Date", "Receipt Date"]
AMOUNTS = ["Total Amount", "Fee Amount", "Net Amount"]
PERSON = ["Vorname", "Nachname", "E-Mail", "Straße", "Postleitzahl", "Ort", "Geburtsdatum"]

# the counts the two READMEs state
DUPLICATES = {"exact": 30, "email_case": 35, "name_typo": 40, "place_typo": 25, "married": 20, "swapped": 15}
HOUSEHOLDS, SHARED_EMAIL_HOUSEHOLDS = 60, 20
STATUSES = {"Completed": 24779, "Failed": 407, "Cancelled": 28, "Refunded": 26, "Pending": 10}
ORPHAN_ROWS, ORPHAN_IDS = 136, 13
YEARLY_TOTALS = {2021: 147754.50, 2022: 144424.00, 2023: 152693.50, 2024: 149441.00, 2025: 146384.00}


def read_kontakte() -> pd.DataFrame:
    return pd.read_csv(KONTAKTE, dtype={"Postleitzahl": str}, parse_dates=["Geburtsdatum", "Erstellt am"])


def read_spenden() -> pd.DataFrame:
    return pd.read_csv(SPENDEN, sep=";", encoding="cp1252", decimal=",", thousands=".",
                       parse_dates=SPENDEN_DATES, date_format="%d.%m.%Y")


@pytest.fixture(scope="module")
def kontakte() -> pd.DataFrame:
    return read_kontakte()


@pytest.fixture(scope="module")
def spenden() -> pd.DataFrame:
    return read_spenden()


@pytest.fixture(scope="module")
def completed(spenden) -> pd.DataFrame:
    return spenden[spenden["Contribution Status"] == "Completed"]


@pytest.fixture(scope="module")
def one_off(completed) -> pd.DataFrame:
    """Completed one-off donations: no recurring series, no membership fee."""
    return completed[completed["Recurring Contribution ID"].isna() & (completed["Financial Type"] == "Spende")]


# -- crm-kontakte ---------------------------------------------------------------------------------------------------

def test_kontakte_read_call_keeps_leading_zeros(kontakte):
    assert len(kontakte) == 3000 and kontakte["Kontakt-ID"].is_unique
    assert kontakte["Kontakt-ID"].dtype == "int64"
    assert pd.api.types.is_datetime64_any_dtype(kontakte["Geburtsdatum"])
    assert pd.api.types.is_datetime64_any_dtype(kontakte["Erstellt am"])
    assert kontakte["Postleitzahl"].str.fullmatch(r"\d{5}").all()
    leading_zero = kontakte["Postleitzahl"].str.startswith("0")
    assert leading_zero.sum() > 1500
    naive = pd.read_csv(KONTAKTE)  # without dtype: "01067" becomes the number 1067
    assert naive["Postleitzahl"].dtype == "int64"
    assert (naive.loc[leading_zero, "Postleitzahl"] < 10000).all()


def _same(a: pd.Series, b: pd.Series, column: str) -> bool:
    return (pd.isna(a[column]) and pd.isna(b[column])) or a[column] == b[column]


def _kind(a: pd.Series, b: pd.Series) -> str:
    """Classify a pair of records with the same birth date and postcode, by the rules in the README."""
    same = {column: _same(a, b, column) for column in PERSON}
    if all(same.values()):
        return "exact"
    if a["Vorname"] == b["Nachname"] and a["Nachname"] == b["Vorname"]:
        return "swapped"
    names = same["Vorname"] and same["Nachname"]
    if names and not same["Ort"]:
        return "place_typo"
    if names and isinstance(a["E-Mail"], str) and isinstance(b["E-Mail"], str) \
            and a["E-Mail"].lower() == b["E-Mail"].lower():
        return "email_case"
    if same["Vorname"] and levenshtein(a["Nachname"], b["Nachname"]) > 2:
        return "married"
    if levenshtein(f"{a['Vorname']} {a['Nachname']}", f"{b['Vorname']} {b['Nachname']}") <= 2:
        return "name_typo"
    return "unexplained"


def test_duplicates_per_kind(kontakte):
    with_birth = kontakte.dropna(subset=["Geburtsdatum"])
    groups = [g for _, g in with_birth.groupby(["Geburtsdatum", "Postleitzahl"]) if len(g) > 1]
    assert all(len(g) == 2 for g in groups), "a person is in the export more than twice"
    kinds = Counter(_kind(g.iloc[0], g.iloc[1]) for g in groups)
    assert dict(kinds) == DUPLICATES
    # the second record is always the younger one
    assert all(g["Erstellt am"].iloc[0] < g["Erstellt am"].iloc[1] for g in groups)


def test_households_share_an_address_but_are_different_people(kontakte):
    people = kontakte.dropna(subset=["Geburtsdatum"]).drop_duplicates(["Straße", "Postleitzahl", "Geburtsdatum"])
    households = [g for _, g in people.groupby(["Straße", "Postleitzahl"]) if len(g) > 1]
    assert len(households) == HOUSEHOLDS
    assert all(len(g) == 2 and g["Vorname"].nunique() == 2 for g in households)
    shared = sum(g["E-Mail"].nunique() == 1 and g["E-Mail"].notna().all() for g in households)
    assert shared == SHARED_EMAIL_HOUSEHOLDS
    same_surname = sum(g["Nachname"].nunique() == 1 for g in households)
    assert 0 < same_surname < HOUSEHOLDS


def test_email_groups_mix_duplicates_and_households(kontakte):
    email = kontakte["E-Mail"].dropna()
    exact = email[email.duplicated(keep=False)].nunique()
    assert exact == DUPLICATES["exact"] + DUPLICATES["swapped"] + SHARED_EMAIL_HOUSEHOLDS
    lower = email.str.lower()
    assert lower[lower.duplicated(keep=False)].nunique() == exact + DUPLICATES["email_case"]


def test_postcode_place_and_state_agree_except_place_typos(kontakte):
    assert kontakte.groupby("Postleitzahl")["Bundesland"].nunique().max() == 1
    usual = kontakte.groupby("Postleitzahl")["Ort"].agg(lambda s: s.mode().iloc[0])
    assert (kontakte["Ort"] != kontakte["Postleitzahl"].map(usual)).sum() == DUPLICATES["place_typo"]
    assert set(kontakte["Land"]) == {"Deutschland"} and kontakte["Bundesland"].nunique() == 16


def test_kontakte_missing_codes_and_migration_spike(kontakte):
    assert set(kontakte["Geschlecht"]) == {"weiblich", "männlich", "Nichtbinär / Nonbinary", "Keine Angabe"}
    assert (kontakte["Geschlecht"] == "Keine Angabe").sum() == 198
    assert kontakte["Geburtsdatum"].isna().sum() == 400
    assert kontakte["E-Mail"].isna().sum() == 382
    migrated = kontakte["Erstellt am"].dt.date == pd.Timestamp("2019-03-14").date()
    assert migrated.sum() == 1648
    assert kontakte.loc[migrated, "Externe ID"].str.fullmatch(r"ALT-\d{5}").all()
    assert kontakte.loc[~migrated, "Externe ID"].isna().all()


# -- crm-spenden: the file format -----------------------------------------------------------------------------------

def test_spenden_is_cp1252_with_crlf():
    raw = SPENDEN.read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(SPENDEN, sep=";")
    assert "\ufffdberweisung" in raw.decode("utf-8", errors="replace")
    text = raw.decode("cp1252")
    assert "Überweisung" in text
    assert text.count("\r\n") == text.count("\n") == len(read_spenden()) + 1


def test_spenden_read_call_gives_numbers_and_dates(spenden):
    for column in AMOUNTS:
        assert spenden[column].dtype == "float64", column
    for column in SPENDEN_DATES:
        assert pd.api.types.is_datetime64_any_dtype(spenden[column]), column
    assert spenden["Contribution Date"].between("2021-01-01", "2025-12-31").all()
    assert ((spenden["Fee Amount"] + spenden["Net Amount"] - spenden["Total Amount"]).abs() < 0.005).all()
    raw = pd.read_csv(SPENDEN, sep=";", encoding="cp1252", dtype=str)
    assert raw["Total Amount"].str.contains(".", regex=False).sum() == (spenden["Total Amount"] >= 1000).sum() == 23
    without_thousands = pd.read_csv(SPENDEN, sep=";", encoding="cp1252", decimal=",")
    assert not pd.api.types.is_numeric_dtype(without_thousands["Total Amount"])


# -- crm-spenden: the problems --------------------------------------------------------------------------------------

def test_statuses(spenden):
    assert spenden["Contribution Status"].value_counts().to_dict() == STATUSES
    assert len(spenden) == sum(STATUSES.values())


def test_orphan_contact_ids(spenden, kontakte):
    orphan = ~spenden["Contact ID"].isin(kontakte["Kontakt-ID"])
    assert orphan.sum() == ORPHAN_ROWS
    assert spenden.loc[orphan, "Contact ID"].nunique() == ORPHAN_IDS


def test_no_gift_before_the_contact_existed(spenden, kontakte):
    created = spenden["Contact ID"].map(kontakte.set_index("Kontakt-ID")["Erstellt am"].dt.normalize())
    known = created.notna()
    assert (spenden.loc[known, "Contribution Date"] >= created[known]).all()


# -- crm-spenden: the stories ---------------------------------------------------------------------------------------

def test_december_peak_every_year(completed):
    day = completed["Contribution Date"]
    monthly = completed.groupby([day.dt.year, day.dt.month])["Total Amount"].sum().unstack()
    assert (monthly.idxmax(axis=1) == 12).all()
    assert (monthly[12] >= 2 * monthly.drop(columns=12).mean(axis=1)).all()


def test_yearly_totals_differ_by_a_few_percent(completed):
    totals = completed.groupby(completed["Contribution Date"].dt.year)["Total Amount"].sum()
    assert totals.round(2).to_dict() == YEARLY_TOTALS
    assert totals.max() / totals.min() < 1.06
    assert totals.idxmax() == 2023 and totals.idxmin() == 2022


def test_winterhilfe_lifted_one_off_gifts(one_off):
    day = one_off["Contribution Date"]
    nov_dec = one_off[day.dt.month >= 11].groupby(day.dt.year)["Total Amount"].sum()
    assert nov_dec[2023] >= 1.4 * max(nov_dec[2022], nov_dec[2024])


def _conversions(spenden, one_off, campaign: str, year: int) -> int:
    """Contacts who answered the year-end mailing with a one-off gift and started a monthly debit in December of
    that year or January of the next."""
    repliers = set(one_off.loc[one_off["Campaign"] == campaign, "Contact ID"])
    series = spenden.dropna(subset=["Recurring Contribution ID"])
    starts = series.groupby("Recurring Contribution ID").agg(contact=("Contact ID", "first"),
                                                             start=("Contribution Date", "min"))
    window = starts["start"].between(f"{year}-12-01", f"{year + 1}-01-31")
    return int(starts.loc[window, "contact"].isin(repliers).sum())


def test_winterhilfe_turned_donors_into_monthly_givers(spenden, one_off):
    assert _conversions(spenden, one_off, "Winterhilfe 2023", 2023) == 65
    for year in (2021, 2022, 2024):
        assert _conversions(spenden, one_off, f"Weihnachtsmailing {year}", year) <= 2


def test_monthly_debits_churn(spenden):
    debits = spenden.dropna(subset=["Recurring Contribution ID"])
    assert (debits["Payment Method"] == "SEPA-Lastschrift").all()
    month = debits["Contribution Date"].dt.to_period("M")
    running_2021 = set(debits.loc[month == "2021-01", "Recurring Contribution ID"])
    still_2025 = set(debits.loc[month == "2025-12", "Recurring Contribution ID"])
    assert len(running_2021) == 300
    assert len(running_2021 & still_2025) == 128
    assert debits["Recurring Contribution ID"].nunique() == 514


def test_amounts_are_right_skewed(one_off, completed):
    amounts = one_off["Total Amount"]
    assert amounts.median() == 25
    assert amounts.mean() > 2 * amounts.median()
    assert completed["Total Amount"].between(10, 50).mean() > 0.8
    assert (amounts >= 1000).sum() == 23 and amounts.max() < 5000.01


def test_readmes_state_the_counts_tested_here():
    """The constants above are the ones the codebooks print, so README and test cannot drift apart."""
    kontakte_readme = (KONTAKTE.parent / "README.md").read_text(encoding="utf-8")
    for count in DUPLICATES.values():
        assert f"| {count} |" in kontakte_readme
    assert f"{HOUSEHOLDS} addresses" in kontakte_readme and f"In {SHARED_EMAIL_HOUSEHOLDS} of the" in kontakte_readme
    spenden_readme = (SPENDEN.parent / "README.md").read_text(encoding="utf-8")
    for status, count in STATUSES.items():
        assert f"`{status}` {count:,}" in spenden_readme, status
    for year, total in YEARLY_TOTALS.items():
        assert f"| {year} | {total:,.2f} |" in spenden_readme, year
    assert f"{ORPHAN_ROWS} rows" in spenden_readme and f"{ORPHAN_IDS} contacts" in spenden_readme
