"""Needs assessment among the clients of a fictional food bank, exported from KoboToolbox (XLSX and CSV).

The export imitates formpack (the library behind KoboToolbox's exports) with the options "XML values and headers",
"include groups" with ``/`` as group separator and "store select_multiple answers as separate columns": one
space-joined column per select_multiple question plus one ``question/choice`` column holding 1/0 (blank when skip
logic hid the question); a geopoint ``standort`` as the combined "lat lon alt precision" string plus four
``_standort_*`` columns; the metadata columns ``_id`` ... ``_index`` at the end. The CSV uses ``;`` and quotes every
value; the XLSX holds the same table on one sheet, numbers stored as numbers.

The mess (duplicate uploads of one submission, test submissions, "other" answers that are really one of the
choices, GPS fixes at 0,0) is made here on purpose and documented in ``datasets/kobo-bedarfserhebung/README.md``.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

from datenwerkstatt.datasets._export import seeded, write_csv, write_xlsx

DATASET_ID = "kobo-bedarfserhebung"
SEED = 20250303
EXPORT_STEM = "Bedarfserhebung_2025_-_all_versions_-_False_-_2025-05-05-16-04-31"
SHEET_TITLE = "Bedarfserhebung 2025"
FORM_VERSION = "vQk7RcLmzBd3TfX9pWn2Hs"

N_INTERVIEWS = 580  # real interviews, before duplicates and test submissions are added
N_DUPLICATES = 12  # interviews uploaded a second time (same _uuid, new _id)
N_REFUSED = 14  # interviews ended at the consent question: everything after it is blank
N_GPS_ZERO = 5  # GPS fix failed and Collect stored "0 0 0 0"
N_GPS_MISSING = 9  # no GPS fix recorded at all
FIELD_START = date(2025, 3, 4)
FIELD_END = date(2025, 4, 26)
DISTRIBUTION_WEEKDAYS = (1, 3, 5)  # Tuesday, Thursday, Saturday
TEST_DAYS = (date(2025, 2, 27), date(2025, 2, 27), date(2025, 2, 28), date(2025, 3, 3))
TEST_NOTES = ("test", "Test", "test bitte löschen", "TEST Tablet 2")

# outlet -> (latitude, longitude, altitude) of the fictional distribution points
OUTLETS = {
    "nord": (51.48213, 7.21574, 71.0),
    "mitte": (51.47102, 7.22388, 64.0),
    "sued": (51.45866, 7.20931, 88.0),
}
OUTLET_WEIGHTS = (0.35, 0.4, 0.25)
INTERVIEWERS = ("int01", "int02", "int03", "int04", "int05", "int06")
DEVICES = ("collect:Lq3ZtR8vXb2Nw6Pk", "collect:Hm5GdY1sJc9Ve4Tr", "collect:Wb7KpF2xQn8Ua3Lz")
ACCOUNT = "tafel_auenbrueck"

# interview language -> share of interviews
LANGUAGES = {"de": 0.52, "ar": 0.14, "uk": 0.12, "ru": 0.08, "tr": 0.06, "fa": 0.05, "en": 0.03}

INCOME_BANDS = ("unter_500", "500_999", "1000_1499", "1500_1999", "2000_plus", "keine_angabe")
INCOME_SOURCES = ("buergergeld", "grundsicherung", "rente", "asylbewerberleistungen", "lohn", "bafoeg",
                  "wohngeld", "kindergeld", "sonstiges")
INCOME_SOURCE_P = (0.46, 0.16, 0.17, 0.09, 0.2, 0.03, 0.1, 0.0, 0.06)
# "other" answers: (text, the existing choice it really is or None)
INCOME_OTHER = (
    ("Jobcenter", "buergergeld"), ("Bürgergeld", "buergergeld"), ("Hartz 4", "buergergeld"),
    ("Minijob", "lohn"), ("Putzstelle 450€", "lohn"), ("Witwenrente", "rente"), ("Kinderzuschlag", None),
    ("Unterhalt vom Ex", None), ("Erspartes", None), ("Krankengeld", None), ("Elterngeld", None),
)

VISIT_FREQ = ("jede_woche", "alle_zwei_wochen", "einmal_im_monat", "seltener")
TRAVEL = ("zu_fuss", "fahrrad", "bus_bahn", "auto", "mitfahrt")

MISSING_FOOD = ("obst_gemuese", "milchprodukte", "fleisch_fisch", "brot", "halal", "vegetarisch",
                "hygieneartikel", "sonstiges")
MISSING_FOOD_P = (0.55, 0.38, 0.22, 0.08, 0.0, 0.12, 0.41, 0.07)
FOOD_OTHER = (
    ("Obst", "obst_gemuese"), ("frisches Gemüse", "obst_gemuese"), ("Käse", "milchprodukte"),
    ("Duschgel, Shampoo", "hygieneartikel"), ("Halal Fleisch", "halal"), ("Kaffee", None), ("Reis", None),
    ("Öl zum Kochen", None), ("glutenfreie Sachen", None), ("Tierfutter 🐶", None), ("Zucker, Mehl", None),
)

CHILD_NEEDS = ("windeln", "babynahrung", "schulsachen", "kleidung", "spielzeug", "nichts")

LIKERT = ("sehr_unzufrieden", "eher_unzufrieden", "teils_teils", "eher_zufrieden", "sehr_zufrieden")
DONT_KNOW = "weiss_nicht"
LIKERT_ITEMS = ("menge", "qualitaet", "auswahl", "wartezeit", "umgang")
LIKERT_BASE = (3.4, 3.7, 2.9, 2.4, 4.3)  # mean latent score on the 1..5 scale

FOOD_WORRY = ("nie", "selten", "manchmal", "oft", "immer", "keine_angabe")

REMARKS = (
    "Danke an alle Ehrenamtlichen!", "Die Wartezeit draußen ist im Winter hart.",
    "Bitte mehr Obst und Gemüse.", "Mehr Öffnungstage wären schön.", "Alles super 👍",
    "Ich würde gern selbst helfen.", "Zu wenig Milchprodukte am Samstag.", "Danke ❤️",
    "Brot ist oft schon weg, wenn ich dran bin.", "Die Nummernvergabe ist unfair.",
    "Kinderwagen passt nicht durch die Tür.", "Man fühlt sich respektiert, danke.",
    "Bitte Infos auch auf Arabisch aushängen.", "Спасибо за помощь!", "شكرا جزيلا",
    "Es wäre gut, wenn es auch Tierfutter gäbe.", "Warteschlange schneller machen bitte",
)


def generate(out_dir: Path) -> None:
    rng, _ = seeded(SEED)
    rows = _submissions(rng)
    header = _header()
    table = [[row.get(column) for column in header] for row in rows]
    write_csv(out_dir / f"{EXPORT_STEM}.csv", header, ([_csv_value(v) for v in line] for line in table),
              quote_all=True)
    _write_xlsx(out_dir / f"{EXPORT_STEM}.xlsx", header, table)


def _header() -> list[str]:
    def multi(name: str, choices) -> list[str]:
        return [name] + [f"{name}/{choice}" for choice in choices]

    return [
        "start", "end", "today", "deviceid",
        "einleitung/ausgabestelle", "einleitung/interviewer_in", "einleitung/sprache", "einleitung/einwilligung",
        "haushalt/anzahl_personen", "haushalt/anzahl_kinder", "haushalt/einkommen",
        *multi("haushalt/einkommensquelle", INCOME_SOURCES), "haushalt/einkommensquelle_other",
        "besuch/wie_oft", "besuch/anreise", "besuch/anreise_minuten",
        *multi("bedarf/fehlt", MISSING_FOOD), "bedarf/fehlt_other",
        *multi("bedarf/kinder_bedarf", CHILD_NEEDS),
        *[f"zufriedenheit/{item}" for item in LIKERT_ITEMS],
        "sorgen/essen_reicht", "anmerkungen",
        "standort", "_standort_latitude", "_standort_longitude", "_standort_altitude", "_standort_precision",
        "_id", "_uuid", "_submission_time", "_validation_status", "_notes", "_status", "_submitted_by",
        "__version__", "_tags", "_index",
    ]


def _submissions(rng: random.Random) -> list[dict]:
    days = [FIELD_START + timedelta(days=d) for d in range((FIELD_END - FIELD_START).days + 1)]
    days = [d for d in days if d.weekday() in DISTRIBUTION_WEEKDAYS]
    refused = set(rng.sample(range(N_INTERVIEWS), N_REFUSED))
    interviews = [_interview(rng, rng.choice(days), i in refused) for i in range(N_INTERVIEWS)]
    tests = [_test_interview(rng, day, note) for day, note in zip(TEST_DAYS, TEST_NOTES)]

    answered = [row for row in interviews if row.get("standort") is not None]
    broken = rng.sample(answered, N_GPS_ZERO + N_GPS_MISSING)
    for row in broken[:N_GPS_ZERO]:
        _set_gps(row, 0.0, 0.0, 0.0, 0.0)
    for row in broken[N_GPS_ZERO:]:
        _set_gps(row, None, None, None, None)

    rows = sorted(interviews + tests, key=lambda r: r["_submission_time"])
    for row in rng.sample(interviews, N_DUPLICATES):
        copy = dict(row)
        later = datetime.fromisoformat(row["_submission_time"]) + timedelta(
            days=rng.choice((0, 0, 1, 2)), minutes=rng.randint(20, 600))
        copy["_submission_time"] = later.isoformat(timespec="seconds")
        rows.append(copy)
    rows.sort(key=lambda r: r["_submission_time"])

    next_id = 318_404_117  # _id counts submissions across the whole server, so it jumps
    for index, row in enumerate(rows, start=1):
        next_id += rng.randint(1, 60)
        row["_id"] = next_id
        row["_index"] = index
        row.update({"_status": "submitted_via_web", "_submitted_by": ACCOUNT, "__version__": FORM_VERSION,
                    "_notes": None, "_tags": None})
        row["_validation_status"] = _validation(rng, row)
    return rows


def _validation(rng: random.Random, row: dict) -> str | None:
    if row["anmerkungen"] in TEST_NOTES:
        return None
    draw = rng.random()
    return "Approved" if draw < 0.3 else ("On Hold" if draw < 0.33 else None)


def _local(moment: datetime) -> str:
    """Collect writes local time with its UTC offset (CET until the switch on 30 March 2025, then CEST)."""
    offset = timedelta(hours=2) if moment.date() >= date(2025, 3, 30) else timedelta(hours=1)
    return moment.replace(tzinfo=timezone(offset)).isoformat(timespec="milliseconds")


def _timing(rng: random.Random, day: date, minutes: float) -> dict:
    start = datetime.combine(day, datetime.min.time()) + timedelta(hours=10, minutes=rng.randint(0, 200),
                                                                   seconds=rng.randint(0, 59),
                                                                   milliseconds=rng.randint(0, 999))
    end = start + timedelta(minutes=minutes, seconds=rng.randint(0, 59), milliseconds=rng.randint(0, 999))
    offset = 2 if day >= date(2025, 3, 30) else 1
    # tablets upload when they are back on the Wi-Fi in the office, same evening or a day later
    upload = end + timedelta(hours=rng.choice((0, 4, 6, 8, 22)), minutes=rng.randint(1, 59),
                             seconds=rng.randint(0, 59))
    return {"start": _local(start), "end": _local(end), "today": day.isoformat(),
            "_submission_time": (upload - timedelta(hours=offset)).isoformat(timespec="seconds")}


def _interview(rng: random.Random, day: date, refused: bool) -> dict:
    outlet = rng.choices(list(OUTLETS), OUTLET_WEIGHTS)[0]
    language = rng.choices(list(LANGUAGES), list(LANGUAGES.values()))[0]
    row = {
        "deviceid": rng.choice(DEVICES),
        "einleitung/ausgabestelle": outlet,
        "einleitung/interviewer_in": rng.choice(INTERVIEWERS),
        "einleitung/sprache": language,
        "einleitung/einwilligung": "nein" if refused else "ja",
        "_uuid": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
        "anmerkungen": None,
    }
    row.update(_timing(rng, day, rng.uniform(1, 3) if refused else rng.uniform(7, 22)))
    if refused:
        return row
    row.update(_household(rng))
    row.update(_visit(rng))
    row.update(_needs(rng, language, row["haushalt/anzahl_kinder"]))
    row.update(_satisfaction(rng, language))
    if rng.random() < 0.22:
        row["anmerkungen"] = rng.choice(REMARKS)
    lat, lon, alt = OUTLETS[outlet]
    _set_gps(row, round(lat + rng.gauss(0, 0.00012), 6), round(lon + rng.gauss(0, 0.00018), 6),
             round(alt + rng.gauss(0, 4), 1), float(rng.choice((3.9, 4.8, 5.0, 8.0, 12.0, 16.4, 24.0, 32.0))))
    return row


def _test_interview(rng: random.Random, day: date, note: str) -> dict:
    """The coordinator tries the form on a tablet before the field period: quick, clicked-through answers."""
    row = _interview(rng, day, refused=False)
    row["einleitung/interviewer_in"] = "int01"
    row["deviceid"] = DEVICES[1]
    row["anmerkungen"] = note
    row.update(_timing(rng, day, rng.uniform(0.5, 2)))
    return row


def _set_gps(row: dict, lat, lon, alt, precision) -> None:
    row["_standort_latitude"], row["_standort_longitude"] = lat, lon
    row["_standort_altitude"], row["_standort_precision"] = alt, precision
    row["standort"] = None if lat is None else " ".join(_number_text(v) for v in (lat, lon, alt, precision))


def _number_text(value: float) -> str:
    return str(int(value)) if value == int(value) else repr(value)


def _multi(name: str, choices, selected: list[str]) -> dict:
    """A select_multiple answer as formpack exports it: the space-joined column and one 1/0 column per choice."""
    chosen = [c for c in choices if c in selected]
    row = {name: " ".join(chosen)}
    row.update({f"{name}/{c}": int(c in chosen) for c in choices})
    return row


def _with_other(rng: random.Random, name: str, choices, selected: list[str], options) -> dict:
    """Add the ``_other`` text when "sonstiges" is ticked. Some respondents describe one of the listed choices in
    their own words instead of ticking it: that choice then stays unticked, as in real data."""
    text = None
    if "sonstiges" in selected:
        text, really = rng.choice(options)
        selected = [s for s in selected if s != really]
    row = _multi(name, choices, selected)
    row[f"{name}_other"] = text
    return row


def _household(rng: random.Random) -> dict:
    persons = rng.choices(range(1, 9), (30, 22, 17, 14, 9, 5, 2, 1))[0]
    children = 0 if persons == 1 else min(persons - 1, rng.choices(range(0, 6), (35, 25, 22, 10, 5, 3))[0])
    income_level = rng.gauss(0.4 + 0.45 * persons, 0.9)
    band = INCOME_BANDS[min(4, max(0, int(income_level)))]
    if rng.random() < 0.09:
        band = "keine_angabe"
    sources = [s for s, p in zip(INCOME_SOURCES, INCOME_SOURCE_P) if rng.random() < p]
    if children:
        sources.append("kindergeld")
    if not sources:
        sources = ["buergergeld"]
    row = {"haushalt/anzahl_personen": persons, "haushalt/anzahl_kinder": children, "haushalt/einkommen": band}
    row.update(_with_other(rng, "haushalt/einkommensquelle", INCOME_SOURCES, sources, INCOME_OTHER))
    return row


def _visit(rng: random.Random) -> dict:
    travel = rng.choices(TRAVEL, (38, 14, 33, 9, 6))[0]
    minutes = {"zu_fuss": (5, 25), "fahrrad": (5, 20), "bus_bahn": (10, 50), "auto": (5, 30), "mitfahrt": (10, 40)}
    low, high = minutes[travel]
    return {"besuch/wie_oft": rng.choices(VISIT_FREQ, (48, 30, 15, 7))[0], "besuch/anreise": travel,
            "besuch/anreise_minuten": rng.randint(low, high)}


def _needs(rng: random.Random, language: str, children: int) -> dict:
    selected = [f for f, p in zip(MISSING_FOOD, MISSING_FOOD_P) if rng.random() < p]
    if language in ("ar", "fa", "tr") and rng.random() < 0.45:
        selected.append("halal")
    if not selected:
        selected = ["obst_gemuese"]
    row = _with_other(rng, "bedarf/fehlt", MISSING_FOOD, selected, FOOD_OTHER)
    if children:  # skip logic: only asked when the household has children
        wanted = [c for c, p in zip(CHILD_NEEDS[:-1], (0.3, 0.2, 0.45, 0.5, 0.15)) if rng.random() < p]
        row.update(_multi("bedarf/kinder_bedarf", CHILD_NEEDS, wanted or ["nichts"]))
    return row


def _satisfaction(rng: random.Random, language: str) -> dict:
    mood = rng.gauss(0, 0.6)
    row = {}
    for item, base in zip(LIKERT_ITEMS, LIKERT_BASE):
        if rng.random() < 0.05 + (0.04 if language != "de" else 0.0):
            row[f"zufriedenheit/{item}"] = DONT_KNOW
            continue
        score = round(base + mood + rng.gauss(0, 0.8))
        row[f"zufriedenheit/{item}"] = LIKERT[min(5, max(1, score)) - 1]
    worry = rng.choices(FOOD_WORRY, (10, 18, 32, 25, 8, 7))[0]
    row["sorgen/essen_reicht"] = worry
    return row


def _csv_value(value):
    if isinstance(value, float):
        return _number_text(value)
    return value


def _write_xlsx(path: Path, header: list[str], table: list[list]) -> None:
    """One sheet, header in row 1, as KoboToolbox's XLSX export."""
    write_xlsx(path, {SHEET_TITLE: [header, *table]}, creator="KoboToolbox", stamp=datetime(2025, 5, 5, 16, 4, 31))
