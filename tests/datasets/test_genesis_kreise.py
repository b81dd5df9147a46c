"""genesis-kreise: the codebook's read calls, marker counts, traps and the rising-demand story hold in the files."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

DATA = Path(__file__).resolve().parents[2] / "datasets" / "genesis-kreise"
POP, SGB2 = DATA / "12411-02-03-4.csv", DATA / "99911-01-01-4.csv"
MARKER = [".", "-", "x", "...", "/"]
POP_NAMES = ["Stichtag", "AGS", "Kreis", "Altersgruppe", "Insgesamt", "männlich", "weiblich"]
RLB, ELB, QUOTE = "Regelleistungsberechtigte", "darunter erwerbsfähige Leistungsberechtigte", "SGB-II-Quote"
SGB2_NAMES = ["Jahr", "AGS", "Kreis", "Altersgruppe", RLB, ELB, QUOTE]
# README, "Value markers": counts per column
MARKER_COUNTS = {
    RLB: {"...": 12, "/": 12},
    ELB: {"-": 95, ".": 20, "...": 10, "/": 10},
    QUOTE: {"x": 95, "...": 10, "/": 10},
}


def _read(path: Path, names: list[str], **options) -> pd.DataFrame:
    return pd.read_csv(path, sep=";", encoding="latin-1", skiprows=7, skipfooter=4, engine="python",
                       header=None, names=names, **options)


@pytest.fixture(scope="module")
def pop() -> pd.DataFrame:
    """The population read exactly as the README documents."""
    return _read(POP, POP_NAMES, dtype={"AGS": str}, na_values=MARKER, keep_default_na=False,
                 parse_dates=["Stichtag"], date_format="%d.%m.%Y")


@pytest.fixture(scope="module")
def sgb2() -> pd.DataFrame:
    """The SGB II table read exactly as the README documents."""
    return _read(SGB2, SGB2_NAMES, dtype={"AGS": str}, na_values=MARKER, keep_default_na=False, decimal=",")


@pytest.fixture(scope="module")
def sgb2_raw() -> pd.DataFrame:
    return _read(SGB2, SGB2_NAMES, dtype=str, keep_default_na=False)


def test_documented_read_calls_give_shapes_and_dtypes(pop, sgb2):
    assert pop.shape == (1710, 7) and sgb2.shape == (570, 7)
    assert pd.api.types.is_datetime64_any_dtype(pop["Stichtag"])
    assert all(pd.api.types.is_integer_dtype(pop[c]) for c in ["Insgesamt", "männlich", "weiblich"])
    assert pd.api.types.is_integer_dtype(sgb2["Jahr"])
    assert all(pd.api.types.is_float_dtype(sgb2[c]) for c in [RLB, ELB, QUOTE])
    for frame in (pop, sgb2):
        assert all(pd.api.types.is_string_dtype(frame[c]) for c in ["AGS", "Kreis", "Altersgruppe"])
    assert set(pop["Stichtag"].dt.year) == set(sgb2["Jahr"]) == {2019, 2020, 2021, 2022, 2023}


def test_ags_keeps_leading_zeros_only_when_read_as_text(pop, sgb2):
    for frame in (pop, sgb2):
        assert frame["AGS"].str.fullmatch(r"0[14]|0[14]\d{3}").all()
        assert frame["AGS"].str.len().value_counts().to_dict() == {5: len(frame) * 17 // 19, 2: len(frame) * 2 // 19}
    assert "01057" in set(sgb2["AGS"])
    naive = pd.read_csv(SGB2, sep=";", encoding="latin-1", skiprows=7, nrows=570, header=None, names=SGB2_NAMES)
    assert pd.api.types.is_integer_dtype(naive["AGS"]) and 1057 in set(naive["AGS"])


def test_encoding_is_latin1_and_identical_in_cp1252():
    for path in (POP, SGB2):
        data = path.read_bytes()
        assert not any(0x80 <= byte <= 0x9F for byte in data)
        assert data.decode("latin-1") == data.decode("cp1252")
        assert "Plön" in data.decode("latin-1")
        with pytest.raises(UnicodeDecodeError):
            data.decode("utf-8")


def test_header_and_footer_blocks():
    for path, table_rows in ((POP, 1710), (SGB2, 570)):
        lines = path.read_text(encoding="latin-1").split("\n")
        assert lines[0].startswith("GENESIS-Tabelle: ") and lines[6].startswith(";;;;")
        assert "__________" in lines
        # the footer has more physical lines than records: quoted notes span several lines
        footer = lines[lines.index("__________"):-1]
        assert len(footer) > 4 and footer[-1].startswith("Stand: ")
        assert lines.index("__________") == 7 + table_rows


def test_names_are_indented_and_land_rows_are_mixed_in(sgb2):
    land = sgb2["AGS"].str.len() == 2
    assert sgb2.loc[land, "Kreis"].str.match(r"^  \S").all()
    assert sgb2.loc[~land, "Kreis"].str.match(r"^      \S").all()
    assert set(sgb2.loc[land, "Kreis"].str.strip()) == {"Schleswig-Holstein", "Bremen"}


def test_marker_counts_per_column(sgb2_raw):
    for column, expected in MARKER_COUNTS.items():
        found = {m: int((sgb2_raw[column] == m).sum()) for m in MARKER if (sgb2_raw[column] == m).any()}
        assert found == expected, column
    assert sum(sum(c.values()) for c in MARKER_COUNTS.values()) == 274
    pop_raw = _read(POP, POP_NAMES, dtype=str, keep_default_na=False)
    assert not pop_raw.isin(MARKER).any().any()


def test_structural_markers_sit_where_documented(sgb2_raw):
    under_15 = sgb2_raw["Altersgruppe"] == "unter 15 Jahre"
    over_65 = sgb2_raw["Altersgruppe"] == "65 Jahre und mehr"
    assert ((sgb2_raw[ELB] == "-") == under_15).all()
    assert ((sgb2_raw[QUOTE] == "x") == over_65).all()
    gaps = sgb2_raw[sgb2_raw[RLB].isin(["...", "/"])]
    assert set(zip(gaps["AGS"], gaps["Jahr"], gaps[RLB])) == {
        ("04012", "2023", "..."), ("04", "2023", "..."), ("01061", "2021", "/"), ("01", "2021", "/")}
    secret = sgb2_raw[sgb2_raw[ELB] == "."]
    assert set(zip(secret["AGS"], secret["Jahr"])) == {
        ("01059", "2019"), ("01059", "2020"), ("01", "2019"), ("01", "2020")}


def test_totals_add_up(pop, sgb2):
    assert (pop["männlich"] + pop["weiblich"] == pop["Insgesamt"]).all()
    groups = pop[pop["Altersgruppe"] != "Insgesamt"].groupby(["Stichtag", "AGS"])["Insgesamt"].sum()
    totals = pop[pop["Altersgruppe"] == "Insgesamt"].set_index(["Stichtag", "AGS"])["Insgesamt"]
    assert groups.sort_index().equals(totals.sort_index())
    kreise = pop[pop["AGS"].str.len() == 5]
    by_land = kreise.groupby([kreise["AGS"].str[:2], "Stichtag", "Altersgruppe"])["Insgesamt"].sum()
    land = pop[pop["AGS"].str.len() == 2].set_index(["AGS", "Stichtag", "Altersgruppe"])["Insgesamt"]
    assert by_land.sort_index().equals(land.sort_index())
    complete = sgb2.dropna(subset=[RLB])
    s_groups = complete[complete["Altersgruppe"] != "Insgesamt"].groupby(["Jahr", "AGS"])[RLB].sum()
    s_totals = complete[complete["Altersgruppe"] == "Insgesamt"].set_index(["Jahr", "AGS"])[RLB]
    assert s_groups.sort_index().equals(s_totals.sort_index())


def test_rate_can_be_recomputed_from_the_population(pop, sgb2):
    # population groups -> the coarser SGB II groups, by their lower age bound ("unter 3" starts at 0)
    lower = pop["Altersgruppe"].str.extract(r"^(\d+)")[0].fillna("0").astype(int)
    labels = ["unter 15 Jahre", "15 bis unter 25 Jahre", "25 bis unter 55 Jahre", "55 bis unter 65 Jahre"]
    group = pd.cut(lower, [0, 15, 25, 55, 65], right=False, labels=labels).astype(object)
    group[pop["Altersgruppe"] == "Insgesamt"] = None
    people = pop.assign(Jahr=pop["Stichtag"].dt.year, Gruppe=group).dropna(subset=["Gruppe"])
    people = people.groupby(["Jahr", "AGS", "Gruppe"])["Insgesamt"].sum().rename("Bevoelkerung").reset_index()
    merged = sgb2.merge(people, left_on=["Jahr", "AGS", "Altersgruppe"], right_on=["Jahr", "AGS", "Gruppe"])
    merged = merged.dropna(subset=[QUOTE])
    assert len(merged) == 19 * 5 * 4 - 2 * 2 * 4  # four rated groups, minus the '...' and '/' region-years
    recomputed = 100 * merged[RLB] / merged["Bevoelkerung"]
    assert (recomputed - merged[QUOTE]).abs().max() <= 0.05 + 1e-9


def test_ploen_child_rate_rises_fastest(sgb2):
    kreise = sgb2[sgb2["AGS"].str.len() == 5]
    children = kreise[kreise["Altersgruppe"] == "unter 15 Jahre"].pivot(index="AGS", columns="Jahr", values=QUOTE)
    rise = (children[2023] - children[2019]).dropna().sort_values(ascending=False)
    assert rise.index[0] == "01057"
    assert rise.iloc[0] == pytest.approx(7.6, abs=0.05) and rise.iloc[1] <= 3.3 + 1e-9
    assert children.loc["01057"].is_monotonic_increasing
    total = kreise[kreise["Altersgruppe"] == "Insgesamt"].pivot(index="AGS", columns="Jahr", values=RLB)
    growth = (total[2023] / total[2019]).dropna()
    assert growth["01057"] > 1.4 and growth.drop("01057").between(1.05, 1.2).all()
    # the highest level is elsewhere, and its 2023 value is missing
    assert children[2022].idxmax() == "04012" and pd.isna(children.loc["04012", 2023])
