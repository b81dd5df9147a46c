"""Client-satisfaction survey of a fictional migration counselling service, exported from LimeSurvey.

The export imitates LimeSurvey's CSV writer with the options "Antwortcodes" and "Fragecode" headings: ``;`` as
separator, UTF-8 with BOM, CRLF, every value quoted, dates as ``dd.mm.yy HH:MM``, numeric answers with a decimal
comma. The mess learners meet in b02/b03 (test responses, partial completes, "keine Angabe" codes, free text in four
languages, a skewed waiting time) is made here on purpose and documented in ``datasets/umfrage-beratung/README.md``.
``standorte.xlsx`` is the association's list of counselling locations, with a title row above the header.
"""

from __future__ import annotations

import math
import random
from datetime import datetime, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_date, german_number, seeded, write_csv, write_xlsx

DATASET_ID = "umfrage-beratung"
SEED = 248135
SURVEY_ID = 248135
CSV_NAME = f"results-survey{SURVEY_ID}.csv"
XLSX_NAME = "standorte.xlsx"
DATE_FORMAT = "%d.%m.%y %H:%M"

N_RESPONSES = 600  # rows in the export, the two test responses included
LAST_PAGE = 3  # one page per question group
FIELD_START = datetime(2026, 3, 2, 8, 0)
FIELD_DAYS = 60
TEST_STARTS = (datetime(2026, 2, 25, 14, 7), datetime(2026, 2, 26, 9, 41))
TEST_TEXTS = ("test", "Test bitte löschen")

# (code, name, city, district, opening hours per week, share of responses, waiting-time factor)
LOCATIONS = (
    ("AO01", "Beratungsstelle Duisburg-Marxloh", "Duisburg", "Marxloh", 30.0, 0.24, 1.0),
    ("AO02", "Beratungsstelle Essen-Altendorf", "Essen", "Altendorf", 35.0, 0.26, 0.8),
    ("AO03", "Beratungsstelle Gelsenkirchen-Ückendorf", "Gelsenkirchen", "Ückendorf", 19.5, 0.14, 1.3),
    ("AO04", "Beratungsstelle Dortmund-Nordstadt", "Dortmund", "Nordstadt", 38.5, 0.22, 1.6),
    ("AO05", "Beratungsstelle Köln-Kalk", "Köln", "Kalk", 25.0, 0.14, 0.9),
)

# startlanguage -> (share, shift of the latent "Verständlichkeit" score)
LANGUAGES = {"de": (0.55, 0.0), "ar": (0.16, -1.0), "uk": (0.15, -0.9), "en": (0.07, -0.1), "tr": (0.07, -0.2)}

CHANNELS = ("AO01", "AO02", "AO03", "AO04", "AO05", "-oth-")
CHANNEL_WEIGHTS = (0.34, 0.22, 0.16, 0.12, 0.08, 0.08)
CHANNEL_OTHER = ("Nachbarin", "Moschee", "Kirchengemeinde", "Hausärztin", "Schule meiner Kinder",
                 "Telegram-Gruppe", "Jobcenter", "über die Tafel")

# satisfaction items SQ001..SQ005: base latent score (1..5 scale)
ITEM_BASE = (3.3, 4.3, 4.0, 3.8, 3.6)
KEINE_ANGABE = "AO06"

# topics SQ001..SQ006: base probability, plus extra probability by startlanguage
TOPIC_BASE = (0.35, 0.35, 0.25, 0.2, 0.15, 0.12)
TOPIC_EXTRA = {"uk": (0.25, 0.1, 0.15, 0.1, 0.0, 0.1), "ar": (0.1, 0.0, 0.05, 0.05, 0.25, 0.05)}
TOPIC_OTHER = ("Kindergeld", "Schulden", "Krankenversicherung", "Führerschein", "Einbürgerung", "Rente",
               "Kita-Platz")

GENDERS = ("AO01", "AO02", "AO03", "AO04")
GENDER_WEIGHTS = (0.52, 0.41, 0.02, 0.05)

