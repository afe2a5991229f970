"""The one settings object: every knob comes from ``ACCR_*`` environment variables (or ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from pydantic import AliasChoices, Field, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./accr_graph.db"


def normalise_database_url(url: str) -> str:
    """Rewrite the URLs hosting platforms hand out to the async drivers we use.

    ``postgres://`` (Heroku-style) and ``postgresql://`` become ``postgresql+asyncpg://``;
    a bare ``sqlite://`` becomes ``sqlite+aiosqlite://``. Explicit drivers are kept as they are.
    """
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+asyncpg://" + url[len(prefix) :]
    if url.startswith("sqlite://"):
        return "sqlite+aiosqlite://" + url[len("sqlite://") :]
    return url


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="ACCR_", env_file=".env", extra="ignore")

    # ACCR_DATABASE_URL wins; a plain DATABASE_URL (as platforms set it) is the fallback.
    database_url: str = Field(
        default=DEFAULT_DATABASE_URL,
        validation_alias=AliasChoices("ACCR_DATABASE_URL", "DATABASE_URL"),
    )
    database_pool_size: int = 10
    database_max_overflow: int = 5
    database_echo: bool = False
    # Outages: a request waits at most this long for a connection, a new connection, a
    # statement, and as a whole (seconds); then it is answered 503 with Retry-After.
    database_connect_timeout: float = 3.0
    database_pool_timeout: float = 3.0
    database_statement_timeout: float = 3.0  # below max_execution_seconds: an outage is a 503
    request_timeout: float = 10.0

    environment: Literal["development", "production", "test"] = "development"
    log_level: str = "INFO"
    log_format: Literal["json", "text"] = "json"
    metrics_token: str = ""  # /metrics needs `Authorization: Bearer <it>`; empty: no /metrics
    # OpenTelemetry traces (the `otel` extra) to the collector set by OTEL_EXPORTER_OTLP_*.
    otel_enabled: bool = False

    # API limits (DESIGN.md convention 8)
    page_size_default: int = 20
    page_size_max: int = 100
    max_query_depth: int = 12
    max_aliases: int = 30
    max_tokens: int = 5000
    max_body_bytes: int = 1_000_000
    # Authentication. The secret key signs session and CSRF cookies; production must set it.
    secret_key: str = ""
    secret_key_file: str = ".accr-secret-key"  # used outside production when no key is set
    session_days: int = 14
    cookie_secure: bool | None = None  # default: secure cookies in production (HTTPS)
    login_delay_seconds: float = 0.5  # every failed log-in waits this long
    login_max_failures: int = 5  # per account or address in the window; then slowed down
    login_window_seconds: int = 900
    cors_origins: list[str] = []
    # Proxies whose X-Forwarded-For is believed: addresses or networks, comma-separated
    # ("10.0.0.0/8,192.0.2.7"). Empty: the TCP peer is the client (README, "Behind a proxy").
    trusted_proxies: str = ""
    # Query cost (GitHub-style: each field 1, connections multiply by their page size)
    max_query_cost: int = 100_000  # a true upper bound now (plain lists by table sizes)
    cost_budget_per_minute: int = 250_000  # per token or address; 0 turns the budget off
    # Build the matching index and whole-network analytics in the background at start-up and
    # after each change, instead of in the first request that needs them.
    matching_warm_up: bool = True
    # Fit the matching weights again in the background when the network changed enough since the
    # last fit (or was never fitted); `accr-graph matching fit` does it by hand.
    matching_refit: bool = True
    response_cache: bool = True
    response_cache_size: int = 2048  # entries
    response_cache_bytes: int = 64_000_000  # all bodies kept together
    response_cache_max_entry_bytes: int = 512_000  # a larger answer is not cached
    document_cache_size: int = 1024  # parsed and validated documents
    document_cache_bytes: int = 64_000_000  # their estimated size in memory
    # One request's execution stops after this long (its CPU work would delay every other
    # request of the worker, /healthz included).
    max_execution_seconds: float = 5.0
    # Notifications (docs/notifications.md). Without an SMTP URL e-mail is off; the inbox works.
    smtp_url: str = ""  # smtp://user:pass@host:587 (STARTTLS) or smtps://user:pass@host:465
    smtp_timeout_seconds: float = 10.0
    mail_from: str = "ACCR Graph <no-reply@accr.example.org>"
    public_url: str = "http://127.0.0.1:8000"  # links in e-mails point here
    # Deliver in the web process (an asyncio task): the default on SQLite, where
    # `accr-graph worker` cannot share the database file safely with several processes.
    deliver_in_process: bool | None = None
    worker_batch_size: int = 200
    worker_idle_seconds: float = 1.0
    retry_base_seconds: float = 30.0
    retry_cap_seconds: float = 3600.0
    retry_max_attempts: int = 12
    delivery_lease_seconds: float = 120.0  # a claimed delivery is retried after this if unsent
    webhook_timeout_seconds: float = 5.0
    webhook_allow_private: bool = False  # tests and local receivers only
    webhook_disable_after_hours: float = 24.0
    password_reset_minutes: int = 60
    # New open proposals fitting a centre (proposal.matched): how often the worker looks, and
    # the suggestion score (0..1) a proposal needs; 0 hours turns it off.
    match_scan_hours: float = 24.0
    match_min_score: float = 0.5
    # Resource hub: where uploaded files live (local folder storage) and the largest upload.
    storage_dir: str = "./accr-storage"
    max_upload_bytes: int = 50 * 1024 * 1024

    @field_validator("database_url")
    @classmethod
    def _rewrite_url(cls, value: str) -> str:
        return normalise_database_url(value)

    @field_validator("trusted_proxies")
    @classmethod
    def _check_proxies(cls, value: str) -> str:
        from accr_graph.web.addresses import parse_networks

        parse_networks(value)
        return value

    @property
    def secure_cookies(self) -> bool:
        if self.cookie_secure is not None:
            return self.cookie_secure
        return self.environment == "production"

    @property
    def delivers_in_process(self) -> bool:
        if self.deliver_in_process is not None:
            return self.deliver_in_process
        return self.is_sqlite

    @property
    def is_sqlite(self) -> bool:
        return self.database_url.startswith("sqlite")


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()


def reset_settings_cache() -> None:
    """For tests and the CLI's --database option: re-read the environment."""
    get_settings.cache_clear()


__all__ = ["DEFAULT_DATABASE_URL", "Settings", "get_settings", "normalise_database_url"]
