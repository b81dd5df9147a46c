"""GENESIS-style tables (Regionaldatenbank layout) for the Kreise of Schleswig-Holstein and Bremen.

Two files, both shaped like a CSV download from the Regionaldatenbank Deutschland: a text block before the table,
a column header whose first four labels are blank, names indented with spaces by hierarchy level, Land rows (2-digit
key) between the Kreis rows (5-digit AGS with leading zero), German decimal comma, the official value markers
(".", "-", "x", "...", "/"), a footer with multi-line quoted notes, ISO-8859-1 encoding.

- ``12411-02-03-4.csv``: population on 31.12. by Kreis, 17 age groups + "Insgesamt", total/male/female, 2019-2023.
- ``99911-01-01-4.csv`` (invented table number): recipients of basic income support (SGB II, "Bürgergeld"),
  annual average by Kreis and 5 age groups + "Insgesamt", with the SGB II rate, 2019-2023.

Kreis names and keys are real (public facts); every number is synthetic. Story: in Plön the share of children
living on SGB II rises much faster than anywhere else.
"""

from __future__ import annotations

from pathlib import Path

from datenwerkstatt.datasets._export import german_number, seeded, write_csv

DATASET_ID = "genesis-kreise"
SEED = 1241102
ENCODING = "iso-8859-1"
YEARS = (2019, 2020, 2021, 2022, 2023)
INDENT_LAND, INDENT_KREIS = "  ", "      "

# (key, name as GENESIS writes it, rough population, base SGB II rate in %)
LAENDER = {
    "01": ("Schleswig-Holstein", [
        ("01001", "Flensburg, Kreisfreie Stadt", 91_000, 13.0),
        ("01002", "Kiel, Landeshauptstadt, Kreisfreie Stadt", 247_000, 14.5),
        ("01003", "Lübeck, Hansestadt, Kreisfreie Stadt", 216_000, 13.5),
        ("01004", "Neumünster, Kreisfreie Stadt", 80_000, 13.8),
        ("01051", "Dithmarschen, Landkreis", 133_000, 8.5),
        ("01053", "Herzogtum Lauenburg, Landkreis", 199_000, 6.5),
        ("01054", "Nordfriesland, Landkreis", 166_000, 6.0),
        ("01055", "Ostholstein, Landkreis", 200_000, 7.0),
        ("01056", "Pinneberg, Landkreis", 316_000, 6.8),
        ("01057", "Plön, Landkreis", 129_000, 5.8),
        ("01058", "Rendsburg-Eckernförde, Landkreis", 272_000, 6.2),
        ("01059", "Schleswig-Flensburg, Landkreis", 200_000, 6.6),
        ("01060", "Segeberg, Landkreis", 277_000, 5.9),
        ("01061", "Steinburg, Landkreis", 131_000, 8.8),
        ("01062", "Stormarn, Landkreis", 243_000, 4.6),
    ]),
    "04": ("Bremen", [
        ("04011", "Bremen, Kreisfreie Stadt", 567_000, 17.0),
        ("04012", "Bremerhaven, Kreisfreie Stadt", 113_000, 21.0),
    ]),
}
CITY_SUFFIX = "Kreisfreie Stadt"

AGE_GROUPS = (
    "unter 3 Jahre", "3 bis unter 6 Jahre", "6 bis unter 10 Jahre", "10 bis unter 15 Jahre",
    "15 bis unter 18 Jahre", "18 bis unter 20 Jahre", "20 bis unter 25 Jahre", "25 bis unter 30 Jahre",
    "30 bis unter 35 Jahre", "35 bis unter 40 Jahre", "40 bis unter 45 Jahre", "45 bis unter 50 Jahre",
    "50 bis unter 55 Jahre", "55 bis unter 60 Jahre", "60 bis unter 65 Jahre", "65 bis unter 75 Jahre",
    "75 Jahre und mehr",
)
AGE_SHARES = (0.028, 0.027, 0.036, 0.045, 0.028, 0.020, 0.052, 0.060, 0.062, 0.061, 0.058, 0.060,
              0.075, 0.078, 0.070, 0.110, 0.130)
MALE_SHARE = (0.513,) * 7 + (0.505,) * 6 + (0.495, 0.49, 0.475, 0.42)
TOTAL = "Insgesamt"

