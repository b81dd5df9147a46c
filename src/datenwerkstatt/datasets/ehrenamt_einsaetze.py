"""Shift log of a fictional neighbourhood-help association, exported from a shift scheduling tool (2023-2025).

Two files in the German export style of such tools: ``;`` as separator, UTF-8 without BOM, CRLF, dates as
``dd.mm.yyyy``, times as ``HH:MM``, hours with a decimal comma.

The simulation is demand-driven: every opening slot (location, activity, weekday, time) asks for a number of
volunteers; volunteers who are active that day fill the seats. Volunteers are recruited each month where the pool is
too small; almost half of the recruits leave within a few months (churn). The stories learners find in b01/i04:
churn and cohort retention, summer-holiday and Christmas dips, the food distribution at "Südpark" whose demand rises
every year, and early-morning shifts with more no-shows. The deliberate mess (end before start, a double-exported
week, ids of deleted profiles, missing end times) is documented in ``datasets/ehrenamt-einsaetze/README.md``.
"""

from __future__ import annotations

import math
import random
import unicodedata
from datetime import date, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_date, german_number, seeded, write_csv

DATASET_ID = "ehrenamt-einsaetze"
SEED = 4711
START = date(2023, 1, 1)
END = date(2025, 12, 31)

VOLUNTEERS_CSV = "ehrenamtliche.csv"
SHIFTS_CSV = "einsaetze.csv"
VOLUNTEER_HEADER = ("person_id", "vorname", "nachname", "email", "eintritt", "geburtsjahr", "sprachen",
                    "faehigkeiten", "status", "austritt")
SHIFT_HEADER = ("einsatz_id", "person_id", "datum", "beginn", "ende", "standort", "taetigkeit", "stunden_geplant",
                "erschienen", "kurzfristig_abgesagt", "kommentar")

LMA, HAH, KK, BD, VA = ("Lebensmittelausgabe", "Hausaufgabenhilfe", "Kleiderkammer", "Besuchsdienst",
                        "Veranstaltung")
ACTIVITIES = (LMA, HAH, KK, BD)

# (location, activity, weekdays (0 = Monday), start, end, seats, valid from, valid to)
SLOTS = (
    ("Lindenhof", LMA, (1, 4), "07:00", "09:30", 3, START, END),
    ("Lindenhof", LMA, (1, 4), "10:00", "13:00", 6, START, END),
    # Südpark: the rising location (one day a week in 2023, two from April 2024, three from March 2025)
    ("Südpark", LMA, (3,), "07:30", "09:30", 2, START, date(2024, 3, 31)),
    ("Südpark", LMA, (3,), "10:00", "13:00", 3, START, date(2024, 3, 31)),
    ("Südpark", LMA, (1, 3), "07:30", "09:30", 2, date(2024, 4, 1), date(2025, 2, 28)),
    ("Südpark", LMA, (1, 3), "10:00", "13:00", 4, date(2024, 4, 1), date(2025, 2, 28)),
    ("Südpark", LMA, (1, 3, 5), "07:30", "09:30", 3, date(2025, 3, 1), END),
    ("Südpark", LMA, (1, 3, 5), "10:00", "13:00", 5, date(2025, 3, 1), END),
    ("Marktstraße", HAH, (0, 1, 2, 3), "14:30", "16:30", 5, START, END),
    ("Am Wasserturm", KK, (2,), "08:00", "10:00", 2, START, END),
    ("Am Wasserturm", KK, (2,), "15:00", "18:00", 2, START, END),
    ("Am Wasserturm", KK, (5,), "10:00", "13:00", 3, START, END),
    ("Lindenhof", BD, (0, 2, 4), "15:00", "17:00", 2, START, END),
    ("Lindenhof", BD, (1,), "10:00", "11:30", 2, START, END),
)
# one-off events: (date, location, start, end, seats); the Christmas party ends after midnight
EVENTS = (
    (date(2023, 6, 17), "Lindenhof", "14:00", "19:00", 5),
    (date(2023, 12, 16), "Lindenhof", "19:00", "01:00", 4),
    (date(2024, 6, 15), "Lindenhof", "14:00", "19:00", 5),
    (date(2024, 12, 14), "Lindenhof", "19:00", "01:00", 4),
    (date(2025, 6, 14), "Lindenhof", "14:00", "19:00", 5),
    (date(2025, 12, 13), "Lindenhof", "19:00", "01:00", 4),
)

