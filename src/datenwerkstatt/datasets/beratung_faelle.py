"""Pseudonymised case records of a fictional migration counselling service in a fictional city ("Lindbrück").

One row per case, exported the way German case-management software does it: ``;``, UTF-8 without BOM, CRLF,
dates as ``dd.mm.yyyy``. The data-protection problems learners meet in b05 and a02 are built in on purpose and
documented in ``datasets/beratung-faelle/README.md``: special categories under Art. 9 GDPR (a health flag, and a
religion field the old intake form asked until the end of 2023), a free-text note that sometimes holds a first name,
a phone number or a health detail, and quasi-identifiers rare enough that some people are unique in the table.
"""

from __future__ import annotations

import random
import string
from datetime import date, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_date, seeded, write_csv

DATASET_ID = "beratung-faelle"
SEED = 40711
CSV_NAME = "faelle_export_2025-07-01.csv"
N_CASES = 2000
PERIOD_START = date(2023, 1, 2)
PERIOD_END = date(2025, 6, 30)
OLD_FORM_UNTIL = date(2023, 12, 31)  # the old intake form asked for religion; the current one does not

HEADER = (
    "fall_id", "erstkontakt", "abschluss", "geburtsjahr", "altersgruppe", "geschlecht", "herkunftsland",
    "staatsangehoerigkeit", "aufenthaltsstatus", "bezirk", "plz", "beratungssprache", "dolmetschung", "thema",
    "anzahl_termine", "dauer_min", "ergebnis", "berater_in", "gesundheit_einschraenkung", "religion", "notiz",
)

# district -> (share of cases, fictional postcodes, counsellors who work there)
DISTRICTS = {
    "Altstadt": (0.12, ("48101", "48103"), ("B01", "B02")),
    "Hafen": (0.22, ("48117", "48118", "48119"), ("B02", "B03", "B04")),
    "Nordviertel": (0.2, ("48125", "48127"), ("B04", "B05")),
    "Ostpark": (0.16, ("48131", "48133"), ("B05", "B06")),
    "Südstadt": (0.14, ("48141", "48143", "48145"), ("B07", "B08")),
    "Westend": (0.1, ("48151", "48153"), ("B08", "B09")),
    "Auenfeld": (0.06, ("48161",), ("B09",)),
}

# country of origin -> (weight, nationality adjective, languages, typical residence status)
COUNTRIES = {
    "Syrien": (20, "syrisch", ("Arabisch", "Kurdisch"), "Aufenthaltserlaubnis"),
    "Ukraine": (19, "ukrainisch", ("Ukrainisch", "Russisch"), "Aufenthaltserlaubnis §24"),
    "Türkei": (11, "türkisch", ("Türkisch", "Kurdisch"), "Niederlassungserlaubnis"),
    "Afghanistan": (8, "afghanisch", ("Dari", "Paschtu"), "Aufenthaltsgestattung"),
    "Rumänien": (7, "rumänisch", ("Rumänisch",), "EU-Freizügigkeit"),
    "Irak": (6, "irakisch", ("Arabisch", "Kurdisch"), "Aufenthaltserlaubnis"),
    "Bulgarien": (5, "bulgarisch", ("Bulgarisch", "Türkisch"), "EU-Freizügigkeit"),
    "Polen": (4, "polnisch", ("Polnisch",), "EU-Freizügigkeit"),
    "Iran": (3, "iranisch", ("Farsi",), "Aufenthaltsgestattung"),
    "Eritrea": (3, "eritreisch", ("Tigrinya",), "Aufenthaltserlaubnis"),
    "Russische Föderation": (2, "russisch", ("Russisch",), "Aufenthaltserlaubnis"),
    "Kosovo": (2, "kosovarisch", ("Albanisch",), "Aufenthaltserlaubnis"),
    "Nigeria": (1.5, "nigerianisch", ("Englisch",), "Duldung"),
    "Somalia": (1.2, "somalisch", ("Somali",), "Aufenthaltsgestattung"),
    "Marokko": (1, "marokkanisch", ("Arabisch", "Französisch"), "Aufenthaltserlaubnis"),
    "Griechenland": (1, "griechisch", ("Griechisch",), "EU-Freizügigkeit"),
    "Vietnam": (0.8, "vietnamesisch", ("Vietnamesisch",), "Niederlassungserlaubnis"),
    "Georgien": (0.6, "georgisch", ("Georgisch", "Russisch"), "Duldung"),
    "Pakistan": (0.5, "pakistanisch", ("Urdu", "Englisch"), "Aufenthaltsgestattung"),
    "Ghana": (0.4, "ghanaisch", ("Englisch",), "Duldung"),
    "Venezuela": (0.3, "venezolanisch", ("Spanisch",), "Aufenthaltsgestattung"),
    "Sri Lanka": (0.25, "sri-lankisch", ("Tamil",), "Niederlassungserlaubnis"),
    "Mongolei": (0.2, "mongolisch", ("Mongolisch",), "Aufenthaltserlaubnis"),
    "Peru": (0.15, "peruanisch", ("Spanisch",), "Aufenthaltserlaubnis"),
    "Kamerun": (0.15, "kamerunisch", ("Französisch",), "Aufenthaltserlaubnis"),
}

