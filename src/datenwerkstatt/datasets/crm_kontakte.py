"""Contacts of a fictional charity, exported from CiviCRM ("Kontakte exportieren", German column labels).

The *Kinderhilfe Elbtal e. V.* (invented) keeps donors, members and newsletter subscribers in CiviCRM. The export
is CiviCRM's own CSV: ``,`` as separator, UTF-8 without BOM, ``\\n`` line ends, ISO dates. The mess is deliberate
and documented in ``datasets/crm-kontakte/README.md``: six kinds of duplicates with exact counts, households that
share an address (and sometimes an e-mail) but are *not* duplicates, "Keine Angabe", a one-day migration spike in
``Erstellt am`` and postcodes with a leading zero.

:func:`build_contacts` is the charity's whole contact base, including contacts deleted before the export and the
profile that says how each contact gives; ``crm_spenden`` imports it so both datasets describe the same people.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from pathlib import Path

from datenwerkstatt.datasets._export import seeded, write_csv

DATASET_ID = "crm-kontakte"
SEED = 20260116
CSV_NAME = "CiviCRM_Contact_Search.csv"

HEADER = (
    "Kontakt-ID", "Externe ID", "Vorname", "Nachname", "E-Mail", "Telefon", "Straße", "Postleitzahl", "Ort",
    "Bundesland", "Land", "Geburtsdatum", "Geschlecht", "Spender*innen-Typ", "Kontaktquelle", "Erstellt am",
)

# Deliberate duplicates: kind -> how many extra records of an existing person the export contains.
DUPLICATES = {
    "exact": 30,  # a second import of the same list: same name, e-mail, address, birth date
    "email_case": 35,  # same person, e-mail typed with other upper/lower case
    "name_typo": 40,  # first or last name misspelt (paper form), no e-mail
    "place_typo": 25,  # place name misspelt (paper form), no e-mail
    "married": 20,  # new surname and new e-mail after marriage; same address and birth date
    "swapped": 15,  # first and last name entered the wrong way round; same e-mail
}
HOUSEHOLDS = 60  # second person at the same address: NOT a duplicate (the trap)
SHARED_EMAIL_HOUSEHOLDS = 20  # of those, the couple uses one family e-mail address
N_EXPORTED = 3000
N_DELETED = 14  # contacts deleted after the contribution export (orphans in crm-spenden)
N_PRIMARY = N_EXPORTED - sum(DUPLICATES.values()) - HOUSEHOLDS

# How contacts give (internal; drives crm-spenden). The sizes of the fixed profiles; the rest are prospects.
PROFILE_SIZES = {
    "recurring_old": 300,  # monthly direct debit that started before 2021
    "recurring_new": 150,  # starts a monthly direct debit during 2021-2025
    "winterhilfe": 65,  # one-off gift to the 2023 "Winterhilfe" mailing, then a monthly direct debit
    "member": 150,  # yearly membership fee
    "major": 25,  # a few large gifts
    "one_off": 1720,  # occasional one-off gifts
}
DONOR_TYPE = {
    "recurring_old": "Dauerspender*in",
    "recurring_new": "Dauerspender*in",
    "winterhilfe": "Dauerspender*in",
    "member": "Mitglied",
    "major": "Großspender*in",
    "one_off": "Einzelspender*in",
    "duplicate": "Einzelspender*in",
    "prospect": "Interessent*in",
}

MIGRATION = datetime(2019, 3, 14, 10, 12, 0)  # the old donor database was imported into CiviCRM on this day
FIRST_CREATED = date(2011, 1, 1)
LAST_CREATED = date(2025, 12, 31)

GENDERS = ("weiblich", "männlich", "Nichtbinär / Nonbinary", "Keine Angabe")
GENDER_WEIGHTS = (0.53, 0.39, 0.015, 0.065)
DOMAINS = ("example.org", "example.com", "example.net")
UMLAUTS = {"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}

# (Ort, Bundesland, weight, postcodes): the charity sits near Dresden, so most contacts live in Saxony.
PLACES = (
    ("Dresden", "Sachsen", 330, ("01067", "01069", "01097", "01099", "01109", "01127", "01139", "01157", "01159",
                                 "01169", "01187", "01189", "01217", "01219", "01237", "01239", "01257", "01277",
                                 "01279", "01307", "01309", "01324", "01326")),
    ("Pirna", "Sachsen", 45, ("01796",)),
    ("Meißen", "Sachsen", 35, ("01662",)),
    ("Radebeul", "Sachsen", 40, ("01445",)),
    ("Freital", "Sachsen", 35, ("01705",)),
    ("Heidenau", "Sachsen", 20, ("01809",)),
    ("Coswig", "Sachsen", 15, ("01640",)),
    ("Riesa", "Sachsen", 15, ("01587",)),
    ("Bautzen", "Sachsen", 15, ("02625",)),
    ("Görlitz", "Sachsen", 10, ("02826",)),
    ("Leipzig", "Sachsen", 60, ("04103", "04105", "04107", "04109", "04155", "04177", "04229", "04275", "04277",
                                "04315", "04347")),
    ("Chemnitz", "Sachsen", 30, ("09111", "09112", "09113", "09119", "09126", "09130")),
    ("Berlin", "Berlin", 60, ("10115", "10178", "10243", "10405", "10437", "10551", "10965", "12043", "12435",
                              "13347")),
    ("Potsdam", "Brandenburg", 12, ("14467", "14469", "14471", "14482")),
    ("Cottbus", "Brandenburg", 8, ("03046",)),
    ("Hamburg", "Hamburg", 25, ("20095", "20249", "22041", "22303", "22767")),
    ("Bremen", "Bremen", 8, ("28195", "28203", "28209")),
    ("Hannover", "Niedersachsen", 12, ("30159", "30161", "30169")),
    ("Magdeburg", "Sachsen-Anhalt", 12, ("39104", "39108", "39112")),
    ("Halle (Saale)", "Sachsen-Anhalt", 12, ("06108", "06110", "06114")),
    ("Erfurt", "Thüringen", 12, ("99084", "99085", "99089")),
    ("Jena", "Thüringen", 8, ("07743", "07745")),
    ("Köln", "Nordrhein-Westfalen", 18, ("50667", "50674", "50733", "51063")),
    ("Düsseldorf", "Nordrhein-Westfalen", 10, ("40210", "40215", "40477")),
    ("Frankfurt am Main", "Hessen", 14, ("60311", "60316", "60487", "60594")),
    ("Wiesbaden", "Hessen", 6, ("65183", "65185")),
    ("Mainz", "Rheinland-Pfalz", 6, ("55116", "55118")),
    ("Stuttgart", "Baden-Württemberg", 14, ("70173", "70176", "70190")),
    ("Freiburg im Breisgau", "Baden-Württemberg", 8, ("79098", "79102")),
    ("München", "Bayern", 25, ("80331", "80469", "80797", "81371", "81667")),
    ("Nürnberg", "Bayern", 10, ("90402", "90403", "90429")),
    ("Saarbrücken", "Saarland", 5, ("66111", "66113")),
    ("Kiel", "Schleswig-Holstein", 6, ("24103", "24105")),
    ("Rostock", "Mecklenburg-Vorpommern", 8, ("18055", "18057")),
    ("Schwerin", "Mecklenburg-Vorpommern", 5, ("19053", "19055")),
)


@dataclass(frozen=True)
class Contact:
    """One CiviCRM contact; the fields after ``created`` are what the generator knows and the export hides."""

    contact_id: int
    external_id: str | None
    first_name: str
    last_name: str
    email: str | None
    phone: str | None
    street: str
    postcode: str
    city: str
    state: str
    birth_date: date | None
    gender: str
    source: str
    created: datetime
    profile: str
    deleted: bool = False
    duplicate_of: int | None = None  # contact id of the original person
    duplicate_kind: str | None = None
    household_of: int | None = None  # contact id of the other person at the same address

    @property
    def donor_type(self) -> str:
        return DONOR_TYPE[self.profile]

    def row(self) -> list:
        return [
            self.contact_id, self.external_id, self.first_name, self.last_name, self.email, self.phone, self.street,
            self.postcode, self.city, self.state, "Deutschland",
            self.birth_date.isoformat() if self.birth_date else None, self.gender, self.donor_type, self.source,
            self.created.strftime("%Y-%m-%d %H:%M:%S"),
        ]


def levenshtein(a: str, b: str) -> int:
    """Edit distance (insert, delete, substitute one character)."""
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, 1):
        current = [i]
        for j, char_b in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (char_a != char_b)))
        previous = current
    return previous[-1]


def _typo(rng, word: str) -> str:
    """A plausible misspelling at most two edits away: swapped, dropped or doubled letter, or one umlaut written
    out (``ü`` -> ``ue``)."""
    if len(word) < 3:
        return word + word[-1]
    while True:
        kind = rng.choice(("swap", "drop", "double", "umlaut"))
        i = rng.randrange(1, len(word) - 1)
        if not (word[i].isalpha() and word[i + 1].isalpha()):
            continue
        if kind == "swap":
            result = word[:i] + word[i + 1] + word[i] + word[i + 2:]
        elif kind == "drop":
            result = word[:i] + word[i + 1:]
        elif kind == "double":
            result = word[:i] + word[i] + word[i:]
        else:
            first = next((j for j, char in enumerate(word) if char in UMLAUTS), None)
            result = word if first is None else word[:first] + UMLAUTS[word[first]] + word[first + 1:]
        if result != word:
            return result


def _ascii(text: str) -> str:
    text = "".join(UMLAUTS.get(char, char) for char in text).lower()
    return "".join(char for char in text.replace(" ", "-") if char.isascii() and (char.isalnum() or char in ".-"))


def _random_datetime(rng, start: date, end: date) -> datetime:
    day = start + timedelta(days=rng.randrange((end - start).days + 1))
    return datetime(day.year, day.month, day.day, rng.randrange(7, 22), rng.randrange(60), rng.randrange(60))


def _created_range(profile: str) -> tuple[date, date]:
    """When a contact of this profile entered the database (before its gifts in crm-spenden can start)."""
    return {
        "recurring_old": (FIRST_CREATED, date(2020, 10, 31)),
        "winterhilfe": (FIRST_CREATED, date(2023, 9, 30)),
        "major": (FIRST_CREATED, date(2020, 6, 30)),
        "recurring_new": (FIRST_CREATED, date(2025, 9, 30)),
    }.get(profile, (FIRST_CREATED, LAST_CREATED))


class _Builder:
    """Draws people one by one, keeping e-mails unique and (birth date, postcode) and addresses collision-free, so
    that every duplicate and every household in the export is one the generator made on purpose."""

    def __init__(self, seed: int):
        self.rng, self.fake = seeded(seed)
        self.emails: set[str] = set()
        self.birth_keys: set[tuple[date, str]] = set()
        self.addresses: set[tuple[str, str]] = set()
        self.place_weights = [place[2] for place in PLACES]

    def email(self, first: str, last: str, *, family: bool = False) -> str:
        rng = self.rng
        first_a, last_a = _ascii(first).strip(".-"), _ascii(last).strip(".-")
        pattern = rng.choice(("{f}.{l}", "{f}.{l}", "{f}{l}", "{i}.{l}", "{l}.{f}", "{f}_{l}"))
        local = f"familie.{last_a}" if family else pattern.format(f=first_a, l=last_a, i=first_a[:1])
        address = f"{local}@{rng.choice(DOMAINS)}"
        while address in self.emails:
            address = f"{local}{rng.randrange(1, 100)}@{rng.choice(DOMAINS)}"
        self.emails.add(address)
        return address

    def address(self) -> tuple[str, str, str, str]:
        rng = self.rng
        while True:
            city, state, _, postcodes = rng.choices(PLACES, weights=self.place_weights)[0]
            number = str(rng.randrange(1, 120)) + ("a" if rng.random() < 0.06 else "")
            street = f"{self.fake.street_name()} {number}"
            postcode = rng.choice(postcodes)
            if (street, postcode) not in self.addresses:
                self.addresses.add((street, postcode))
                return street, postcode, city, state

    def birth_date(self, postcode: str, near: date | None = None) -> date:
        rng = self.rng
        while True:
            if near is None:
                age = rng.triangular(19, 93, 63)
                born = date(2025, 12, 31) - timedelta(days=int(age * 365.25))
            else:
                born = near + timedelta(days=rng.randint(-9 * 365, 9 * 365))
            if (born, postcode) not in self.birth_keys:
                self.birth_keys.add((born, postcode))
                return born

    def name(self, gender: str) -> tuple[str, str]:
        fake, rng = self.fake, self.rng
        female = gender == "weiblich" or (gender not in GENDERS[:2] and rng.random() < 0.5)
        first = fake.first_name_female() if female else fake.first_name_male()
        return first, fake.last_name()

    def source(self, profile: str) -> str:
        return {
            "member": "Mitgliedsantrag",
            "prospect": self.rng.choice(("Newsletter-Anmeldung", "Newsletter-Anmeldung", "Sommerfest")),
        }.get(profile) or self.rng.choice(("Online-Spendenformular", "Überweisung (Kontoauszug)"))

    def person(self, profile: str, *, deleted: bool = False) -> Contact:
        rng = self.rng
        gender = rng.choices(GENDERS, weights=GENDER_WEIGHTS)[0]
        first, last = self.name(gender)
        street, postcode, city, state = self.address()
        has_birth = rng.random() < 0.85
        start, end = _created_range(profile)
        return Contact(
            contact_id=0, external_id=None, first_name=first, last_name=last,
            email=self.email(first, last) if rng.random() < 0.88 else None,
            phone=self.fake.phone_number() if rng.random() < 0.6 else None,
            street=street, postcode=postcode, city=city, state=state,
            birth_date=self.birth_date(postcode) if has_birth else None,
            gender=gender, source=self.source(profile), created=_random_datetime(rng, start, end),
            profile=profile, deleted=deleted,
        )

    def partner(self, primary: Contact, shared_email: bool) -> tuple[Contact, Contact]:
        """A second person in the primary's household; returns (primary, partner), the primary possibly with the
        family e-mail both now use."""
        rng = self.rng
        gender = rng.choices(GENDERS, weights=GENDER_WEIGHTS)[0]
        first, other_last = self.name(gender)
        while first == primary.first_name:
            first, other_last = self.name(gender)
        last = primary.last_name if rng.random() < 0.8 else other_last
        near = primary.birth_date or date(1965, 6, 1)
        email = self.email(first, primary.last_name, family=True) if shared_email else (
            self.email(first, last) if rng.random() < 0.7 else None)
        if shared_email:
            primary = replace(primary, email=email)
        start = max(primary.created.date(), FIRST_CREATED)
        partner = Contact(
            contact_id=0, external_id=None, first_name=first, last_name=last, email=email,
            phone=primary.phone if rng.random() < 0.5 else None,
            street=primary.street, postcode=primary.postcode, city=primary.city, state=primary.state,
            birth_date=self.birth_date(primary.postcode, near), gender=gender,
            source=self.source("prospect"), created=_random_datetime(rng, start, LAST_CREATED),
            profile=rng.choice(("one_off", "prospect")),
        )
        return primary, partner

    def duplicate(self, original: Contact, kind: str) -> Contact:
        """A second record of ``original``, changed the way ``kind`` says."""
        rng, fake = self.rng, self.fake
        first, last, email, city = original.first_name, original.last_name, original.email, original.city
        source = "Online-Spendenformular"
        if kind == "exact":
            source = "CSV-Import Veranstaltungsliste"
        elif kind == "email_case":
            local, domain = email.split("@")
            email = f"{'.'.join(part.capitalize() for part in local.split('.'))}@{domain}"
            if email == original.email:
                email = f"{local}@{domain.upper()}"
        elif kind == "name_typo":
            if rng.random() < 0.5:
                first = _typo(rng, first)
            else:
                last = _typo(rng, last)
            email, source = None, "Papierformular"
        elif kind == "place_typo":
            city, email, source = _typo(rng, city), None, "Papierformular"
        elif kind == "married":
            last = fake.last_name()
            while levenshtein(last, original.last_name) <= 3:
                last = fake.last_name()
            email = self.email(first, last)
        elif kind == "swapped":
            first, last = last, first
        start = max(original.created.date(), date(2021, 1, 1)) + timedelta(days=30)
        return replace(
            original, first_name=first, last_name=last, email=email, city=city, source=source,
            phone=original.phone if rng.random() < 0.5 else None,
            created=_random_datetime(rng, start, date(2025, 11, 30)), profile="duplicate",
            duplicate_kind=kind,
        )


def _assign_ids(rng, people: list[Contact]) -> list[Contact]:
    """CiviCRM ids grow with creation time; contacts made before the migration got the migration's timestamp and an
    ``ALT-`` external id from the old database. Ids of test contacts deleted long ago leave gaps."""
    order = sorted(range(len(people)), key=lambda i: (people[i].created, i))
    legacy_numbers = rng.sample(range(100, 20000), sum(1 for p in people if p.created < MIGRATION))
    next_id, migrated, result = 2, 0, list(people)
    for i in order:
        contact = people[i]
        if contact.created < MIGRATION:
            contact = replace(
                contact, created=MIGRATION + timedelta(seconds=migrated * 2 + rng.randrange(2)),
                external_id=f"ALT-{legacy_numbers[migrated]:05d}", source="Altdaten-Import 2019",
            )
            migrated += 1
        result[i] = replace(contact, contact_id=next_id)
        next_id += 1 + (rng.random() < 0.03) * rng.randrange(1, 4)
    return result


@functools.lru_cache(maxsize=1)
def build_contacts() -> tuple[Contact, ...]:
    """Every contact the charity ever had, in id order: exported ones, duplicates and the deleted ones."""
    builder = _Builder(SEED)
    rng = builder.rng
    n_prospects = N_PRIMARY + N_DELETED - sum(PROFILE_SIZES.values())
    profiles = [name for name, size in PROFILE_SIZES.items() for _ in range(size)] + ["prospect"] * n_prospects
    rng.shuffle(profiles)
    # the deleted contacts were donors, so (if they gave in 2021-2025) their contributions outlive them in crm-spenden
    deleted = set(rng.sample([i for i, p in enumerate(profiles) if p in ("one_off", "recurring_old")], N_DELETED))
    n_chosen = sum(DUPLICATES.values()) + HOUSEHOLDS
    people = [builder.person(p, deleted=i in deleted) for i, p in enumerate(profiles)]
    # households and duplicated people: with a birth date, not deleted, in the database early enough to be entered
    # twice
    early = [i for i, person in enumerate(people)
             if person.birth_date and i not in deleted and person.created.date() < date(2025, 6, 1)]
    chosen = rng.sample(early, n_chosen)
    households, dup_originals = chosen[:HOUSEHOLDS], chosen[HOUSEHOLDS:]
    # duplicates of the kinds that keep an e-mail need an original with an e-mail
    needs_email = {"exact", "email_case", "married", "swapped"}
    dup_originals.sort(key=lambda i: people[i].email is None)
    with_email = [i for i in dup_originals if people[i].email]
    kinds = [kind for kind in DUPLICATES if kind in needs_email for _ in range(DUPLICATES[kind])]
    kinds += [kind for kind in DUPLICATES if kind not in needs_email for _ in range(DUPLICATES[kind])]
    if len(with_email) < sum(DUPLICATES[k] for k in needs_email):
        raise RuntimeError("too few contacts with e-mail to draw the duplicates from; change SEED")
    extra = []
    for n, i in enumerate(households):
        people[i], partner = builder.partner(people[i], shared_email=n < SHARED_EMAIL_HOUSEHOLDS)
        extra.append((partner, i, "household"))
    for i, kind in zip(dup_originals, kinds):
        extra.append((builder.duplicate(people[i], kind), i, "duplicate"))
    everyone = people + [contact for contact, _, _ in extra]
    everyone = _assign_ids(rng, everyone)
    for n, (_, original, relation) in enumerate(extra):
        k = len(people) + n
        link = everyone[original].contact_id
        everyone[k] = replace(everyone[k], **({"household_of": link} if relation == "household" else
                                               {"duplicate_of": link}))
    return tuple(sorted(everyone, key=lambda c: c.contact_id))


def generate(out_dir: Path) -> None:
    contacts = [c for c in build_contacts() if not c.deleted]
    assert len(contacts) == N_EXPORTED, len(contacts)
    write_csv(out_dir / CSV_NAME, HEADER, (c.row() for c in contacts), delimiter=",", newline="\n")