PUBLIC_HOLIDAYS = frozenset({
    date(2023, 1, 1), date(2023, 4, 7), date(2023, 4, 10), date(2023, 5, 1), date(2023, 5, 18), date(2023, 5, 29),
    date(2023, 10, 3), date(2023, 10, 31), date(2023, 12, 25), date(2023, 12, 26),
    date(2024, 1, 1), date(2024, 3, 29), date(2024, 4, 1), date(2024, 5, 1), date(2024, 5, 9), date(2024, 5, 20),
    date(2024, 10, 3), date(2024, 10, 31), date(2024, 12, 25), date(2024, 12, 26),
    date(2025, 1, 1), date(2025, 4, 18), date(2025, 4, 21), date(2025, 5, 1), date(2025, 5, 29), date(2025, 6, 9),
    date(2025, 10, 3), date(2025, 10, 31), date(2025, 12, 25), date(2025, 12, 26),
})
SCHOOL_HOLIDAYS = (
    (date(2022, 12, 22), date(2023, 1, 2)),
    (date(2023, 2, 13), date(2023, 2, 24)), (date(2023, 4, 7), date(2023, 4, 15)),
    (date(2023, 10, 16), date(2023, 10, 28)), (date(2023, 12, 23), date(2024, 1, 2)),
    (date(2024, 2, 12), date(2024, 2, 23)), (date(2024, 3, 28), date(2024, 4, 5)),
    (date(2024, 10, 7), date(2024, 10, 18)), (date(2024, 12, 23), date(2025, 1, 3)),
    (date(2025, 2, 17), date(2025, 2, 28)), (date(2025, 4, 18), date(2025, 4, 25)),
    (date(2025, 10, 6), date(2025, 10, 18)), (date(2025, 12, 22), date(2026, 1, 2)),
)
SUMMER_HOLIDAYS = (
    (date(2023, 7, 10), date(2023, 8, 18)),
    (date(2024, 6, 20), date(2024, 8, 2)),
    (date(2025, 6, 28), date(2025, 8, 8)),
)
SUMMER_FILL = 0.6  # share of seats filled while many volunteers travel
CHRISTMAS_BREAK = ((12, 24), (1, 1))  # everything but the visiting service closes
CHRISTMAS_VISIT_FILL = 0.5

# probability of "nein" (cancelled) and, among those, of a late cancellation; no-show by start hour
P_CANCEL = 0.07
P_LATE = 0.4
NO_SHOW_EARLY, NO_SHOW_LATE_MORNING, NO_SHOW_AFTERNOON = 0.11, 0.04, 0.03
NO_SHOW_NEWCOMER_EXTRA = 0.03  # first 60 days after joining

N_FOUNDERS = 85
SHORT_SHARE = 0.55  # recruits who stop within a few months
POOL_FACTOR = 1.5  # active volunteers per weekly seat that the association aims for

# deliberate mess (counts are documented in the README and checked by the tests)
N_DELETED_PROFILES = 4
N_END_TYPOS = 7
N_MISSING_END = 38
DOUBLE_EXPORT_WEEK = (date(2024, 11, 11), date(2024, 11, 17))

LANGUAGES = (("Englisch", 0.45), ("Russisch", 0.08), ("Arabisch", 0.08), ("Türkisch", 0.07), ("Ukrainisch", 0.06),
             ("Französisch", 0.06), ("Farsi", 0.04), ("Polnisch", 0.03))
