"""Writers that reproduce how real tools export data (separators, quoting, encodings, German number formats).

Every dataset generator uses these instead of pandas' writer, so the quirks are explicit and byte-stable.
"""

from __future__ import annotations

import csv
import io
import random
from datetime import date, datetime
from pathlib import Path
from typing import Any, Iterable, Sequence


def seeded(seed: int) -> tuple[random.Random, Any]:
    """A random generator and a German Faker, both seeded: the same seed gives the same dataset, byte for byte."""
    from faker import Faker

    fake = Faker("de_DE")
    fake.seed_instance(seed)
    return random.Random(seed), fake


def write_csv(
    path: Path,
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    delimiter: str = ";",
    encoding: str = "utf-8",
    bom: bool = False,
    newline: str = "\r\n",
    quote_all: bool = False,
    preamble: Sequence[str] = (),
    footer: Sequence[str] = (),
) -> Path:
    """Write a CSV exactly as a tool would: ``None`` becomes an empty field; text lines before/after the table are
    written verbatim (GENESIS-style header and footer blocks). The file is written in one go, so a failure never
    leaves half a file behind."""
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    for line in preamble:
        buffer.write(line + newline)
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if value is None else value for value in row])
    for line in footer:
        buffer.write(line + newline)
    data = buffer.getvalue().encode(encoding)
    if bom:
        data = "\ufeff".encode(encoding) + data
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)
    return path


def german_number(value: float | None, decimals: int = 2, thousands: bool = False) -> str | None:
    """1234.5 -> '1234,50' (or '1.234,50' with ``thousands``), as Excel and German exports write it."""
    if value is None:
        return None
    text = f"{value:,.{decimals}f}" if thousands else f"{value:.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def german_date(value: date | datetime | None, fmt: str = "%d.%m.%Y") -> str | None:
    """Format a date the German way (``%d.%m.%y %H:%M`` for LimeSurvey, ``%d.%m.%Y`` for most others)."""
    return None if value is None else value.strftime(fmt)


def write_xlsx(path: Path, sheets: dict[str, Sequence[Sequence[Any]]], *, creator: str, stamp: datetime) -> Path:
    """Write an Excel workbook whose bytes depend only on its content: one sheet per entry (rows as given, title rows
    included). openpyxl stamps the save time into docProps/core.xml and every zip entry, so the workbook is saved to
    memory with fixed properties and re-packed with ``stamp`` as every entry's date."""
    import zipfile

    from openpyxl import Workbook
    from openpyxl.writer.excel import ExcelWriter

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(list(row))
    book.properties.creator = book.properties.lastModifiedBy = creator
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    ExcelWriter(book, zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED)).save()
    stable = io.BytesIO()
    with zipfile.ZipFile(raw) as source, zipfile.ZipFile(stable, "w", zipfile.ZIP_DEFLATED) as target:
        for entry in source.infolist():
            info = zipfile.ZipInfo(entry.filename, date_time=stamp.timetuple()[:6])
            info.compress_type = zipfile.ZIP_DEFLATED
            target.writestr(info, source.read(entry.filename))
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(stable.getvalue())
    tmp.replace(path)
    return path
