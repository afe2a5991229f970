"""Helpers for page tests: sign in through the form, read CSRF tokens, post forms."""

from __future__ import annotations

import re
from typing import Any

import httpx

MEMBER = ("marie.dubois@abbaye-de-saint-aurel.example.org", "demo-member-2026")
OTHER_MEMBER = ("giulia.bassi@castello-di-valmora.example.org", "demo-member-2026")
STAFF = ("staff@accr.example.org", "demo-staff-2026")
CSRF = re.compile(r'name="csrf" value="([^"]+)"')


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF field on the page"
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, who: tuple[str, str], lang: str = "fr") -> None:
    page = await client.get("/login", headers={"accept-language": lang})
    form = {"csrf": csrf_of(page.text), "next": "/", "email": who[0], "password": who[1]}
    response = await client.post("/login", data=form)
    assert response.status_code == 303, response.text


async def submit(
    client: httpx.AsyncClient, path: str, data: dict[str, Any], from_page: str | None = None
) -> httpx.Response:
    """POST a form with the CSRF token of ``from_page`` (default: the form's own page)."""
    page = await client.get(from_page or path)
    return await client.post(path, data={"csrf": csrf_of(page.text), **data})