SKILLS = {
    LMA: (("Hygieneschulung", 0.6), ("Führerschein", 0.4), ("Staplerschein", 0.05)),
    HAH: (("Nachhilfe Mathe", 0.5), ("Nachhilfe Deutsch", 0.5), ("Nachhilfe Englisch", 0.3)),
    KK: (("Nähen", 0.35), ("Führerschein", 0.3)),
    BD: (("Erste Hilfe", 0.4), ("Führerschein", 0.35), ("Gesprächsführung", 0.2)),
}
COMMENTS_DONE = ("getauscht", "kam 15 Min. später", "früher gegangen", "neue Person eingearbeitet",
                 "sehr voll heute", "Kühlschrank defekt, Hausmeister informiert", "hat Spaß gemacht 🙂",
                 "Ware kam zu spät", "Schlüssel liegt im Büro", "2 neue Familien")
COMMENTS_CANCELLED = ("krank", "Kind krank", "Arzttermin", "Urlaub", "Zug ausgefallen 🙄", "Termin verschoben",
                      "familiärer Notfall", "hat abgesagt per WhatsApp")
COMMENTS_NO_SHOW = ("nicht erreichbar", "hat Schicht vergessen", "ohne Abmeldung gefehlt")


def generate(out_dir: Path) -> None:
    rng, fake = seeded(SEED)
    volunteers = _founders(rng)
    shifts = []
    next_month = START
    for day in _days(START, END):
        if day == next_month:
            _recruit(rng, volunteers, day)
            next_month = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
        shifts.extend(_fill_day(rng, volunteers, day))
    _add_personal_data(rng, fake, volunteers)
    deleted = _pick_deleted(rng, volunteers, shifts)
    rows = _shift_rows(rng, shifts)
    rows = _add_shift_mess(rng, rows)
    write_csv(out_dir / SHIFTS_CSV, SHIFT_HEADER, rows)
    write_csv(out_dir / VOLUNTEERS_CSV, VOLUNTEER_HEADER,
              (_volunteer_row(v) for v in volunteers if v["id"] not in deleted))


# --- simulation ----------------------------------------------------------------------------------------------


def _days(first: date, last: date):
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _in(day: date, periods) -> bool:
    return any(lo <= day <= hi for lo, hi in periods)


def _weekly_seats(day: date) -> dict[str, int]:
    seats = {activity: 0 for activity in ACTIVITIES}
    for _, activity, weekdays, _, _, n, lo, hi in SLOTS:
        if lo <= day <= hi:
            seats[activity] += n * len(weekdays)
    return seats


def _new_volunteer(rng: random.Random, vid: int, joined: date, activity: str, tenure_days: float) -> dict:
    activities = [activity]
    if rng.random() < 0.2:
        activities.append(rng.choice([a for a in ACTIVITIES if a != activity]))
    leave = joined + timedelta(days=int(tenure_days))
    volunteer = {"id": vid, "joined": joined, "activities": tuple(activities), "rate": rng.uniform(0.3, 1.3),
                 "leave": leave if leave <= END else None, "pause": None}
    roll = rng.random()
    if volunteer["leave"] is None and roll < 0.08:  # paused at the time of the export
        volunteer["pause"] = (END - timedelta(days=rng.randint(20, 150)), END + timedelta(days=90))
    elif volunteer["leave"] is None and roll < 0.16:  # a pause in the past (parental leave, studies abroad)
        begin = max(joined, START) + timedelta(days=rng.randint(30, 800))
        volunteer["pause"] = (begin, begin + timedelta(days=rng.randint(60, 150)))
    return volunteer


def _founders(rng: random.Random) -> list[dict]:
    seats = _weekly_seats(START)
    weights = [seats[a] for a in ACTIVITIES]
    founders = []
    for i in range(N_FOUNDERS):
        joined = date(2014, 1, 1) + timedelta(days=rng.randint(0, 3285))
        activity = rng.choices(ACTIVITIES, weights)[0]
        remaining = rng.expovariate(1 / 240) if rng.random() < 0.2 else rng.expovariate(1 / 1200)
        founder = _new_volunteer(rng, 1001 + i, joined, activity, (START - joined).days + remaining)
        founders.append(founder)
    return founders


def _available(volunteer: dict, day: date) -> bool:
    if volunteer["joined"] > day or (volunteer["leave"] is not None and day > volunteer["leave"]):
        return False
    pause = volunteer["pause"]
    return pause is None or not pause[0] <= day <= pause[1]


