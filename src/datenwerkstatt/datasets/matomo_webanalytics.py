"""Matomo exports of a fictional charity website, 2024-2025.

The files imitate what Matomo's "Export" button writes when the user interface is German and the export options
"CSV" and "Metriken formatieren" are chosen (the export URL then carries ``format=CSV``, ``translateColumnNames=1``,
``language=de``, ``format_metrics=1``, ``showMetadata=0``). Matomo's CSV renderer (``core/DataTable/Renderer/Csv.php``)
writes UTF-16LE with a byte order mark, ``,`` as separator, ``\\n`` line ends, and quotes a value only when it
contains ``,`` or ``"``. An export over many periods puts the period in the first column and leaves out periods
without data, so the days of a tracking outage are simply missing. Formatted metrics follow the German locale:
``1.234`` (thousands), ``45 %`` (with a non-breaking space), ``"3,4"``, ``"1.234,50 €"``, times as ``00:02:15``.
There is no totals row: Matomo's CSV export has none.

Stories: a December peak (year-end giving), the social-media campaign "winterhilfe-2024" that brings many visits
but converts worse than the monthly newsletter, and the relaunch on 18.03.2025 after which the bounce rate drops.
Everything is documented in ``datasets/matomo-webanalytics/README.md``.
"""

from __future__ import annotations

import math
import random
from datetime import date, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_number, seeded, write_csv

DATASET_ID = "matomo-webanalytics"
SEED = 20240101
START = date(2024, 1, 1)
END = date(2025, 12, 31)
RELAUNCH = date(2025, 3, 18)
OUTAGES = ((date(2024, 8, 5), date(2024, 8, 9)), (date(2025, 10, 14), date(2025, 10, 15)))
NBSP = "\u00a0"

DAILY_VISITS = "besuche_pro_tag.csv"
DAILY_GOAL = "ziel_spende_pro_tag.csv"
MONTHLY_CHANNELS = "kanaele_pro_monat.csv"
MONTHLY_CAMPAIGNS = "kampagnen_pro_monat.csv"
MONTHLY_PAGES = "seiten_pro_monat.csv"

VISITS_HEADER = ("Datum", "Eindeutige Besucher", "Benutzer", "Besuche", "Aktionen", "Konvertierte Besuche",
                 "Absprünge", "Gesamtzeit der Besuche (in Sekunden)", "Max. Aktionen in einem Besuch",
                 "Absprungrate", "Aktionen pro Besuch", "Durchschn. Aufenthaltsdauer")
GOAL_HEADER = ("Datum", "Konversionen", "Konvertierte Besuche", "Umsatz", "Konversionsrate")
CHANNEL_HEADER = ("Datum", "Kanaltyp", "Besuche", "Aktionen", "Max. Aktionen in einem Besuch",
                  "Gesamtzeit der Besuche (in Sekunden)", "Absprünge", "Konvertierte Besuche", "Absprungrate",
                  "Aktionen pro Besuch", "Durchschn. Aufenthaltsdauer")
CAMPAIGN_HEADER = ("Datum", "Kampagne", "Besuche", "Aktionen", "Absprungrate", "Konversionen", "Konversionsrate",
                   "Umsatz")
PAGES_HEADER = ("Datum", "Seiten-URL", "Seitenansichten", "Eindeutige Seitenansichten", "Absprungrate",
                "Durchschn. Zeit auf der Seite", "Ausstiegsrate")

DIRECT, SEARCH, WEBSITES, CAMPAIGNS, SOCIAL = ("Direkter Zugriff", "Suchmaschinen", "Websites", "Kampagnen",
                                               "Soziale Netzwerke")
# organic channels: (name, share of organic visits, bounce before / after relaunch, conversion rate)
CHANNELS = (
    (DIRECT, 0.30, 0.52, 0.38, 0.012),
    (SEARCH, 0.45, 0.60, 0.42, 0.008),
    (WEBSITES, 0.12, 0.55, 0.40, 0.010),
    (SOCIAL, 0.13, 0.70, 0.55, 0.005),
)
CHANNEL_ORDER = (DIRECT, SEARCH, WEBSITES, CAMPAIGNS, SOCIAL)

