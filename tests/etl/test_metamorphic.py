"""Metamorphic tests: what offices do to a file without changing what it says changes no figure.

Every sample workbook (data/samples, summaries included) and a set of builder workbooks (a
cross-scoring matrix with Tự chấm | Cụm chấm pairs, the Tiền Giang framework sheet with merged
codes, a score merged over two criteria, a summary with ranks typed as words, targets with words,
indicators, a membership list with a merged cluster column) are loaded as they are and after a
transformation (tests/etl/metamorphic.py); every public view must hold the same rows, apart from
the columns that say where a figure sits.

Every transformation is applied to every workbook once (the corpus in two halves, one with each
variant: old column headed exactly like the visible one or "… (lần 1)", rows hidden by hand or by
a filter, "- 0,5" or "− 0,5"); hypothesis then combines random subsets of the transformations on
random subsets of the samples.
"""

from __future__ import annotations

import dataclasses
import tempfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from etl import db
from etl.cli import SAMPLES_DIR, sample_files
from etl.load import LoadOptions, load_file
from tests.etl.builders import Book, Title, tien_giang_book
from tests.etl.metamorphic import (
    ALL,
    Plan,
    as_excel_tables,
    casefolded,
    differences,
    formatted,
    legacy,
    libreoffice,
    snapshot,
    stacked,
    strict,
    transform,
)
from tests.programs import libreoffice_missing

SAMPLES = sample_files()
LISTS = [f for f in SAMPLES if "danh_sach" in f.name]
OTHERS = [f for f in SAMPLES if f not in LISTS]


def load_all(files: list[Path], where: Path) -> dict[str, list[tuple]]:
    """Load ``files`` in order into a fresh database; every one must load."""
    path = where / "thidua.duckdb"
    con = db.connect(path)
    try:
        for f in files:
            report = load_file(con, f, LoadOptions(user="test"))
            assert report.status == "loaded", (f.name, [i.human() for i in report.errors][:5])
        return snapshot(con)
    finally:
        db.close(path)


def transformed(files: list[Path], plan: Plan, where: Path, root: Path) -> list[Path]:
    return [transform(f, where / f.relative_to(root), plan) for f in files]


