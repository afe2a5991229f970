"""The data model. Relationships are ``lazy="raise"``: every load is explicit (DESIGN.md §4).

Translatable text (centre descriptions, proposal titles and summaries, theme and competency
names) is stored as one JSON object per field, ``{"en": "...", "fr": "..."}``; see
``accr_graph.i18n`` for the fallback order.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.dialects.postgresql import TSVECTOR
from sqlalchemy.orm import Mapped, mapped_column, relationship

from accr_graph.db.base import Base, JsonType, TimestampMixin, UtcDateTime, str_enum, utcnow


class LabelStatus(StrEnum):
    LABELLED = "labelled"
    CANDIDATE = "candidate"
    ASSOCIATE = "associate"
    PARTNER = "partner"


class CompetencyKind(StrEnum):
    OFFERS = "offers"
    SEEKS = "seeks"


class ProposalStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    IN_DISCUSSION = "in_discussion"
    PARTNERED = "partnered"
    CLOSED = "closed"


class InterestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"


class UserRole(StrEnum):
    MEMBER = "member"
    STAFF = "staff"
    ADMIN = "admin"


class PartnershipRole(StrEnum):
    LEAD = "lead"
    PARTNER = "partner"
    ASSOCIATE = "associate"


centre_themes = Table(
    "centre_themes",
    Base.metadata,
    Column("centre_id", ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_centre_themes_theme_id", "theme_id"),
)

proposal_themes = Table(
    "proposal_themes",
    Base.metadata,
    Column("proposal_id", ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_proposal_themes_theme_id", "theme_id"),
)

partnership_themes = Table(
    "partnership_themes",
    Base.metadata,
    Column("partnership_id", ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_partnership_themes_theme_id", "theme_id"),
)


class Theme(Base):
    __tablename__ = "themes"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    name: Mapped[dict[str, str]]


class Competency(Base):
    __tablename__ = "competencies"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(120), unique=True)
    category: Mapped[str] = mapped_column(String(60), index=True)
    name: Mapped[dict[str, str]]


class Centre(TimestampMixin, Base):
    __tablename__ = "centres"
    __table_args__ = (
        CheckConstraint("latitude IS NULL OR (latitude >= -90 AND latitude <= 90)", name="lat"),
        CheckConstraint(
            "longitude IS NULL OR (longitude >= -180 AND longitude <= 180)", name="lon"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(160), unique=True)
    name: Mapped[str] = mapped_column(String(300))
    country: Mapped[str] = mapped_column(String(2), index=True)
    city: Mapped[str | None] = mapped_column(String(160))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    site_type: Mapped[str | None] = mapped_column(String(40))
    label_status: Mapped[LabelStatus] = mapped_column(
        str_enum(LabelStatus, "label_status"), default=LabelStatus.LABELLED, index=True
    )
    website: Mapped[str | None] = mapped_column(String(300))
    contact_email: Mapped[str | None] = mapped_column(String(300))
    contact_phone: Mapped[str | None] = mapped_column(String(60))
    languages: Mapped[list[str]] = mapped_column(default=list)
    founded_year: Mapped[int | None] = mapped_column(SmallInteger)
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    # Where the row came from ("sample", "keep-eu", "api") and its key there, so imports are
    # idempotent without guessing from names.
    source: Mapped[str] = mapped_column(String(20), default="api")
    external_key: Mapped[str | None] = mapped_column(String(400), unique=True)

    themes: Mapped[list[Theme]] = relationship(secondary=centre_themes, lazy="raise")
    competencies: Mapped[list[CentreCompetency]] = relationship(
        back_populates="centre", lazy="raise", cascade="all, delete-orphan"
    )


class CentreCompetency(Base):
    __tablename__ = "centre_competencies"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level"),)

    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[CompetencyKind] = mapped_column(
        str_enum(CompetencyKind, "competency_kind"), primary_key=True
    )
    level: Mapped[int] = mapped_column(SmallInteger, default=2)
    note: Mapped[str | None] = mapped_column(Text)

    centre: Mapped[Centre] = relationship(back_populates="competencies", lazy="raise")
    competency: Mapped[Competency] = relationship(lazy="raise")


class Proposal(TimestampMixin, Base):
    __tablename__ = "proposals"
    __table_args__ = (
        CheckConstraint("partners_min >= 1 AND partners_max >= partners_min", name="partners"),
        CheckConstraint("min_countries >= 1", name="min_countries"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    title: Mapped[dict[str, str]]
    summary: Mapped[dict[str, str]] = mapped_column(default=dict)
    partners_min: Mapped[int] = mapped_column(SmallInteger, default=2)
    partners_max: Mapped[int] = mapped_column(SmallInteger, default=5)
    min_countries: Mapped[int] = mapped_column(SmallInteger, default=1)
    timeframe: Mapped[str | None] = mapped_column(String(120))
    funding_programme: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[ProposalStatus] = mapped_column(
        str_enum(ProposalStatus, "proposal_status"), default=ProposalStatus.DRAFT, index=True
    )
    version: Mapped[int] = mapped_column(Integer, default=1)

    owner: Mapped[Centre] = relationship(lazy="raise")
    themes: Mapped[list[Theme]] = relationship(secondary=proposal_themes, lazy="raise")
    competencies: Mapped[list[ProposalCompetency]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )

    __mapper_args__ = {"version_id_col": version}


class ProposalCompetency(Base):
    __tablename__ = "proposal_competencies"
    __table_args__ = (CheckConstraint("level BETWEEN 1 AND 3", name="level"),)

    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), primary_key=True
    )
    competency_id: Mapped[int] = mapped_column(
        ForeignKey("competencies.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    kind: Mapped[CompetencyKind] = mapped_column(
        str_enum(CompetencyKind, "competency_kind"), primary_key=True
    )
    level: Mapped[int] = mapped_column(SmallInteger, default=2)


class Interest(TimestampMixin, Base):
    __tablename__ = "interests"
    __table_args__ = (UniqueConstraint("proposal_id", "centre_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    proposal_id: Mapped[int] = mapped_column(
        ForeignKey("proposals.id", ondelete="CASCADE"), index=True
    )
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[InterestStatus] = mapped_column(
        str_enum(InterestStatus, "interest_status"), default=InterestStatus.PENDING
    )


class Partnership(TimestampMixin, Base):
    __tablename__ = "partnerships"
    __table_args__ = (
        CheckConstraint(
            "end_year IS NULL OR start_year IS NULL OR end_year >= start_year", name="years"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(500))
    programme: Mapped[str | None] = mapped_column(String(300), index=True)
    start_year: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    end_year: Mapped[int | None] = mapped_column(SmallInteger)
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    description: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="api")
    external_key: Mapped[str | None] = mapped_column(String(600), unique=True)

    members: Mapped[list[PartnershipMember]] = relationship(
        lazy="raise", cascade="all, delete-orphan"
    )
    themes: Mapped[list[Theme]] = relationship(secondary=partnership_themes, lazy="raise")


class PartnershipMember(Base):
    __tablename__ = "partnership_members"

    partnership_id: Mapped[int] = mapped_column(
        ForeignKey("partnerships.id", ondelete="CASCADE"), primary_key=True
    )
    centre_id: Mapped[int] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    role: Mapped[PartnershipRole] = mapped_column(
        str_enum(PartnershipRole, "partnership_role"), default=PartnershipRole.PARTNER
    )


class User(TimestampMixin, Base):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(320), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    role: Mapped[UserRole] = mapped_column(str_enum(UserRole, "user_role"), default=UserRole.MEMBER)
    password_hash: Mapped[str | None] = mapped_column(String(300))
    is_active: Mapped[bool] = mapped_column(default=True)
    # The language of the web pages, inbox texts and e-mails (ISO 639-1); None: negotiate
    # per request (pages) or the ACCR's default (e-mails).
    language: Mapped[str | None] = mapped_column(String(8))


class ApiToken(Base):
    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    # Only a hash of the secret is stored; the prefix lets a user recognise a token in lists.
    prefix: Mapped[str] = mapped_column(String(16))
    secret_hash: Mapped[str] = mapped_column(String(128), unique=True)
    scopes: Mapped[list[str]] = mapped_column(default=list)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    last_used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class DataVersion(Base):
    """One row whose ``version`` is bumped in the same transaction as any change to the network.

    Caches (matching graph, response cache) compare it to decide whether they are stale, so
    several web workers agree without sharing memory.
    """

    __tablename__ = "data_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[int] = mapped_column(BigInteger, default=1)
    # Moves only when what the matching engine reads changes (centres, competencies, themes,
    # proposals, interests, partnerships): fair or account writes must not rebuild its index.
    network_version: Mapped[int] = mapped_column(BigInteger, default=1, server_default="1")
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class UserSession(Base):
    """A browser session: the cookie carries its signed id; logout revokes the row."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class AuthThrottle(Base):
    """Failed log-ins per account or address in a window, shared by every web worker."""

    __tablename__ = "auth_throttle"

    key: Mapped[str] = mapped_column(String(400), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)


