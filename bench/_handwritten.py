"""The hand-written baseline for ``bench/api.py``: a small Starlette app, no GraphQL.

Each endpoint answers with byte-for-byte the JSON the GraphQL service gives for the matching
bench operation, built from the same repository functions (so the same SQL) and batched the way
the per-request DataLoaders batch: one statement per relation for the whole page, the statements
of one level run concurrently, each in its own short session (DESIGN.md convention 5).

Serve it with ``uvicorn bench._handwritten:create_app --factory`` (from the repository root);
it reads the same ``ACCR_*`` settings as the service.
"""

from __future__ import annotations

import asyncio
import base64
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from contextlib import asynccontextmanager
from typing import Any, TypeVar

import orjson
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from accr_graph.countries import country_name
from accr_graph.db import models as m
from accr_graph.db.session import create_engine, create_sessionmaker
from accr_graph.i18n import parse_accept_language, pick
from accr_graph.repositories import catalogue, centres, proposals
from accr_graph.repositories.centres import CentreFilter, CentreOrder, CompetencyEntry
from accr_graph.repositories.common import Window
from accr_graph.repositories.proposals import ProposalFilter, ProposalOrder
from accr_graph.settings import Settings, get_settings
from accr_graph.viewer import ANONYMOUS

K = TypeVar("K")
V = TypeVar("V")
Sessionmaker = async_sessionmaker[AsyncSession]
Json = dict[str, Any]


# --- helpers mirroring schema/relay.py and the loaders -----------------------------------------


def global_id(type_name: str, pk: int) -> str:
    return base64.urlsafe_b64encode(f"{type_name}:{pk}".encode()).decode()


def pk_of(gid: str, type_name: str) -> int | None:
    try:
        kind, _, raw = base64.urlsafe_b64decode(gid.encode()).decode().partition(":")
    except ValueError:
        return None
    return int(raw) if kind == type_name and raw.isdigit() else None


def unique(keys: Iterable[K]) -> list[K]:
    """Keys in first-seen order without repeats, as a DataLoader batch holds them."""
    return list(dict.fromkeys(keys))


async def batch(
    sessionmaker: Sessionmaker,
    fetch: Callable[[AsyncSession, list[K]], Awaitable[Mapping[K, V]]],
    keys: list[K],
) -> Mapping[K, V]:
    """One loader batch: a short session of its own, one repository call for all keys."""
    if not keys:
        return {}
    async with sessionmaker() as session:
        return await fetch(session, keys)


def json_response(payload: Json) -> Response:
    return Response(orjson.dumps(payload), media_type="application/json")


def first_arg(request: Request, settings: Settings) -> int:
    raw = request.query_params.get("first")
    first = settings.page_size_default if raw is None else int(raw)
    return max(0, min(first, settings.page_size_max))


def competencies(entries: Sequence[Any], kind: m.CompetencyKind, lang: str | None) -> list[Json]:
    return [
        {
            "level": e.level,
            "competency": {"slug": e.competency.slug, "name": pick(e.competency.name, lang)},
        }
        for e in entries
        if e.kind is kind
    ]


# --- (1) centres(first: N) with everything nested -----------------------------------------------


def centre_node(
    row: m.Centre,
    lang: str | None,
    themes: Mapping[int, list[m.Theme]],
    comps: Mapping[int, list[CompetencyEntry]],
    owned: Mapping[int, list[m.Proposal]],
    partners: Mapping[int, list[centres.PartnerEntry]],
    partner_rows: Mapping[int, m.Centre],
    page: int,
) -> Json:
    mine = comps.get(row.id, [])
    props = owned.get(row.id, [])
    links = partners.get(row.id, [])
    return {
        "id": global_id("Centre", row.id),
        "slug": row.slug,
        "name": row.name,
        "country": {"code": row.country, "name": country_name(row.country)},
        "city": row.city,
        "themes": [{"slug": t.slug, "name": pick(t.name, lang)} for t in themes.get(row.id, [])],
        "offers": competencies(mine, m.CompetencyKind.OFFERS, lang),
        "seeks": competencies(mine, m.CompetencyKind.SEEKS, lang),
        "proposals": {
            "totalCount": len(props),
            "nodes": [
                {
                    "id": global_id("Proposal", p.id),
                    "title": pick(p.title, lang),
                    "status": p.status.name,
                }
                for p in props[:page]
            ],
        },
        "partners": {
            "totalCount": len(links),
            "nodes": [
                {
                    "jointProjects": link.joint_projects,
                    "lastYear": link.last_year,
                    "centre": {
                        "slug": partner_rows[link.partner_id].slug,
                        "name": partner_rows[link.partner_id].name,
                    },
                }
                for link in links[:PARTNERS_FIRST]
            ],
        },
    }


PARTNERS_FIRST = 5  # the bench query asks partners(first: 5)


