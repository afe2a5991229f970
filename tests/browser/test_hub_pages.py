"""The meetings and resource pages in Chromium, in French and English: axe-core finds no
WCAG 2 A/AA violation, the calendar view renders, a member registers through the form.
Screenshots go to test-artifacts/."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, MEMBER, STAFF, log_in, screenshot

AXE = Path(__file__).parent / "vendor" / "axe-4.14.1.min.js"
RULES = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}


@pytest.fixture(params=["fr-FR", "en-US"])
def reader(browser: Any, live_server: str, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A tab reading the given language; CSP bypassed so the test can inject axe-core."""
    context = browser.new_context(
        base_url=live_server,
        locale=request.param,
        bypass_csp=True,
        viewport={"width": 1280, "height": 900},
    )
    tab = context.new_page()
    tab.lang = request.param[:2]
    yield tab
    context.close()


def violations(page: Any) -> list[str]:
    page.add_script_tag(path=str(AXE))
    found = page.evaluate("async (rules) => (await axe.run(document, rules)).violations", RULES)
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])}x) {v['nodes'][0]['target']}" for v in found]


def first_link(page: Any, prefix: str) -> str:
    href = page.locator(f"main a[href^='{prefix}']").first.get_attribute("href")
    assert href, prefix
    return str(href)


def test_hub_pages_are_accessible_in_both_languages(reader: Any) -> None:
    lang = reader.lang
    reader.goto("/meetings")
    assert reader.locator("html").get_attribute("lang") == lang
    meeting = first_link(reader, "/meetings/")
    pages = [
        "/meetings",
        "/meetings?view=calendar",
        "/meetings?when=past",
        meeting,
        "/resources",
        "/resources?q=residences+artistes",
    ]
    reader.goto("/resources")
    pages.append(first_link(reader, "/resources/"))
    for path in pages:
        reader.goto(path)
        assert violations(reader) == [], path
        name = (
            path.strip("/").replace("/", "-").replace("?", "-").replace("=", "-").replace("+", "-")
        )
        screenshot(reader, f"hub-{lang}-{name or 'home'}.png")


def _checked(tab: Any, name: str) -> None:
    assert violations(tab) == [], name
    ARTIFACTS.mkdir(exist_ok=True)
    tab.screenshot(path=str(ARTIFACTS / f"hub-{tab.lang}-{name}.png"), full_page=True)


def test_resource_forms_are_accessible_in_both_languages(reader: Any) -> None:
    """Staff: the add and edit forms (also with a mistake), the delete confirmation, the deleted
    list; the resource is restored at the end so other tests find it."""
    log_in(reader, STAFF, "/resources")
    reader.wait_for_url("**/resources")
    _checked(reader, "resources-staff")
    detail = str(reader.locator("#results a[href^='/resources/']").first.get_attribute("href"))
    reader.goto(detail)
    _checked(reader, "resource-staff")
    reader.goto("/resources/new")
    _checked(reader, "resource-new")
    reader.goto(f"{detail}/edit")
    _checked(reader, "resource-edit")
    reader.fill("#f-title", "")
    reader.fill("#f-year", "3000")
    reader.click("main form[action$='/edit'] button[type=submit]")
    reader.wait_for_selector("#f-title-error")
    _checked(reader, "resource-edit-errors")
    reader.goto(f"{detail}/delete")
    _checked(reader, "resource-delete")
    reader.click("main form[action$='/delete'] button[type=submit]")
    reader.wait_for_url("**/resources/deleted?done=deleted")
    _checked(reader, "resources-deleted")
    reader.click(f"main form[action='{detail}/restore'] button[type=submit]")
    reader.wait_for_url("**/resources/deleted?done=restored")
    _checked(reader, "resources-restored")


def test_a_member_registers_through_the_page(page: Any) -> None:
    log_in(page, MEMBER, "/meetings")
    page.goto("/meetings")
    page.goto(first_link(page, "/meetings/"))
    if page.locator("button:has-text('Cancel our registration')").count():
        page.click("button:has-text('Cancel our registration')")
    page.fill("textarea[name=representatives]", "Marie Dubois")
    page.click("button:has-text('Register our centre')")
    page.wait_for_selector("text=Your registration is saved.")
    assert page.locator("text=Marie Dubois").count() >= 1
    screenshot(page, "hub-en-meeting-registered.png")
    assert page.errors == []