def _recruit(rng: random.Random, volunteers: list[dict], month_start: date) -> None:
    mid = month_start.replace(day=15)
    for activity, seats in _weekly_seats(mid).items():
        active = sum(1 for v in volunteers if activity in v["activities"] and _available(v, mid))
        wanted = max(0, math.ceil(seats * POOL_FACTOR) - active) + rng.randint(0, 1)
        for _ in range(wanted):
            joined = month_start + timedelta(days=rng.randint(0, 27))
            short = rng.random() < SHORT_SHARE
            tenure = 30 + rng.expovariate(1 / 80) if short else 120 + rng.expovariate(1 / 1000)
            volunteers.append(_new_volunteer(rng, 1001 + len(volunteers), joined, activity, tenure))


def _open_share(day: date, activity: str) -> float:
    """Share of a slot's seats that is offered and filled on ``day`` (0 = closed)."""
    if day in PUBLIC_HOLIDAYS:
        return 0.0
    christmas = (day.month, day.day) >= CHRISTMAS_BREAK[0] or (day.month, day.day) <= CHRISTMAS_BREAK[1]
    if christmas:
        return CHRISTMAS_VISIT_FILL if activity == BD else 0.0
    if activity == HAH and (_in(day, SCHOOL_HOLIDAYS) or _in(day, SUMMER_HOLIDAYS)):
        return 0.0
    return SUMMER_FILL if _in(day, SUMMER_HOLIDAYS) else 1.0


def _weighted_sample(rng: random.Random, candidates: list[dict], k: int) -> list[dict]:
    keyed = sorted(candidates, key=lambda v: rng.random() ** (1 / v["rate"]), reverse=True)
    return keyed[:k]


def _fill_day(rng: random.Random, volunteers: list[dict], day: date) -> list[dict]:
    slots = [(loc, act, start, end, seats) for loc, act, weekdays, start, end, seats, lo, hi in SLOTS
             if lo <= day <= hi and day.weekday() in weekdays]
    slots += [(loc, VA, start, end, seats) for when, loc, start, end, seats in EVENTS if when == day]
    present = [v for v in volunteers if _available(v, day)]
    booked: set[int] = set()
    shifts = []
    for location, activity, start, end, seats in slots:
        share = 1.0 if activity == VA else _open_share(day, activity)
        wanted = sum(1 for _ in range(seats) if rng.random() < share)
        pool = [v for v in present if v["id"] not in booked and (activity == VA or activity in v["activities"])]
        for volunteer in _weighted_sample(rng, pool, wanted):
            booked.add(volunteer["id"])
            shifts.append({"person": volunteer, "date": day, "start": start, "end": end, "location": location,
                           "activity": activity})
    return shifts


# --- people ---------------------------------------------------------------------------------------------------


def _ascii(text: str) -> str:
    text = text.lower().replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    return "".join(ch for ch in text.replace(" ", "-") if ch.isalnum() or ch in "-.")


def _birth_year(rng: random.Random, activity: str) -> int | None:
    if rng.random() < 0.04:
        return None
    if activity == HAH and rng.random() < 0.5:
        return rng.randint(1997, 2006)
    if activity == BD:
        return rng.randint(1944, 1968)
    return rng.randint(1950, 2003)


def _add_personal_data(rng: random.Random, fake, volunteers: list[dict]) -> None:
    used: set[str] = set()
    for v in volunteers:
        v["first"], v["last"] = fake.first_name(), fake.last_name()
        local = f"{_ascii(v['first'])}.{_ascii(v['last'])}"
        domain = rng.choices(("example.org", "example.com", "example.net"), (0.6, 0.25, 0.15))[0]
        email = f"{local}@{domain}"
        while email in used:
            email = f"{local}{rng.randint(2, 99)}@{domain}"
        used.add(email)
        v["email"] = email
        v["birth_year"] = _birth_year(rng, v["activities"][0])
        languages = ["Deutsch"] + [name for name, p in LANGUAGES if rng.random() < p]
        v["languages"] = ", ".join(languages)
        skills = []
        for activity in v["activities"]:
            skills += [s for s, p in SKILLS[activity] if rng.random() < p and s not in skills]
        v["skills"] = ", ".join(skills)


