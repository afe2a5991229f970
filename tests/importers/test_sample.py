"""The sample network: what lands in an empty database, and bad documents that must not land."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import distinct, func, select

from accr_graph.db import models as m
from accr_graph.db.base import Base
from accr_graph.importers.errors import DataFileError
from accr_graph.importers.sample import (
    SampleCounts,
    database_is_empty,
    read_sample,
    wipe,
)
from accr_graph.repositories import data_version
from accr_graph.security.passwords import verify_password
from accr_graph.services.imports import IfNotEmpty, load_sample_network
from accr_graph.services.uow import Actor
from tests.conftest import Database

Json = dict[str, Any]

EXPECTED_COUNTS = SampleCounts(
    centres=44,
    themes=20,
    competencies=31,
    proposals=25,
    partnerships=60,
    interests=46,
    users=8,
)
CENTRES_WITHOUT_PARTNERSHIP = {
    "fort-de-la-pointe-grise",
    "hyangseon-hanok-manor",
    "kilmora-priory-arts-centre",
}


async def row_counts(db: Database) -> dict[str, int]:
    async with db.sessionmaker() as session:
        return {
            table.name: int(await session.scalar(select(func.count()).select_from(table)) or 0)
            for table in Base.metadata.sorted_tables
        }


async def current_version(db: Database) -> int:
    async with db.sessionmaker() as session:
        return await data_version.current(session)


async def load(db: Database, data: Json | None = None) -> SampleCounts:
    loaded = await load_sample_network(db.sessionmaker, Actor.system(), IfNotEmpty.REFUSE, data)
    assert loaded.counts is not None
    return loaded.counts


async def test_loads_the_whole_network_into_an_empty_database(db: Database) -> None:
    # given an empty database
    async with db.sessionmaker() as session:
        assert await database_is_empty(session)
    # when the sample is loaded
    counts = await load(db)
    # then the loader reports, and the database holds, exactly the sample
    assert counts == EXPECTED_COUNTS
    rows = await row_counts(db)
    assert rows["centres"] == 44
    assert rows["themes"] == 20
    assert rows["competencies"] == 31
    assert rows["proposals"] == 25
    assert rows["partnerships"] == 60
    assert rows["interests"] == 46
    assert rows["users"] == 8
    assert rows["api_tokens"] == 0
    assert rows["partnership_members"] > 60
    assert rows["centre_themes"] > 0
    assert rows["centre_competencies"] > 0
    async with db.sessionmaker() as session:
        assert not await database_is_empty(session)


async def test_centres_come_from_20_countries(db: Database) -> None:
    await load(db)

    async with db.sessionmaker() as session:
        countries = await session.scalar(select(func.count(distinct(m.Centre.country))))
        sources = set((await session.scalars(select(m.Centre.source).distinct())).all())

    assert countries == 20
    assert sources == {"sample"}


async def test_three_centres_have_no_partnership(db: Database) -> None:
    # given the loaded sample
    await load(db)
    # when the centres outside every partnership are listed
    members = select(m.PartnershipMember.centre_id)
    async with db.sessionmaker() as session:
        lonely = set(
            (await session.scalars(select(m.Centre.slug).where(m.Centre.id.not_in(members)))).all()
        )
    # then exactly the three the sample was built with
    assert lonely == CENTRES_WITHOUT_PARTNERSHIP


async def test_interests_point_at_proposals_of_other_centres(db: Database) -> None:
    await load(db)

    query = select(m.Interest.centre_id, m.Proposal.owner_id).join(m.Proposal)
    async with db.sessionmaker() as session:
        pairs = (await session.execute(query)).all()

    assert len(pairs) == 46
    assert all(centre != owner for centre, owner in pairs)


async def test_users_have_argon2_hashes_not_passwords(db: Database) -> None:
    # given the loaded sample and the plain demo passwords from the document
    await load(db)
    passwords = {u["email"].lower(): u["password"] for u in read_sample()["users"]}
    # when the users are read back
    async with db.sessionmaker() as session:
        users = (await session.execute(select(m.User.email, m.User.password_hash))).all()
    # then every user has an argon2id hash that verifies, and no plain password is stored
    assert {email for email, _ in users} == set(passwords)
    for email, password_hash in users:
        assert password_hash is not None
        assert password_hash.startswith("$argon2id$"), email
        assert passwords[email] not in password_hash
    # argon2 is slow on purpose: verify each distinct hash once
    for password_hash, password in {h: passwords[e] for e, h in users}.items():
        assert verify_password(password_hash, password)
    email, password_hash = users[0]
    assert not verify_password(password_hash, passwords[email] + "x")


async def test_loading_bumps_the_data_version_once(db: Database) -> None:
    assert await current_version(db) == 1

    await load(db)

    assert await current_version(db) == 2


async def test_wipe_empties_everything_but_the_data_version(db: Database) -> None:
    # given the loaded sample
    await load(db)
    # when wiped
    async with db.sessionmaker.begin() as session:
        await wipe(session)
    # then only the data version row is left, and a reload gives the same network again
    rows = await row_counts(db)
    assert {name: count for name, count in rows.items() if count} == {"data_version": 1}
    assert await load(db) == EXPECTED_COUNTS
    assert (await row_counts(db))["centres"] == 44


# --- bad documents ------------------------------------------------------------------------------


def unknown_centre_theme(data: Json) -> None:
    data["centres"][5]["themes"].append("no-such-theme")


def unknown_partnership_member(data: Json) -> None:
    data["partnerships"][-1]["members"].append({"centre": "ghost-centre", "role": "partner"})


def unknown_proposal_competency(data: Json) -> None:
    data["proposals"][3]["seeks"].append({"competency": "levitation", "level": 2})


def unknown_interest_centre(data: Json) -> None:
    data["proposals"][0]["interests"] = [{"centre": "nobody", "status": "pending"}]


def centre_without_country(data: Json) -> None:
    del data["centres"][7]["country"]


def proposal_with_bad_status(data: Json) -> None:
    data["proposals"][2]["status"] = "maybe"


def user_with_bad_role(data: Json) -> None:
    data["users"][-1]["role"] = "superuser"


BAD_DOCUMENTS: list[tuple[Callable[[Json], None], str]] = [
    (unknown_centre_theme, r"unknown theme 'no-such-theme'"),
    (unknown_partnership_member, r"unknown centre 'ghost-centre'"),
    (unknown_proposal_competency, r"unknown competency 'levitation'"),
    (unknown_interest_centre, r"unknown centre 'nobody'"),
    (centre_without_country, r"malformed entry .*country"),
    (proposal_with_bad_status, r"malformed entry .*maybe"),
    (user_with_bad_role, r"malformed entry .*superuser"),
]


@pytest.mark.parametrize(
    ("spoil", "message"), BAD_DOCUMENTS, ids=[spoil.__name__ for spoil, _ in BAD_DOCUMENTS]
)
async def test_a_bad_document_raises_and_leaves_the_database_unchanged(
    db: Database, spoil: Callable[[Json], None], message: str
) -> None:
    # given an empty database and a sample document with one mistake
    data = copy.deepcopy(read_sample())
    spoil(data)
    before = await row_counts(db)
    # when it is loaded in one transaction
    with pytest.raises(DataFileError, match=message) as raised:
        await load(db, data)
    # then the error says it is the sample network, and nothing at all was written
    assert str(raised.value).startswith("sample network: ")
    assert await row_counts(db) == before
    assert await current_version(db) == 1


@pytest.mark.parametrize("kind", ["centres", "themes", "competencies"])
async def test_a_repeated_slug_is_refused_not_silently_dropped(db: Database, kind: str) -> None:
    # given a document listing one slug twice
    data = copy.deepcopy(read_sample())
    data[kind].append(copy.deepcopy(data[kind][0]))
    slug = data[kind][0]["slug"]
    before = await row_counts(db)
    # when it is loaded
    try:
        counts = await load(db, data)
    except DataFileError as error:
        # then it is refused, naming the slug, and nothing was written
        assert slug in str(error)
        assert await row_counts(db) == before
        return
    stored = (await row_counts(db))[kind]
    pytest.fail(
        f"a repeated {kind} slug {slug!r} was silently dropped: the loader reported "
        f"{getattr(counts, kind)} {kind} but the database holds {stored} "
        "(see the final report: sample._Refs.add)"
    )