class Baselines:
    """Views of untouched file sets, computed once per set."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.cache: dict[tuple[Path, ...], dict[str, list[tuple]]] = {}

    def __call__(self, files: list[Path]) -> dict[str, list[tuple]]:
        key = tuple(files)
        if key not in self.cache:
            where = self.root / f"base{len(self.cache)}"
            where.mkdir()
            self.cache[key] = load_all(files, where)
        return self.cache[key]


@pytest.fixture(scope="module")
def baselines(tmp_path_factory) -> Baselines:
    return Baselines(tmp_path_factory.mktemp("baselines"))


def check(files: list[Path], plan: Plan, root: Path, where: Path, baselines) -> None:
    before = baselines(files)
    after = load_all(transformed(files, plan, where, root), where)
    assert sum(len(v) for v in before.values()) > 0
    assert differences(before, after) == [], plan.describe()


HALVES = {
    "edition-filter-unicode": (OTHERS[0::2], ALL),
    "same-hand-spaced": (
        OTHERS[1::2],
        dataclasses.replace(ALL, hidden_old_column="same", hide_rows="hand", minus="spaced"),
    ),
}


@pytest.mark.parametrize("half", sorted(HALVES))
def test_every_transformation_at_once_on_every_sample(half, tmp_path, baselines):
    files, plan = HALVES[half]
    check(LISTS + files, plan, SAMPLES_DIR, tmp_path, baselines)


plans = st.builds(
    Plan,
    title_rows=st.integers(0, 3),
    left_cols=st.integers(0, 2),
    nfd=st.booleans(),
    numbers_as_text=st.booleans(),
    minus=st.sampled_from(["ascii", "spaced", "unicode"]),
    protect=st.booleans(),
    hidden_old_sheet=st.booleans(),
    hidden_old_column=st.sampled_from([None, "same", "edition"]),
    hide_rows=st.sampled_from([None, "hand", "filter"]),
    lookalikes=st.booleans(),
    reorder=st.booleans(),
)


@settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(plan=plans, picked=st.sets(st.sampled_from(OTHERS), min_size=1, max_size=3))
def test_combined_transformations_change_no_figure(plan, picked, tmp_path, baselines):
    files = LISTS + [f for f in OTHERS if f in picked]
    where = Path(tempfile.mkdtemp(dir=tmp_path))  # one folder per example
    check(files, plan, SAMPLES_DIR, where, baselines)


# --- builder workbooks ----------------------------------------------------------------------------

TG_SELF = {"a1": "3", "a2": "3", "a4": "5,5", "a9": "5", "b.": "15", "b2": "5,5"}


def builder_corpus(root: Path) -> list[Path]:
    out = []
    members = Book()
    t = members.kind_e(
        [
            (1, "Sở Tài chính", "Cụm thi đua số 2", "Cụm trưởng", "STC"),
            (2, "Sở Xây dựng", None, "Thành viên", "SXD"),
            (3, "Sở Y tế", None, "Thành viên", "SYT"),
            (4, "Sở Tư pháp", None, "Thành viên", None),
        ]
    )
    col = t.columns["Cụm/Khối thi đua"]
    members.wb.active.merge_cells(f"{col}{t.rows[0]}:{col}{t.rows[3]}")
    out.append(members.save(root / "0_danh_sach.xlsx"))

    matrix = Book()
    matrix.kind_a2(
        ["Sở Tài chính", "Sở Xây dựng"],
        [
            ("I", "Công tác chuyên môn", "60", "56", "55", "58", "57,5"),
            ("II", "Công tác xây dựng Đảng", "40", "38", "37", "39", "36"),
            (None, "Điểm thưởng", None, "1", "1", None, None),
        ],
        pairs=True,
        title=Title(
            title="BẢNG TỔNG HỢP CHẤM ĐIỂM CHÉO NĂM {year}", unit=None, cluster="Cụm thi đua số 2"
        ),
    )
    out.append(matrix.save(root / "1_cham_cheo.xlsx"))

    merged = Book()
    m = merged.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác phối hợp", "11", None, None),
            ("a", "Tham gia hoạt động của Cụm", "6", "5,5", "9,5"),
            ("b", "Giao lưu, trao đổi kinh nghiệm", "5", "4", None),
            ("III", "Điểm trừ", None, None, None),
            ("-", "Chậm báo cáo", None, "- 0,5", "-1"),
        ],
        note=False,
        title=Title(unit="Sở Y tế", cluster="Cụm thi đua số 2"),
    )
    col = m.columns["Cụm chấm"]
    merged.wb.active.merge_cells(f"{col}{m.rows[2]}:{col}{m.rows[3]}")
    out.append(merged.save(root / "1_so_y_te.xlsx"))

    summary = Book()
    summary.kind_b(
        [
            (1, "Sở Tài chính", "95", "94,5", "Nhất", "Hoàn thành xuất sắc nhiệm vụ"),
            (2, "Sở Xây dựng", "93", "92", "Nhì", None),
            (3, "Sở Tư pháp", "90", "88", "III", None),
        ],
        columns=("Tên đơn vị", "Điểm tự chấm", "Điểm cụm chấm", "Xếp hạng", "Xếp loại"),
        title=Title(
            title="BẢNG TỔNG HỢP KẾT QUẢ NĂM {year}", unit=None, cluster="Cụm thi đua số 2"
        ),
    )
    out.append(summary.save(root / "2_tong_hop.xlsx"))

    targets = Book()
    targets.kind_c(
        [
            (1, "Tỷ lệ hồ sơ giải quyết đúng hạn", "%", "98", "99,2", None, None),
            (2, "Không để xảy ra khiếu nại vượt cấp", "vụ", "0", "0", None, None),
            (3, "Số hóa hồ sơ lưu trữ", "hồ sơ", "12.500", "13 100", None, None),
            (4, "Tổ chức hội nghị tổng kết", None, "Hoàn thành", "Hoàn thành", None, None),
        ],
        title=Title(unit="Sở Tư pháp", cluster="Cụm thi đua số 2"),
    )
    out.append(targets.save(root / "3_chi_tieu.xlsx"))

    indicators = Book()
    indicators.kind_d(
        [
            (1, "Tốc độ tăng trưởng GRDP", "%", "7 - 8", "6,1", "7,2", "8,05", "8"),
            (2, "Tỷ lệ hộ nghèo", "%", "giảm 1 - 1,5", "2,87", "1,94", "1,09", None),
        ]
    )
    out.append(indicators.save(root / "4_kt_xh.xlsx"))

    out.append(tien_giang_book(TG_SELF).save(root / "5_tien_giang.xlsx"))
    return out


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> tuple[Path, list[Path]]:
    root = tmp_path_factory.mktemp("builders")
    return root, builder_corpus(root)


@pytest.mark.parametrize(
    "plan",
    [
        ALL,
        dataclasses.replace(ALL, hidden_old_column="same", hide_rows="hand", minus="ascii"),
    ],
    ids=["edition-filter", "same-hand"],
)
def test_every_transformation_at_once_on_the_builder_workbooks(plan, corpus, tmp_path, baselines):
    root, files = corpus
    check(files, plan, root, tmp_path, baselines)


def test_the_suite_would_see_a_changed_figure(corpus, tmp_path, baselines):
    """The comparison is not blind: a file with one score changed differs."""
    _, files = corpus
    changed = tmp_path / "changed"
    changed.mkdir()
    copies = []
    for f in files:
        wb = openpyxl.load_workbook(f)
        if f.name == "2_tong_hop.xlsx":
            ws = wb.active
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value == "92":
                        cell.value = "92,5"
        copies.append(changed / f.name)
        wb.save(copies[-1])
    after = load_all(copies, changed)
    (diff,) = differences(baselines(files), after)
    assert diff.startswith("v_unit_scores")


# --- what the clerk sees (issue #17) --------------------------------------------------------------
# Typed figures vs the same figures stored as numbers with a number format (percent, decimals,
# thousands); saved formula values vs none (no saved value, or placeholders in a workbook flagged
# to recalculate on opening); Unicode vs TCVN3 vs VNI; .xlsx vs .xls, .ods, LibreOffice-saved
# .xlsx and Strict Open XML.

CLERK_HALVES = {
    "formats-placeholder-formulas-tcvn3": (OTHERS[0::2], "placeholder", "TCVN3"),
    "formats-formulas-without-values-vni": (OTHERS[1::2], "none", "VNI"),
}


def check_made(files, make, root, where, baselines, fold=False) -> None:
    before = baselines(files)
    after = load_all([make(f, where / f.relative_to(root)) for f in files], where)
    if fold:
        before, after = casefolded(before), casefolded(after)
    assert sum(len(v) for v in before.values()) > 0
    assert differences(before, after) == []


@pytest.mark.parametrize("half", sorted(CLERK_HALVES))
def test_formatted_figures_and_untrusted_formulas_change_no_figure(half, tmp_path, baselines):
    files, formulas, _ = CLERK_HALVES[half]
    check_made(
        LISTS + files,
        lambda src, dst: formatted(src, dst, formulas if src not in LISTS else None),
        SAMPLES_DIR,
        tmp_path,
        baselines,
    )


@pytest.mark.parametrize("half", sorted(CLERK_HALVES))
def test_legacy_encodings_change_no_figure(half, tmp_path, baselines):
    files, _, encoding = CLERK_HALVES[half]
    check_made(
        LISTS + files,
        lambda src, dst: legacy(src, dst, encoding),
        SAMPLES_DIR,
        tmp_path,
        baselines,
        fold=encoding == "TCVN3",
    )


BUILDER_MAKES = {
    "formats": lambda src, dst: formatted(src, dst),
    "formulas-without-values": lambda src, dst: formatted(src, dst, "none"),
    "placeholder-formulas": lambda src, dst: formatted(src, dst, "placeholder"),
    "tcvn3": lambda src, dst: legacy(src, dst, "TCVN3"),
    "vni": lambda src, dst: legacy(src, dst, "VNI"),
    "strict": strict,
}


@pytest.mark.parametrize("make", sorted(BUILDER_MAKES))
def test_what_the_clerk_sees_on_the_builder_workbooks(make, corpus, tmp_path, baselines):
    root, files = corpus
    check_made(files, BUILDER_MAKES[make], root, tmp_path, baselines, fold=make == "tcvn3")


# One workbook of each kind from the samples, with the membership lists first.
KIND_SAMPLES = LISTS[-1:] + [
    f
    for f in OTHERS
    if f.name
    in {
        "1_cham_diem_cum1_2026.xlsx",
        "1_tien_giang_cai_lay_tu_cham_2022.xlsx",
        "2_chi_tieu_thi_dua_cum1_2026.xlsx",
        "3_chi_tieu_kinh_te_xa_hoi_lam_dong.xlsx",
        "4_lich_thi_dua_2026.xlsx",
        "5_de_nghi_khen_thuong_2026.xlsx",
        "tong_hop_ket_qua_cum1_2026.xlsx",
    }
]


@pytest.fixture(scope="session")
def saved_by_libreoffice(tmp_path_factory):
    """The builder corpus and one sample of each kind, saved by LibreOffice Calc as .xls, .ods
    and .xlsx: converted once per session (soffice is slow)."""
    # Calc's presence is read from LibreOffice's registry, not by a trial conversion (seconds).
    reason = libreoffice_missing("calc")
    if reason is not None:
        pytest.skip(reason)
    where = tmp_path_factory.mktemp("libreoffice")
    root = where / "builders"
    builders = builder_corpus(root)
    out = {}
    for fmt in ("xls", "ods", "xlsx"):  # one run of soffice per format
        saved = libreoffice(builders + KIND_SAMPLES, fmt, where / fmt, where / "profile")
        out[fmt] = (saved[: len(builders)], saved[len(builders) :])
    return builders, out


@pytest.mark.parametrize("fmt", ["xls", "ods", "xlsx"])
def test_files_saved_by_other_programs_change_no_figure(fmt, saved_by_libreoffice, baselines):
    builders, out = saved_by_libreoffice
    converted_builders, converted_samples = out[fmt]

    def named_xlsx(views):
        """An indicator's default source names its file: "x.xls (tải lên)" is "x.xlsx (…)"."""
        suffix = f".{fmt} (tải lên)"
        return {
            view: [
                tuple(
                    v.replace(suffix, ".xlsx (tải lên)") if isinstance(v, str) else v for v in row
                )
                for row in rows
            ]
            for view, rows in views.items()
        }

    sets = {
        "builders": (builders, converted_builders),
        "samples": (KIND_SAMPLES, converted_samples),
    }
    for name, (originals, saved) in sets.items():
        where = saved[0].parent / f"db-{name}"
        where.mkdir(exist_ok=True)
        assert differences(baselines(originals), named_xlsx(load_all(saved, where))) == []


