"""Plain-data snapshot of the network that the matching engine works on.

The service layer (``accr_graph``) reads the database and builds these frozen records; everything
in ``matching`` takes them as input, so the algorithms can be used and tested with no database.
Identifiers are the database primary keys (ints); themes and competencies are referred to by slug.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class CentreData:
    id: int
    name: str
    country: str  # ISO 3166-1 alpha-2
    languages: tuple[str, ...] = ()  # ISO 639-1
    themes: tuple[str, ...] = ()  # theme slugs
    offers: Mapping[str, int] = field(default_factory=dict)  # competency slug -> level 1..3
    seeks: Mapping[str, int] = field(default_factory=dict)
    label_status: str = "labelled"
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True, slots=True)
class PartnershipData:
    id: int
    members: tuple[int, ...]  # centre ids, lead included
    lead: int | None = None
    start_year: int | None = None
    end_year: int | None = None
    themes: tuple[str, ...] = ()
    programme: str | None = None


@dataclass(frozen=True, slots=True)
class ProposalData:
    id: int
    owner: int  # centre id
    themes: tuple[str, ...] = ()
    seeks: Mapping[str, int] = field(default_factory=dict)  # competency slug -> wanted level
    offers: Mapping[str, int] = field(default_factory=dict)
    partners_min: int = 1
    partners_max: int = 5
    min_countries: int = 1
    current_partners: tuple[int, ...] = ()  # accepted interests: already in the team
    declined: tuple[int, ...] = ()  # centres that declined or were declined: never suggested
    text: str = ""  # title + summary, for optional text similarity
    programme: str | None = None  # funding programme, as PartnershipData.programme names it
    status: str = "open"  # draft, open, in_discussion, partnered, closed


@dataclass(frozen=True, slots=True)
class NetworkSnapshot:
    centres: tuple[CentreData, ...]
    partnerships: tuple[PartnershipData, ...] = ()
    proposals: tuple[ProposalData, ...] = ()
    theme_names: Mapping[str, str] = field(default_factory=dict)  # slug -> display name
    competency_names: Mapping[str, str] = field(default_factory=dict)
    reference_year: int | None = None  # "now" for recency weights; default: latest year seen