NEWSLETTER_DECAY = (0.55, 0.25, 0.12, 0.08)  # share of a newsletter's visits on send day, +1, +2, +3
NEWSLETTER_CONVERSION = 0.055
NEWSLETTER_BOUNCE = (0.36, 0.28)
# other campaigns: (name, first day, last day, visits per day, bounce before / after relaunch, conversion rate)
CAMPAIGN_RUNS = (
    ("sommerfest-2024", date(2024, 6, 1), date(2024, 6, 15), 22, 0.55, 0.50, 0.010),
    ("winterhilfe-2024", date(2024, 11, 15), date(2024, 12, 31), 300, 0.74, 0.74, 0.007),
    ("spendenlauf-2025", date(2025, 9, 1), date(2025, 9, 20), 40, 0.50, 0.40, 0.015),
    ("winterhilfe-2025", date(2025, 11, 10), date(2025, 12, 31), 330, 0.66, 0.66, 0.009),
)
# a colleague tagged the Instagram links of the 2024 winter campaign with an underscore
MISTAGGED = ("winterhilfe-2024", "winterhilfe_2024", date(2024, 12, 1), 0.08)

# pages: (url, share of page views, exists before relaunch, exists after relaunch)
PAGES = (
    ("/index", 0.24, True, True),
    ("/spenden", 0.11, True, True),
    ("/spenden/online-spenden", 0.07, True, False),
    ("/spenden/jetzt-spenden", 0.08, False, True),
    ("/projekte", 0.06, True, True),
    ("/projekte/winterhilfe", 0.05, True, True),
    ("/projekte/hausaufgabenhilfe", 0.03, True, True),
    ("/projekte/lebensmittelausgabe", 0.04, True, True),
    ("/ueber-uns", 0.05, True, True),
    ("/ueber-uns/team", 0.02, True, True),
    ("/mitmachen/ehrenamt", 0.04, True, False),
    ("/ehrenamt", 0.05, False, True),
    ("/aktuelles", 0.06, True, False),
    ("/blog", 0.06, False, True),
    ("/index.php?id=42", 0.01, True, False),
    ("/kontakt", 0.04, True, True),
    ("/transparenz", 0.02, True, True),
    ("/impressum", 0.01, True, True),
    ("/datenschutz", 0.01, True, True),
)
THANK_YOU_PAGE = "/spenden/danke"


def generate(out_dir: Path) -> None:
    rng, _ = seeded(SEED)
    days = [_simulate_day(rng, day) for day in _days() if not _outage(day)]
    _write(out_dir / DAILY_VISITS, VISITS_HEADER, (_visits_row(rng, d["date"].isoformat(), d["all"]) for d in days))
    _write(out_dir / DAILY_GOAL, GOAL_HEADER, (_goal_row(d) for d in days))
    months = _by_month(days)
    _write(out_dir / MONTHLY_CHANNELS, CHANNEL_HEADER, _channel_rows(months))
    _write(out_dir / MONTHLY_CAMPAIGNS, CAMPAIGN_HEADER, _campaign_rows(months))
    _write(out_dir / MONTHLY_PAGES, PAGES_HEADER, _page_rows(rng, months))


def _write(path: Path, header, rows) -> None:
    write_csv(path, header, rows, delimiter=",", encoding="utf-16-le", bom=True, newline="\n")


# --- formatting as Matomo does with format_metrics=1 and language=de --------------------------------------------


def _count(value: int) -> str:
    return german_number(value, 0, thousands=True)


def _percent(share: float, decimals: int = 0) -> str:
    return f"{german_number(share * 100, decimals)}{NBSP}%"


def _money(euros: float) -> str:
    return f"{german_number(euros, 2, thousands=True)}{NBSP}€"


def _duration(seconds: float) -> str:
    whole = int(round(seconds))
    return f"{whole // 3600:02d}:{whole // 60 % 60:02d}:{whole % 60:02d}"


# --- simulation -----------------------------------------------------------------------------------------------


def _days():
    day = START
    while day <= END:
        yield day
        day += timedelta(days=1)


def _outage(day: date) -> bool:
    return any(lo <= day <= hi for lo, hi in OUTAGES)


