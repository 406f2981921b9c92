"""The `thidua` command line (interface.md §1): JSON reports, exit statuses, history, templates."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from openpyxl import load_workbook

from etl import cli, db, settings
from tests.etl.builders import UNIT, Book, Title, counts, rows

ROOT = Path(__file__).resolve().parents[2]
THIDUA = Path(sys.executable).with_name("thidua")


def run(capsys, *args: str) -> tuple[int, str, str]:
    """`thidua ARGS` in this process: exit status (SystemExit included), stdout, stderr."""
    try:
        code = cli.main(list(args))
    except SystemExit as exc:
        code = int(exc.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def json_lines(out: str) -> list[dict]:
    return [json.loads(line) for line in out.splitlines() if line.strip()]


def scoring(tmp_path: Path, name: str, score: str = "90", unit: str | None = None) -> Path:
    book = Book()
    book.kind_a(
        [
            ("I", "Công tác chuyên môn", "60", "55", "54"),
            ("II", "Công tác xây dựng Đảng", "40", score, score),
        ],
        title=Title(unit=unit) if unit else None,
        total=(None, "Tổng cộng", "100", "99", None),
    )
    return book.save(tmp_path / name)


def bad_cell(tmp_path: Path) -> Path:
    book = Book()
    book.kind_a([("I", "Công tác chuyên môn", "100", "ba", "90")])
    return book.save(tmp_path / "sai.xlsx")


def test_load_json_one_object_per_file(db_file, tmp_path, capsys):
    good = scoring(tmp_path, "a.xlsx", "38")
    bad = bad_cell(tmp_path)
    code, out, _ = run(capsys, "load", "--json", "--db", str(db_file), str(good), str(bad))
    assert code == 1
    first, second = json_lines(out)
    for obj in (first, second):
        assert {"file", "sha256", "status", "sheets"} <= set(obj)
        assert len(obj["sha256"]) == 64
        for sheet in obj["sheets"]:
            assert {"name", "kind", "rows", "warnings", "errors"} <= set(sheet)
            for issue in sheet["warnings"] + sheet["errors"]:
                assert set(issue) >= {"sheet", "cell", "message"}
    assert (first["file"], first["status"]) == ("a.xlsx", "loaded")
    (sheet,) = first["sheets"]
    assert (sheet["name"], sheet["kind"], sheet["rows"]) == ("Cụm 4", "A", 2)
    (warning,) = sheet["warnings"]  # the total row says 99, the criteria add up to 93
    assert warning["sheet"] == "Cụm 4" and warning["cell"] == "E13"
    assert "99" in warning["message"] and "93" in warning["message"]
    assert second["status"] == "refused"
    (error,) = [e for s in second["sheets"] for e in s["errors"]]
    assert error == {"sheet": "Cụm 4", "cell": "E11", "message": error["message"]}
    assert '"ba"' in error["message"]

    code, out, _ = run(capsys, "load", "--json", "--db", str(db_file), str(good))
    assert code == 0
    (again,) = json_lines(out)
    assert again["status"] == "already_loaded"


def test_load_options_supply_what_the_title_lacks(db_file, tmp_path, capsys):
    book = Book()
    book.kind_a(
        [("I", "Công tác chuyên môn", "100", "90", "88,5")],
        title=Title(year=None, title=None, unit=None, cluster=None, body=None),
    )
    path = book.save(tmp_path / "khong_tieu_de.xlsx")
    code, out, _ = run(capsys, "validate", "--json", str(path))
    assert code == 1
    assert "năm" in json_lines(out)[0]["sheets"][0]["errors"][0]["message"].lower()
    code, out, _ = run(
        capsys,
        "load",
        "--json",
        "--year",
        "2026",
        "--cluster",
        "Cụm 4",
        "--unit",
        "Văn phòng Đảng ủy Công an tỉnh",
        "--user",
        "canbo1",
        str(path),
    )
    assert code == 0, out
    con = db.connect(db_file)
    (u,) = rows(con, "SELECT year, cluster, unit, total_score FROM v_unit_scores")
    assert u == {
        "year": 2026,
        "cluster": "Cụm thi đua số 4",
        "unit": "Văn phòng Đảng ủy Công an tỉnh",
        "total_score": 88.5,
    }
    (imp,) = rows(con, "SELECT loaded_by FROM v_imports WHERE file_name = 'khong_tieu_de.xlsx'")
    assert imp["loaded_by"] == "canbo1"
    db.close_all()
    # rebuild replays the options given at load
    assert run(capsys, "rebuild", "--db", str(db_file))[0] == 0
    con = db.connect(db_file)
    (u,) = rows(con, "SELECT unit FROM v_unit_scores")
    assert u["unit"] == "Văn phòng Đảng ủy Công an tỉnh"


def test_file_level_errors_have_a_null_sheet_and_cell(db_file, tmp_path, capsys):
    pdf = tmp_path / "scan.xlsx"
    pdf.write_bytes(b"%PDF-1.5\n")
    code, out, _ = run(capsys, "validate", "--json", str(pdf))
    assert code == 1
    (obj,) = json_lines(out)
    errors = [e for s in obj["sheets"] for e in s["errors"]]
    assert errors and errors[0]["sheet"] is None and errors[0]["cell"] is None


def test_validate_writes_nothing(db_file, tmp_path, capsys):
    con = db.connect(db_file)
    before = counts(con)
    code, out, _ = run(capsys, "validate", "--json", str(scoring(tmp_path, "a.xlsx")))
    assert code == 0
    assert json_lines(out)[0]["status"] == "valid"
    assert counts(db.connect(db_file)) == before


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["frobnicate"],
        ["load"],
        ["load", "--year", "hai nghìn", "a.xlsx"],
        ["template", "Z", "-o", "x.xlsx"],
        ["template", "A"],
        ["retract", "mot"],
        ["user", "add", "an"],
    ],
)
def test_bad_usage_exits_2(capsys, db_file, args):
    code, _, err = run(capsys, *args)
    assert code == 2
    assert "Traceback" not in err


def test_missing_file_is_refused(db_file, tmp_path, capsys):
    code, out, _ = run(capsys, "load", "--json", str(tmp_path / "khong_co.xlsx"))
    assert code == 1
    assert json_lines(out)[0]["status"] == "refused"


def test_history_retract_restore(db_file, tmp_path, capsys):
    run(capsys, "load", "--db", str(db_file), str(scoring(tmp_path, "cu.xlsx", "38")))
    run(capsys, "load", "--db", str(db_file), str(scoring(tmp_path, "moi.xlsx", "39")))
    con = db.connect(db_file)
    ids = {r["file_name"]: r["import_id"] for r in rows(con, "SELECT * FROM v_imports")}
    old, new = ids["cu.xlsx"], ids["moi.xlsx"]

    code, out, _ = run(capsys, "history", "--db", str(db_file))
    assert code == 0
    lines = {line.split("|")[0].strip(): line for line in out.splitlines()}
    assert "superseded" in lines[str(old)] and "cu.xlsx" in lines[str(old)]
    assert "loaded" in lines[str(new)] and "moi.xlsx" in lines[str(new)]

    assert run(capsys, "retract", str(new), "--db", str(db_file))[0] == 0
    con = db.connect(db_file)
    assert rows(con, "SELECT total_score FROM v_unit_scores")[0]["total_score"] == 92.0
    code, out, _ = run(capsys, "history", "--db", str(db_file))
    assert "retracted" in next(line for line in out.splitlines() if "moi.xlsx" in line)

    assert run(capsys, "restore", str(new), "--db", str(db_file))[0] == 0
    con = db.connect(db_file)
    assert rows(con, "SELECT total_score FROM v_unit_scores")[0]["total_score"] == 93.0

    code, _, err = run(capsys, "retract", "999", "--db", str(db_file))
    assert code == 1 and "999" in err
    code, _, err = run(capsys, "restore", "999", "--db", str(db_file))
    assert code == 1 and "999" in err


@pytest.mark.parametrize("kind", ["A", "A2", "B", "C", "D", "E", "G", "H"])
def test_template_is_recognised_as_its_kind(db_file, tmp_path, capsys, kind):
    out_file = tmp_path / f"mau_{kind}.xlsx"
    code, _, _ = run(capsys, "template", kind, "-o", str(out_file))
    assert code == 0 and out_file.exists()
    code, out, _ = run(capsys, "validate", "--json", str(out_file))
    (obj,) = json_lines(out)
    kinds = [s["kind"] for s in obj["sheets"] if s["kind"]]
    assert kinds == [kind], obj["sheets"]
    if code == 1:  # a blank template may be refused for having no rows, never for its layout
        for e in (e for s in obj["sheets"] for e in s["errors"]):
            assert "không nhận ra" not in e["message"].lower()


def test_the_installed_script_and_python_m(db_file, tmp_path):
    env = {**os.environ, "THIDUA_DB": str(db_file)}
    good = scoring(tmp_path, "a.xlsx")
    out = subprocess.run(
        [str(THIDUA), "load", "--json", str(good)],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    assert json_lines(out.stdout)[0]["status"] == "loaded"
    out = subprocess.run(
        [sys.executable, "-m", "etl", "validate", str(bad_cell(tmp_path))],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode == 1
    assert 'Sheet "Cụm 4", ô E11: "ba" không phải là số' in out.stdout
    out = subprocess.run(
        [str(THIDUA), "lod"], capture_output=True, text=True, env=env, timeout=120, check=False
    )
    assert out.returncode == 2
    assert "Traceback" not in out.stderr


def test_export_table(db_file, tmp_path, capsys):
    run(capsys, "load", "--db", str(db_file), str(scoring(tmp_path, "a.xlsx")))
    out_file = tmp_path / "xep_hang.xlsx"
    code, out, _ = run(
        capsys, "export", "table", "v_unit_scores", "-o", str(out_file), "--db", str(db_file)
    )
    assert code == 0 and out_file.exists()
    assert out.strip() == f"Đã xuất 1 dòng của v_unit_scores vào {out_file}."
    ws = load_workbook(out_file).worksheets[0]
    assert [c.value for c in ws[1]][:3] == ["Năm", "Cụm, khối thi đua", "Đơn vị"]
    assert [c.value for c in ws[2]][:3] == [2026, "Cụm thi đua số 4", UNIT]

    code, out, _ = run(
        capsys, "export", "--db", str(db_file), "table", "v_unit_scores", "--year", "2025",
        "-o", str(out_file),
    )  # fmt: skip
    assert code == 0 and "0 dòng" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["table", "v_khong_co", "-o", "x.xlsx"], "chỉ xuất được các view"),
        (["table", "users", "-o", "x.xlsx"], "chỉ xuất được các view"),
        (["table", "v_imports", "-o", "x.csv"], "đuôi .xlsx"),
        (["pack", "--year", "2026", "-o", "x.docx"], ".pptx hoặc .pdf"),
        (["pack", "--year", "1999", "-o", "x.pptx"], "chưa có số liệu"),
    ],
)
def test_export_refusals_exit_1(db_file, tmp_path, capsys, args, message):
    db.connect(db_file)
    args = [a if not a.startswith("x.") else str(tmp_path / a) for a in args]
    code, out, err = run(capsys, "export", *args, "--db", str(db_file))
    assert code == 1 and out == ""
    last = err.strip().splitlines()[-1]  # importing the pack may log a Streamlit warning first
    assert last.startswith("Lỗi: ") and message in last, err
    assert not list(tmp_path.glob("x.*"))


def test_export_needs_an_existing_database(tmp_path, capsys):
    missing = tmp_path / "khong_co.duckdb"
    code, _, err = run(
        capsys, "export", "table", "v_imports", "-o", str(tmp_path / "x.xlsx"), "--db", str(missing)
    )
    assert code == 1 and "không có cơ sở dữ liệu" in err
    assert not missing.exists()


def test_user_commands_take_db_after_the_subcommand(tmp_path, monkeypatch):
    """interface.md: every command takes --db, wherever it is written."""
    import io

    from etl.year import accounts

    path = tmp_path / "users.duckdb"
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-dai-du\n"))
    assert cli.main(["user", "add", "ThuKy", "--role", "uploader", "--db", str(path)]) == 0
    monkeypatch.setattr("sys.stdin", io.StringIO("mat-khau-dai-du\n"))
    assert cli.main(["user", "--db", str(path), "add", "QuanTri", "--role", "admin"]) == 0
    con = db.connect(path)
    assert accounts.get_role(con, "thuky") == "uploader"
    assert accounts.get_role(con, "quantri") == "admin"
    db.close(path)


def test_serve_gives_the_server_its_limits_and_quiet_settings(db_file, monkeypatch, capsys):
    """`thidua serve` passes the upload limit from THIDUA_MAX_UPLOAD_MB, and the app's
    script-level Streamlit config (read from any working directory) hides error details and the
    developer menu."""
    import tomllib

    from streamlit import config as st_config

    calls: list[list[str]] = []

    def execv(program: str, cmd: list[str]) -> None:  # serve becomes the Streamlit process
        calls.append(cmd)
        raise SystemExit(0)

    monkeypatch.setattr(cli.os, "execv", execv)
    monkeypatch.setenv("THIDUA_MAX_UPLOAD_MB", "7")
    with pytest.raises(SystemExit):
        cli.main(["serve", "--db", str(db_file), "--port", "8644"])
    (cmd,) = calls
    flags = dict(zip(cmd[5::2], cmd[6::2], strict=True))
    assert flags["--server.maxUploadSize"] == "7"
    assert flags["--server.port"] == "8644"
    app = Path(cmd[4])
    assert app.name == "app.py"
    conf = tomllib.loads((app.parent / ".streamlit" / "config.toml").read_text())
    assert conf["client"]["showErrorDetails"] == "none"
    assert conf["client"]["toolbarMode"] in {"viewer", "minimal"}
    default = next(s.default for s in settings.SETTINGS if s.name == "max_upload_mb")
    assert conf["server"]["maxUploadSize"] == default  # a bare `streamlit run` agrees
    for section, options in conf.items():  # every option is one Streamlit 1.67 knows
        for option in options:
            assert f"{section}.{option}" in st_config._config_options_template
