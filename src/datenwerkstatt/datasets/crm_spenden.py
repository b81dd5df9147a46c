"""Contributions 2021-2025 of the fictional *Kinderhilfe Elbtal e. V.*, exported from CiviCRM and saved by Excel.

The treasurer exported "Zuwendungen" from CiviCRM, opened the file in Excel and saved it again as "CSV (Trennzeichen-
getrennt)": ``;`` as separator, Windows-1252 (cp1252), CRLF, dates ``dd.mm.yyyy``, amounts with a decimal comma and a
thousands point (``1.250,00``). The contacts are those of :mod:`crm_kontakte` (contacts deleted before the contact
export leave orphan Contact IDs here).

The numbers carry stories that ``datasets/crm-spenden/README.md`` documents: a December peak every year, the 2023
"Winterhilfe" mailing that lifted one-off gifts and turned donors into monthly givers, monthly direct debits that
churn, a right-skewed amount distribution, and yearly totals that differ only by a few percent.
"""

from __future__ import annotations

import math
import string
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import german_date, german_number, seeded, write_csv
from datenwerkstatt.datasets.crm_kontakte import Contact, build_contacts

DATASET_ID = "crm-spenden"
SEED = 20260109
CSV_NAME = "CiviCRM_Contribution_Search.csv"
EXPORT_DAY = date(2026, 1, 9)
YEARS = (2021, 2022, 2023, 2024, 2025)
FIRST_DAY, LAST_DAY = date(2021, 1, 1), date(2025, 12, 31)
FIRST_CONTRIBUTION_ID = 5001

HEADER = (
    "Contribution ID", "Contact ID", "Financial Type", "Payment Method", "Contribution Date", "Total Amount",
    "Fee Amount", "Net Amount", "Transaction ID", "Currency", "Contribution Source", "Contribution Status",
    "Campaign", "Recurring Contribution ID", "Thank-you Date", "Receipt Date",
)

DONATION, DUES = "Spende", "Mitgliedsbeitrag"
SEPA, TRANSFER, PAYPAL, CARD, CASH = "SEPA-Lastschrift", "Überweisung", "PayPal", "Kreditkarte", "Bar"
FORM, STATEMENT, MAILING_SLIP = "Online-Spendenformular", "Überweisung (Kontoauszug)", "Mailing (Überweisungsträger)"

# Year-end mailing: campaign name, first day gifts arrive, share of active one-off donors who answer.
MAILINGS = {
    2021: ("Weihnachtsmailing 2021", date(2021, 11, 12), 0.10),
    2022: ("Weihnachtsmailing 2022", date(2022, 11, 11), 0.10),
    2023: ("Winterhilfe 2023", date(2023, 11, 3), 0.18),  # the campaign that worked
    2024: ("Weihnachtsmailing 2024", date(2024, 11, 8), 0.10),
    2025: ("Weihnachtsmailing 2025", date(2025, 11, 14), 0.10),
}
WINTERHILFE = MAILINGS[2023][0]
EASTER = ("Osteraktion 2022", date(2022, 3, 14), date(2022, 4, 30), 0.6)  # share of one-off gifts in the window
FESTIVALS = (("Sommerfest 2022", date(2022, 6, 25), 45), ("Sommerfest 2024", date(2024, 6, 22), 55))
RUN = ("Spendenlauf 2025", date(2025, 9, 13), date(2025, 10, 12), 90)  # sponsors of a charity run

# Completed totals per year relative to each other; large gifts fill each year up to its target.
YEAR_FACTOR = {2021: 1.000, 2022: 0.978, 2023: 1.034, 2024: 1.012, 2025: 0.991}
MIN_MAJOR_PER_YEAR = 5000_00  # cents of large gifts even the strongest year gets

