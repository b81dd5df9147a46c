"""Distribution logs of three fictional food-bank organisations in one city, 2024-2025, each in its own export.

- A, *Lebensmittelhilfe Nordstadt e. V.*: ``nordstadt_ausgaben.csv``, ';', UTF-8, one row per distribution day,
  German dates and decimal comma; from 01.07.2024 "Personen" counts every household member instead of the people
  who came to the pick-up.
- B, *Brotkorb Südviertel e. V.*: ``brotkorb_wochenstatistik.xlsx``, one sheet per year, wide: one column per ISO
  week ("KW 03/2024"), one row per location and metric; counts pick-ups, adults and children under 14.
- C, *Open Pantry Kollektiv*: ``openpantry_distributions.csv`` (',' , ISO dates, English column names, households =
  distinct registration cards, kg as integers) plus ``openpantry_sites.csv``, the location lookup.

A and C jointly run the Thursday distribution at the Stadtteilzentrum Mitte from 05.09.2024 and both report it in
full. Closures and data gaps both leave the numbers empty; only the notes tell them apart. All organisations,
places and numbers are invented.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_date, german_number, seeded, write_csv, write_xlsx

DATASET_ID = "tafel-ausgaben"
SEED = 20240105
START, END = date(2024, 1, 1), date(2025, 12, 31)
FIXED_TIME = datetime(2026, 1, 15, 9, 30, 0)

HOLIDAYS = {date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 1), date(2024, 5, 9),
            date(2024, 5, 20), date(2024, 10, 3), date(2024, 12, 25), date(2024, 12, 26), date(2025, 1, 1),
            date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 1), date(2025, 5, 29), date(2025, 6, 9),
            date(2025, 10, 3), date(2025, 12, 25), date(2025, 12, 26)}
WINTER = ((date(2024, 12, 23), date(2025, 1, 3)), (date(2025, 12, 22), date(2025, 12, 31)))
# ISO weeks of the summer break, per organisation
SUMMER = {"A": {(2024, 31), (2024, 32), (2025, 31), (2025, 32)},
          "B": {(2024, 30), (2024, 31), (2024, 32), (2025, 30), (2025, 31), (2025, 32)},
          "C": {(2024, 33), (2025, 32)}}
CLOSED_NOTES = {  # organisation -> (holiday, summer, winter) note
    "A": ("Feiertag - keine Ausgabe", "geschlossen (Sommerpause)", "Weihnachtspause"),
    "B": ("Feiertag", "Ferien - geschlossen", "Weihnachtsferien"),
    "C": ("closed: public holiday", "closed: summer break", "closed: winter break"),
}
GAP_NOTES = {"A": ("Zählliste fehlt", "Zahlen nicht übermittelt"),
             "B": ("Liste fehlt", "nicht eingetragen"),
             "C": ("sheet missing", "not entered")}
GAPS = {"A": 5, "B": 3, "C": 4}  # distribution days without numbers although open
CHATTER = {"A": ("Kühlwagen defekt", "viel Brot gespendet", "neue Ehrenamtliche", "lange Schlange"),
           "C": ("cooler broken", "extra veg donation", "new volunteer")}

SHARED_FROM = date(2024, 9, 5)
METHOD_CHANGE = date(2024, 7, 1)
METHOD_NOTE = "ab heute: Personen = alle Haushaltsmitglieder laut Ausweis"

# location name, weekday (0 = Monday), households per distribution day at the start
A_SITES = (("Gemeindehaus Lutherkirche", 1, 52), ("Gemeindehaus Lutherkirche", 4, 46),
           ("Stadtteilzentrum Mitte", 3, 68))
A_TYPOS = (  # (name, how it is mistyped, in how many rows)
    ("Gemeindehaus Lutherkirche", "Gemeindehaus Lutherkriche", 4),
    ("Gemeindehaus Lutherkirche", "Gemeindehaus Lutherkirche ", 3),
    ("Stadtteilzentrum Mitte", "Stadteilzentrum Mitte", 3),
    ("Stadtteilzentrum Mitte", "STZ Mitte", 2),
)
B_SITES = (("Bürgerhaus Südviertel", 2, 61), ("Kirchgemeinde St. Marien (Saal)", 5, 38))
B_TYPO = ("Bürgerhaus Südviertel", "Bürgerhaus Süd-Viertel")  # the 2025 sheet spells it differently
B_ESTIMATES = 3  # pick-ups typed as a rough estimate ("ca. 40") instead of a number
C_SITES = (("C01", "Kulturzentrum Hafenhalle", "Hafenstraße 12", 0, 44, START),
           ("C02", "STZ Mitte (Bürgerhaus), Saal 2", "Marktplatz 3", 3, 68, SHARED_FROM))


def _closure(org: str, day: date) -> str | None:
    holiday, summer, winter = CLOSED_NOTES[org]
    if day in HOLIDAYS:
        return holiday
    if any(a <= day <= b for a, b in WINTER):
        return winter
    if tuple(day.isocalendar())[:2] in SUMMER[org]:
        return summer
    return None


def _demand(rng, base: int, day: date) -> int:
    """Households at one distribution: about +12 % a year, a little more in winter."""
    years = (day - START).days / 365.25
    season = 1.06 if day.month in (1, 2, 11, 12) else 0.97 if day.month in (7, 8) else 1.0
    return max(5, round(base * (1 + 0.12 * years) * season * rng.uniform(0.9, 1.1)))


def _days(weekday: int, first: date = START):
    day = first + timedelta(days=(weekday - first.weekday()) % 7)
    while day <= END:
        yield day
        day += timedelta(days=7)


def _with_gaps(rng, org: str, events: list[dict]) -> list[dict]:
    """Blank the numbers of a few open distribution days, noting why; returns the events in date order."""
    open_events = [e for e in events if e["note"] is None]
    for i, event in enumerate(rng.sample(open_events, GAPS[org])):
        event.update(households=None, note=GAP_NOTES[org][i % 2])
    for event in rng.sample([e for e in events if e["note"] is None and e["households"]], 6):
        event["note"] = rng.choice(CHATTER.get(org, (None,)))
    return sorted(events, key=lambda e: (e["day"], e["site"]))


def _events(rng, org: str, sites) -> list[dict]:
    events = []
    for site, weekday, base, first in sites:
        for day in _days(weekday, first):
            note = _closure(org, day)
            events.append({"day": day, "site": site, "note": note,
                           "households": None if note else _demand(rng, base, day)})
    return _with_gaps(rng, org, events)


def _org_a(rng, shared: dict[date, int]) -> list[list]:
    events = _events(rng, "A", [(s, w, b, START) for s, w, b in A_SITES])
    rows = []
    for event in events:
        day, households = event["day"], event["households"]
        if households is None:
            rows.append([german_date(day), event["site"], None, None, None, None, event["note"]])
            continue
        if event["site"] == "Stadtteilzentrum Mitte" and day >= SHARED_FROM:
            shared[day] = households
        if day < METHOD_CHANGE:  # people who came to the pick-up
            persons = round(households * rng.uniform(1.15, 1.4))
            children = round(persons * rng.uniform(0.08, 0.15))
        else:  # every household member on the card
            persons = round(households * rng.uniform(2.2, 2.6))
            children = round(households * rng.uniform(0.8, 1.0))
        kg = households * rng.uniform(7.5, 9.5)
        rows.append([german_date(day), event["site"], households, persons, children, german_number(kg, 1),
                     event["note"]])
    changed = (r for r in rows if r[2] is not None and datetime.strptime(r[0], "%d.%m.%Y").date() >= METHOD_CHANGE)
    next(changed)[6] = METHOD_NOTE
    for canonical, typo, count in A_TYPOS:
        for row in rng.sample([r for r in rows if r[1] == canonical], count):
            row[1] = typo
    return rows


def _org_c(rng, shared: dict[date, int]) -> list[list]:
    events = _events(rng, "C", [(site_id, w, b, first) for site_id, _, _, w, b, first in C_SITES])
    rows = []
    for event in events:
        if event["households"] is None:
            rows.append([event["day"].isoformat(), event["site"], None, None, None, None, event["note"]])
            continue
        # at the shared site C counts the same distribution as A, by card numbers
        cards = shared.get(event["day"], event["households"]) if event["site"] == "C02" else event["households"]
        if event["site"] == "C02" and event["day"] in shared:
            cards += rng.randint(-3, 2)
        rows.append([event["day"].isoformat(), event["site"], cards, round(cards * rng.uniform(2.2, 2.6)),
                     round(cards * rng.uniform(0.8, 1.0)), round(cards * rng.uniform(7.5, 9.5)), event["note"]])
    return rows


def _org_b_sheets(rng) -> dict[int, list[list]]:
    """Year -> rows of the wide sheet: [location, metric, week 1, ..., week 52]."""
    events = _events(rng, "B", [(s, w, b, START) for s, w, b in B_SITES])
    by_key = {(e["site"], tuple(e["day"].isocalendar())[:2]): e for e in events}
    sheets = {}
    for year in (2024, 2025):
        rows = []
        for site, _, _ in B_SITES:
            name = B_TYPO[1] if year == 2025 and site == B_TYPO[0] else site
            metrics = {"Abholungen": [], "Erwachsene": [], "Kinder (u. 14)": [], "Ware (kg)": [], "Bemerkung": []}
            for week in range(1, 53):
                event = by_key.get((site, (year, week)))
                households = event["households"] if event else None
                if households is None:
                    values = [None, None, None, None]
                else:
                    values = [round(households * rng.uniform(1.05, 1.15)), round(households * rng.uniform(1.5, 1.8)),
                              round(households * rng.uniform(0.6, 0.8)), round(households * rng.uniform(7.5, 9.5), 1)]
                for metric, value in zip(metrics, values + [event["note"] if event else None]):
                    metrics[metric].append(value)
            for i, (metric, values) in enumerate(metrics.items()):
                rows.append([name if i == 0 else None, metric] + values)  # location only in the block's first row
        sheets[year] = rows
    estimates = rng.sample([(y, r, c) for y, rows in sheets.items() for r, row in enumerate(rows)
                             if row[1] == "Abholungen" for c in range(2, 54) if row[c] is not None], B_ESTIMATES)
    for year, r, c in estimates:
        sheets[year][r][c] = f"ca. {5 * round(sheets[year][r][c] / 5)}"
    return sheets


def _write_xlsx(path: Path, sheets: dict[int, list[list]]) -> None:
    """One sheet per year: two title lines and an empty row above the header, as the coordinator keeps it."""
    write_xlsx(path, {
        str(year): [[f"Brotkorb Südviertel e. V. - Ausgabestatistik {year}"],
                    [f"erstellt von der Ausgabe-Koordination, Stand {FIXED_TIME:%d.%m.%Y}"],
                    [],
                    ["Ausgabestelle", "Kennzahl"] + [f"KW {week:02d}/{year}" for week in range(1, 53)],
                    *rows]
        for year, rows in sheets.items()
    }, creator="Brotkorb Südviertel", stamp=FIXED_TIME)


def generate(out_dir: Path) -> None:
    rng, _ = seeded(SEED)
    shared: dict[date, int] = {}
    write_csv(out_dir / "nordstadt_ausgaben.csv",
              ["Datum", "Ausgabestelle", "Haushalte", "Personen", "davon Kinder", "Lebensmittel (kg)", "Bemerkung"],
              _org_a(rng, shared))
    _write_xlsx(out_dir / "brotkorb_wochenstatistik.xlsx", _org_b_sheets(rng))
    write_csv(out_dir / "openpantry_distributions.csv",
              ["distribution_date", "site_id", "households_cards", "persons_on_cards", "minors_on_cards", "food_kg",
               "notes"],
              _org_c(rng, shared), delimiter=",", newline="\n")
    write_csv(out_dir / "openpantry_sites.csv", ["site_id", "site_name", "street", "weekday", "active_since"],
              [[s, name, street, ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat")[w], first.isoformat()]
               for s, name, street, w, _, first in C_SITES], delimiter=",", newline="\n")