def _status(v: dict) -> str:
    if v["leave"] is not None:
        return "ausgetreten"
    pause = v["pause"]
    return "pausiert" if pause is not None and pause[0] <= END <= pause[1] else "aktiv"


def _volunteer_row(v: dict) -> list:
    return [v["id"], v["first"], v["last"], v["email"], german_date(v["joined"]), v["birth_year"], v["languages"],
            v["skills"], _status(v), german_date(v["leave"])]


def _pick_deleted(rng: random.Random, volunteers: list[dict], shifts: list[dict]) -> set[int]:
    """Profiles deleted after leaving (data protection): their shifts stay in the log."""
    counts: dict[int, int] = {}
    for shift in shifts:
        counts[shift["person"]["id"]] = counts.get(shift["person"]["id"], 0) + 1
    candidates = [v["id"] for v in volunteers
                  if v["leave"] is not None and v["leave"].year == 2023 and counts.get(v["id"], 0) >= 5]
    return set(rng.sample(candidates, N_DELETED_PROFILES))


# --- shift rows and mess --------------------------------------------------------------------------------------


def _hours(start: str, end: str) -> float:
    minutes = (int(end[:2]) * 60 + int(end[3:])) - (int(start[:2]) * 60 + int(start[3:]))
    return (minutes % (24 * 60)) / 60


def _no_show_probability(start: str, days_since_joining: int) -> float:
    hour = int(start[:2])
    base = NO_SHOW_EARLY if hour < 9 else NO_SHOW_LATE_MORNING if hour < 12 else NO_SHOW_AFTERNOON
    return base + (NO_SHOW_NEWCOMER_EXTRA if days_since_joining < 60 else 0.0)


def _shift_rows(rng: random.Random, shifts: list[dict]) -> list[list]:
    rows = []
    for number, s in enumerate(shifts):
        roll = rng.random()
        no_show = _no_show_probability(s["start"], (s["date"] - s["person"]["joined"]).days)
        if roll < P_CANCEL:
            attended, late = "nein", "ja" if rng.random() < P_LATE else "nein"
            comment = rng.choice(COMMENTS_CANCELLED) if rng.random() < 0.45 else None
        elif roll < P_CANCEL + no_show:
            attended, late = "no-show", "nein"
            comment = rng.choice(COMMENTS_NO_SHOW) if rng.random() < 0.25 else None
        else:
            attended, late = "ja", "nein"
            comment = rng.choice(COMMENTS_DONE) if rng.random() < 0.03 else None
        rows.append([230001 + number, s["person"]["id"], german_date(s["date"]), s["start"], s["end"],
                     s["location"], s["activity"], german_number(_hours(s["start"], s["end"]), 1), attended, late,
                     comment])
    return rows


def _twelve_hour_slip(end: str) -> str:
    """A typo as it happens in the tool's free-text time field: '13:00' typed as '01:00'."""
    return f"{int(end[:2]) - 12:02d}{end[2:]}"


def _add_shift_mess(rng: random.Random, rows: list[list]) -> list[list]:
    week = {german_date(d) for d in _days(*DOUBLE_EXPORT_WEEK)}
    plain = [i for i, row in enumerate(rows) if row[2] not in week and row[6] != VA]
    afternoon = [i for i in plain if int(rows[i][4][:2]) >= 13]
    typos = rng.sample(afternoon, N_END_TYPOS)
    for i in typos:
        rows[i][4] = _twelve_hour_slip(rows[i][4])
    for i in rng.sample([i for i in plain if i not in set(typos)], N_MISSING_END):
        rows[i][4] = None
    first = next(i for i, row in enumerate(rows) if row[2] in week)
    last = max(i for i, row in enumerate(rows) if row[2] in week)
    return rows[: last + 1] + [list(row) for row in rows[first: last + 1]] + rows[last + 1:]