class RateBudget(Base):
    """Query cost spent per caller (token or address) in the current one-minute window."""

    __tablename__ = "rate_budget"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(UtcDateTime())
    spent: Mapped[int] = mapped_column(BigInteger, default=0)


class AuditEntry(Base):
    """One successful mutation: who, with which token, what, on which object, which fields."""

    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    token_id: Mapped[int | None] = mapped_column(ForeignKey("api_tokens.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    changed_fields: Mapped[list[str]] = mapped_column(default=list)
    address: Mapped[str | None] = mapped_column(String(64))


# --- Project Fair -------------------------------------------------------------------------------


class MeetingRequestStatus(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    DECLINED = "declined"
    CANCELLED = "cancelled"


class MeetingKind(StrEnum):
    ONE_TO_ONE = "one_to_one"
    CONSORTIUM = "consortium"


class MeetingStatus(StrEnum):
    DRAFT = "draft"  # placed by the last scheduleFair run, not yet published
    PUBLISHED = "published"  # on the agendas; later runs keep it where it is (locked)
    CANCELLED = "cancelled"


class Fair(TimestampMixin, Base):
    """One Project Fair edition. ``schedule_version`` grows with every change of the published
    schedule; subscribers in every web worker compare it (SQLite) or are notified (PostgreSQL)."""

    __tablename__ = "fairs"
    __table_args__ = (CheckConstraint("max_idle >= 0", name="max_idle"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(SmallInteger, index=True)
    host_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    venue: Mapped[str | None] = mapped_column(String(300))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    days: Mapped[list[str]] = mapped_column(default=list)  # ISO dates, in order
    registration_open: Mapped[bool] = mapped_column(default=True)
    max_idle: Mapped[int] = mapped_column(SmallInteger, default=2)
    scheduled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    schedule_version: Mapped[int] = mapped_column(Integer, default=0)


class FairSlot(Base):
    __tablename__ = "fair_slots"
    __table_args__ = (
        UniqueConstraint("fair_id", "day", "position"),
        CheckConstraint("ends_at > starts_at", name="times"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    day: Mapped[int] = mapped_column(SmallInteger)  # 0-based index into Fair.days
    position: Mapped[int] = mapped_column(SmallInteger)  # order within the day
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime())
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())


class FairTable(Base):
    __tablename__ = "fair_tables"
    __table_args__ = (
        UniqueConstraint("fair_id", "name"),
        CheckConstraint("capacity BETWEEN 2 AND 8", name="capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(80))
    capacity: Mapped[int] = mapped_column(SmallInteger, default=2)
    language: Mapped[str | None] = mapped_column(String(8))


class FairRegistration(TimestampMixin, Base):
    __tablename__ = "fair_registrations"
    __table_args__ = (
        UniqueConstraint("fair_id", "centre_id"),
        CheckConstraint("max_meetings >= 0", name="max_meetings"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    representatives: Mapped[list[str]] = mapped_column(default=list)
    languages: Mapped[list[str]] = mapped_column(default=list)
    # Slot and proposal ids: short lists read and written whole with the registration.
    unavailable_slot_ids: Mapped[list[int]] = mapped_column(JsonType, default=list)
    proposal_ids: Mapped[list[int]] = mapped_column(JsonType, default=list)
    max_meetings: Mapped[int] = mapped_column(SmallInteger, default=12)


fair_request_members = Table(
    "fair_request_members",
    Base.metadata,
    Column(
        "request_id", ForeignKey("fair_meeting_requests.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("centre_id", ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_fair_request_members_centre_id", "centre_id"),
)


class FairMeetingRequest(TimestampMixin, Base):
    """A one-to-one request (requester asks target) or a consortium table (requester, the
    proposal owner, with the centres in ``fair_request_members``)."""

    __tablename__ = "fair_meeting_requests"
    __table_args__ = (CheckConstraint("priority BETWEEN 1 AND 5", name="priority"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    kind: Mapped[MeetingKind] = mapped_column(
        str_enum(MeetingKind, "meeting_kind"), default=MeetingKind.ONE_TO_ONE
    )
    requester_id: Mapped[int] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), index=True
    )
    target_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="CASCADE"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[int] = mapped_column(SmallInteger, default=3)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[MeetingRequestStatus] = mapped_column(
        str_enum(MeetingRequestStatus, "meeting_request_status"),
        default=MeetingRequestStatus.PENDING,
        index=True,
    )
    responded_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class FairMeeting(Base):
    """The schedule's answer for one accepted request: placed (slot and table) or not, with the
    scheduler's reason. One row per request."""

    __tablename__ = "fair_meetings"

    id: Mapped[int] = mapped_column(primary_key=True)
    fair_id: Mapped[int] = mapped_column(ForeignKey("fairs.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int] = mapped_column(
        ForeignKey("fair_meeting_requests.id", ondelete="CASCADE"), unique=True
    )
    slot_id: Mapped[int | None] = mapped_column(
        ForeignKey("fair_slots.id", ondelete="SET NULL"), index=True
    )
    table_id: Mapped[int | None] = mapped_column(
        ForeignKey("fair_tables.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[MeetingStatus] = mapped_column(
        str_enum(MeetingStatus, "meeting_status"), default=MeetingStatus.DRAFT
    )
    # Why it is not placed (or why its published placement could not be kept); null when fine.
    reason: Mapped[str | None] = mapped_column(String(300))
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# --- Outbox -------------------------------------------------------------------------------------


class OutboxEvent(Base):
    """Something that happened, written in the same transaction as the change that caused it.

    Delivery (inbox, e-mail, webhooks) reads these rows later, so a rolled-back change sends
    nothing and a committed one is never lost.
    """

    __tablename__ = "outbox_events"

    id: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    kind: Mapped[str] = mapped_column(String(80), index=True)
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The centres the event is about (recipients are resolved at delivery, by their rules).
    centre_ids: Mapped[list[int]] = mapped_column(JsonType, default=list)
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    data_version: Mapped[int] = mapped_column(BigInteger, default=0)
    # Set when the notification worker has turned the event into inbox rows and deliveries.
    dispatched_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)


# --- Notifications ------------------------------------------------------------------------------

_BIG_ID = BigInteger().with_variant(Integer, "sqlite")


class Channel(StrEnum):
    EMAIL = "email"
    WEBHOOK = "webhook"


class DeliveryStatus(StrEnum):
    PENDING = "pending"
    DELIVERED = "delivered"
    FAILED = "failed"  # gave up after the last retry; shown to staff
    SKIPPED = "skipped"  # nothing to send any more (preference turned off, endpoint deleted)


class Frequency(StrEnum):
    IMMEDIATELY = "immediately"
    DAILY = "daily"
    WEEKLY = "weekly"
    OFF = "off"


class Notification(Base):
    """One event in one user's inbox. ``(event_id, user_id)`` is unique: the inbox channel's
    idempotency key, so a retried dispatch never shows an event twice."""

    __tablename__ = "notifications"
    __table_args__ = (
        UniqueConstraint("event_id", "user_id"),
        Index("ix_notifications_user_id_id", "user_id", "id"),
    )

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("outbox_events.id", ondelete="CASCADE"),
    )
    kind: Mapped[str] = mapped_column(String(80))
    object_type: Mapped[str | None] = mapped_column(String(40))
    object_id: Mapped[int | None] = mapped_column(Integer)
    # What the text needs (names, titles in every language), read when the event was dispatched.
    payload: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Webhook(TimestampMixin, Base):
    """An endpoint an admin registered; deliveries are signed with ``secret``."""

    __tablename__ = "webhooks"

    id: Mapped[int] = mapped_column(primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    url: Mapped[str] = mapped_column(String(2000))
    events: Mapped[list[str]] = mapped_column(default=list)
    description: Mapped[str] = mapped_column(String(300), default="")
    secret: Mapped[str] = mapped_column(String(100))
    is_active: Mapped[bool] = mapped_column(default=True)
    # First failure of the current run of failures; a day of them disables the endpoint.
    failing_since: Mapped[datetime | None] = mapped_column(UtcDateTime())
    disabled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class Delivery(Base):
    """One event for one recipient on one channel (e-mail to a user, POST to a webhook).

    ``idempotency_key`` is unique, so dispatching an event twice creates nothing twice; the
    worker claims due rows, sends, and records the outcome (at least once, retried with backoff).
    """

    __tablename__ = "notification_deliveries"
    __table_args__ = (Index("ix_notification_deliveries_due", "status", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(_BIG_ID, primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(120), unique=True)
    event_id: Mapped[int] = mapped_column(
        BigInteger().with_variant(Integer, "sqlite"),
        ForeignKey("outbox_events.id", ondelete="CASCADE"),
        index=True,
    )
    channel: Mapped[Channel] = mapped_column(str_enum(Channel, "delivery_channel"))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    webhook_id: Mapped[int | None] = mapped_column(
        ForeignKey("webhooks.id", ondelete="CASCADE"), index=True
    )
    status: Mapped[DeliveryStatus] = mapped_column(
        str_enum(DeliveryStatus, "delivery_status"), default=DeliveryStatus.PENDING
    )
    # Null: send as soon as due; daily/weekly: wait for the digest, sent with its siblings.
    digest: Mapped[Frequency | None] = mapped_column(str_enum(Frequency, "delivery_digest"))
    attempts: Mapped[int] = mapped_column(SmallInteger, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    last_error: Mapped[str | None] = mapped_column(String(500))
    response_code: Mapped[int | None] = mapped_column(SmallInteger)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


class NotificationPreference(Base):
    """How often a user wants e-mail about one kind of event (no row: the kind's default)."""

    __tablename__ = "notification_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(80), primary_key=True)
    frequency: Mapped[Frequency] = mapped_column(str_enum(Frequency, "frequency"))


class PasswordReset(Base):
    """A requested password reset. The e-mailed link carries this id signed with the secret
    key (so the database alone cannot forge one); single use (``used_at``), expiring."""

    __tablename__ = "password_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UtcDateTime())
    used_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# --- Meetings programme (issue 14) ---------------------------------------------------------------
# The ACCR's own events (technical and thematic meetings, information sessions, study visits,
# general assemblies): not the Fair's 1:1 meetings above, which are ``FairMeeting``.


class ProgrammeKind(StrEnum):
    TECHNICAL = "technical"
    THEMATIC = "thematic"
    INFORMATION_SESSION = "information_session"
    STUDY_VISIT = "study_visit"
    GENERAL_ASSEMBLY = "general_assembly"
    OTHER = "other"


class ProgrammeStatus(StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    FULL = "full"
    CLOSED = "closed"
    CANCELLED = "cancelled"
    HELD = "held"


class RegistrationStatus(StrEnum):
    CONFIRMED = "confirmed"
    WAITING = "waiting"
    CANCELLED = "cancelled"


meeting_themes = Table(
    "meeting_themes",
    Base.metadata,
    Column("meeting_id", ForeignKey("meetings.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_meeting_themes_theme_id", "theme_id"),
)


class Meeting(TimestampMixin, Base):
    """One event of the programme. ``confirmed_count`` is kept by the registration service under
    a lock on this row; the check constraint is the last word against over-booking."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="times"),
        CheckConstraint("capacity IS NULL OR capacity >= 1", name="capacity"),
        CheckConstraint(
            "confirmed_count >= 0 AND (capacity IS NULL OR confirmed_count <= capacity)",
            name="seats",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ProgrammeKind] = mapped_column(str_enum(ProgrammeKind, "programme_kind"))
    title: Mapped[dict[str, str]]
    description: Mapped[dict[str, str]] = mapped_column(default=dict)
    # Null host: the ACCR itself.
    host_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    online: Mapped[bool] = mapped_column(default=False)
    venue_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    address: Mapped[str | None] = mapped_column(String(300))
    latitude: Mapped[float | None] = mapped_column(Float)
    longitude: Mapped[float | None] = mapped_column(Float)
    # Shown only to staff and registered participants.
    join_url: Mapped[str | None] = mapped_column(String(500))
    timezone: Mapped[str] = mapped_column(String(64), default="Europe/Paris")
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime(), index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime())
    capacity: Mapped[int | None] = mapped_column(Integer)
    registration_deadline: Mapped[datetime | None] = mapped_column(UtcDateTime())
    status: Mapped[ProgrammeStatus] = mapped_column(
        str_enum(ProgrammeStatus, "programme_status"), default=ProgrammeStatus.DRAFT, index=True
    )
    confirmed_count: Mapped[int] = mapped_column(Integer, default=0)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    cancelled_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    version: Mapped[int] = mapped_column(Integer, default=1)

    themes: Mapped[list[Theme]] = relationship(secondary=meeting_themes, lazy="raise")
    agenda: Mapped[list[AgendaItem]] = relationship(
        lazy="raise", cascade="all, delete-orphan", order_by="AgendaItem.position"
    )

    __mapper_args__ = {"version_id_col": version}


class AgendaItem(Base):
    __tablename__ = "meeting_agenda_items"
    __table_args__ = (UniqueConstraint("meeting_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(SmallInteger)
    starts_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    title: Mapped[dict[str, str]]
    speaker: Mapped[str | None] = mapped_column(String(200))
    # Hub documents (resource ids) shown with the item; a short list read whole.
    resource_ids: Mapped[list[int]] = mapped_column(JsonType, default=list)


class MeetingRegistration(TimestampMixin, Base):
    """A centre's place at a meeting, or on its waiting list (first come, first served by
    ``queued_at``). One row per centre and meeting; cancelling keeps the row."""

    __tablename__ = "meeting_registrations"
    __table_args__ = (UniqueConstraint("meeting_id", "centre_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    representatives: Mapped[list[str]] = mapped_column(default=list)
    status: Mapped[RegistrationStatus] = mapped_column(
        str_enum(RegistrationStatus, "registration_status"), default=RegistrationStatus.CONFIRMED
    )
    queued_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    # Recorded by staff after the meeting: null until then.
    attended: Mapped[bool | None] = mapped_column()
    attendees: Mapped[int | None] = mapped_column(SmallInteger)


class CalendarFeed(Base):
    """A user's private calendar subscription: only a hash of the URL's secret is stored."""

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    secret_hash: Mapped[str] = mapped_column(String(128), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime())


# --- Resource hub (issue 14) ---------------------------------------------------------------------


class ResourceKind(StrEnum):
    STUDY = "study"
    REPORT = "report"
    GUIDE = "guide"
    INITIATIVE = "initiative"
    MINUTES = "minutes"
    PRESENTATION = "presentation"
    DATASET = "dataset"
    OTHER = "other"


class ResourceVisibility(StrEnum):
    PUBLIC = "public"  # everyone, signed in or not
    MEMBERS = "members"  # signed-in users
    STAFF = "staff"  # ACCR staff


resource_themes = Table(
    "resource_themes",
    Base.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("theme_id", ForeignKey("themes.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_resource_themes_theme_id", "theme_id"),
)

resource_centres = Table(
    "resource_centres",
    Base.metadata,
    Column("resource_id", ForeignKey("resources.id", ondelete="CASCADE"), primary_key=True),
    Column("centre_id", ForeignKey("centres.id", ondelete="CASCADE"), primary_key=True),
    Index("ix_resource_centres_centre_id", "centre_id"),
)


class Resource(TimestampMixin, Base):
    """A document or link in the hub. ``body_text`` is the text extracted from the file (for
    search only); the file's bytes are in the storage under ``file_key``, a random key."""

    __tablename__ = "resources"
    __table_args__ = (
        CheckConstraint("year IS NULL OR year BETWEEN 1000 AND 2999", name="year"),
        CheckConstraint("file_size IS NULL OR file_size >= 0", name="file_size"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[ResourceKind] = mapped_column(str_enum(ResourceKind, "resource_kind"), index=True)
    title: Mapped[dict[str, str]]
    abstract: Mapped[dict[str, str]] = mapped_column(default=dict)
    languages: Mapped[list[str]] = mapped_column(default=list)
    authors: Mapped[list[str]] = mapped_column(default=list)
    countries: Mapped[list[str]] = mapped_column(default=list)
    year: Mapped[int | None] = mapped_column(SmallInteger, index=True)
    licence: Mapped[str | None] = mapped_column(String(120))
    visibility: Mapped[ResourceVisibility] = mapped_column(
        str_enum(ResourceVisibility, "resource_visibility"),
        default=ResourceVisibility.MEMBERS,
        index=True,
    )
    link: Mapped[str | None] = mapped_column(String(500))
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meetings.id", ondelete="SET NULL"), index=True
    )
    proposal_id: Mapped[int | None] = mapped_column(
        ForeignKey("proposals.id", ondelete="SET NULL"), index=True
    )
    partnership_id: Mapped[int | None] = mapped_column(
        ForeignKey("partnerships.id", ondelete="SET NULL"), index=True
    )
    # The centre whose member added it (null: staff); its members may edit it.
    owner_centre_id: Mapped[int | None] = mapped_column(
        ForeignKey("centres.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    file_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    file_name: Mapped[str | None] = mapped_column(String(255))
    file_media_type: Mapped[str | None] = mapped_column(String(120))
    file_size: Mapped[int | None] = mapped_column(BigInteger)
    body_text: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20), default="api")
    external_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    deleted_at: Mapped[datetime | None] = mapped_column(UtcDateTime(), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)

    themes: Mapped[list[Theme]] = relationship(secondary=resource_themes, lazy="raise")
    centres: Mapped[list[Centre]] = relationship(secondary=resource_centres, lazy="raise")

    __mapper_args__ = {"version_id_col": version}


# --- Search (issue 14) ---------------------------------------------------------------------------


class SearchDocument(Base):
    """One searchable object (resource, proposal, centre, meeting): its text and facets, kept in
    step with the object by ``accr_graph.services.search_index``.

    PostgreSQL searches ``tsv`` (weighted tsvector, per-language configurations with unaccent,
    GIN index). SQLite searches the FTS5 table ``search_fts`` that migration 0042 creates over
    ``title_text``/``abstract_text``/``body`` (kept in step by triggers); ``tsv`` and ``tsv_head``
    stay null there.
    """

    __tablename__ = "search_documents"
    __table_args__ = (
        UniqueConstraint("kind", "object_id"),
        Index("ix_search_documents_tsv", "tsv", postgresql_using="gin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20))
    object_id: Mapped[int] = mapped_column(Integer)
    # public | members | staff | centre (the owner centre's members and staff)
    visibility: Mapped[str] = mapped_column(String(20), index=True)
    centre_id: Mapped[int | None] = mapped_column(Integer)
    title_text: Mapped[str] = mapped_column(Text, default="")
    abstract_text: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    headline_config: Mapped[str] = mapped_column(String(20), default="accr_simple")
    # Facets (resources): kind, year, languages, theme slugs, centre ids.
    resource_kind: Mapped[str | None] = mapped_column(String(20))
    year: Mapped[int | None] = mapped_column(SmallInteger)
    languages: Mapped[list[str]] = mapped_column(default=list)
    themes: Mapped[list[str]] = mapped_column(default=list)
    centres: Mapped[list[str]] = mapped_column(default=list)  # ids as text (JSONB ?| needs it)
    tsv: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    # PostgreSQL: the title (A) and abstract (B) parts of ``tsv`` alone, small and kept in the
    # row: ranking reads it for every match, the full vector only near the page (0091).
    tsv_head: Mapped[str | None] = mapped_column(TSVECTOR().with_variant(Text(), "sqlite"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, onupdate=utcnow)


# --- Survey (yearly statistics) -----------------------------------------------------------------


class SurveyStatus(StrEnum):
    DRAFT = "draft"  # being prepared by staff; members do not see it
    OPEN = "open"  # centres answer
    CLOSED = "closed"  # answers frozen; the observatory reads submitted ones


class ResponseStatus(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class SurveyCampaign(TimestampMixin, Base):
    """One year's questionnaire. The questions are one JSON document (sections, each with typed
    questions; see ``accr_graph.services.survey_questions``), read and written whole: a
    questionnaire is small and always edited as a unit. Question keys stay stable across years,
    so indicators line up."""

    __tablename__ = "survey_campaigns"
    __table_args__ = (CheckConstraint("closes_on >= opens_on", name="dates"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(SmallInteger, unique=True)
    title: Mapped[dict[str, str]] = mapped_column(default=dict)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[SurveyStatus] = mapped_column(
        str_enum(SurveyStatus, "survey_status"), default=SurveyStatus.DRAFT, index=True
    )
    sections: Mapped[list[dict[str, Any]]] = mapped_column(JsonType, default=list)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class SurveyResponse(TimestampMixin, Base):
    """A centre's answers to one campaign: ``{question key: value}``. One per centre and
    campaign, enforced by the database (two tabs saving at once must not make two)."""

    __tablename__ = "survey_responses"
    __table_args__ = (UniqueConstraint("campaign_id", "centre_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("survey_campaigns.id", ondelete="CASCADE"), index=True
    )
    centre_id: Mapped[int] = mapped_column(ForeignKey("centres.id", ondelete="CASCADE"), index=True)
    status: Mapped[ResponseStatus] = mapped_column(
        str_enum(ResponseStatus, "response_status"), default=ResponseStatus.DRAFT, index=True
    )
    answers: Mapped[dict[str, Any]] = mapped_column(JsonType, default=dict)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime())
    submitted_by: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}


class MatchingModel(Base):
    """Factor weights fitted on the network's own history (``matching.fit``); the latest row is
    the one the engine uses. Validation figures are recall@10 of new partners on the latest
    year, which the fit never saw."""

    __tablename__ = "matching_models"

    id: Mapped[int] = mapped_column(primary_key=True)
    fitted_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow, index=True)
    network_version: Mapped[int] = mapped_column(BigInteger)
    training_cases: Mapped[int] = mapped_column(Integer)
    training_pairs: Mapped[int] = mapped_column(Integer)
    validation_cases: Mapped[int] = mapped_column(Integer)
    validation_recall_at_10: Mapped[float | None] = mapped_column(Float)
    prior_recall_at_10: Mapped[float | None] = mapped_column(Float)
    weights: Mapped[dict[str, float]] = mapped_column(JsonType, default=dict)


class MatchingAnalytic(Base):
    """A whole-network analytic (clusters, metrics, missing links for a year range) computed by
    one worker for one network version under a PostgreSQL advisory lock, read by the others
    (``services.matching_shared``). ``payload`` is the pickled result of ``matching``: it is
    written only by this application and read back only for the same code and network version;
    a payload that does not load is ignored and recomputed."""

    __tablename__ = "matching_analytics"
    __table_args__ = (UniqueConstraint("network_version", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    network_version: Mapped[int] = mapped_column(BigInteger)
    key: Mapped[str] = mapped_column(String(200))
    computed_at: Mapped[datetime] = mapped_column(UtcDateTime(), default=utcnow)
    seconds: Mapped[float] = mapped_column(Float)  # how long the computation took
    payload: Mapped[bytes] = mapped_column(LargeBinary)
