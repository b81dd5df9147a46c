"""Take in submissions however they arrive: a folder or a zip of notebooks named however participants saved them,
or nbgrader's own ``submitted/<student>/<assignment>/`` layout. Works out whose notebook each file is, and reports
every file it could not place, with the reason.

Name rules (in this order):
1. a notebook inside a folder belongs to the student the folder is named after (``anna/b02.ipynb``,
   ``submitted/anna/b02-exporte-laden/b02-exporte-laden.ipynb``);
2. otherwise the file name minus the module name and copy marks (``(1)``, ``Kopie``, ``copy``) is the student:
   ``b02-exporte-laden - Anna Müller (1).ipynb`` -> ``anna-mueller``;
3. nothing left (``b02-exporte-laden (1).ipynb``) -> not matched: the trainer must rename it.
Several files of one student: the newest counts, the others are reported.
"""

from __future__ import annotations

import os
import re
import shutil
import stat
import time
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from datenwerkstatt.errors import UserError

MAX_ZIP_BYTES = 500 * 1024 * 1024  # a workshop's notebooks are a few MB; more is a mistake or a zip bomb
IGNORED_PARTS = {"__MACOSX", ".ipynb_checkpoints", "submitted", "autograded", "feedback"}
COPY_MARKS = re.compile(r"(\(\d+\)|\bkopie von\b|\bcopy of\b|\bkopie\b|\bcopy\b|\bversion\s*\d+\b)", re.IGNORECASE)
TRANSLIT = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss", "Ä": "ae", "Ö": "oe", "Ü": "ue"})


@dataclass(frozen=True)
class Submission:
    student: str
    path: Path
    original: str  # name as it arrived, for the trainer
    mtime: float


@dataclass
class Intake:
    submissions: list[Submission] = field(default_factory=list)
    unmatched: list[tuple[str, str]] = field(default_factory=list)  # (name as it arrived, reason)


def slug(text: str) -> str:
    """A safe student id: 'Anna Müller' -> 'anna-mueller'."""
    text = unicodedata.normalize("NFC", text).translate(TRANSLIT)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def student_from_name(stem: str, module_id: str) -> str:
    """File stem -> student id, with the module's name/code and copy marks removed ('' when nothing is left)."""
    text = COPY_MARKS.sub(" ", stem)
    lowered = slug(text)
    code = module_id.split("-")[0]
    for token in (module_id, code):
        lowered = re.sub(rf"(^|-){re.escape(token)}(?=-|$)", "-", lowered)
    return re.sub(r"-{2,}", "-", lowered).strip("-")


def safe_extract(archive: Path, dest: Path, intake: Intake) -> None:
    """Extract a zip without trusting its paths: absolute paths, '..' and links are refused and reported
    (zip-slip), and so is an archive that would unpack to more than MAX_ZIP_BYTES."""
    try:
        zf = zipfile.ZipFile(archive)
    except zipfile.BadZipFile as exc:
        raise UserError(f"{archive} is not a readable zip file ({exc}); re-download it or pass the folder") from exc
    with zf:
        if sum(i.file_size for i in zf.infolist()) > MAX_ZIP_BYTES:
            raise UserError(f"{archive} unpacks to more than {MAX_ZIP_BYTES // 2**20} MB; refusing to extract it")
        for info in zf.infolist():
            name = PurePosixPath(info.filename.replace("\\", "/"))
            is_link = stat.S_ISLNK(info.external_attr >> 16)
            if name.is_absolute() or ".." in name.parts or is_link:
                intake.unmatched.append((info.filename, "unsafe path in the zip (outside the archive or a link): "
                                                        "skipped"))
                continue
            if info.is_dir():
                continue
            target = dest.joinpath(*name.parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            with zf.open(info) as src, open(target, "wb") as out:
                shutil.copyfileobj(src, out)
            stamp = time.mktime(info.date_time + (0, 0, -1))  # keep the zip's dates: "newest copy wins" needs them
            os.utime(target, (stamp, stamp))


def gather(path: Path, module_id: str, workdir: Path) -> Intake:
    """Find and attribute the notebooks under ``path`` (folder or .zip). ``workdir`` receives the zip's content."""
    intake = Intake()
    if not path.exists():
        raise UserError(f"submissions not found: {path}")
    base = path
    if path.is_file():
        if path.suffix.lower() == ".zip":
            base = workdir / "entpackt"
            base.mkdir(parents=True, exist_ok=True)
            safe_extract(path, base, intake)
        elif path.suffix.lower() == ".ipynb":
            base = path.parent
        else:
            raise UserError(f"{path} is neither a folder, a .zip nor a notebook")
    candidates: dict[str, list[Submission]] = {}
    files = [path] if path.suffix.lower() == ".ipynb" else sorted(p for p in base.rglob("*") if p.is_file())
    for file in files:
        rel = file.relative_to(base)
        if any(part in IGNORED_PARTS or part.startswith(".") for part in rel.parts[:-1]) or file.name.startswith("."):
            continue
        if file.suffix.lower() != ".ipynb":
            intake.unmatched.append((str(rel), "not a notebook (.ipynb): ignored"))
            continue
        folders = [p for p in rel.parts[:-1] if p not in IGNORED_PARTS and slug(p) != module_id]
        student = slug(folders[0]) if folders else student_from_name(file.stem, module_id)
        if not student:
            intake.unmatched.append((str(rel), "cannot tell whose notebook this is: rename it to include the "
                                               "participant's name (e.g. 'Anna Müller.ipynb') or put it in a "
                                               "folder named after them"))
            continue
        candidates.setdefault(student, []).append(Submission(student, file, str(rel), file.stat().st_mtime))
    for student, subs in sorted(candidates.items()):
        subs.sort(key=lambda s: (s.mtime, s.original), reverse=True)
        intake.submissions.append(subs[0])
        for older in subs[1:]:
            intake.unmatched.append((older.original, f"another notebook of '{student}' ({subs[0].original}) is "
                                                     "newer and was graded instead"))
    return intake
