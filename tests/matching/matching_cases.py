"""Small hand-made networks whose right answers are known, shared by the matching tests."""

from __future__ import annotations

from accr_graph.reason_text import note_text, reason_text, words
from matching import CentreData, NetworkSnapshot, Note, PartnershipData, ProposalData, Reason

THEMES = {"music": "Music", "heritage": "Heritage", "gardens": "Gardens"}
COMPETENCIES = {
    "residencies": "Artist residencies",
    "sound": "Sound engineering",
    "web": "Web development",
    "garden": "Garden design",
}


def centre(
    cid: int,
    country: str,
    *,
    themes: tuple[str, ...] = (),
    offers: dict[str, int] | None = None,
    seeks: dict[str, int] | None = None,
    languages: tuple[str, ...] = ("en",),
) -> CentreData:
    return CentreData(
        id=cid,
        name=f"Centre {cid}",
        country=country,
        languages=languages,
        themes=themes,
        offers=offers or {},
        seeks=seeks or {},
    )


def project(
    pid: int, *members: int, year: int = 2020, themes: tuple[str, ...] = ()
) -> PartnershipData:
    return PartnershipData(
        id=pid, members=members, lead=members[0], start_year=year, end_year=year, themes=themes
    )


def residency_network() -> NetworkSnapshot:
    """Centre 1 (FR) wants artist residencies at level 3. Centre 2 (PT) offers exactly that, 4 (ES)
    only at level 1, 5 and 6 also at level 3 but are already in the team or declined; 3 offers
    something else. 7 is a hub that worked with everybody."""
    centres = (
        centre(1, "FR", themes=("music",), offers={"sound": 2}, seeks={"residencies": 3}),
        centre(2, "PT", themes=("music",), offers={"residencies": 3}),
        centre(3, "BE", themes=("music",), offers={"web": 2}),
        centre(4, "ES", themes=("heritage",), offers={"residencies": 1}),
        centre(5, "DE", themes=("music",), offers={"residencies": 3}),
        centre(6, "IT", themes=("music",), offers={"residencies": 3}),
        centre(7, "NL", themes=("music",), offers={"web": 3}),
    )
    partnerships = (
        project(1, 7, 1, 3, year=2019, themes=("music",)),
        project(2, 7, 2, year=2021),
        project(3, 7, 4, 5, year=2022),
        project(4, 7, 6, year=2018),
    )
    return NetworkSnapshot(centres, partnerships, (), THEMES, COMPETENCIES, reference_year=2024)


def residency_proposal(**changes: object) -> ProposalData:
    fields: dict[str, object] = {
        "id": 1,
        "owner": 1,
        "themes": ("music",),
        "seeks": {"residencies": 3},
        "current_partners": (5,),
        "declined": (6,),
        "min_countries": 3,
    }
    fields.update(changes)
    return ProposalData(**fields)  # type: ignore[arg-type]


def two_cliques() -> NetworkSnapshot:
    """Centres 1-5 (FR, music) all worked together, so did 6-10 (DE, gardens); 5 and 6 once."""
    cliques = [
        centre(i, "FR" if i <= 5 else "DE", themes=("music",) if i <= 5 else ("gardens",))
        for i in range(1, 11)
    ]
    centres = (*cliques, centre(11, "IT"))
    partnerships = (
        project(1, 1, 2, 3, 4, 5, year=2020, themes=("music",)),
        project(2, 6, 7, 8, 9, 10, year=2020, themes=("gardens",)),
        project(3, 5, 6, year=2015),
    )
    return NetworkSnapshot(centres, partnerships, (), THEMES, COMPETENCIES, reference_year=2024)


def en(reason: Reason) -> str:
    """A reason in English words (the engine itself writes none)."""
    return reason_text(reason, words("en"))


def en_note(note: Note) -> str:
    return note_text(note, words("en"))
