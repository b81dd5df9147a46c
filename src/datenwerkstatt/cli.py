"""The ``datenwerkstatt`` command. Thin: parse, call the library, print. Heavy imports (pandas, nbgrader, matplotlib)
happen inside the command that needs them, so ``--help``, ``validate``, ``catalog`` and ``path`` answer at once.

Exit codes: 0 = done, nothing needs attention; 1 = done, but something needs the trainer's/author's attention
(validation problems, submissions that could not be graded); 2 = the command could not run (bad arguments, missing files).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

EXIT_OK, EXIT_ATTENTION, EXIT_ERROR = 0, 1, 2

DESCRIPTION = """\
Datenwerkstatt: data-literacy modules for civil society, and the trainer's tools to run them.

Authors:   validate, header, data
Learners:  catalog, path, lernen
Trainers:  release -> (participants work) -> grade -> feedback -> report;  demo shows the whole cycle.
"""


def _root(args: argparse.Namespace) -> Path:
    from datenwerkstatt.project import find_root

    return Path(args.root).resolve() if args.root else find_root()


def _curriculum(args: argparse.Namespace):
    from datenwerkstatt.curriculum import load_curriculum

    return load_curriculum(_root(args))


# --- authors -------------------------------------------------------------------------------------------------------


def cmd_validate(args: argparse.Namespace) -> int:
    from datenwerkstatt.project import validate_project

    cur, problems = validate_project(_root(args))
    for problem in problems:
        print(f"✗ {problem}")
    available = sum(m.available for m in cur.modules.values())
    if problems:
        print(f"\n{len(problems)} problem(s) found.")
        return EXIT_ATTENTION
    print(f"✓ curriculum, {len(cur.personas)} persona paths, {available} module notebooks and the datasets are valid.")
    return EXIT_OK


def cmd_header(args: argparse.Namespace) -> int:
    from datenwerkstatt.curriculum import CurriculumError, _load, header_markdown

    cur, problems = _load(_root(args))  # authors need the header while other entries are still being fixed
    if problems:
        raise CurriculumError(problems)
    if args.module not in cur.modules:
        print(f"unknown module '{args.module}'; known: {', '.join(cur.modules)}", file=sys.stderr)
        return EXIT_ERROR
    print(header_markdown(cur.modules[args.module]))
    return EXIT_OK


def cmd_data(args: argparse.Namespace) -> int:
    from datenwerkstatt import datasets

    root = _root(args)
    ids = args.datasets or list(datasets.generators())
    for dataset_id in ids:
        out = Path(args.out) / dataset_id if args.out else root / "datasets" / dataset_id
        written = datasets.generate(dataset_id, out)
        print(f"{dataset_id}: {len(written)} file(s) in {out}")
    return EXIT_OK


# --- learners ------------------------------------------------------------------------------------------------------


def cmd_catalog(args: argparse.Namespace) -> int:
    from datenwerkstatt.catalog import catalog_rows, render_table

    cur = _curriculum(args)
    try:
        rows = catalog_rows(cur, level=args.level, persona=args.persona, max_minutes=args.max_minutes,
                            include_planned=not args.available_only)
    except KeyError as exc:
        print(exc.args[0], file=sys.stderr)
        return EXIT_ERROR
    print(render_table(rows))
    return EXIT_OK


def cmd_path(args: argparse.Namespace) -> int:
    from datenwerkstatt.catalog import render_path

    cur = _curriculum(args)
    if args.persona not in cur.personas:
        print(f"unknown persona '{args.persona}'; known: {', '.join(cur.personas)}", file=sys.stderr)
        return EXIT_ERROR
    print(render_path(cur, args.persona))
    return EXIT_OK


# --- trainers ------------------------------------------------------------------------------------------------------


def cmd_release(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.release import release

    result = release(_curriculum(args), args.module, Path(args.course), self_study=args.self_study, db_url=args.db)
    print(f"✓ released {args.module} to {result}")
    return EXIT_OK


def cmd_lernen(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.release import build_self_study

    cur = _curriculum(args)
    out = Path(args.out) if args.out else cur.root / "build" / "lernen"
    for path in build_self_study(cur, out):
        print(f"✓ {path}")
    return EXIT_OK


def cmd_grade(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.autograde import grade
    from datenwerkstatt.grading.table import render_scores

    outcome = grade(args.module, Path(args.course), submissions=Path(args.submissions) if args.submissions else None,
                    db_url=args.db, workers=args.workers, progress=not args.quiet, sandbox=not args.no_sandbox,
                    force=args.force)
    print(render_scores(outcome))
    return EXIT_ATTENTION if outcome.needs_attention else EXIT_OK


def cmd_feedback(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.feedback import write_feedback

    written = write_feedback(args.module, Path(args.course), db_url=args.db)
    print(f"✓ {len(written)} feedback page(s) in {Path(args.course) / 'feedback'} "
          "(on a hub: `nbgrader release_feedback " + args.module + "`)")
    return EXIT_OK


def cmd_report(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.report import write_report

    for path in write_report(args.modules, Path(args.course), Path(args.out) if args.out else None, db_url=args.db):
        print(f"✓ {path}")
    return EXIT_OK


def cmd_demo(args: argparse.Namespace) -> int:
    from datenwerkstatt.grading.demo import run_demo

    return run_demo(_curriculum(args), Path(args.course))


# --- parser --------------------------------------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="datenwerkstatt", description=DESCRIPTION,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--root", help="the curriculum repository (default: found from the current folder)")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    p = sub.add_parser("validate", help="check curriculum, personas, notebooks and datasets; exit 1 on problems")
    p.set_defaults(func=cmd_validate)

    p = sub.add_parser("header", help="print a module's title cell as derived from curriculum.yml")
    p.add_argument("module", help="module id, e.g. b02-exporte-laden")
    p.set_defaults(func=cmd_header)

    p = sub.add_parser("data", help="regenerate datasets (seeded, byte-identical) into datasets/<id>/")
    p.add_argument("datasets", nargs="*", metavar="DATASET", help="dataset ids (default: all)")
    p.add_argument("--out", help="write into OUT/<id>/ instead of the repository")
    p.set_defaults(func=cmd_data)

    p = sub.add_parser("catalog", help="list the modules as a table")
    p.add_argument("--level", choices=["beginner", "intermediate", "advanced"], help="only this level")
    p.add_argument("--persona", help="only modules on this persona's path, in path order")
    p.add_argument("--max-minutes", type=int, help="only modules that take at most this long")
    p.add_argument("--available-only", action="store_true", help="hide modules that are only planned")
    p.set_defaults(func=cmd_catalog)

    p = sub.add_parser("path", help="a persona's modules in order, with the total time")
    p.add_argument("persona", help="persona id, e.g. fundraising")
    p.set_defaults(func=cmd_path)

    course_help = "the nbgrader course directory (default: ./kurs; created if missing)"
    p = sub.add_parser("release", help="make a module's student version (nbgrader generate_assignment + data + hints)")
    p.add_argument("module", help="module id")
    p.add_argument("--course", default="kurs", help=course_help)
    p.add_argument("--self-study", action="store_true",
                   help="also ship the model solutions for loesung() (never for graded workshops)")
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's gradebook.db)")
    p.set_defaults(func=cmd_release)

    p = sub.add_parser("lernen", help="self-study copies of all modules (hints and solutions on demand) for the "
                                      "start page; `make lab` and Binder run this")
    p.add_argument("--out", help="target folder (default: build/lernen in the repository)")
    p.set_defaults(func=cmd_lernen)

    p = sub.add_parser("grade", help="autograde submissions and print a score table; exit 1 if something needs you",
                       description="Autograde a module's submissions. PATH may be a folder or a zip of notebooks "
                                   "named however participants saved them (e.g. 'b02 (1).ipynb', 'Anna Müller.ipynb', "
                                   "'anna/b02-exporte-laden.ipynb'); without --submissions, grades what nbgrader "
                                   "collected into the course's submitted/ folder. Works on any nbgrader course.")
    p.add_argument("module", help="module (assignment) id")
    p.add_argument("--submissions", metavar="PATH", help="folder or .zip of submitted notebooks")
    p.add_argument("--course", default="kurs", help=course_help)
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's gradebook.db)")
    p.add_argument("--workers", type=int, default=None, help="parallel submissions (default: number of cores)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.add_argument("--force", action="store_true", help="regrade submissions already graded from the same file")
    p.add_argument("--no-sandbox", action="store_true",
                   help="run notebooks with nbgrader's own executor (your rights, one at a time): only for "
                        "trusted notebooks or systems without the sandbox")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("feedback", help="one German feedback page per participant (no test code, no hidden tests)")
    p.add_argument("module", help="module (assignment) id")
    p.add_argument("--course", default="kurs", help=course_help)
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's gradebook.db)")
    p.set_defaults(func=cmd_feedback)

    p = sub.add_parser("report", help="grades CSV, Moodle CSV and an HTML report with charts")
    p.add_argument("modules", nargs="+", metavar="MODULE", help="one or more module ids (several: progress table)")
    p.add_argument("--course", default="kurs", help=course_help)
    p.add_argument("--out", help="folder for the report files (default: COURSE/berichte)")
    p.add_argument("--db", metavar="URL", help="gradebook SQLAlchemy URL (default: the course's gradebook.db)")
    p.set_defaults(func=cmd_report)

    p = sub.add_parser("demo", help="release the pilot module, grade sample submissions, print the score table")
    p.add_argument("--course", default="build/demo-kurs", help="course directory for the demo (rebuilt each time)")
    p.set_defaults(func=cmd_demo)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("\ninterrupted; nothing half-written was kept. Run the same command again to resume.", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - every expected failure is a clear one-line message for the trainer
        from datenwerkstatt.errors import UserError

        if isinstance(exc, UserError):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        from datenwerkstatt.curriculum import CurriculumError

        if isinstance(exc, (CurriculumError, FileNotFoundError)):
            print(f"error: {exc}", file=sys.stderr)
            return EXIT_ERROR
        raise