MONTH_WEIGHT = (0.75, 0.6, 0.7, 0.8, 0.65, 0.7, 0.6, 0.65, 0.75, 0.85, 1.25, 2.7)
ONE_OFF_AMOUNTS = ((5, 3), (10, 14), (15, 6), (20, 16), (25, 12), (30, 9), (40, 4), (50, 15), (75, 2), (100, 8),
                   (150, 2), (200, 2.5), (250, 1), (300, 0.7), (500, 0.6))
ODD_AMOUNT_SHARE = 0.1  # "krumme" amounts such as 17,50 or 33,00
RECURRING_AMOUNTS = ((5, 10), (10, 30), (15, 15), (20, 20), (25, 10), (30, 7), (50, 8))
GIFT_RATES = ((0.4, 25), (0.8, 30), (1.2, 25), (2.0, 15), (3.0, 5))  # one-off gifts per year while active
LAPSE_PER_YEAR = 0.2  # one-off donors who stop giving
CHURN_PER_MONTH = 0.016  # monthly direct debits that end
FINAL_DEBIT_FAILS = 0.35  # share of ending debits whose last collection bounces (Rücklastschrift)
MEMBER_LEAVES_PER_YEAR = 0.05
DUES_DAY = (3, 15)  # membership fees are collected on 15 March
RECEIPT_LIMIT = 300_00  # one-off gifts from 300 EUR get their own receipt
COLLECTIVE_RECEIPT = {2021: date(2022, 2, 15), 2022: date(2023, 2, 14), 2023: date(2024, 2, 13),
                      2024: date(2025, 2, 11)}  # annual "Sammelbestätigung"; 2025's is not yet sent


@dataclass
class Gift:
    contact_id: int
    day: date
    cents: int
    method: str
    source: str
    financial_type: str = DONATION
    campaign: str | None = None
    recur_id: int | None = None
    status: str = "Completed"
    first_of_series: bool = False


def _month_add(year: int, month: int, months: int) -> tuple[int, int]:
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def _poisson(rng, lam: float) -> int:
    limit, k, product = math.exp(-lam), 0, rng.random()
    while product > limit:
        k += 1
        product *= rng.random()
    return k