def test_strict_open_xml_changes_no_figure(tmp_path, baselines):
    check_made(KIND_SAMPLES, strict, SAMPLES_DIR, tmp_path, baselines)


# --- issue 17: Excel Tables, stacked blocks, an older copy before every column --------------------

SUMMARIES = [f for f in SAMPLES if f.parent.name == "summaries"]


def _as_tables(files: list[Path], where: Path, root: Path) -> tuple[list[Path], list[str]]:
    out, formatted = [], []
    for f in files:
        dst, sheets = as_excel_tables(f, where / f.relative_to(root))
        out.append(dst)
        formatted += [f"{f.name}/{s}" for s in sheets]
    return out, formatted


def test_plain_ranges_vs_excel_tables_with_a_totals_row_on_every_sample(tmp_path, baselines):
    """Every table Excel can format as a Table (one header row, no merged cell inside) is one,
    with a "Bình quân" totals row under its data: no figure changes."""
    files = LISTS + OTHERS
    tabled, formatted = _as_tables(files, tmp_path / "t", SAMPLES_DIR)
    assert {f.name for f in SUMMARIES} <= {s.split("/")[0] for s in formatted}
    assert differences(baselines(files), load_all(tabled, tmp_path)) == []


def test_plain_ranges_vs_excel_tables_on_the_builder_workbooks(corpus, tmp_path, baselines):
    root, files = corpus
    tabled, formatted = _as_tables(files, tmp_path / "t", root)
    assert len(formatted) >= 3, formatted
    assert differences(baselines(files), load_all(tabled, tmp_path)) == []


