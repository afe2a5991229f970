"""The page shell: languages (order of choice, negotiation), CSRF, headers, error pages."""

from __future__ import annotations

import httpx
import pytest

from accr_graph.i18n import accepted_languages, negotiate
from accr_graph.web.templating import choose_language
from tests.web.helpers import MEMBER, STAFF, csrf_of, sign_in, submit


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("de-DE,de;q=0.9,en;q=0.8,fr;q=0.5", "en"),  # the first *available* by q, not the first tag
        ("fr-CH, en;q=0.9", "fr"),
        ("en;q=0.2, fr;q=0.7", "fr"),  # q-values win over order
        ("en;q=0, *", None),  # q=0 means "not English"
        ("it, es", None),
        ("", None),
        ("en;q=abc, fr;q=0.1", "fr"),
    ],
)
def test_accept_language_negotiation(header: str, expected: str | None) -> None:
    assert negotiate(header, ("fr", "en")) == expected


def test_accepted_languages_keep_order_on_ties() -> None:
    assert accepted_languages("nl, de;q=0.8, en;q=0.8, nl-BE") == ["nl", "de", "en"]


def test_choice_order_saved_then_cookie_then_header_then_french() -> None:
    assert choose_language("en", "fr", "fr") == "en"
    assert choose_language(None, "en", "fr") == "en"
    assert choose_language(None, "xx", "en-GB,fr;q=0.5") == "en"
    assert choose_language(None, None, "de") == "fr"
    assert choose_language("xx", None, None) == "fr"


async def test_pages_render_in_both_languages(client: httpx.AsyncClient) -> None:
    french = await client.get("/login")
    english = await client.get("/login", headers={"accept-language": "en-GB,en;q=0.9"})
    assert french.status_code == english.status_code == 200
    assert '<html lang="fr">' in french.text and "Se connecter" in french.text
    assert '<html lang="en">' in english.text and "Sign in" in english.text
    assert "Se connecter" not in english.text
    assert english.headers["content-language"] == "en"
    policy = french.headers["content-security-policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    assert "<script>" not in french.text  # no inline scripts
    assert 'href="#main"' in french.text  # skip link


async def test_switch_cookie_beats_accept_language(client: httpx.AsyncClient) -> None:
    page = await client.get("/login", headers={"accept-language": "fr"})
    switched = await client.post(
        "/language", data={"csrf": csrf_of(page.text), "lang": "en", "next": "/login"}
    )
    assert switched.status_code == 303 and switched.headers["location"] == "/login"
    again = await client.get("/login", headers={"accept-language": "fr"})
    assert '<html lang="en">' in again.text


async def test_saved_preference_beats_the_cookie(client: httpx.AsyncClient) -> None:
    await sign_in(client, MEMBER)
    response = await submit(client, "/language", {"lang": "en", "next": "/"}, "/login")
    assert response.status_code == 303
    client.cookies.set("accr_lang", "fr")  # another browser's switch; the saved one wins
    page = await client.get("/login", headers={"accept-language": "fr"})
    assert '<html lang="en">' in page.text


async def test_forms_without_csrf_are_refused(client: httpx.AsyncClient) -> None:
    await client.get("/login")  # the browser has a CSRF cookie, but the form lacks the token
    refused = await client.post("/language", data={"lang": "en", "next": "/"})
    assert refused.status_code == 400
    assert "Requête refusée" in refused.text and '<html lang="fr">' in refused.text
    forged = await client.post("/language", data={"lang": "en", "csrf": "forged"})
    assert forged.status_code == 400
    await sign_in(client, MEMBER)
    assert (await client.post("/logout", data={})).status_code == 400


async def test_unknown_language_is_a_clear_400(client: httpx.AsyncClient) -> None:
    response = await submit(client, "/language", {"lang": "xx", "next": "/"}, "/login")
    assert response.status_code == 400


async def test_next_is_escaped_and_kept_on_site(client: httpx.AsyncClient) -> None:
    page = await client.get('/login?next=/centres"><script>alert(1)</script>')
    assert "<script>alert(1)" not in page.text
    off_site = await client.get("/language")  # GET is not allowed: no state change on GET
    assert off_site.status_code == 405


async def test_not_found_is_a_shell_page(client: httpx.AsyncClient) -> None:
    response = await client.get("/no/such/page", headers={"accept-language": "en"})
    assert response.status_code == 404 and "Page not found" in response.text
    assert "Skip to main content" in response.text


async def test_staff_pages_are_in_the_shell(client: httpx.AsyncClient) -> None:
    assert (await client.get("/map")).headers["location"].startswith("/login?next=%2Fmap")
    await sign_in(client, MEMBER)
    refused = await client.get("/map", headers={"accept-language": "en"})
    assert refused.status_code == 403 and "Only ACCR staff may see this." in refused.text
    await sign_in(client, STAFF)
    page = await client.get("/map")
    assert page.status_code == 200 and "Carte des coopérations" in page.text
    assert 'src="/static/map/map.js"' in page.text