AGE_BANDS = ((18, 24, "18-24"), (25, 34, "25-34"), (35, 44, "35-44"), (45, 54, "45-54"), (55, 64, "55-64"),
             (65, 90, "65+"))
GENDERS = (("weiblich", 52), ("männlich", 45.5), ("divers", 0.7), ("keine Angabe", 1.8))
TOPICS = ("Aufenthalt", "Arbeit", "Wohnen", "Sozialleistungen", "Familie", "Gesundheit", "Sprache und Bildung",
          "Schulden")
# residence status -> topic weights (same order as TOPICS)
TOPIC_WEIGHTS = {
    "EU-Freizügigkeit": (3, 30, 20, 18, 4, 14, 5, 6),
    "Aufenthaltserlaubnis §24": (22, 22, 14, 18, 5, 6, 12, 1),
    "Aufenthaltsgestattung": (40, 6, 14, 10, 14, 8, 7, 1),
    "Duldung": (55, 8, 10, 8, 9, 6, 3, 1),
}
DEFAULT_TOPIC_WEIGHTS = (20, 18, 16, 14, 12, 6, 8, 6)
RELIGIONS = ("muslimisch", "christlich", "jesidisch", "ohne Religion", "keine Angabe")
RELIGION_WEIGHTS = {
    "Syrien": (70, 8, 6, 4, 12), "Irak": (55, 10, 20, 3, 12), "Ukraine": (1, 62, 0, 22, 15),
    "Rumänien": (1, 80, 0, 6, 13), "Polen": (0, 82, 0, 8, 10), "Eritrea": (25, 65, 0, 1, 9),
}
DEFAULT_RELIGION_WEIGHTS = (45, 25, 0, 12, 18)

NOTES_PLAIN = (
    "Unterlagen Jobcenter geprüft, fehlende Kontoauszüge nachreichen.", "Antrag auf Wohngeld gestellt.",
    "Termin bei der Ausländerbehörde vorbereitet.", "Mietvertrag erklärt, Nebenkosten unklar.",
    "Anmeldung Integrationskurs erledigt.", "Schreiben der Familienkasse übersetzt.",
    "Weiterleitung an Schuldnerberatung.", "Widerspruch gegen Bescheid formuliert.",
    "Kita-Platz beantragt, Rückmeldung abwarten.", "Anerkennung Berufsabschluss: Unterlagen kopiert.",
    "Kontoeröffnung begleitet.", "Klärung Krankenversicherung läuft.", "Bewerbung zusammen geschrieben.",
    "kam ohne Termin, kurz beraten", "Wartet auf Post vom Amt.", "Dolmetscherin für nächsten Termin buchen.",
)
# (template, whether the person named is female)
NOTES_NAME = (
    ("Tochter {name} übersetzt beim Termin.", True), ("Rückruf über Sohn {name}.", False),
    ("Nachbarin {name} begleitet.", True), ("Ehemann {name} kommt zum nächsten Termin mit.", False),
    ("Schwester {name} hat dieselbe Frage.", True),
)
NOTES_PHONE = ("Rückruf erbeten: {phone}", "neue Handynummer {phone}", "erreichbar nur nachmittags unter {phone}")
NOTES_HEALTH = (
    "Diabetes, Termine bitte vormittags.", "psychisch stark belastet, an PSZ verwiesen.",
    "Rollstuhl – Termin nur im Erdgeschoss.", "schwanger, Entbindung im Herbst.", "nach OP in Reha.",
    "Depression, Hausärztin informiert.",
)
# Bundesnetzagentur keeps these blocks free for film and TV: they never belong to anyone
PHONE_BLOCKS = (("030", "23125"), ("040", "66969"), ("069", "90009"), ("0221", "4710"), ("089", "99998"))


def generate(out_dir: Path) -> None:
    rng, fake = seeded(SEED)
    ids = _pseudonyms(rng, N_CASES)
    cases = sorted((_case(rng, fake) for _ in range(N_CASES)), key=lambda c: c["erstkontakt"])
    rows = []
    for case_id, case in zip(ids, cases):
        case["fall_id"] = case_id
        case["erstkontakt"] = german_date(case["erstkontakt"])
        case["abschluss"] = german_date(case["abschluss"])
        rows.append([case[column] for column in HEADER])
    write_csv(out_dir / CSV_NAME, HEADER, rows)