def test_one_file_per_cluster_vs_clusters_stacked_on_one_sheet(tmp_path, baselines):
    """The per-cluster summaries of a year, stacked as blocks on one sheet of one file (each
    under its "CỤM THI ĐUA SỐ N" line with its own header), give the same views."""
    files = LISTS + OTHERS
    years: dict[str, list[Path]] = {}
    for f in SUMMARIES:
        years.setdefault(f.stem.rsplit("_", 1)[-1], []).append(f)
    assert any(len(group) > 1 for group in years.values())
    combined = [
        stacked(group, tmp_path / f"tong_hop_cac_cum_{year}.xlsx")
        for year, group in sorted(years.items())
    ]
    rest = [f for f in files if f not in SUMMARIES]
    assert differences(baselines(files), load_all(rest + combined, tmp_path)) == []


EVERY = Plan(hidden_old_every=True)


@pytest.mark.parametrize("half", [0, 1])
def test_a_hidden_older_copy_before_every_column_on_every_sample(half, tmp_path, baselines):
    """The hidden-column rule for every column role: the office hid an older copy (headed like
    the visible column, or "… (lần 1)") before every column of every table."""
    plan = EVERY if half == 0 else dataclasses.replace(EVERY, hidden_old_column="edition")
    check(LISTS + OTHERS[half::2], plan, SAMPLES_DIR, tmp_path, baselines)


@pytest.mark.parametrize("edition", [None, "edition"], ids=["same", "edition"])
def test_a_hidden_older_copy_before_every_column_on_the_builder_workbooks(
    edition, corpus, tmp_path, baselines
):
    root, files = corpus
    check(files, dataclasses.replace(EVERY, hidden_old_column=edition), root, tmp_path, baselines)
