"""Settings: the database URL default, the platform URL rewrites and which variable wins."""

from __future__ import annotations

from pathlib import Path

import pytest

from accr_graph.settings import (
    DEFAULT_DATABASE_URL,
    Settings,
    get_settings,
    normalise_database_url,
    reset_settings_cache,
)

PLATFORM_URLS = [
    ("postgres://app:s3cret@db.example.org:5432/accr", "app:s3cret@db.example.org:5432/accr"),
    ("postgresql://app:s3cret@db.example.org:5432/accr", "app:s3cret@db.example.org:5432/accr"),
    ("postgres://localhost/accr", "localhost/accr"),
]


@pytest.fixture(autouse=True)
def clean_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """No database variable from the machine running the tests leaks into a case."""
    for name in ("ACCR_DATABASE_URL", "DATABASE_URL", "ACCR_PAGE_SIZE_MAX", "ACCR_ENVIRONMENT"):
        monkeypatch.delenv(name, raising=False)


def test_default_database_is_a_sqlite_file_in_the_working_folder() -> None:
    # given no database variable at all
    # when the settings are read
    settings = Settings(_env_file=None)
    # then the embedded SQLite default applies
    assert DEFAULT_DATABASE_URL == "sqlite+aiosqlite:///./accr_graph.db"
    assert settings.database_url == "sqlite+aiosqlite:///./accr_graph.db"
    assert settings.is_sqlite


@pytest.mark.parametrize("variable", ["ACCR_DATABASE_URL", "DATABASE_URL"])
@pytest.mark.parametrize(("given", "rest"), PLATFORM_URLS)
def test_platform_postgres_urls_are_rewritten_to_asyncpg(
    monkeypatch: pytest.MonkeyPatch, variable: str, given: str, rest: str
) -> None:
    # given a URL as hosting platforms hand it out
    monkeypatch.setenv(variable, given)
    # when the settings are read
    settings = Settings(_env_file=None)
    # then it names the asyncpg driver and keeps everything after the scheme
    assert settings.database_url == f"postgresql+asyncpg://{rest}"
    assert not settings.is_sqlite


def test_accr_database_url_wins_over_database_url(monkeypatch: pytest.MonkeyPatch) -> None:
    # given both variables
    monkeypatch.setenv("DATABASE_URL", "postgres://platform@db.example.org/platform")
    monkeypatch.setenv("ACCR_DATABASE_URL", "postgres://ours@db.example.org/ours")
    # when the settings are read
    settings = Settings(_env_file=None)
    # then the ACCR_ one is used (and rewritten too)
    assert settings.database_url == "postgresql+asyncpg://ours@db.example.org/ours"


def test_accr_sqlite_url_wins_over_a_platform_postgres_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://platform@db.example.org/platform")
    monkeypatch.setenv("ACCR_DATABASE_URL", "sqlite+aiosqlite:///./local.db")

    settings = Settings(_env_file=None)

    assert settings.database_url == "sqlite+aiosqlite:///./local.db"
    assert settings.is_sqlite


def test_plain_database_url_is_the_fallback(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql+asyncpg://platform@db.example.org/platform")

    settings = Settings(_env_file=None)

    assert settings.database_url == "postgresql+asyncpg://platform@db.example.org/platform"


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("postgresql+asyncpg://u@h/db", "postgresql+asyncpg://u@h/db"),
        ("postgresql+psycopg://u@h/db", "postgresql+psycopg://u@h/db"),
        ("sqlite+aiosqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
        ("sqlite:///./x.db", "sqlite+aiosqlite:///./x.db"),
        ("sqlite://", "sqlite+aiosqlite://"),
        ("mysql://u@h/db", "mysql://u@h/db"),
    ],
)
def test_explicit_drivers_are_kept_and_bare_sqlite_gets_aiosqlite(
    given: str, expected: str
) -> None:
    assert normalise_database_url(given) == expected


def test_a_url_given_in_code_is_rewritten_too() -> None:
    # given a URL passed by field name (as the tests and the app factory do)
    settings = Settings(_env_file=None, database_url="postgres://u@h/db")
    # then the same rewrite applies
    assert settings.database_url == "postgresql+asyncpg://u@h/db"


def test_env_file_is_read_and_the_environment_beats_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # given a .env file naming a platform URL and another knob
    env_file = tmp_path / ".env"
    env_file.write_text(
        "DATABASE_URL=postgres://fromfile@h/db\nACCR_PAGE_SIZE_MAX=42\n", encoding="utf-8"
    )
    # when read alone, then it is used and rewritten
    from_file = Settings(_env_file=env_file)
    assert from_file.database_url == "postgresql+asyncpg://fromfile@h/db"
    assert from_file.page_size_max == 42
    # when the environment also sets ACCR_DATABASE_URL, then the environment wins
    monkeypatch.setenv("ACCR_DATABASE_URL", "sqlite+aiosqlite:///./env.db")
    assert Settings(_env_file=env_file).database_url == "sqlite+aiosqlite:///./env.db"


def test_other_knobs_use_the_accr_prefix(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCR_PAGE_SIZE_MAX", "50")
    monkeypatch.setenv("ACCR_ENVIRONMENT", "production")

    settings = Settings(_env_file=None)

    assert settings.page_size_max == 50
    assert settings.environment == "production"


def test_an_unknown_environment_name_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ACCR_ENVIRONMENT", "staging")

    with pytest.raises(ValueError, match="environment"):
        Settings(_env_file=None)


def test_get_settings_is_cached_until_reset(monkeypatch: pytest.MonkeyPatch) -> None:
    # given cached settings
    monkeypatch.setenv("ACCR_DATABASE_URL", "sqlite+aiosqlite:///./first.db")
    reset_settings_cache()
    try:
        first = get_settings()
        # when the environment changes, then the cached object stays until the reset
        monkeypatch.setenv("ACCR_DATABASE_URL", "postgres://u@h/second")
        assert get_settings() is first
        reset_settings_cache()
        assert get_settings().database_url == "postgresql+asyncpg://u@h/second"
    finally:
        reset_settings_cache()
