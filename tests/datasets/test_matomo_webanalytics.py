"""matomo-webanalytics: the files have Matomo's CSV export format, the codebook's problem counts and stories are really
in the committed files, and the documented pandas read calls give the documented dtypes."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DIR = Path(__file__).resolve().parents[2] / "datasets" / "matomo-webanalytics"
FILES = ("besuche_pro_tag.csv", "ziel_spende_pro_tag.csv", "kanaele_pro_monat.csv", "kampagnen_pro_monat.csv",
         "seiten_pro_monat.csv")
OPTIONS = {"encoding": "utf-16", "thousands": ".", "decimal": ","}
RELAUNCH = pd.Timestamp("2025-03-18")


def _read(name: str, **extra) -> pd.DataFrame:
    return pd.read_csv(DIR / name, **OPTIONS, **extra)


def _euro(column: pd.Series) -> pd.Series:
    return pd.to_numeric(column.str.rstrip("€").str.strip().str.replace(".", "", regex=False)
                         .str.replace(",", ".", regex=False))


@pytest.fixture(scope="module")
def visits() -> pd.DataFrame:
    return _read("besuche_pro_tag.csv", parse_dates=["Datum"])


@pytest.fixture(scope="module")
def goal() -> pd.DataFrame:
    table = _read("ziel_spende_pro_tag.csv", parse_dates=["Datum"])
    table["Euro"] = _euro(table["Umsatz"])
    return table


@pytest.fixture(scope="module")
def campaigns() -> pd.DataFrame:
    return _read("kampagnen_pro_monat.csv")


@pytest.mark.parametrize("name", FILES)
def test_matomo_csv_format(name):
    data = (DIR / name).read_bytes()
    assert data.startswith(b"\xff\xfe"), "UTF-16LE with byte-order mark"
    text = data[2:].decode("utf-16-le")
    assert "\r" not in text and text.splitlines()[0].startswith("Datum,")
    assert "Gesamt" not in text.splitlines()[-1]  # Matomo's CSV export has no totals row
    assert (DIR / name).stat().st_size < 200_000


def test_default_read_fails_loudly():
    with pytest.raises(UnicodeDecodeError):
        pd.read_csv(DIR / "besuche_pro_tag.csv")


def test_documented_read_calls_give_documented_dtypes(visits, goal):
    counts = ["Eindeutige Besucher", "Benutzer", "Besuche", "Aktionen", "Konvertierte Besuche", "Absprünge",
              "Gesamtzeit der Besuche (in Sekunden)", "Max. Aktionen in einem Besuch"]
    assert (visits[counts].dtypes == "int64").all()
    assert pd.api.types.is_datetime64_any_dtype(visits["Datum"])
    assert visits["Aktionen pro Besuch"].dtype == "float64"
    for column in ("Absprungrate", "Durchschn. Aufenthaltsdauer"):
        assert pd.api.types.is_string_dtype(visits[column])
    assert (visits["Benutzer"] == 0).all()
    rate = visits["Absprungrate"].str.rstrip("%").str.strip().astype(float)
    assert rate.between(20, 90).all()
    seconds = pd.to_timedelta(visits["Durchschn. Aufenthaltsdauer"]).dt.total_seconds()
    expected = visits["Gesamtzeit der Besuche (in Sekunden)"] / visits["Besuche"]
    assert ((seconds - expected).abs() <= 0.5).all()
    assert (goal[["Konversionen", "Konvertierte Besuche"]].dtypes == "int64").all()
    assert goal["Euro"].dtype == "float64" and goal["Euro"].sum() == 309940.0
    for name in FILES[2:]:
        table = _read(name)
        assert pd.api.types.is_string_dtype(table["Datum"]) and table["Datum"].str.match(r"^20\d\d-\d\d$").all()


def test_thousands_points_and_non_breaking_spaces():
    raw = pd.read_csv(DIR / "besuche_pro_tag.csv", encoding="utf-16", dtype=str)
    assert raw["Besuche"].str.contains(".", regex=False).sum() == 40
    assert raw["Aktionen"].str.contains(".", regex=False).sum() == 360
    assert raw["Absprungrate"].str.fullmatch(r"\d+\u00a0%").all()
    naive = pd.read_csv(DIR / "besuche_pro_tag.csv", encoding="utf-16")
    assert naive["Besuche"].dtype == "float64" and naive["Besuche"].min() < 2  # "1.055" read as 1.055
    goal = pd.read_csv(DIR / "ziel_spende_pro_tag.csv", encoding="utf-16", dtype=str)
    assert goal["Umsatz"].str.fullmatch(r"\d{1,3}(\.\d{3})*,\d\d\u00a0€").all()


def test_tracking_outage_days_are_missing(visits, goal):
    missing = pd.date_range("2024-01-01", "2025-12-31").difference(visits["Datum"])
    assert list(missing.strftime("%d.%m.%Y")) == ["05.08.2024", "06.08.2024", "07.08.2024", "08.08.2024",
                                                   "09.08.2024", "14.10.2025", "15.10.2025"]
    assert len(visits) == 724 and visits["Datum"].is_unique
    assert (goal["Datum"] == visits["Datum"]).all()
    assert (goal["Konversionen"] == 0).sum() == 18


def test_monthly_files_agree_with_daily_visits(visits, goal):
    month = visits["Datum"].dt.strftime("%Y-%m")
    daily = visits.groupby(month)["Besuche"].sum()
    channels = _read("kanaele_pro_monat.csv")
    assert len(channels) == 120
    assert channels.groupby("Datum")["Besuche"].sum().equals(daily)
    pages = _read("seiten_pro_monat.csv")
    thanks = pages[pages["Seiten-URL"] == "/spenden/danke"].set_index("Datum")["Seitenansichten"]
    assert thanks.equals(goal.groupby(month)["Konversionen"].sum().rename("Seitenansichten").rename_axis("Datum"))


def test_mistagged_campaign(campaigns):
    assert len(campaigns) == 31
    wrong = campaigns[campaigns["Kampagne"] == "winterhilfe_2024"]
    assert len(wrong) == 1 and wrong.iloc[0]["Datum"] == "2024-12" and wrong.iloc[0]["Besuche"] == 791
    assert (campaigns["Kampagne"] == campaigns["Kampagne"].str.lower()).all()


def test_relaunch_changes_urls():
    pages = _read("seiten_pro_monat.csv")
    span = pages.groupby("Seiten-URL")["Datum"].agg(["min", "max"])
    ended = sorted(span.index[span["max"] == "2025-03"])
    started = sorted(span.index[span["min"] == "2025-03"])
    assert ended == ["/aktuelles", "/index.php?id=42", "/mitmachen/ehrenamt", "/spenden/online-spenden"]
    assert started == ["/blog", "/ehrenamt", "/spenden/jetzt-spenden"]


def test_story_december_peak(visits, goal):
    monthly = visits.groupby(visits["Datum"].dt.to_period("M"))["Besuche"].sum()
    assert monthly.idxmax() == pd.Period("2025-12") and monthly.nlargest(2).index[1] == pd.Period("2024-12")
    assert monthly["2024-12"] == 31394 and monthly["2025-12"] == 35740
    assert monthly["2024-12"] > 2.5 * monthly["2024-01":"2024-10"].mean()
    december = goal.loc[goal["Datum"].dt.month == 12, "Euro"].sum()
    assert december == 98390.0 and round(december / goal["Euro"].sum(), 2) == 0.32
    busiest = visits.loc[visits["Besuche"].idxmax()]
    assert busiest["Datum"] == pd.Timestamp("2025-12-29") and busiest["Besuche"] == 1584


def test_story_campaign_converts_worse_than_newsletter(campaigns):
    group = campaigns["Kampagne"].where(~campaigns["Kampagne"].str.startswith("newsletter-"), "newsletter")
    totals = campaigns.groupby(group)[["Besuche", "Konversionen"]].sum()
    rate = (totals["Konversionen"] / totals["Besuche"] * 100).round(2)
    assert totals.loc["winterhilfe-2024", "Besuche"] == 14104 and totals.loc["newsletter", "Besuche"] == 10973
    assert totals.loc["winterhilfe-2024", "Besuche"] > totals.loc["newsletter", "Besuche"]
    assert rate["winterhilfe-2024"] == 0.82 and rate["newsletter"] == 6.14 and rate["winterhilfe-2025"] == 1.40
    assert campaigns["Kampagne"].str.startswith("newsletter-").sum() == 24


def test_story_relaunch_lowers_bounce_rate(visits):
    after = visits["Datum"] >= RELAUNCH
    bounce = visits.groupby(after)[["Absprünge", "Besuche", "Gesamtzeit der Besuche (in Sekunden)"]].sum()
    rate = (bounce["Absprünge"] / bounce["Besuche"] * 100).round(1)
    seconds = (bounce["Gesamtzeit der Besuche (in Sekunden)"] / bounce["Besuche"]).round()
    assert rate.to_dict() == {False: 58.7, True: 44.6}
    assert seconds.to_dict() == {False: 79.0, True: 130.0}
    daily = visits["Absprungrate"].str.rstrip("%").str.strip().astype(int)
    assert daily[~after].min() > daily[after].median()
