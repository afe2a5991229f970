"""The ``accr-graph`` command line, run in-process against a temporary SQLite file.

``cli.main`` calls ``asyncio.run``, so these tests are plain synchronous functions.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from accr_graph import cli
from accr_graph.settings import reset_settings_cache

FIXTURES = Path(__file__).resolve().parent / "importers" / "fixtures"
SMALL = FIXTURES / "keep_eu_small"
BAD_DATE = FIXTURES / "keep_eu_bad" / "bad_date"
ACCR_GRAPH = Path(sys.executable).with_name("accr-graph")

SAMPLE_LOADED = (
    "loaded 44 centres, 20 themes, 31 competencies, 25 proposals, 46 interests, "
    "60 partnerships, 8 users, 5 meetings, 30 hub resources, 1 Project Fair edition"
)
ALREADY_HOLDS_CENTRES = (
    "accr-graph: error: the database already holds centres; nothing loaded "
    "(use --replace to delete everything and load the sample network)\n"
)
SMALL_FIRST_IMPORT = (
    "imported: 8 new centres (0 already there), 3 new partnerships (0 already there), "
    "3 new themes, 10 memberships"
)
SMALL_SECOND_IMPORT = (
    "imported: 0 new centres (8 already there), 0 new partnerships (3 already there), "
    "0 new themes, 0 memberships"
)
UNREACHABLE_POSTGRES = "postgresql://postgres@127.0.0.1:1/nothing"


@pytest.fixture
def db_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """ACCR_DATABASE_URL points at a fresh SQLite file (not created yet)."""
    path = tmp_path / "cli.db"
    monkeypatch.setenv("ACCR_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
    monkeypatch.delenv("DATABASE_URL", raising=False)
    reset_settings_cache()
    yield path
    reset_settings_cache()


@pytest.fixture
def migrated(db_file: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    assert cli.main(["db", "upgrade"]) == 0
    capsys.readouterr()
    return db_file


def count(path: Path, table: str) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0])


def counts(path: Path) -> dict[str, int]:
    tables = ("centres", "partnerships", "partnership_members", "themes", "users", "data_version")
    snapshot = {table: count(path, table) for table in tables}
    with sqlite3.connect(path) as conn:
        snapshot["version"] = int(conn.execute("SELECT version FROM data_version").fetchone()[0])
    return snapshot


def table_names(path: Path) -> set[str]:
    with sqlite3.connect(path) as conn:
        return {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}


def assert_one_line_error(err: str) -> None:
    assert err.startswith("accr-graph: error: "), err
    assert err.count("\n") == 1 and err.endswith("\n"), err
    assert "Traceback" not in err


# --- help -----------------------------------------------------------------------------------------

HELP = [
    ([], "COMMAND"),
    (["db"], "upgrade"),
    (["db", "upgrade"], "revision"),
    (["db", "downgrade"], "revision"),
    (["load-sample"], "--replace"),
    (["import"], "keep-eu"),
    (["import", "keep-eu"], "--dir"),
    (["serve"], "--port"),
    (["export-schema"], "--output"),
]


@pytest.mark.parametrize(("command", "mentions"), HELP, ids=[" ".join(c) or "-" for c, _ in HELP])
def test_help_works_for_every_command(
    command: list[str], mentions: str, capsys: pytest.CaptureFixture[str]
) -> None:
    # when asked for help
    with pytest.raises(SystemExit) as exited:
        cli.main([*command, "--help"])
    # then it exits 0 with a usage line naming the command and its options
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: accr-graph {' '.join(command)}".rstrip())
    assert mentions in out


def test_a_missing_command_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        cli.main([])

    assert exited.value.code == 2
    assert "usage: accr-graph" in capsys.readouterr().err


def test_the_installed_script_answers_help() -> None:
    result = subprocess.run(
        [str(ACCR_GRAPH), "--help"], capture_output=True, text=True, timeout=60, check=False
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: accr-graph")
    for command in ("db", "load-sample", "import", "serve", "export-schema"):
        assert command in result.stdout


# --- db -------------------------------------------------------------------------------------------


def test_db_upgrade_then_downgrade(db_file: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when upgraded
    assert cli.main(["db", "upgrade"]) == 0
    # then it says where, and the tables are there
    assert capsys.readouterr().out == f"database at head: sqlite+aiosqlite:///{db_file}\n"
    assert {"centres", "partnerships", "data_version", "alembic_version"} <= table_names(db_file)
    # when downgraded to base, then only Alembic's table is left
    assert cli.main(["db", "downgrade", "base"]) == 0
    assert capsys.readouterr().out == "database downgraded to base\n"
    assert table_names(db_file) == {"alembic_version"}


def test_the_database_url_option_overrides_the_environment(
    tmp_path: Path, db_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the environment names one file and the option another
    other = tmp_path / "other.db"
    monkeypatch.setenv("ACCR_DATABASE_URL", f"sqlite+aiosqlite:///{db_file}")  # restored after
    # when upgraded with the option
    assert cli.main(["--database-url", f"sqlite:///{other}", "db", "upgrade"]) == 0
    # then the option's database (bare sqlite:// rewritten to aiosqlite) got the schema
    assert "centres" in table_names(other)
    assert not db_file.exists()


def test_an_unreachable_database_is_a_one_line_error(
    db_file: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ACCR_DATABASE_URL", UNREACHABLE_POSTGRES)
    reset_settings_cache()

    assert cli.main(["db", "upgrade"]) == 1

    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert err.startswith("accr-graph: error: database: ")


# --- load-sample --------------------------------------------------------------------------------


def test_load_sample_into_a_migrated_database(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # when the sample is loaded
    assert cli.main(["load-sample"]) == 0
    # then the counts are printed and stored
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == SAMPLE_LOADED
    assert "illustrative data" in out
    assert count(migrated, "centres") == 44
    assert count(migrated, "users") == 8


def test_a_second_load_sample_refuses_politely(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the sample already loaded
    assert cli.main(["load-sample"]) == 0
    before = counts(migrated)
    capsys.readouterr()
    # when loaded again without --replace
    status = cli.main(["load-sample"])
    # then it refuses with one line and touches nothing
    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == ALREADY_HOLDS_CENTRES
    assert_one_line_error(captured.err)
    assert counts(migrated) == before


def test_load_sample_replace_deletes_and_reloads(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the keep-eu small files and the sample already there (replace wipes both)
    assert cli.main(["import", "keep-eu", "--dir", str(SMALL)]) == 0
    assert cli.main(["load-sample", "--replace"]) == 0
    capsys.readouterr()
    # when replaced
    assert cli.main(["load-sample", "--replace"]) == 0
    # then the database holds exactly one copy of the sample
    out = capsys.readouterr().out
    assert "deleting the existing data ..." in out
    assert out.splitlines()[-1] == SAMPLE_LOADED
    assert count(migrated, "centres") == 44
    assert count(migrated, "partnerships") == 60
    assert count(migrated, "users") == 8


def test_load_sample_before_migrating_is_a_one_line_error(
    db_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["load-sample"]) == 1

    err = capsys.readouterr().err
    assert_one_line_error(err)
    assert "no such table" in err


# --- import keep-eu -----------------------------------------------------------------------------


def test_import_from_a_missing_directory(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status = cli.main(["import", "keep-eu", "--dir", "/nonexistent"])

    captured = capsys.readouterr()
    assert status == 1
    assert captured.err == "accr-graph: error: /nonexistent: no such directory\n"
    assert captured.out == ""


def test_import_the_small_files_twice(migrated: Path, capsys: pytest.CaptureFixture[str]) -> None:
    # when imported the first time
    assert cli.main(["import", "keep-eu", "--dir", str(SMALL)]) == 0
    first = capsys.readouterr().out.splitlines()
    # then it reports what it read, what it added and what it skipped
    assert first[1] == (
        "read 3 projects (2 repeated rows imported once) and 8 organisations after name "
        "normalisation"
    )
    assert SMALL_FIRST_IMPORT in first
    assert "skipped: partners.csv row 11: 'Nowhere Society' has no known country ('Atlantis')" in (
        first
    )
    after_first = counts(migrated)
    # when imported a second time, then nothing new
    assert cli.main(["import", "keep-eu", "--dir", str(SMALL)]) == 0
    second = capsys.readouterr().out.splitlines()
    assert SMALL_SECOND_IMPORT in second
    assert counts(migrated) == after_first


def test_a_malformed_directory_names_the_row_and_changes_nothing(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    # given the small files imported
    assert cli.main(["import", "keep-eu", "--dir", str(SMALL)]) == 0
    before = counts(migrated)
    capsys.readouterr()
    # when a directory with a bad date on row 3 is imported
    status = cli.main(["import", "keep-eu", "--dir", str(BAD_DATE)])
    # then one line names file, row and reason, and the database is as it was
    err = capsys.readouterr().err
    assert status == 1
    assert err == "accr-graph: error: projects.csv row 3: 'start' is not a date: 'spring 2017'\n"
    assert counts(migrated) == before


# --- export-schema ------------------------------------------------------------------------------


def test_export_schema_writes_the_sdl(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "schema.graphql"

    assert cli.main(["export-schema", "--output", str(target)]) == 0

    assert capsys.readouterr().out == f"wrote {target}\n"
    assert "type Query" in target.read_text(encoding="utf-8")


# --- matching fit -------------------------------------------------------------------------------


def test_matching_fit_stores_a_model_and_says_what_it_fitted(
    migrated: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli.main(["load-sample"]) == 0
    capsys.readouterr()

    assert cli.main(["matching", "fit"]) == 0

    out = capsys.readouterr().out
    assert out.startswith("fitting the matching weights on the network's history ...\n")
    assert "stored model 1 for network version" in out
    assert "complementarity" in out
    assert count(migrated, "matching_models") == 1