FREE_TEXT = {
    "de": (
        "Mehr Termine am Nachmittag wären schön.",
        "Alles super, danke! 😊",
        "Die Wartezeit war viel zu lang.",
        "Bitte einfachere Sprache in den Briefen.",
        "Die Beraterin war sehr geduldig 👍",
        "Öffnungszeiten auch am Samstag",
        "Dolmetscher*innen für Arabisch fehlen oft.",
        "Nichts, alles gut.",
        "Kinderbetreuung während der Beratung wäre toll.",
        "Größere Räume, es war sehr eng und laut.",
        "Ich habe mich gut aufgehoben gefühlt ❤️",
        "Schneller auf E-Mails antworten; manchmal hat es zwei Wochen gedauert.",
        "Termine online buchen können.\nUnd eine Erinnerung per SMS.",
        "Die Formulare vorher erklären, ich habe vieles nicht verstanden.",
        "Telefonisch war niemand erreichbar.",
        "-",
        "weiß nicht",
        "Mehr Beratung auf Ukrainisch und Arabisch.",
        "Danke für Ihre Hilfe bei der Wohnungssuche!",
        "Man muss zu lange im Flur warten 😕",
    ),
    "en": (
        "More appointments in English, please.",
        "Very helpful staff, thank you!",
        "The waiting time was too long.",
        "Please offer online appointments.",
        "Letters from the office are hard to understand; please explain them.",
    ),
    "ar": (
        "الموظفون كانوا لطفاء جداً، شكراً",
        "أتمنى وجود مترجم في المواعيد",
        "وقت الانتظار طويل جداً",
        "الرسائل من المكتب صعبة الفهم",
        "شكراً على المساعدة 🙏",
    ),
    "uk": (
        "Дякую за допомогу!",
        "Потрібен перекладач українською мовою.",
        "Дуже довго чекала на термін.",
        "Було складно зрозуміти документи.",
        "Більше консультацій онлайн, будь ласка 🙏",
    ),
    "tr": (
        "Çok teşekkürler, çok yardımcı oldunuz.",
        "Türkçe bilgi broşürü olsa iyi olur.",
        "Randevu almak çok zor.",
    ),
}
# startlanguage -> languages the free-text answer is written in, with weights
ANSWER_LANGUAGES = {
    "de": (("de",), (1.0,)),
    "en": (("en", "de"), (0.8, 0.2)),
    "ar": (("ar", "de", "en"), (0.5, 0.4, 0.1)),
    "uk": (("uk", "de", "en"), (0.5, 0.35, 0.15)),
    "tr": (("tr", "de"), (0.5, 0.5)),
}

HEADER = (
    ["id", "submitdate", "lastpage", "startlanguage", "seed", "startdate", "datestamp",
     "G01Q01", "G01Q02", "G01Q02[other]"]
    + [f"G01Q03[SQ00{i}]" for i in range(1, 6)]
    + [f"G02Q04[SQ00{i}]" for i in range(1, 7)]
    + ["G02Q04[other]", "G02Q05", "G02Q06", "G03Q07", "G03Q08", "G03Q09", "G03Q10"]
)
# the columns each page (question group) writes; a partial complete has only the pages up to `lastpage`
PAGE_COLUMNS = {
    1: HEADER[HEADER.index("G01Q01"):HEADER.index("G02Q04[SQ001]")],
    2: HEADER[HEADER.index("G02Q04[SQ001]"):HEADER.index("G03Q07")],
    3: HEADER[HEADER.index("G03Q07"):],
}


def generate(out_dir: Path) -> None:
    rng, _fake = seeded(SEED)
    rows = [_test_response(rng, start, text) for start, text in zip(TEST_STARTS, TEST_TEXTS)]
    starts = sorted(_field_start(rng) for _ in range(N_RESPONSES - len(rows)))
    rows += [_response(rng, start) for start in starts]
    for number, row in enumerate(rows, start=1):
        row["id"] = number
    write_csv(out_dir / CSV_NAME, HEADER, ([row.get(col) for col in HEADER] for row in rows),
              bom=True, quote_all=True)
    _write_locations(out_dir / XLSX_NAME)


def _pick(rng: random.Random, values, weights):
    return rng.choices(values, weights=weights)[0]


def _field_start(rng: random.Random) -> datetime:
    # more responses in the first weeks after the invitation, mostly during the day
    day = min(int(rng.expovariate(1 / 22)), FIELD_DAYS - 1)
    hour = _pick(rng, range(8, 22), (3, 5, 6, 6, 4, 5, 6, 5, 4, 3, 3, 3, 2, 1))
    return FIELD_START.replace(hour=hour) + timedelta(days=day, minutes=rng.randrange(60))


def _timestamps(rng: random.Random, start: datetime, complete: bool) -> dict:
    last = start + timedelta(minutes=rng.randint(2, 18))
    return {
        "startdate": german_date(start, DATE_FORMAT),
        "datestamp": german_date(last, DATE_FORMAT),
        "submitdate": german_date(last, DATE_FORMAT) if complete else None,
    }


def _km(value: float) -> str:
    """LimeSurvey drops trailing zeros: 12.5 -> '12,5', 3.0 -> '3'."""
    text = german_number(value, 1)
    return text[:-2] if text.endswith(",0") else text