def _pseudonyms(rng: random.Random, count: int) -> list[str]:
    alphabet = "".join(c for c in string.ascii_uppercase + string.digits if c not in "0O1I")
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < count:
        code = "P-" + "".join(rng.choice(alphabet) for _ in range(6))
        if code not in seen:
            seen.add(code)
            found.append(code)
    return found


def _pick(rng: random.Random, table: dict):
    """A key of ``table`` drawn with the weight in the first element of its value."""
    keys = list(table)
    return rng.choices(keys, [table[k][0] for k in keys])[0]


def _case(rng: random.Random, fake) -> dict:
    start = PERIOD_START + timedelta(days=rng.randint(0, (PERIOD_END - PERIOD_START).days))
    country = _pick(rng, COUNTRIES)
    _, nationality, languages, status = COUNTRIES[country]
    district = _pick(rng, DISTRICTS)
    _, postcodes, counsellors = DISTRICTS[district]
    age = min(88, max(18, round(rng.triangular(18, 80, 33))))
    band = next(label for low, high, label in AGE_BANDS if low <= age <= high)
    gender = rng.choices([g for g, _ in GENDERS], [w for _, w in GENDERS])[0]
    nationality, status = _citizenship(rng, nationality, status)
    # the first language listed is the most common one
    language = "Deutsch" if rng.random() < 0.18 else rng.choices(languages, [3] + [1] * (len(languages) - 1))[0]
    interpreter = "ja" if language != "Deutsch" and rng.random() < 0.35 else "nein"
    topic = rng.choices(TOPICS, TOPIC_WEIGHTS.get(status, DEFAULT_TOPIC_WEIGHTS))[0]
    sessions = min(25, 1 + int(rng.expovariate(1 / 2.6)))
    end, outcome = _outcome(rng, start, sessions)
    health = rng.choices(("nein", "ja", "keine Angabe"), (74, 14, 12))[0]
    if topic == "Gesundheit":
        health = "ja" if rng.random() < 0.6 else health
    religion = None
    if start <= OLD_FORM_UNTIL:
        religion = rng.choices(RELIGIONS, RELIGION_WEIGHTS.get(country, DEFAULT_RELIGION_WEIGHTS))[0]
    return {
        "erstkontakt": start, "abschluss": end, "geburtsjahr": start.year - age, "altersgruppe": band,
        "geschlecht": gender, "herkunftsland": country, "staatsangehoerigkeit": nationality,
        "aufenthaltsstatus": status, "bezirk": district, "plz": rng.choice(postcodes),
        "beratungssprache": language, "dolmetschung": interpreter,
        "thema": topic, "anzahl_termine": sessions,
        "dauer_min": sum(rng.choice((20, 30, 45, 45, 60, 60, 90)) for _ in range(sessions)),
        "ergebnis": outcome, "berater_in": rng.choice(counsellors), "gesundheit_einschraenkung": health,
        "religion": religion, "notiz": _note(rng, fake, health),
    }


def _citizenship(rng: random.Random, nationality: str, status: str) -> tuple[str, str]:
    draw = rng.random()
    if status != "EU-Freizügigkeit" and draw < 0.07:
        return "deutsch", "Deutsche Staatsangehörigkeit"
    if nationality == "syrisch" and draw < 0.11:
        return "staatenlos", status
    if draw > 0.97:
        return nationality, "Fiktionsbescheinigung"
    return nationality, status


def _outcome(rng: random.Random, start: date, sessions: int) -> tuple[date | None, str]:
    end = start + timedelta(days=sessions * rng.randint(5, 30) + rng.randint(0, 20))
    if end > PERIOD_END:
        return None, "offen"
    outcome = rng.choices(("gelöst", "teilweise gelöst", "weitervermittelt", "abgebrochen"), (45, 25, 18, 12))[0]
    return end, outcome


def _note(rng: random.Random, fake, health: str) -> str | None:
    draw = rng.random()
    if draw < 0.045:
        template, female = rng.choice(NOTES_NAME)
        return template.format(name=fake.first_name_female() if female else fake.first_name_male())
    if draw < 0.08:
        return rng.choice(NOTES_PHONE).format(phone=_phone(rng))
    if draw < 0.2 and health == "ja":
        return rng.choice(NOTES_HEALTH)
    if draw < 0.36:
        return rng.choice(NOTES_PLAIN)
    return None


def _phone(rng: random.Random) -> str:
    area, block = rng.choice(PHONE_BLOCKS)
    line = f"{rng.randint(0, 999):03d}"
    style = rng.randrange(3)
    if style == 0:
        return f"{area} {block}{line}"
    if style == 1:
        return f"{area}/{block} {line}"
    return f"+49 {area[1:]} {block}{line}"
