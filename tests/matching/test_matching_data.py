"""The synthetic generator and the keep.eu converter."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from matching import build_index
from matching.keep_eu_snapshot import keep_eu_network, project_as_proposal, theme_slug
from matching.synthetic import synthetic_network


def test_synthetic_network_is_seeded_and_heavy_tailed() -> None:
    a = synthetic_network(500, seed=4)
    b = synthetic_network(500, seed=4)
    c = synthetic_network(500, seed=5)

    assert a == b
    assert a.snapshot.partnerships != c.snapshot.partnerships
    degree = build_index(a.snapshot).degree
    assert degree.max() > 5 * np.median(degree)
    assert len({c.country for c in a.snapshot.centres}) > 10
    assert all(p.owner in a.community for p in a.snapshot.proposals)


def test_synthetic_projects_mostly_stay_in_one_community() -> None:
    network = synthetic_network(600, seed=1)

    inside = [
        max(np.bincount([network.community[m] for m in p.members])) / len(p.members)
        for p in network.snapshot.partnerships
    ]

    assert float(np.mean(inside)) > 0.7


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    country: str
    town: str | None = None


@dataclass(frozen=True)
class Project:
    key: str
    programme: str
    lead_key: str | None
    member_keys: tuple[str, ...]
    themes: tuple[str, ...]
    start_year: int | None
    end_year: int | None = None
    description: str = ""
    acronym: str = ""
    name: str = ""


@dataclass
class Dataset:
    organisations: dict[str, Org]
    projects: list[Project]
    skipped: list[str] = field(default_factory=list)


def dataset() -> Dataset:
    orgs = {k: Org(k, f"Org {k}", k[:2]) for k in ("FR:a", "FR:b", "DE:c", "DE:d")}
    projects = [
        Project("P|one", "Interreg FR-DE", "FR:a", ("FR:a", "DE:c"), ("Tourism",), 2015, 2018),
        Project(
            "P|two",
            "Interreg FR-DE",
            "DE:c",
            ("DE:c", "FR:a", "FR:b"),
            ("Tourism", "Culture and heritage"),
            2016,
        ),
        Project("P|three", "Interreg FR-DE", "FR:b", ("FR:b", "DE:d", "FR:a"), ("Health",), 2018),
    ]
    return Dataset(orgs, projects)


def test_keep_eu_cut_keeps_projects_started_by_then_and_their_organisations() -> None:
    network = keep_eu_network(dataset(), until_year=2016)

    snapshot = network.snapshot
    assert [c.id for c in snapshot.centres] == [
        network.centre_id[k] for k in ("DE:c", "FR:a", "FR:b")
    ]
    assert len(snapshot.partnerships) == 2
    assert snapshot.reference_year == 2016
    org_a = next(c for c in snapshot.centres if c.id == network.centre_id["FR:a"])
    assert org_a.themes == ("tourism", "culture-and-heritage")
    assert snapshot.theme_names["culture-and-heritage"] == "Culture and heritage"


def test_keep_eu_ids_do_not_depend_on_the_cut() -> None:
    full, cut = keep_eu_network(dataset()), keep_eu_network(dataset(), until_year=2015)

    assert full.centre_id == cut.centre_id
    assert full.partnership_id == cut.partnership_id
    assert len(full.snapshot.centres) == 4


def test_a_later_project_becomes_its_lead_partners_proposal() -> None:
    data = dataset()
    network = keep_eu_network(data, until_year=2016)

    proposal = project_as_proposal(data.projects[2], 3, network.centre_id)

    assert proposal.owner == network.centre_id["FR:b"]
    assert proposal.themes == ("health",)
    assert proposal.programme == "Interreg FR-DE"
    assert proposal.partners_max == 2
    assert theme_slug("Culture & heritage") == "culture-heritage"


def test_a_project_without_lead_cannot_be_a_proposal() -> None:
    data = dataset()
    leaderless = Project("P|x", "I", None, ("FR:a",), (), 2020)

    with pytest.raises(ValueError):
        project_as_proposal(leaderless, 9, keep_eu_network(data).centre_id)