def _likert(latent: float) -> str:
    return f"AO0{min(5, max(1, round(latent)))}"


def _response(rng: random.Random, start: datetime) -> dict:
    language = _pick(rng, list(LANGUAGES), [share for share, _ in LANGUAGES.values()])
    location = _pick(rng, LOCATIONS, [loc[5] for loc in LOCATIONS])
    roll = rng.random()
    lastpage = 1 if roll < 0.06 else 2 if roll < 0.11 else LAST_PAGE
    row = {"lastpage": lastpage, "startlanguage": language, "seed": rng.randint(10**8, 2**31 - 1),
           **_timestamps(rng, start, complete=lastpage == LAST_PAGE)}

    # page 1: location, channel, satisfaction matrix
    row["G01Q01"] = location[0]
    row["G01Q02"] = _pick(rng, CHANNELS, CHANNEL_WEIGHTS)
    if row["G01Q02"] == "-oth-":
        row["G01Q02[other]"] = rng.choice(CHANNEL_OTHER)
    waiting = min(240, round(math.exp(rng.gauss(math.log(8), 0.7)) * location[6]))
    if rng.random() < 0.012:
        waiting = rng.randint(90, 200)  # a few people waited months
    person = rng.gauss(0, 0.5)
    shifts = (-0.03 * (waiting - 10), 0.0, LANGUAGES[language][1], 0.0, 0.0)
    for number, (base, shift) in enumerate(zip(ITEM_BASE, shifts), start=1):
        roll = rng.random()
        if roll < 0.04:
            answer = KEINE_ANGABE
        elif roll < 0.06:
            answer = None  # skipped
        else:
            answer = _likert(base + person + max(shift, -1.5) + rng.gauss(0, 0.7))
        row[f"G01Q03[SQ00{number}]"] = answer

    # page 2: topics, waiting days, distance
    extra = TOPIC_EXTRA.get(language, (0.0,) * 6)
    for number, (base, more) in enumerate(zip(TOPIC_BASE, extra), start=1):
        row[f"G02Q04[SQ00{number}]"] = "Y" if rng.random() < base + more else None
    if rng.random() < 0.06:
        row["G02Q04[other]"] = rng.choice(TOPIC_OTHER)
    row["G02Q05"] = waiting if rng.random() > 0.05 else None
    row["G02Q06"] = _km(min(80.0, math.exp(rng.gauss(math.log(4), 0.8)))) if rng.random() > 0.08 else None

    # page 3: gender, age, recommendation, free text
    row["G03Q07"] = _pick(rng, GENDERS, GENDER_WEIGHTS)
    row["G03Q08"] = min(79, max(18, round(rng.gauss(37, 11)))) if rng.random() > 0.09 else None
    liked = person + rng.gauss(0, 0.5)
    row["G03Q09"] = "AO03" if rng.random() < 0.06 else "AO01" if liked > -0.6 else "AO02"
    if rng.random() < 0.45:
        languages, weights = ANSWER_LANGUAGES[language]
        row["G03Q10"] = rng.choice(FREE_TEXT[_pick(rng, languages, weights)])

    for page in range(lastpage + 1, LAST_PAGE + 1):
        for column in PAGE_COLUMNS[page]:
            row[column] = None
    return row


def _test_response(rng: random.Random, start: datetime, text: str) -> dict:
    """Staff clicking through the survey before the field period: everything answered, nothing varied."""
    row = {"lastpage": LAST_PAGE, "startlanguage": "de", "seed": rng.randint(10**8, 2**31 - 1),
           **_timestamps(rng, start, complete=True),
           "G01Q01": "AO01", "G01Q02": "AO01", "G02Q05": 1, "G02Q06": "1", "G03Q07": "AO04", "G03Q09": "AO01",
           "G03Q10": text}
    row.update({f"G01Q03[SQ00{i}]": "AO05" for i in range(1, 6)})
    row.update({f"G02Q04[SQ00{i}]": "Y" for i in range(1, 7)})
    return row


def _write_locations(path: Path) -> None:
    """The locations list as the office keeps it: a title, an empty row, then the table (needs ``skiprows=2``)."""
    rows = [["Beratungsnetz Rhein-Ruhr e. V. – Standorte der Migrationsberatung (Stand: 01.03.2026)"], [],
            ["Code", "Standort", "Stadt", "Stadtteil", "Öffnungsstunden pro Woche"]]
    rows += [[code, name, city, district, hours] for code, name, city, district, hours, _share, _factor in LOCATIONS]
    write_xlsx(path, {"Standorte": rows}, creator="Beratungsnetz Rhein-Ruhr e. V.", stamp=datetime(2026, 3, 1, 9, 0))