class _Generator:
    def __init__(self, contacts: tuple[Contact, ...]):
        self.rng, _ = seeded(SEED)
        self.contacts = contacts
        self.gifts: list[Gift] = []

    # -- amounts and payment ------------------------------------------------------------------------------------

    def one_off_cents(self) -> int:
        rng = self.rng
        if rng.random() < ODD_AMOUNT_SHARE:
            return max(300, int(rng.lognormvariate(3.3, 0.6) * 100) // 50 * 50)
        values, weights = zip(*ONE_OFF_AMOUNTS)
        return rng.choices(values, weights=weights)[0] * 100

    def online_payment(self) -> tuple[str, str]:
        return self.rng.choices(((PAYPAL, FORM), (CARD, FORM), (SEPA, FORM), (TRANSFER, FORM)),
                                weights=(22, 10, 15, 10))[0]

    def one_off_payment(self) -> tuple[str, str]:
        rng = self.rng
        roll = rng.random()
        if roll < 0.4:
            return TRANSFER, STATEMENT
        if roll < 0.93:
            return self.online_payment()
        return CASH, "Barspende Geschäftsstelle"

    def one_off_status(self, method: str, source: str, day: date) -> str:
        rng, roll = self.rng, self.rng.random()
        if method == TRANSFER and source == FORM:  # promised on the form, money may never arrive
            if day >= date(2025, 12, 8) and roll < 0.6:
                return "Pending"
            return "Cancelled" if roll < 0.06 else ("Pending" if roll < 0.068 else "Completed")
        if method in (PAYPAL, CARD):
            return "Failed" if roll < 0.02 else ("Refunded" if roll < 0.035 else "Completed")
        if method == SEPA:
            return "Failed" if rng.random() < 0.03 else "Completed"
        return "Completed"

    def add_one_off(self, contact_id: int, day: date, *, campaign: str | None = None,
                    payment: tuple[str, str] | None = None) -> None:
        method, source = payment or self.one_off_payment()
        if EASTER[1] <= day <= EASTER[2] and campaign is None and self.rng.random() < EASTER[3]:
            campaign = EASTER[0]
        status = self.one_off_status(method, source, day)
        self.gifts.append(Gift(contact_id, day, self.one_off_cents(), method, source, campaign=campaign,
                               status=status))

    # -- who gives when -----------------------------------------------------------------------------------------

    def random_day(self, year: int, start: date, end: date) -> date | None:
        """A day in ``year`` with the seasonal month weights, or None when it falls outside ``start``-``end``."""
        month = self.rng.choices(range(1, 13), weights=MONTH_WEIGHT)[0]
        first = date(year, month, 1)
        last = date(year + month // 12, month % 12 + 1, 1) - timedelta(days=1)
        day = first + timedelta(days=self.rng.randrange((last - first).days + 1))
        return day if start <= day <= end else None

    def one_off_giving(self, contact: Contact, start: date, end: date, rate: float | None = None) -> None:
        """Occasional gifts between ``start`` and ``end`` (the donor may lapse earlier) plus mailing replies."""
        rng = self.rng
        if rate is None:
            values, weights = zip(*GIFT_RATES)
            rate = rng.choices(values, weights=weights)[0]
        lapse = start + timedelta(days=int(rng.expovariate(LAPSE_PER_YEAR) * 365))
        end = min(end, lapse)
        for year in YEARS:
            for _ in range(_poisson(rng, rate)):
                day = self.random_day(year, start, end)
                if day:
                    self.add_one_off(contact.contact_id, day)
            name, first, answer = MAILINGS[year]
            if start <= first <= end and rng.random() < answer:
                self.mailing_reply(contact.contact_id, year)

    def mailing_reply(self, contact_id: int, year: int) -> date:
        name, first, _ = MAILINGS[year]
        day = first + timedelta(days=min(int(self.rng.expovariate(1 / 14)), (date(year, 12, 31) - first).days))
        payment = (TRANSFER, MAILING_SLIP) if self.rng.random() < 0.7 else self.online_payment()
        self.add_one_off(contact_id, day, campaign=name, payment=payment)
        return day

    def start_of(self, contact: Contact) -> date:
        return max(contact.created.date(), FIRST_DAY)

    def series(self) -> None:
        """Monthly SEPA direct debits: (pre-)2021 ones, new ones, and the Winterhilfe conversions; they churn."""
        rng, plans = self.rng, []
        for contact in self.contacts:
            created = contact.created.date()
            if contact.profile == "recurring_old":  # started before 2021, so its first debit is not in the export
                months = (2020 - created.year) * 12 + 12 - created.month
                plans.append((_month_add(created.year, created.month, rng.randrange(1, months + 1)), contact, None))
            elif contact.profile == "recurring_new":
                if created < FIRST_DAY:  # a one-off donor who upgrades during 2021-2025
                    begin = _month_add(2021, 1, rng.randrange(58))
                    self.one_off_giving(contact, FIRST_DAY, date(*begin, 1) - timedelta(days=1))
                else:
                    begin = _month_add(created.year, created.month, 1)
                plans.append((begin, contact, None))
            elif contact.profile == "winterhilfe":
                self.one_off_giving(contact, self.start_of(contact), date(2023, 10, 31))
                reply = self.mailing_reply(contact.contact_id, 2023)
                plans.append((_month_add(reply.year, reply.month, 1), contact, WINTERHILFE))
        plans.sort(key=lambda plan: (plan[0], plan[1].contact_id))
        for recur_id, ((year, month), contact, campaign) in enumerate(plans, start=1):
            self.debits(recur_id, contact, year, month, campaign)

    def debits(self, recur_id: int, contact: Contact, year: int, month: int, campaign: str | None) -> None:
        rng = self.rng
        values, weights = zip(*RECURRING_AMOUNTS)
        cents = rng.choices(values, weights=weights)[0] * 100
        collect_day = rng.choice((5, 20))
        source = f"{WINTERHILFE}: Dauerspende" if campaign else "Lastschrift monatlich"
        first = (year, month) >= (2021, 1)
        if not first:
            year, month = 2021, 1
        while (year, month) <= (2025, 12):
            ends = not first and rng.random() < CHURN_PER_MONTH
            if ends and rng.random() >= FINAL_DEBIT_FAILS:
                return
            status = "Failed" if ends or rng.random() < 0.015 else "Completed"
            self.gifts.append(Gift(contact.contact_id, date(year, month, collect_day), cents, SEPA, source,
                                   campaign=campaign, recur_id=recur_id, status=status, first_of_series=first))
            if ends:
                return
            first = False
            year, month = _month_add(year, month, 1)

    def membership(self, contact: Contact) -> None:
        rng = self.rng
        cents = 60_00 if rng.random() < 0.72 else 30_00
        for year in YEARS:
            day = date(year, *DUES_DAY)
            if contact.created.date() >= day:
                continue
            if rng.random() < MEMBER_LEAVES_PER_YEAR:
                return
            status = "Failed" if rng.random() < 0.03 else "Completed"
            self.gifts.append(Gift(contact.contact_id, day, cents, SEPA, f"Beitragseinzug {year}",
                                   financial_type=DUES, status=status))
        if rng.random() < 0.5:
            self.one_off_giving(contact, self.start_of(contact), LAST_DAY, rate=0.3)

    def everyday_giving(self) -> None:
        for contact in self.contacts:
            start, profile = self.start_of(contact), contact.profile
            if start > LAST_DAY:
                continue
            if profile in ("one_off", "duplicate") and contact.created.date() >= FIRST_DAY \
                    and contact.duplicate_kind != "exact":
                self.add_one_off(contact.contact_id, contact.created.date())  # the gift that created the contact
            if profile == "one_off":
                self.one_off_giving(contact, start, LAST_DAY)
            elif profile == "duplicate":
                self.one_off_giving(contact, start + timedelta(days=1), LAST_DAY, rate=0.4)
            elif profile in ("recurring_old", "recurring_new"):
                self.extra_christmas_gifts(contact)
            elif profile == "member":
                self.membership(contact)

    def extra_christmas_gifts(self, contact: Contact) -> None:
        for year in YEARS:
            day = date(year, 12, self.rng.randrange(1, 24))
            if self.rng.random() < 0.12 and day >= self.start_of(contact):
                self.add_one_off(contact.contact_id, day)

    def events(self) -> None:
        rng = self.rng
        givers = [c for c in self.contacts if c.profile == "one_off"]
        for name, day, count in FESTIVALS:
            for contact in rng.sample([c for c in givers if c.created.date() <= day], count):
                self.gifts.append(Gift(contact.contact_id, day, rng.choice((5, 10, 10, 20, 20, 50)) * 100, CASH,
                                       "Sommerfest (Barspende)", campaign=name))
        name, first, last, count = RUN
        for contact in rng.sample([c for c in givers if c.created.date() <= first], count):
            day = first + timedelta(days=rng.randrange((last - first).days + 1))
            self.add_one_off(contact.contact_id, day, campaign=name, payment=self.online_payment())

    def large_gifts(self) -> None:
        """Fill every year up to its share of a common target with gifts of 1,000-5,000 EUR from major donors, so
        the yearly totals differ by the few percent in YEAR_FACTOR."""
        rng = self.rng
        completed = {year: 0 for year in YEARS}
        for gift in self.gifts:
            if gift.status == "Completed":
                completed[gift.day.year] += gift.cents
        scale = max((completed[y] + MIN_MAJOR_PER_YEAR) / YEAR_FACTOR[y] for y in YEARS)
        majors = [c for c in self.contacts if c.profile == "major"]
        for year in YEARS:
            missing = int(scale * YEAR_FACTOR[year]) - completed[year]
            while missing >= 500_00:
                cents = min(missing // 100_00 * 100_00, rng.randrange(10, 51) * 100_00)
                missing -= cents
                if rng.random() < 0.5:
                    day = date(year, 12, rng.randrange(1, 30))
                else:
                    day = date(year, 1, 1) + timedelta(days=rng.randrange(334))
                donor = rng.choice([c for c in majors if c.created.date() <= day])
                self.gifts.append(Gift(donor.contact_id, day, cents, TRANSFER, STATEMENT))

    # -- export -------------------------------------------------------------------------------------------------

    def transaction_id(self, gift: Gift, taken: set[str]) -> str | None:
        rng = self.rng
        if gift.method == SEPA:
            base = f"SEPA-KEV{gift.contact_id:06d}-{gift.day:%Y%m%d}"
            candidate, n = base, 1
            while candidate in taken:
                n += 1
                candidate = f"{base}-{n}"
            return candidate
        if gift.method not in (PAYPAL, CARD):
            return None
        while True:
            if gift.method == PAYPAL:
                candidate = "".join(rng.choices(string.ascii_uppercase + string.digits, k=17))
            else:
                candidate = "ch_" + "".join(rng.choices(string.ascii_letters + string.digits, k=24))
            if candidate not in taken:
                return candidate

    def fee(self, gift: Gift) -> int:
        if gift.status not in ("Completed", "Refunded"):
            return 0
        if gift.method == PAYPAL:
            return (gift.cents * 15 + 500) // 1000 + 35
        if gift.method == CARD:
            return (gift.cents * 14 + 500) // 1000 + 25
        return 0

    def thank_you(self, gift: Gift) -> date | None:
        rng = self.rng
        if gift.status not in ("Completed", "Refunded") or gift.financial_type == DUES:
            return None
        if gift.recur_id is not None and not gift.first_of_series:
            return None
        if gift.recur_id is None and gift.cents < 1000_00 and rng.random() < 0.1:
            return None  # nobody got round to it
        day = gift.day + timedelta(days=rng.randint(1, 5) if gift.cents >= 1000_00 else rng.randint(2, 21))
        return day if day <= EXPORT_DAY else None

    def receipt(self, gift: Gift) -> date | None:
        if gift.status != "Completed":
            return None
        if gift.recur_id is None and gift.financial_type == DONATION:
            if gift.cents < RECEIPT_LIMIT:
                return None
            day = gift.day + timedelta(days=self.rng.randint(7, 28))
            return day if day <= EXPORT_DAY else None
        return COLLECTIVE_RECEIPT.get(gift.day.year)

    def rows(self):
        self.gifts.sort(key=lambda g: (g.day, g.recur_id is None, g.contact_id, g.cents))
        taken: set[str] = set()
        for number, gift in enumerate(self.gifts, start=FIRST_CONTRIBUTION_ID):
            fee = self.fee(gift)
            trxn = self.transaction_id(gift, taken)
            if trxn:
                taken.add(trxn)
            yield [
                number, gift.contact_id, gift.financial_type, gift.method, german_date(gift.day),
                german_number(gift.cents / 100, thousands=True), german_number(fee / 100, thousands=True),
                german_number((gift.cents - fee) / 100, thousands=True), trxn, "EUR", gift.source, gift.status,
                gift.campaign, gift.recur_id, german_date(self.thank_you(gift)), german_date(self.receipt(gift)),
            ]


def generate(out_dir: Path) -> None:
    generator = _Generator(build_contacts())
    generator.series()
    generator.everyday_giving()
    generator.events()
    generator.large_gifts()
    write_csv(out_dir / CSV_NAME, HEADER, generator.rows(), delimiter=";", encoding="cp1252", newline="\r\n")
