"""Hosting platforms' `?sslmode=` URLs work with asyncpg (they raised TypeError before)."""

from __future__ import annotations

import ssl
from pathlib import Path

import pytest

from accr_graph.db.session import create_engine
from accr_graph.db.ssl import split_ssl
from accr_graph.settings import Settings

BASE = "postgresql+asyncpg://u:p@db.example.org:5432/app"


@pytest.mark.parametrize("mode", ["disable", "allow", "prefer", "require"])
def test_plain_modes_become_asyncpg_ssl_strings(mode: str) -> None:
    url, args = split_ssl(f"{BASE}?sslmode={mode}")
    assert url == BASE and args == {"ssl": mode}


def test_verify_full_with_a_root_certificate(tmp_path: Path) -> None:
    cert = Path(ssl.get_default_verify_paths().cafile or "/etc/ssl/certs/ca-certificates.crt")
    url, args = split_ssl(f"{BASE}?sslmode=verify-full&sslrootcert={cert}")
    context = args["ssl"]
    assert url == BASE and isinstance(context, ssl.SSLContext)
    assert context.check_hostname and context.verify_mode == ssl.CERT_REQUIRED


def test_verify_ca_checks_the_chain_not_the_name() -> None:
    _, args = split_ssl(f"{BASE}?sslmode=verify-ca")
    assert args["ssl"].verify_mode == ssl.CERT_REQUIRED and not args["ssl"].check_hostname


def test_other_parameters_are_kept_and_bad_modes_refused() -> None:
    url, _ = split_ssl(f"{BASE}?sslmode=require&application_name=accr")
    assert url == f"{BASE}?application_name=accr"
    with pytest.raises(ValueError, match="sslmode"):
        split_ssl(f"{BASE}?sslmode=sometimes")


def test_an_engine_builds_from_a_platform_url() -> None:
    settings = Settings(database_url="postgres://u:p@db.example.org/app?sslmode=require")
    engine = create_engine(settings, serving=True)
    assert engine.url.query == {}
    assert "sslmode" not in str(engine.url)
