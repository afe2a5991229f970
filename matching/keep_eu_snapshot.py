"""keep.eu (Interreg) data as a NetworkSnapshot: organisations are centres, projects partnerships.

Parsing and name normalisation happen in ``accr_graph.importers.keep_eu``; this module only
needs records shaped like its output (the protocols below), so ``matching`` keeps importing
nothing from the service. keep.eu has no competencies and no languages: a centre's themes are the
most frequent themes of its projects, and the programme of each project is kept (Interreg
programmes are cross-border, which the programme factors of the scoring use).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from matching.snapshot import CentreData, NetworkSnapshot, PartnershipData, ProposalData

CENTRE_THEMES = 3


class Organisation(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def country(self) -> str: ...


class Project(Protocol):
    @property
    def key(self) -> str: ...
    @property
    def programme(self) -> str: ...
    @property
    def lead_key(self) -> str | None: ...
    @property
    def member_keys(self) -> tuple[str, ...]: ...
    @property
    def themes(self) -> tuple[str, ...]: ...
    @property
    def description(self) -> str: ...
    @property
    def start_year(self) -> int | None: ...
    @property
    def end_year(self) -> int | None: ...


class Dataset(Protocol):
    @property
    def organisations(self) -> Mapping[str, Organisation]: ...
    @property
    def projects(self) -> Sequence[Project]: ...


@dataclass(frozen=True, slots=True)
class KeepEuNetwork:
    snapshot: NetworkSnapshot
    centre_id: Mapping[str, int]  # organisation key -> centre id, for every organisation
    partnership_id: Mapping[str, int]  # project key -> partnership id, for every project


def theme_slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.casefold()).strip("-")


def keep_eu_network(dataset: Dataset, until_year: int | None = None) -> KeepEuNetwork:
    """The network as known at the end of ``until_year``: projects that started by then and the
    organisations in them (all of it when None). Ids do not depend on the cut, so a centre keeps
    its id in every cut."""
    centre_id = {key: i + 1 for i, key in enumerate(sorted(dataset.organisations))}
    projects = sorted(dataset.projects, key=lambda p: p.key)
    partnership_id = {p.key: i + 1 for i, p in enumerate(projects)}
    known = [p for p in projects if _started_by(p, until_year)]
    snapshot = NetworkSnapshot(
        centres=_centres(dataset, known, centre_id, until_year is None),
        partnerships=tuple(_partnership(p, partnership_id[p.key], centre_id) for p in known),
        theme_names={theme_slug(t): t for p in projects for t in p.themes},
        reference_year=until_year,
    )
    return KeepEuNetwork(snapshot, centre_id, partnership_id)


def _started_by(project: Project, until_year: int | None) -> bool:
    if until_year is None:
        return True
    return project.start_year is not None and project.start_year <= until_year


def _centres(
    dataset: Dataset, known: Sequence[Project], centre_id: Mapping[str, int], everyone: bool
) -> tuple[CentreData, ...]:
    themes: dict[str, Counter[str]] = {}
    for p in known:
        for key in p.member_keys:
            themes.setdefault(key, Counter()).update(theme_slug(t) for t in p.themes)
    keys = sorted(dataset.organisations) if everyone else sorted(themes)
    return tuple(_centre(dataset.organisations[k], centre_id[k], themes.get(k)) for k in keys)


def _centre(org: Organisation, centre_id: int, themes: Counter[str] | None) -> CentreData:
    ranked = sorted((themes or Counter()).items(), key=lambda tc: (-tc[1], tc[0]))
    return CentreData(
        id=centre_id,
        name=org.name,
        country=org.country,
        themes=tuple(t for t, _ in ranked[:CENTRE_THEMES]),
        label_status="partner",
    )


def _partnership(project: Project, pid: int, centre_id: Mapping[str, int]) -> PartnershipData:
    return PartnershipData(
        id=pid,
        members=tuple(centre_id[k] for k in project.member_keys),
        lead=centre_id[project.lead_key] if project.lead_key else None,
        start_year=project.start_year,
        end_year=project.end_year,
        themes=tuple(theme_slug(t) for t in project.themes),
        programme=project.programme,
    )


def project_as_proposal(
    project: Project, pid: int, centre_id: Mapping[str, int], min_countries: int = 2
) -> ProposalData:
    """A project seen as the proposal its lead partner posted before the partners were found.
    Interreg asks for partners from at least two countries, hence the default minimum."""
    if project.lead_key is None:
        raise ValueError(f"project {project.key} has no lead partner")
    return ProposalData(
        id=pid,
        owner=centre_id[project.lead_key],
        themes=tuple(theme_slug(t) for t in project.themes),
        partners_min=max(1, len(project.member_keys) - 1),
        partners_max=max(1, len(project.member_keys) - 1),
        min_countries=min_countries,
        text=project.description,
        programme=project.programme,
    )