def _season(day: date) -> float:
    if day.month == 12:
        return 2.3 if day.day >= 27 else 1.2 + 0.9 * day.day / 31
    if day.month == 11:
        return 1.1
    if day.month == 1 and day.day <= 10:
        return 1.25  # donation receipts, "did my donation arrive?"
    if day.month in (7, 8):
        return 0.85
    return 1.0


def _organic_visits(rng: random.Random, day: date) -> float:
    trend = 380 + 80 * (day - START).days / (END - START).days
    weekday = (1.05, 1.05, 1.0, 1.0, 0.92, 0.78, 0.85)[day.weekday()]
    return trend * weekday * _season(day) * rng.lognormvariate(0, 0.08)


def _newsletter_days() -> list[tuple[str, date]]:
    """The newsletter goes out on the first Thursday of each month."""
    sends = []
    for year in (2024, 2025):
        for month in range(1, 13):
            first = date(year, month, 1)
            sends.append((f"newsletter-{year}-{month:02d}", first + timedelta(days=(3 - first.weekday()) % 7)))
    return sends


NEWSLETTERS = _newsletter_days()


def _campaign_visits(rng: random.Random, day: date) -> dict[str, tuple[float, float, float]]:
    """Campaign name -> (visits, bounce rate, conversion rate) on ``day``."""
    after = day >= RELAUNCH
    found = {}
    for name, sent in NEWSLETTERS:
        offset = (day - sent).days
        if 0 <= offset < len(NEWSLETTER_DECAY):
            recipients = 380 + 6 * (sent - START).days / 30
            found[name] = (recipients * NEWSLETTER_DECAY[offset] * rng.uniform(0.85, 1.15),
                           NEWSLETTER_BOUNCE[after], NEWSLETTER_CONVERSION)
    for name, first, last, per_day, bounce_before, bounce_after, conversion in CAMPAIGN_RUNS:
        if first <= day <= last:
            weekend = 1.25 if day.weekday() >= 5 else 1.0
            found[name] = (per_day * weekend * rng.uniform(0.7, 1.3), bounce_after if after else bounce_before,
                           conversion)
    wrong_from = MISTAGGED[2]
    if MISTAGGED[0] in found and day >= wrong_from:
        visits, bounce, conversion = found[MISTAGGED[0]]
        found[MISTAGGED[0]] = (visits * (1 - MISTAGGED[3]), bounce, conversion)
        found[MISTAGGED[1]] = (visits * MISTAGGED[3], bounce, conversion)
    return found


def _segment(rng: random.Random, visits: float, bounce: float, conversion: float, day: date) -> dict:
    """One group of visits (a channel or a campaign) on one day, with its derived counts."""
    n = max(0, round(visits))
    after = day >= RELAUNCH
    bounces = min(n, max(0, round(n * bounce + rng.gauss(0, math.sqrt(n * bounce * (1 - bounce) + 1e-9)))))
    engaged = n - bounces
    actions = bounces + round(engaged * (4.3 if after else 3.6) * rng.uniform(0.9, 1.1))
    seconds = round(engaged * (235 if after else 190) * rng.uniform(0.85, 1.15))
    rate = conversion * (1.4 if day.month == 12 else 1.0) * (1.15 if after else 1.0)
    conversions = min(engaged, _poisson(rng, n * rate))
    gift = 85.0 if day.month == 12 else 55.0
    revenue = sum(round(rng.lognormvariate(math.log(gift), 0.6) / 5) * 5 or 5 for _ in range(conversions))
    return {"visits": n, "bounces": bounces, "actions": actions, "seconds": seconds, "conversions": conversions,
            "revenue": float(revenue), "max_actions": rng.randint(12, 45) if n else 0}


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


def _merge(parts) -> dict:
    merged = {"visits": 0, "bounces": 0, "actions": 0, "seconds": 0, "conversions": 0, "revenue": 0.0,
              "max_actions": 0}
    for part in parts:
        for key in merged:
            merged[key] = max(merged[key], part[key]) if key == "max_actions" else merged[key] + part[key]
    return merged