# SGB II age groups -> indices into AGE_GROUPS, and how much the rate of that group differs from the Kreis rate
SGB2_GROUPS = (
    ("unter 15 Jahre", range(0, 4), 1.6),
    ("15 bis unter 25 Jahre", range(4, 7), 1.0),
    ("25 bis unter 55 Jahre", range(7, 13), 0.9),
    ("55 bis unter 65 Jahre", range(13, 15), 0.7),
    ("65 Jahre und mehr", range(15, 17), None),  # only people below the Regelaltersgrenze: a tiny count
)
UNDER_15, OVER_65 = SGB2_GROUPS[0][0], SGB2_GROUPS[-1][0]
YEAR_FACTOR = {2019: 1.00, 2020: 1.03, 2021: 0.99, 2022: 1.06, 2023: 1.09}
STORY_AGS = "01057"  # Plön: child poverty rises much faster than elsewhere
STORY_FACTOR = {2019: (1.00, 1.00), 2020: (1.14, 1.04), 2021: (1.30, 1.08), 2022: (1.50, 1.14), 2023: (1.68, 1.20)}

# Deliberate markers in the SGB II table (Kreis cells; a Land cell takes the marker when one of its Kreise has it)
LATE = {("04012", 2023)}  # "...": Bremerhaven 2023 not yet delivered
UNRELIABLE = {("01061", 2021)}  # "/": Steinburg 2021, count not reliable enough
SECRET_ELB = {("01059", 2019), ("01059", 2020)}  # ".": Schleswig-Flensburg did not report employability

POP_FOOTNOTE = (
    'zu ""gesamter Tabelle"":\n'
    "Synthetische Übungsdaten der Datenwerkstatt: Kreisnamen und\n"
    "Kreisschlüssel sind echt, alle Zahlen sind erfunden.\n"
    " \n"
    "Stichtag: 31.12. des Berichtsjahres, Gebietsstand 31.12.2023"
)
SGB2_FOOTNOTE = (
    'zu ""SGB-II-Quote"":\n'
    "Regelleistungsberechtigte je 100 Einwohner*innen derselben\n"
    "Altersgruppe (Bevölkerung am 31.12. des Berichtsjahres);\n"
    "Insgesamt: je 100 Einwohner*innen unter 65 Jahren.\n"
    " \n"
    'zu ""gesamter Tabelle"":\n'
    "Synthetische Übungsdaten der Datenwerkstatt, alle Zahlen sind erfunden."
)


def _footer(note: str, stand: str) -> list[str]:
    return [
        "__________",
        '"' + note + '"',
        '"(C) Nachbildung einer Tabelle der Statistischen Ämter des Bundes und der Länder.\n'
        'Synthetische Daten, freigegeben unter CC0 1.0."',
        f"Stand: {stand}",
    ]


def _preamble(code: str, title_lines: list[str], unit: str, width: int) -> list[str]:
    pad = ";" * (width - 1)
    return [f"GENESIS-Tabelle: {code}"] + [line + pad for line in title_lines + [unit]]


def _regions():
    """(key, indented name, Kreise of that Land or None for a Kreis) in GENESIS order: each Land, then its Kreise."""
    for land_key, (land_name, kreise) in LAENDER.items():
        yield land_key, INDENT_LAND + land_name, kreise
        for kreis in kreise:
            yield kreis[0], INDENT_KREIS + kreis[1], None


def _population(rng) -> dict[tuple[str, int], list[tuple[int, int]]]:
    """(AGS, year) -> [(male, female) per age group] for every Kreis."""
    pop = {}
    for _, (_, kreise) in LAENDER.items():
        for ags, name, size, _ in kreise:
            city = name.endswith(CITY_SUFFIX)
            shares = [s * rng.uniform(0.92, 1.08) * (1.25 if city and 6 <= i <= 9 else 1.0)
                      * (0.9 if city and i >= 13 else 1.0) for i, s in enumerate(AGE_SHARES)]
            total_share = sum(shares)
            growth = rng.uniform(-0.004, 0.008)
            for y, year in enumerate(YEARS):
                level = size * (1 + growth) ** y * (1.012 if year >= 2022 else 1.0)
                groups = []
                for i, share in enumerate(shares):
                    n = round(level * share / total_share * rng.uniform(0.985, 1.015))
                    male = round(n * MALE_SHARE[i] * rng.uniform(0.99, 1.01))
                    groups.append((male, n - male))
                pop[ags, year] = groups
    return pop


def _population_rows(pop) -> list[list]:
    rows = []
    for year in YEARS:
        for key, name, kreise in _regions():
            members = [k[0] for k in kreise] if kreise else [key]
            groups = [tuple(sum(pop[m, year][i][s] for m in members) for s in (0, 1)) for i in range(len(AGE_GROUPS))]
            for label, (male, female) in zip(AGE_GROUPS + (TOTAL,), groups + [tuple(map(sum, zip(*groups)))]):
                rows.append([f"31.12.{year}", key, name, label, male + female, male, female])
    return rows


