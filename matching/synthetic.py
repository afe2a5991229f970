"""Seeded synthetic networks for benches and tests, shaped like a cultural-centre network.

Centres belong to hidden communities, each with a home region (a few neighbouring countries), a
handful of favourite themes and competencies. Activity is heavy-tailed (Pareto), so a few centres
take part in many projects. Joint projects mostly draw their members from one community, by
activity, and take their themes from it; some members come from anywhere. The community of each
centre is returned too, so cluster detection can be checked against it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from matching.graph import IntArray
from matching.snapshot import CentreData, NetworkSnapshot, PartnershipData, ProposalData

THEMES = {
    "heritage-creation": "Heritage and creation",
    "residencies": "Artist residencies",
    "music": "Music",
    "landscape-gardens": "Landscape and gardens",
    "cultural-tourism": "Cultural tourism",
    "audience-development": "Audience development",
    "digital-mediation": "Digital mediation",
    "education": "Education and training",
    "intercultural-dialogue": "Intercultural dialogue",
    "visual-arts": "Visual arts",
    "performing-arts": "Performing arts",
    "literature": "Literature and translation",
    "architecture": "Architecture and restoration",
    "crafts": "Crafts and know-how",
    "ecology": "Ecology and sustainability",
    "gastronomy": "Food and gastronomy",
    "youth": "Youth",
    "research": "Research and archives",
    "festivals": "Festivals",
    "social-inclusion": "Social inclusion",
}

COMPETENCIES = {
    "residency-hosting": "Hosting artist residencies",
    "accommodation": "Group accommodation",
    "concert-hall": "Concert hall",
    "recording-studio": "Recording studio",
    "sound-engineering": "Sound engineering",
    "stage-management": "Stage management",
    "lighting": "Lighting design",
    "eu-funding": "EU funding applications",
    "project-management": "Project management",
    "evaluation": "Project evaluation",
    "heritage-restoration": "Heritage restoration",
    "stone-masonry": "Stone masonry",
    "garden-design": "Garden design",
    "botany": "Botany",
    "archaeology": "Archaeology",
    "archives": "Archive management",
    "translation": "Translation",
    "publishing": "Publishing",
    "video-production": "Video production",
    "photography": "Photography",
    "web-development": "Web development",
    "3d-scanning": "3D scanning",
    "virtual-reality": "Virtual reality",
    "social-media": "Social media",
    "press-relations": "Press relations",
    "fundraising": "Fundraising",
    "volunteering": "Volunteer coordination",
    "school-programmes": "School programmes",
    "workshops": "Workshop facilitation",
    "accessibility": "Accessibility",
    "community-outreach": "Community outreach",
    "catering": "Catering",
    "event-logistics": "Event logistics",
    "exhibition-design": "Exhibition design",
    "curation": "Curation",
    "research-partnerships": "University partnerships",
    "tourism-marketing": "Tourism marketing",
    "sustainability-audit": "Sustainability audit",
    "craft-training": "Craft training",
    "legal-advice": "Legal and contract advice",
}

# (code, relative size, region, national languages)
COUNTRIES: tuple[tuple[str, float, int, tuple[str, ...]], ...] = (
    ("FR", 10, 0, ("fr",)),
    ("BE", 3, 0, ("fr", "nl")),
    ("LU", 1, 0, ("fr", "de")),
    ("CH", 2, 0, ("fr", "de")),
    ("DE", 10, 1, ("de",)),
    ("AT", 3, 1, ("de",)),
    ("NL", 4, 1, ("nl",)),
    ("DK", 2, 1, ("da",)),
    ("IT", 8, 2, ("it",)),
    ("ES", 7, 2, ("es",)),
    ("PT", 3, 2, ("pt",)),
    ("MT", 1, 2, ("mt", "en")),
    ("PL", 6, 3, ("pl",)),
    ("CZ", 3, 3, ("cs",)),
    ("SK", 2, 3, ("sk",)),
    ("HU", 3, 3, ("hu",)),
    ("SI", 1, 4, ("sl",)),
    ("HR", 2, 4, ("hr",)),
    ("RS", 2, 4, ("sr",)),
    ("GR", 3, 4, ("el",)),
    ("BG", 2, 4, ("bg",)),
    ("RO", 4, 4, ("ro",)),
    ("SE", 3, 5, ("sv",)),
    ("FI", 2, 5, ("fi",)),
    ("EE", 1, 5, ("et",)),
    ("LV", 1, 5, ("lv",)),
    ("LT", 1, 5, ("lt",)),
    ("IE", 2, 6, ("en",)),
    ("GB", 6, 6, ("en",)),
)
SITE_TYPES = ("Abbey", "Castle", "Saline", "Charterhouse", "Priory", "Manor", "Fort", "Mill")
PROGRAMMES = ("Creative Europe", "Erasmus+", "Horizon Europe", "National")
INTERREG_REGIONS = (
    "Interreg North-West Europe",
    "Interreg Central Europe",
    "Interreg MED",
    "Interreg Danube",
    "Interreg Adriatic-Ionian",
    "Interreg Baltic Sea",
    "Interreg Atlantic Area",
)
FIRST_YEAR, LAST_YEAR = 2008, 2024
COMMUNITY_SIZE = 60
IN_COMMUNITY = 0.85  # share of a project's members drawn from its community


@dataclass(frozen=True, slots=True)
class SyntheticNetwork:
    snapshot: NetworkSnapshot
    community: dict[int, int]  # centre id -> planted community


@dataclass(frozen=True, slots=True)
class _Communities:
    region: IntArray
    theme_p: npt.NDArray[np.float64]  # communities x themes
    competency_p: npt.NDArray[np.float64]  # communities x competencies


def synthetic_network(
    n_centres: int, seed: int = 0, n_proposals: int = 20, projects_per_centre: float = 1.3
) -> SyntheticNetwork:
    """A network of ``n_centres`` with ``projects_per_centre`` joint projects per centre (1.3
    gives ~6.6 cooperation edges per centre, 2.0 about 10: 1M edges at 100,000 centres)."""
    rng = np.random.default_rng(seed)
    communities = _communities(rng, max(2, n_centres // COMMUNITY_SIZE))
    member_of = _assign_communities(rng, n_centres, len(communities.region))
    activity = 1.0 + rng.pareto(1.6, n_centres)
    centres = tuple(_centre(rng, i, communities, int(member_of[i])) for i in range(n_centres))
    partnerships = _partnerships(
        rng, centres, communities, member_of, activity, projects_per_centre
    )
    proposals = tuple(
        _proposal(rng, k, centres, communities, member_of)
        for k in range(min(n_proposals, n_centres))
    )
    snapshot = NetworkSnapshot(
        centres=centres,
        partnerships=partnerships,
        proposals=proposals,
        theme_names=THEMES,
        competency_names=COMPETENCIES,
        reference_year=LAST_YEAR,
    )
    return SyntheticNetwork(snapshot, {i + 1: int(c) for i, c in enumerate(member_of)})


def synthetic_snapshot(n_centres: int, seed: int = 0) -> NetworkSnapshot:
    return synthetic_network(n_centres, seed).snapshot


def _communities(rng: np.random.Generator, count: int) -> _Communities:
    regions = 1 + max(code[2] for code in COUNTRIES)
    return _Communities(
        region=rng.integers(0, regions, count),
        theme_p=rng.dirichlet(np.full(len(THEMES), 0.15), count),
        competency_p=rng.dirichlet(np.full(len(COMPETENCIES), 0.3), count),
    )


def _assign_communities(rng: np.random.Generator, n: int, count: int) -> IntArray:
    sizes = rng.dirichlet(np.full(count, 3.0))
    return np.asarray(rng.choice(count, size=n, p=sizes), dtype=np.int64)


def _country(rng: np.random.Generator, region: int) -> tuple[str, tuple[str, ...]]:
    local = rng.random() < 0.75
    pool = [c for c in COUNTRIES if c[2] == region] if local else list(COUNTRIES)
    weights = np.asarray([c[1] for c in pool])
    chosen = pool[int(rng.choice(len(pool), p=weights / weights.sum()))]
    return chosen[0], chosen[3]


def _pick(
    rng: np.random.Generator, slugs: list[str], p: npt.NDArray[np.float64], k: int
) -> list[str]:
    k = min(k, int(np.count_nonzero(p)), len(slugs))
    return [slugs[i] for i in sorted(rng.choice(len(slugs), size=k, replace=False, p=p))]


def _centre(rng: np.random.Generator, i: int, com: _Communities, c: int) -> CentreData:
    country, national = _country(rng, int(com.region[c]))
    extra = [lang for lang, share in (("en", 0.7), ("fr", 0.2)) if rng.random() < share]
    competencies = list(COMPETENCIES)
    mix = 0.7 * com.competency_p[c] + 0.3 / len(competencies)
    chosen = _pick(rng, competencies, mix, int(rng.integers(3, 9)))
    split = int(rng.integers(2, len(chosen)))
    return CentreData(
        id=i + 1,
        name=f"{SITE_TYPES[i % len(SITE_TYPES)]} {i + 1} ({country})",
        country=country,
        languages=tuple(sorted(set(national) | set(extra))),
        themes=tuple(_pick(rng, list(THEMES), com.theme_p[c], int(rng.integers(2, 5)))),
        offers={s: int(rng.choice(3, p=(0.3, 0.4, 0.3))) + 1 for s in chosen[:split]},
        seeks={s: int(rng.integers(1, 4)) for s in chosen[split:]},
    )


def _partnerships(
    rng: np.random.Generator,
    centres: tuple[CentreData, ...],
    com: _Communities,
    member_of: IntArray,
    activity: npt.NDArray[np.float64],
    per_centre: float,
) -> tuple[PartnershipData, ...]:
    n = len(centres)
    count = int(per_centre * n)
    sizes = np.minimum(2 + rng.geometric(0.35, count) - 1, 12)
    by_community = _activity_sampler(member_of, activity)
    home = rng.choice(len(com.region), size=count, p=_community_weight(member_of, activity, com))
    out = []
    for k in range(count):
        members = _members(rng, by_community, int(home[k]), int(sizes[k]), activity)
        if len(members) >= 2:
            out.append(_partnership(rng, k, members, com, int(home[k]), centres))
    return tuple(out)


def _community_weight(
    member_of: IntArray, activity: npt.NDArray[np.float64], com: _Communities
) -> npt.NDArray[np.float64]:
    totals = np.bincount(member_of, weights=activity, minlength=len(com.region))
    return np.asarray(totals / totals.sum(), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class _Sampler:
    order: IntArray  # centre rows sorted by community
    cumulative: npt.NDArray[np.float64]  # cumulative activity in that order
    start: IntArray  # first position of each community in `order`
    end: IntArray


def _activity_sampler(member_of: IntArray, activity: npt.NDArray[np.float64]) -> _Sampler:
    order = np.argsort(member_of, kind="stable")
    count = int(member_of.max()) + 1
    sorted_communities = member_of[order]
    return _Sampler(
        order=order,
        cumulative=np.cumsum(activity[order]),
        start=np.searchsorted(sorted_communities, np.arange(count), side="left"),
        end=np.searchsorted(sorted_communities, np.arange(count), side="right"),
    )


def _members(
    rng: np.random.Generator,
    s: _Sampler,
    community: int,
    size: int,
    activity: npt.NDArray[np.float64],
) -> list[int]:
    """Draw by activity (searchsorted on cumulative activity: O(log n) per member)."""
    local = rng.random(size) < IN_COMMUNITY
    lo = np.where(local, _cum_before(s, s.start[community]), 0.0)
    hi = np.where(local, s.cumulative[s.end[community] - 1], s.cumulative[-1])
    positions = np.searchsorted(s.cumulative, lo + rng.random(size) * (hi - lo), side="right")
    positions = np.minimum(positions, len(s.order) - 1)
    return sorted({int(s.order[p]) for p in positions})


def _cum_before(s: _Sampler, position: int) -> float:
    return float(s.cumulative[position - 1]) if position > 0 else 0.0


def _partnership(
    rng: np.random.Generator,
    k: int,
    members: list[int],
    com: _Communities,
    community: int,
    centres: tuple[CentreData, ...],
) -> PartnershipData:
    # Recent years are busier, as networks grow.
    start = int(LAST_YEAR - min(rng.exponential(6.0), LAST_YEAR - FIRST_YEAR))
    programme = _programme(rng, int(com.region[community]))
    return PartnershipData(
        id=k + 1,
        members=tuple(centres[m].id for m in members),
        lead=centres[members[0]].id,
        start_year=start,
        end_year=min(start + int(rng.integers(1, 4)), LAST_YEAR),
        themes=tuple(_pick(rng, list(THEMES), com.theme_p[community], int(rng.integers(1, 4)))),
        programme=programme,
    )


def _programme(rng: np.random.Generator, region: int) -> str:
    if rng.random() < 0.3:
        return INTERREG_REGIONS[region]
    return PROGRAMMES[int(rng.choice(len(PROGRAMMES), p=(0.5, 0.3, 0.1, 0.1)))]


def _proposal(
    rng: np.random.Generator,
    k: int,
    centres: tuple[CentreData, ...],
    com: _Communities,
    member_of: IntArray,
) -> ProposalData:
    owner = int(rng.integers(0, len(centres)))
    community = int(member_of[owner])
    seeks = _pick(rng, list(COMPETENCIES), com.competency_p[community], int(rng.integers(2, 5)))
    size = int(rng.choice((2, 4, 9)))  # Creative Europe small / medium / large teams
    return ProposalData(
        id=k + 1,
        owner=centres[owner].id,
        themes=tuple(_pick(rng, list(THEMES), com.theme_p[community], int(rng.integers(1, 4)))),
        seeks={s: int(rng.integers(1, 4)) for s in seeks},
        offers=dict(centres[owner].offers),
        partners_min=size,
        partners_max=size + 2,
        min_countries=size + 1,
        programme="Creative Europe",
    )