def _simulate_day(rng: random.Random, day: date) -> dict:
    organic = _organic_visits(rng, day)
    after = day >= RELAUNCH
    channels = {name: _segment(rng, organic * share, after_b if after else before_b, conversion, day)
                for name, share, before_b, after_b, conversion in CHANNELS}
    campaigns = {name: _segment(rng, visits, bounce, conversion, day)
                 for name, (visits, bounce, conversion) in _campaign_visits(rng, day).items()}
    channels[CAMPAIGNS] = _merge(campaigns.values())
    total = _merge(channels.values())
    return {"date": day, "all": total, "channels": channels, "campaigns": campaigns}


def _by_month(days: list[dict]) -> dict[str, list[dict]]:
    months: dict[str, list[dict]] = {}
    for d in days:
        months.setdefault(f"{d['date']:%Y-%m}", []).append(d)
    return months


# --- rows -----------------------------------------------------------------------------------------------------


def _visit_metrics(s: dict) -> tuple[str, str, str]:
    """Bounce rate, actions per visit, average time on site, formatted."""
    n = s["visits"]
    return _percent(s["bounces"] / n), german_number(s["actions"] / n, 1), _duration(s["seconds"] / n)


def _visits_row(rng: random.Random, label: str, s: dict) -> list:
    unique = round(s["visits"] * rng.uniform(0.86, 0.91))
    return [label, _count(unique), "0", _count(s["visits"]), _count(s["actions"]), _count(s["conversions"]),
            _count(s["bounces"]), _count(s["seconds"]), str(s["max_actions"]), *_visit_metrics(s)]


def _goal_row(d: dict) -> list:
    s = d["all"]
    return [d["date"].isoformat(), _count(s["conversions"]), _count(s["conversions"]), _money(s["revenue"]),
            _percent(s["conversions"] / s["visits"], 1)]


def _sorted_by_visits(groups: dict[str, dict]) -> list[tuple[str, dict]]:
    """Matomo sorts a report by visits, descending; ties keep their order."""
    return sorted(((k, v) for k, v in groups.items() if v["visits"]), key=lambda kv: -kv[1]["visits"])


def _channel_rows(months: dict[str, list[dict]]):
    for month, days in months.items():
        merged = {name: _merge(d["channels"][name] for d in days) for name in CHANNEL_ORDER}
        for name, s in _sorted_by_visits(merged):
            rate, per_visit, duration = _visit_metrics(s)
            yield [month, name, _count(s["visits"]), _count(s["actions"]), str(s["max_actions"]),
                   _count(s["seconds"]), _count(s["bounces"]), _count(s["conversions"]), rate, per_visit, duration]


def _campaign_rows(months: dict[str, list[dict]]):
    for month, days in months.items():
        names = []
        for d in days:
            names += [name for name in d["campaigns"] if name not in names]
        merged = {name: _merge(d["campaigns"][name] for d in days if name in d["campaigns"]) for name in names}
        for name, s in _sorted_by_visits(merged):
            yield [month, name, _count(s["visits"]), _count(s["actions"]), _percent(s["bounces"] / s["visits"]),
                   _count(s["conversions"]), _percent(s["conversions"] / s["visits"], 1), _money(s["revenue"])]


def _page_rows(rng: random.Random, months: dict[str, list[dict]]):
    for month, days in months.items():
        total = _merge(d["all"] for d in days)
        after = [d for d in days if d["date"] >= RELAUNCH]
        share_after = len(after) / len(days)
        views: dict[str, int] = {}
        for url, share, before_ok, after_ok in PAGES:
            alive = (1 - share_after) * before_ok + share_after * after_ok
            if alive:
                views[url] = round(total["actions"] * 0.93 * share * alive * rng.lognormvariate(0, 0.1))
        views[THANK_YOU_PAGE] = total["conversions"]
        for url, n in sorted(views.items(), key=lambda kv: -kv[1]):
            if n == 0:
                continue
            relaunched = share_after > 0.5
            entry_bounce = rng.uniform(0.35, 0.5) if relaunched else rng.uniform(0.5, 0.68)
            if url == THANK_YOU_PAGE:
                entry_bounce = 0.0
            seconds = rng.uniform(25, 150) if url != "/index" else rng.uniform(15, 40)
            yield [month, url, _count(n), _count(round(n * rng.uniform(0.78, 0.9))), _percent(entry_bounce),
                   _duration(seconds), _percent(rng.uniform(0.2, 0.6))]