def _sgb2_counts(rng, pop) -> dict[tuple[str, int, str], tuple[int, int, int]]:
    """(AGS, year, SGB II group) -> (recipients, of which employable, population of the group) for every Kreis."""
    counts = {}
    for _, (_, kreise) in LAENDER.items():
        for ags, _, _, rate in kreise:
            employable = rng.uniform(0.90, 0.96)
            for year in YEARS:
                child_boost, adult_boost = STORY_FACTOR[year] if ags == STORY_AGS else (1.0, 1.0)
                for label, idx, factor in SGB2_GROUPS:
                    people = sum(sum(pop[ags, year][i]) for i in idx)
                    if factor is None:
                        recipients = round(people * rng.uniform(0.003, 0.005))
                    else:
                        boost = child_boost if label == UNDER_15 else adult_boost
                        share = rate * factor * YEAR_FACTOR[year] * boost * rng.uniform(0.97, 1.03) / 100
                        recipients = round(people * share)
                    elb = 0 if label == UNDER_15 else round(recipients * employable * rng.uniform(0.99, 1.01))
                    counts[ags, year, label] = (recipients, elb, people)
    return counts


def _marker(kreise: list[str], year: int, column: str) -> str | None:
    """The value marker a cell carries because of the deliberate gaps, or None for a number."""
    if any((k, year) in LATE for k in kreise):
        return "..."
    if any((k, year) in UNRELIABLE for k in kreise):
        return "/"
    if column == "elb" and any((k, year) in SECRET_ELB for k in kreise):
        return "."
    return None


def _sgb2_rows(counts) -> list[list]:
    rows = []
    labels = [g[0] for g in SGB2_GROUPS] + [TOTAL]
    for year in YEARS:
        for key, name, kreise in _regions():
            members = [k[0] for k in kreise] if kreise else [key]
            for label in labels:
                parts = [g[0] for g in SGB2_GROUPS] if label == TOTAL else [label]
                rlb = sum(counts[m, year, p][0] for m in members for p in parts)
                elb = sum(counts[m, year, p][1] for m in members for p in parts)
                base = sum(counts[m, year, p][2] for m in members for p in parts if p != OVER_65)
                # structural markers ("-": zero by definition, "x": not meaningful) win over the data gaps
                cells = {
                    "rlb": _marker(members, year, "rlb") or str(rlb),
                    "elb": "-" if label == UNDER_15 else _marker(members, year, "elb") or str(elb),
                    "quote": "x" if label == OVER_65 else (
                        _marker(members, year, "quote") or german_number(100 * rlb / base, 1)),
                }
                rows.append([year, key, name, label, cells["rlb"], cells["elb"], cells["quote"]])
    return rows


def generate(out_dir: Path) -> None:
    rng, _ = seeded(SEED)
    pop = _population(rng)
    write_csv(
        out_dir / "12411-02-03-4.csv",
        ["", "", "", "", "Insgesamt", "männlich", "weiblich"],
        _population_rows(pop),
        encoding=ENCODING,
        newline="\n",
        preamble=_preamble("12411-02-03-4", [
            "Bevölkerungsstand: Bevölkerung nach Geschlecht",
            "und Altersgruppen (17) - Stichtag 31.12. -",
            "regionale Tiefe: Kreise und krfr. Städte",
            "Fortschreibung des Bevölkerungsstandes",
        ], "Bevölkerungsstand (Anzahl)", 7),
        footer=_footer(POP_FOOTNOTE, "14.06.2024 / 10:17:42"),
    )
    write_csv(
        out_dir / "99911-01-01-4.csv",
        ["", "", "", "", "Regelleistungsberechtigte", "darunter erwerbsfähige Leistungsberechtigte", "SGB-II-Quote"],
        _sgb2_rows(_sgb2_counts(rng, pop)),
        encoding=ENCODING,
        newline="\n",
        preamble=_preamble("99911-01-01-4", [
            "Grundsicherung für Arbeitsuchende (SGB II): Regelleistungsberechtigte",
            "nach Altersgruppen - Jahresdurchschnitt -",
            "regionale Tiefe: Kreise und krfr. Städte",
            "Statistik der Grundsicherung für Arbeitsuchende",
        ], "Regelleistungsberechtigte (Anzahl), SGB-II-Quote (%)", 7),
        footer=_footer(SGB2_FOOTNOTE, "02.09.2024 / 08:45:03"),
    )
