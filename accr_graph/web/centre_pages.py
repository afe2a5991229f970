"""The home page, the centre directory and a centre's profile (reads; writes: centre_edit)."""

from __future__ import annotations

from datetime import UTC, datetime
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from accr_graph.db.models import LabelStatus
from accr_graph.repositories.centres import CentreFilter
from accr_graph.services import directory, observatory_figures, observatory_labels
from accr_graph.web import params
from accr_graph.web.templating import error_page, page_lang, page_viewer, render


async def _key_figures(request: Request) -> dict[str, object] | None:
    """The observatory's figures of the latest year, named in the reader's language."""
    db = request.app.state.sessionmaker
    found = await observatory_figures.home_figures(db)
    if found is None:
        return None
    lang = await page_lang(request)
    named = [(observatory_labels.label(i.key, lang, found.questions), i) for i in found.figures]
    return {"year": found.year, "figures": named, "not_enough": observatory_labels.not_enough(lang)}


async def home_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    today = datetime.now(UTC).date()
    overview = await directory.overview(request.app.state.sessionmaker, viewer, today)
    context = {"overview": overview, "key_figures": await _key_figures(request)}
    return await render(request, "home.html", context)


def _centre_filter(
    request: Request, cat: directory.Catalogue
) -> tuple[CentreFilter, dict[str, str]]:
    """The directory's filters from the query string; unknown values are ignored (and kept)."""
    q = request.query_params
    chosen = {
        "q": params.text(q.get("q")),
        "country": params.one_of(q.get("country"), {c for c, _ in cat.countries}) or "",
        "theme": params.one_of(q.get("theme"), {t.slug for t in cat.themes}) or "",
        "offers": params.one_of(q.get("offers"), {c.slug for c in cat.competencies}) or "",
        "label": params.one_of(q.get("label"), {s.value for s in LabelStatus}) or "",
    }
    flt = CentreFilter(
        countries=(chosen["country"],) if chosen["country"] else (),
        themes=(chosen["theme"],) if chosen["theme"] else (),
        offers=(chosen["offers"],) if chosen["offers"] else (),
        label_statuses=(LabelStatus(chosen["label"]),) if chosen["label"] else (),
        search=chosen["q"] or None,
    )
    return flt, chosen


async def centres_page(request: Request) -> Response:
    db = request.app.state.sessionmaker
    cat = await directory.catalogue_of(db)
    flt, chosen = _centre_filter(request, cat)
    results = await directory.search_centres(
        db, flt, params.page_number(request.query_params.get("page"))
    )
    base = "/centres?" + urlencode({k: v for k, v in chosen.items() if v})
    context = {"catalogue": cat, "chosen": chosen, "results": results, "base": base.rstrip("?")}
    return await render(request, "centres.html", context)


async def centre_page(request: Request) -> Response:
    viewer = await page_viewer(request)
    slug = request.path_params["slug"]
    profile = await directory.centre_profile(request.app.state.sessionmaker, viewer, slug)
    if profile is None:
        return await error_page(request, 404)
    done = params.one_of(request.query_params.get("done"), {"profile", "competency"})
    return await render(request, "centre.html", {"p": profile, "done": done})
