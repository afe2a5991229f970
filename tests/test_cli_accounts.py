"""`accr-graph users ...` and `tokens ...` on a temporary SQLite file (in-process, synchronous)."""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pytest

from accr_graph import cli
from accr_graph.security.secrets import digest
from tests.test_cli import db_file, migrated  # noqa: F401  (fixtures)


@pytest.fixture
def sample(migrated: Path, capsys: pytest.CaptureFixture[str]) -> Path:  # noqa: F811
    assert cli.main(["load-sample"]) == 0
    capsys.readouterr()
    return migrated


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_create_user_and_set_password(
    sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _stdin(monkeypatch, "a-long-password\n")
    args = [
        "users",
        "create",
        "--email",
        "New@Example.org",
        "--role",
        "member",
        "--centre",
        "kloster-lindenau",
        "--password-stdin",
    ]
    assert cli.main(args) == 0
    assert "created member new@example.org" in capsys.readouterr().out
    with sqlite3.connect(sample) as conn:
        hashed = conn.execute(
            "SELECT password_hash FROM users WHERE email = 'new@example.org'"
        ).fetchone()[0]
    assert hashed.startswith("$argon2id$")
    _stdin(monkeypatch, "another-long-one\n")
    assert (
        cli.main(["users", "set-password", "--email", "new@example.org", "--password-stdin"]) == 0
    )


@pytest.mark.parametrize(
    ("args", "stdin", "message"),
    [
        (
            ["--email", "x@example.org", "--role", "member", "--centre", "nope"],
            "long-enough-pw\n",
            "no centre with slug 'nope'",
        ),
        (
            ["--email", "x@example.org", "--role", "member"],
            "long-enough-pw\n",
            "a member needs --centre",
        ),
        (["--email", "x@example.org", "--role", "staff"], "short\n", "at least 10 characters"),
        (
            ["--email", "staff@accr.example.org", "--role", "staff"],
            "long-enough-pw\n",
            "already exists",
        ),
    ],
)
def test_create_user_errors_are_one_line(
    sample: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    args: list[str],
    stdin: str,
    message: str,
) -> None:
    _stdin(monkeypatch, stdin)
    assert cli.main(["users", "create", *args, "--password-stdin"]) == 1
    err = capsys.readouterr().err
    assert message in err and err.count("\n") == 1 and "Traceback" not in err


def test_token_create_prints_the_secret_once_and_stores_its_hash(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert (
        cli.main(
            [
                "tokens",
                "create",
                "--user",
                "staff@accr.example.org",
                "--scopes",
                "read,admin",
                "--days",
                "30",
            ]
        )
        == 0
    )
    secret = capsys.readouterr().out.strip().splitlines()[-1]
    with sqlite3.connect(sample) as conn:
        stored = conn.execute("SELECT secret_hash, scopes, expires_at FROM api_tokens").fetchall()
    assert stored[0][0] == digest(secret) and '"admin"' in stored[0][1] and stored[0][2]


def test_member_cannot_get_an_admin_token(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    args = [
        "tokens",
        "create",
        "--user",
        "lea.schneider@kloster-lindenau.example.org",
        "--scopes",
        "admin",
    ]
    assert cli.main(args) == 1
    assert "cannot grant scope(s) you do not have: admin" in capsys.readouterr().err


def _audit_and_version(path: Path) -> tuple[list[tuple[str, str | None]], int]:
    with sqlite3.connect(path) as conn:
        entries = conn.execute("SELECT action, object_type FROM audit_log ORDER BY id").fetchall()
        version = conn.execute("SELECT version FROM data_version").fetchone()[0]
    return [tuple(e) for e in entries], int(version)


def test_a_cli_write_is_audited_and_bumps_the_version_exactly_once(
    sample: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # given the sample (loaded without per-row audit) and its data version
    entries, version = _audit_and_version(sample)
    assert entries == []
    # when a user is created from the command line
    _stdin(monkeypatch, "a-long-password\n")
    args = ["users", "create", "--email", "x@example.org", "--role", "staff", "--password-stdin"]
    assert cli.main(args) == 0
    # then one audit entry names the new user, and the data version moved by one
    assert _audit_and_version(sample) == ([("createUser", "User")], version + 1)
    # and a refused command leaves neither
    _stdin(monkeypatch, "short\n")
    assert cli.main(["users", "set-password", "--email", "x@example.org", "--password-stdin"]) == 1
    assert _audit_and_version(sample) == ([("createUser", "User")], version + 1)