async def centres_page(sm: Sessionmaker, settings: Settings, first: int, lang: str | None) -> Json:
    flt, order = CentreFilter(), CentreOrder()
    async with sm() as session:  # the root resolver: count and page in one session
        total = await centres.count_centres(session, flt)
        rows = await centres.list_centres(session, flt, order, Window(0, min(first, total)))
    ids = [r.id for r in rows]
    # Level 2: the four loaders of Centre's list fields, one batch each, concurrently.
    themes, comps, owned, partners = await asyncio.gather(
        batch(sm, centres.themes_of, ids),
        batch(sm, centres.competencies_of, ids),
        batch(sm, lambda s, k: proposals.by_owner_ids(s, k, ANONYMOUS), ids),
        batch(sm, centres.partners_of, ids),
    )
    # Level 3: CentreByIdLoader for the partners shown (the first five of each centre).
    shown = unique(p.partner_id for i in ids for p in partners.get(i, [])[:PARTNERS_FIRST])
    partner_rows = await batch(sm, centres.by_ids, shown)
    page = settings.page_size_default  # Centre.proposals has no `first`: the default page
    edges = [
        {"node": centre_node(r, lang, themes, comps, owned, partners, partner_rows, page)}
        for r in rows
    ]
    return {"data": {"centres": {"totalCount": total, "edges": edges}}}


# --- (2) proposal(id:) with its interests --------------------------------------------------------


async def proposal_detail(sm: Sessionmaker, settings: Settings, pk: int, lang: str | None) -> Json:
    found = await batch(sm, lambda s, k: proposals.by_ids(s, k, ANONYMOUS), [pk])
    row = found.get(pk)
    if row is None:
        return {"data": {"proposal": None}}
    owner, themes, comps, interests = await asyncio.gather(
        batch(sm, centres.by_ids, [row.owner_id]),
        batch(sm, proposals.themes_of, [pk]),
        batch(sm, proposals.competencies_of, [pk]),
        batch(sm, lambda s, k: proposals.interests_of(s, k, ANONYMOUS), [pk]),
    )
    shown = interests.get(pk, [])[: settings.page_size_default]
    # The loader's cache already holds the owner: only the other centres reach the database.
    missing = unique(i.centre_id for i in shown if i.centre_id not in owner)
    interested = {**owner, **await batch(sm, centres.by_ids, missing)}
    return {
        "data": {
            "proposal": {
                "title": pick(row.title, lang),
                "summary": pick(row.summary, lang),
                "status": row.status.name,
                "version": row.version,
                "owner": {"name": owner[row.owner_id].name},
                "themes": [{"name": pick(t.name, lang)} for t in themes.get(pk, [])],
                "seeks": competencies(comps.get(pk, []), m.CompetencyKind.SEEKS, lang),
                "interests": {
                    "nodes": [
                        {
                            "status": i.status.name,
                            "message": i.message,
                            "centre": {
                                "name": interested[i.centre_id].name,
                                "country": {"code": interested[i.centre_id].country},
                            },
                        }
                        for i in shown
                    ]
                },
            }
        }
    }


# --- (3) proposals(filter: {status, theme}, first: N) --------------------------------------------


async def proposal_search(
    sm: Sessionmaker,
    flt: ProposalFilter,
    first: int,
    lang: str | None,
) -> Json:
    async with sm() as session:
        # Like the API, check the filter's theme slugs exist (an unknown one is an error there).
        await catalogue.themes_by_slug(session, list(flt.themes))
    async with sm() as session:
        total = await proposals.count_proposals(session, flt, ANONYMOUS)
        window = Window(0, min(first, total))
        rows = await proposals.list_proposals(session, flt, ProposalOrder(), ANONYMOUS, window)
    ids = [r.id for r in rows]
    owners, themes = await asyncio.gather(
        batch(sm, centres.by_ids, unique(r.owner_id for r in rows)),
        batch(sm, proposals.themes_of, ids),
    )
    nodes = [
        {
            "title": pick(r.title, lang),
            "owner": {"name": owners[r.owner_id].name},
            "themes": [{"slug": t.slug} for t in themes.get(r.id, [])],
        }
        for r in rows
    ]
    return {"data": {"proposals": {"totalCount": total, "nodes": nodes}}}


# --- the app -------------------------------------------------------------------------------------


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or get_settings()
    state: dict[str, Any] = {}

    @asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        engine = app.state.engine = create_engine(settings)  # on app.state for the SQL check
        state["sm"] = create_sessionmaker(engine)
        try:
            yield
        finally:
            await engine.dispose()

    def lang_of(request: Request) -> str | None:
        return parse_accept_language(request.headers.get("accept-language"))

    async def healthz(_request: Request) -> Response:
        return json_response({"status": "ok"})

    async def centres_endpoint(request: Request) -> Response:
        first = first_arg(request, settings)
        return json_response(await centres_page(state["sm"], settings, first, lang_of(request)))

    async def proposal_endpoint(request: Request) -> Response:
        pk = pk_of(request.query_params.get("id", ""), "Proposal")
        if pk is None:
            return Response(b'{"error":"bad id"}', 400, media_type="application/json")
        return json_response(await proposal_detail(state["sm"], settings, pk, lang_of(request)))

    async def proposals_endpoint(request: Request) -> Response:
        params = request.query_params
        flt = ProposalFilter(
            statuses=tuple(m.ProposalStatus[s] for s in params.getlist("status")),
            themes=tuple(params.getlist("theme")),
        )
        first = first_arg(request, settings)
        return json_response(await proposal_search(state["sm"], flt, first, lang_of(request)))

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/centres", centres_endpoint),
            Route("/proposal", proposal_endpoint),
            Route("/proposals", proposals_endpoint),
        ],
        lifespan=lifespan,
    )
