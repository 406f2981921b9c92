"""The demo workbooks: deterministic, committed as generated, and described by expected.json."""

from __future__ import annotations

import csv
import json
import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tools.samples import REFERENCE_DIR, SAMPLES_DIR, write_samples

Cells = dict[str, dict[str, Any]]


def workbook_contents(root: Path) -> Cells:
    """Every workbook under root: per sheet, its cell values and merged ranges."""
    out: Cells = {}
    for path in sorted(root.rglob("*.xlsx")):
        wb = openpyxl.load_workbook(path)
        out[path.relative_to(root).as_posix()] = {
            ws.title: {
                "values": [tuple(row) for row in ws.iter_rows(values_only=True)],
                "merged": sorted(str(r) for r in ws.merged_cells.ranges),
            }
            for ws in wb
        }
    return out


def sheet_texts(sheet: dict[str, Any]) -> list[str]:
    return [
        unicodedata.normalize("NFC", " ".join(str(v).split()))
        for row in sheet["values"]
        for v in row
        if isinstance(v, str)
    ]


@pytest.fixture(scope="module")
def generated(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("samples")
    return root, write_samples(root)


@pytest.fixture(scope="module")
def contents(generated: tuple[Path, list[Path]]) -> Cells:
    return workbook_contents(generated[0])


@pytest.fixture(scope="module")
def expected(generated: tuple[Path, list[Path]]) -> dict[str, Any]:
    return json.loads((generated[0] / "expected.json").read_text(encoding="utf-8"))


def test_write_samples_returns_what_it_wrote(generated: tuple[Path, list[Path]]) -> None:
    root, paths = generated
    assert paths, "nothing written"
    assert all(p.is_file() for p in paths)
    assert root / "expected.json" in paths
    on_disk = {p for p in root.rglob("*") if p.is_file()}
    assert on_disk == set(paths)
    summaries = [p for p in paths if p.parent.name == "summaries"]
    assert len(summaries) >= 4


def test_generation_is_deterministic(
    generated: tuple[Path, list[Path]], contents: Cells, tmp_path: Path
) -> None:
    write_samples(tmp_path)
    assert workbook_contents(tmp_path) == contents
    first = (generated[0] / "expected.json").read_text(encoding="utf-8")
    assert (tmp_path / "expected.json").read_text(encoding="utf-8") == first


def test_committed_samples_match_a_fresh_generation(
    generated: tuple[Path, list[Path]], contents: Cells
) -> None:
    committed = {
        p.relative_to(SAMPLES_DIR).as_posix() for p in SAMPLES_DIR.rglob("*") if p.is_file()
    }
    fresh = {p.relative_to(generated[0]).as_posix() for p in generated[1]}
    assert committed == fresh, "run `python -m tools.samples` and commit data/samples/"
    assert workbook_contents(SAMPLES_DIR) == contents
    assert (SAMPLES_DIR / "expected.json").read_text(encoding="utf-8") == (
        generated[0] / "expected.json"
    ).read_text(encoding="utf-8")


def test_samples_stay_small(generated: tuple[Path, list[Path]]) -> None:
    assert sum(p.stat().st_size for p in generated[1]) < 2_000_000


def test_declared_files_and_sheets_exist(expected: dict[str, Any], contents: Cells) -> None:
    declared = {f["file"] for f in expected["files"]}
    assert declared == set(contents)
    for f in expected["files"]:
        assert list(contents[f["file"]]) == f["sheets"], f["file"]
    assert {f["kind"] for f in expected["files"]} == {"A", "A2", "B", "C", "D", "E", "G", "H"}


def test_every_expected_unit_appears_in_its_sheet(
    expected: dict[str, Any], contents: Cells
) -> None:
    for u in expected["unit_scores"]:
        texts = sheet_texts(contents[u["file"]][u["sheet"]])
        assert any(u["unit"] in t for t in texts), (u["file"], u["sheet"], u["unit"])
        cluster = u["cluster"].lower()
        assert any(cluster in t.lower() for t in texts), (u["file"], u["sheet"], u["cluster"])
        assert any(f"NĂM {u['year']}" in t for t in texts), (u["file"], u["sheet"])
    for t in expected["targets"]:
        texts = sheet_texts(contents[t["file"]][t["sheet"]])
        assert any(t["unit"] in text for text in texts)
    for s in expected["summaries"]:
        rows = contents[s["file"]]["Tổng hợp"]["values"]
        assert any(s["unit"] in row for row in rows)


def test_membership_lists_cover_every_scored_unit(expected: dict[str, Any]) -> None:
    members = {(m["year"], m["cluster"], m["unit"]) for m in expected["memberships"]}
    listed_years = {m["year"] for m in expected["memberships"]}
    assert listed_years == {2024, 2025, 2026}
    for u in expected["unit_scores"]:
        if u["year"] in listed_years:
            assert (u["year"], u["cluster"], u["unit"]) in members, u
    roles = {m["role"] for m in expected["memberships"]}
    assert {"Cụm trưởng", "Cụm phó Thường trực", "Cụm phó", "Thành viên"} <= roles


def test_minimum_counts(expected: dict[str, Any]) -> None:
    kind = {f["file"]: f["kind"] for f in expected["files"]}
    units: dict[tuple[int, str], set[str]] = defaultdict(set)
    for u in expected["unit_scores"]:
        if kind[u["file"]] == "A":
            units[(u["year"], u["cluster"])].add(u["unit"])
    for year in (2024, 2025, 2026):
        big = [c for (y, c), members in units.items() if y == year and len(members) >= 5]
        assert len(big) >= 4, (year, big)
    a2_years = {u["year"] for u in expected["unit_scores"] if kind[u["file"]] == "A2"}
    assert a2_years == {2021, 2022, 2023, 2024}


def test_ranks_follow_the_totals(expected: dict[str, Any]) -> None:
    groups: dict[tuple[int, str], list[dict]] = defaultdict(list)
    for u in expected["unit_scores"]:
        groups[(u["year"], u["cluster"])].append(u)
    for members in groups.values():
        ranked = [u for u in members if u["not_ranked_reason"] is None]
        for u in ranked:
            better = sum(1 for o in ranked if o["total_score"] > u["total_score"] + 0.005)
            assert u["rank"] == 1 + better, u
        for u in members:
            if u["not_ranked_reason"] is not None:
                assert u["rank"] is None
            basis = u["assessed_score"] if u["assessed_score"] is not None else u["self_score"]
            assert u["total_score"] == basis
            share = u["total_score"] / u["max_score"] * 100
            band = (
                "Hoàn thành xuất sắc nhiệm vụ"
                if share >= 90
                else "Hoàn thành tốt nhiệm vụ"
                if share >= 70
                else "Hoàn thành nhiệm vụ"
                if share >= 50
                else "Không hoàn thành nhiệm vụ"
            )
            assert u["classification"] == band


def test_special_cases_are_where_expected_says(expected: dict[str, Any], contents: Cells) -> None:
    special = expected["special_cases"]
    assert [rank for _, rank, _ in special["tie"]["ranks"]][:3] == [1, 1, 3]

    (typo,) = special["total_row_typo"]
    assert abs(typo["typed"] - typo["computed"]) == 0.5
    sheet = contents[typo["file"]][typo["sheet"]]["values"]
    column = ord(typo["cell"][0]) - ord("A")
    row = int(typo["cell"][1:]) - 1
    typed = str(sheet[row][column]).replace(",", ".")
    assert float(typed) == typo["typed"]
    unit = next(
        u
        for u in expected["unit_scores"]
        if u["file"] == typo["file"] and u["sheet"] == typo["sheet"]
    )
    assert unit["total_score"] == typo["computed"]

    (wrong,) = special["wrong_file_rank"]
    assert wrong["file_rank"] != wrong["rank"]
    claimed = [s for s in expected["summaries"] if s["file_rank"] != s["rank"]]
    assert [(s["unit"], s["file_rank"]) for s in claimed] == [(wrong["unit"], wrong["file_rank"])]

    nr = special["not_ranked"]
    values = contents[nr["file"]][nr["sheet"]]["values"]
    assert any("không xếp loại" in row for row in values)
    assert [u["unit"] for u in expected["unit_scores"] if u["rank"] is None] == [nr["unit"]]


def test_text_is_nfc_except_the_deliberate_name(expected: dict[str, Any], contents: Cells) -> None:
    decomposed = [
        (file, sheet, v)
        for file, sheets in contents.items()
        for sheet, data in sheets.items()
        for row in data["values"]
        for v in row
        if isinstance(v, str) and not unicodedata.is_normalized("NFC", v)
    ]
    nfd = expected["special_cases"]["nfd_unit_name"]
    assert len(decomposed) == 1
    file, sheet, value = decomposed[0]
    assert (file, sheet) == (nfd["file"], nfd["sheet"])
    assert unicodedata.normalize("NFC", value).endswith(nfd["unit"])
    elsewhere = [
        f
        for f, sheets in contents.items()
        for data in sheets.values()
        for row in data["values"]
        for v in row
        if v == nfd["unit"]
    ]
    assert elsewhere, "the NFD name must be typed in NFC in other files"


def test_summaries_restate_the_scoring_sheets(expected: dict[str, Any]) -> None:
    totals = {(u["year"], u["cluster"], u["unit"]): u for u in expected["unit_scores"]}
    for s in expected["summaries"]:
        unit = totals[(s["year"], s["cluster"], s["unit"])]
        assert s["total_score"] == unit["total_score"]
        assert s["rank"] == unit["rank"]
        assert round(s["assessed_score"] + s["bonus"] - s["deduction"], 2) == s["total_score"]


def test_targets_are_counted(expected: dict[str, Any]) -> None:
    periods = {t["period"] for t in expected["targets"]}
    assert periods == {"year", "H1"}
    for t in expected["targets"]:
        assert t["targets"] == t["met"] + t["not_met"] + t["no_result"]
    assert any(t["not_met"] for t in expected["targets"] if t["period"] == "year")
    assert len({t["cluster"] for t in expected["targets"] if t["period"] == "year"}) == 2


def test_indicators_use_the_published_figures(expected: dict[str, Any]) -> None:
    with (REFERENCE_DIR / "chi_thi_34_targets.csv").open(encoding="utf-8") as handle:
        names = {r["code"]: r["indicator"] for r in csv.DictReader(handle)}
    with (REFERENCE_DIR / "lam_dong_published_figures.csv").open(encoding="utf-8") as handle:
        published = {(r["code"], int(r["year"])): float(r["value"]) for r in csv.DictReader(handle)}
    values = {(i["code"], i["year"]): i for i in expected["indicators"]}
    assert {i["indicator"] for i in expected["indicators"]} == set(names.values())
    for (code, year), value in published.items():
        if 2021 <= year <= 2025:
            assert values[(code, year)]["value"] == value
            assert values[(code, year)]["source"] == "published"
    for item in expected["indicators"]:
        assert item["indicator"] == names[item["code"]]
        if (item["code"], item["year"]) not in published:
            assert item["source"] == "demo"
        assert not re.search(r"\d\.\d", item["target_text"]), "decimal comma expected"
