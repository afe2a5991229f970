"""The members' pages in Chromium: axe-core on every page in French and English (no serious or
critical violation), screenshots of each, keyboard use, JavaScript off, and the two journeys in
French: a proposal from draft to a joint project on both centres' pages; two centres at the
Fair from registration to the meeting in their agendas and a valid .ics."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTIFACTS, ROOT, STAFF

AXE = Path(__file__).parent / "vendor" / "axe.min.js"
DOCS_IMG = ROOT / "docs" / "img"
MEMBER = ("marie.dubois@abbaye-de-saint-aurel.example.org", "demo-member-2026")
OTHER = ("giulia.bassi@castello-di-valmora.example.org", "demo-member-2026")
AXE_RUN = """async () => {
  const r = await axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']}});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""
PUBLIC = {
    "home": "/",
    "centres": "/centres?country=FR",
    "centre": "/centres/abbaye-de-saint-aurel",
    "proposals": "/proposals",
    "proposal": "/proposals/1",
    "login": "/login",
    "not-found": "/no/such/page",
}
SIGNED_IN = {
    "centre-edit": "/centres/abbaye-de-saint-aurel/edit",
    "proposal-owner": "/proposals/1?team=1",
    "proposal-new": "/proposals/new",
    "proposal-edit": "/proposals/1/edit",
    "account": "/account",
    "inbox": "/inbox",
    "for-my-centre": "/proposals?tab=mine",
}
STAFF_PAGES = {"dashboard": "/dashboard"}
# Staff pages of the Fair and the meetings programme (test_staff_pages_are_accessible).
STAFF_ADMIN = {
    "fair-new": "/fairs/new",
    "meeting-new": "/meetings/new",
    "meeting-edit": "/meetings/1/edit",
    "meeting-attendance": "/meetings/1/attendance",
    "meetings-calendar": "/meetings?view=calendar",
}
IN_DOCS = {
    "home",
    "centres",
    "centre",
    "proposals",
    "proposal-owner",
    "centre-edit",
    "account",
    "fair",
}


@pytest.fixture
def context_for(browser: Any, live_server: str) -> Iterator[Any]:
    """New browser contexts reading a language; CSP bypassed only so that axe can be injected."""
    made: list[Any] = []

    def make(locale: str, javascript: bool = True) -> Any:
        context = browser.new_context(
            base_url=live_server,
            viewport={"width": 1280, "height": 900},
            locale=locale,
            bypass_csp=True,
            java_script_enabled=javascript,
        )
        context.set_default_timeout(30_000)
        made.append(context)
        return context

    yield make
    for context in made:
        context.close()


def _sign_in(page: Any, who: tuple[str, str]) -> None:
    page.goto("/login")
    page.fill("input[name=email]", who[0])
    page.fill("input[name=password]", who[1])
    page.click("main button[type=submit]")
    page.wait_for_url(re.compile(r".*/$"))


def _check(page: Any, name: str, lang: str) -> list[str]:
    page.add_script_tag(path=str(AXE))
    problems = [f"{name} [{lang}]: {v}" for v in page.evaluate(AXE_RUN)]
    folder = ARTIFACTS / "pages"
    folder.mkdir(parents=True, exist_ok=True)
    shot = folder / f"{name}-{lang}.png"
    page.screenshot(path=str(shot), full_page=True)
    if lang == "fr" and name in IN_DOCS:
        DOCS_IMG.mkdir(exist_ok=True)
        page.screenshot(path=str(DOCS_IMG / f"page-{name}.png"))
    return problems


def _visit(page: Any, pages: dict[str, str], lang: str) -> list[str]:
    problems: list[str] = []
    for name, path in pages.items():
        page.goto(path)
        assert page.locator("html").get_attribute("lang") == lang, path
        problems += _check(page, name, lang)
    return problems


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_page_is_accessible(context_for: Any, lang: str) -> None:
    locale = "fr-FR" if lang == "fr" else "en-GB"
    anonymous = context_for(locale).new_page()
    problems = _visit(anonymous, PUBLIC, lang)
    member = context_for(locale).new_page()
    _sign_in(member, MEMBER)
    problems += _visit(member, SIGNED_IN, lang)
    staff = context_for(locale).new_page()
    _sign_in(staff, STAFF)
    problems += _visit(staff, STAFF_PAGES, lang)
    assert problems == []


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_staff_pages_are_accessible(context_for: Any, lang: str) -> None:
    """The staff forms, then an edition created through /fairs/new and its grid page."""
    staff = context_for("fr-FR" if lang == "fr" else "en-GB").new_page()
    _sign_in(staff, STAFF)
    problems = _visit(staff, STAFF_ADMIN, lang)
    staff.goto("/fairs/new")
    staff.fill("#f-name", f"Forum {lang}")
    staff.fill("#f-day0_date", "2031-05-13")
    staff.click("main form button[type=submit]")
    staff.wait_for_url(re.compile(r".*/fairs/\d+/grid\?done=created"))
    problems += _check(staff, "fair-grid", lang)
    staff.goto(staff.url.split("/grid")[0])
    problems += _check(staff, "fair-staff", lang)
    staff.goto("/meetings/new")
    staff.fill("#f-starts", "2031-05-13T10:00")  # ends missing: the form comes back
    staff.click("main form button[type=submit]")
    problems += _check(staff, "meeting-form-errors", lang)
    assert problems == []


def test_keyboard_reaches_the_content_first(context_for: Any) -> None:
    page = context_for("fr-FR").new_page()
    page.goto("/centres")
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement.getAttribute('href')")
    assert focused == "#main"  # the skip link comes first
    page.keyboard.press("Enter")
    page.keyboard.press("Tab")
    inside = page.evaluate("() => !!document.activeElement.closest('main')")
    assert inside


def test_directory_filters_without_javascript(context_for: Any) -> None:
    page = context_for("fr-FR", javascript=False).new_page()
    page.goto("/centres")
    page.select_option("#f-country", "DE")
    page.click("main form[role=search] button[type=submit]")
    page.wait_for_url(re.compile(r".*country=DE.*"))
    assert "Allemagne" in page.content()
    assert page.locator("#results li").count() >= 1


def test_directory_filters_with_htmx(context_for: Any) -> None:
    page = context_for("fr-FR").new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto("/centres")
    page.select_option("#f-country", "IT")  # `change` triggers htmx: no full reload
    page.wait_for_url(re.compile(r".*country=IT.*"))
    page.wait_for_function("() => document.querySelector('#results').textContent.includes('Ital')")
    assert errors == []


def test_proposal_journey_in_french(context_for: Any) -> None:
    owner = context_for("fr-FR").new_page()
    _sign_in(owner, MEMBER)
    owner.goto("/proposals/new")
    owner.fill("#f-title_fr", "Nuits des abbayes en musique")
    owner.fill("#f-title_en", "Abbey nights of music")
    owner.fill("#f-summary_fr", "Une tournée de concerts nocturnes dans les cloîtres.")
    owner.fill("#f-summary_en", "A tour of night concerts in cloisters.")
    owner.check("input[name=themes][value=music]")
    owner.select_option("#f-seeks", ["data-visitor-analytics", "digital-mediation-tools"])
    owner.fill("#f-min_countries", "2")
    owner.click("main form button[type=submit]")
    owner.wait_for_url(re.compile(r".*/proposals/\d+\?done=created"))
    proposal_url = owner.url.split("?")[0]
    screenshot_of(owner, "journey-1-draft.png")
    owner.click("text=Publier")
    owner.wait_for_url(re.compile(r".*done=published"))
    assert "Partenaires suggérés" in owner.content()
    assert owner.locator("#suggestions ol > li").count() >= 1
    owner.fill("#f-size", "3")
    owner.click("#consortium button[type=submit]")
    owner.wait_for_selector("text=Équipe suggérée")
    screenshot_of(owner, "journey-1-consortium.png")

    other = context_for("fr-FR").new_page()
    _sign_in(other, OTHER)
    other.goto("/proposals?q=abbayes+en+musique")
    other.click("text=Nuits des abbayes en musique")
    other.fill("#interest textarea", "Notre castello accueille volontiers une étape.")
    other.click("#interest button[type=submit]")
    other.wait_for_url(re.compile(r".*done=interest"))

    owner.goto(proposal_url)
    owner.locator("#interests form").first.locator("textarea").fill("Avec plaisir !")
    owner.locator("#interests button[value=accept]").first.click()
    owner.wait_for_url(re.compile(r".*done=answered"))
    owner.click("text=Marquer le partenariat conclu")
    owner.wait_for_url(re.compile(r".*done=partnered"))
    for slug in ("abbaye-de-saint-aurel", "castello-di-valmora"):
        owner.goto(f"/centres/{slug}")
        assert "Abbey nights of music" in owner.content(), slug
    screenshot_of(owner, "journey-1-partnered.png")


def screenshot_of(page: Any, name: str) -> None:
    folder = ARTIFACTS / "journeys"
    folder.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(folder / name), full_page=True)


CREATE_FAIR = """async () => {
  const input = {name: 'Foire aux projets 2027', year: 2027, venue: 'Abbaye de Saint-Aurel',
    timezone: 'Europe/Paris', days: [{date: '2027-05-18', start: '09:00:00', slotMinutes: 30, slots: 4}],
    tables: [{name: 'T1', capacity: 2}, {name: 'T2', capacity: 2}]};
  const r = await fetch('/graphql', {method: 'POST', headers: {'content-type': 'application/json'},
    body: JSON.stringify({query: 'mutation ($i: CreateFairInput!) { createFair(input: $i) { __typename ... on FairSuccess { fair { id } } } }', variables: {i: input}})});
  return (await r.json()).data.createFair.fair.id;
}"""


def _register(page: Any, fair_url: str, names: str) -> None:
    page.goto(fair_url)
    page.fill("#f-representatives", names)
    page.click("form[action$='/register'] button[type=submit]")
    page.wait_for_url(re.compile(r".*done=registered.*"))


def test_fair_journey_in_french(context_for: Any) -> None:
    staff = context_for("fr-FR").new_page()
    _sign_in(staff, STAFF)
    staff.evaluate(CREATE_FAIR)
    staff.goto("/fairs")
    staff.click("text=Foire aux projets 2027")
    fair_url = staff.url
    owner = context_for("fr-FR").new_page()
    _sign_in(owner, MEMBER)
    _register(owner, fair_url, "Marie Dubois")
    other = context_for("fr-FR").new_page()
    _sign_in(other, OTHER)
    _register(other, fair_url, "Giulia Bassi")
    owner.goto(fair_url)
    owner.select_option("#f-centre", label="Castello di Valmora")
    owner.fill("#f-message", "Parlons de nos académies d'été.")
    owner.click("form[action$='/request'] button[type=submit]")
    owner.wait_for_url(re.compile(r".*done=requested.*"))
    other.goto(fair_url)
    other.click("#requests button[value=accept]")
    other.wait_for_url(re.compile(r".*done=answered.*"))
    staff.goto(fair_url)
    staff.click("text=Lancer le planificateur")
    staff.wait_for_url(re.compile(r".*done=scheduled.*"))
    staff.click("text=Publier le planning")
    staff.wait_for_url(re.compile(r".*done=published.*"))
    screenshot_of(staff, "journey-2-published.png")
    for page, partner in ((owner, "Castello di Valmora"), (other, "Abbaye de Saint-Aurel")):
        page.goto(fair_url)
        agenda = page.locator("#agenda table")
        assert partner in agenda.inner_text()
        assert "09:00" in agenda.inner_text()  # the fair's local time
        with page.expect_download() as download:
            page.click("text=Télécharger l’agenda (.ics)")
        body = Path(download.value.path()).read_text(encoding="utf-8")
        assert body.startswith("BEGIN:VCALENDAR") and "BEGIN:VEVENT" in body
        assert body.rstrip().endswith("END:VCALENDAR")
    screenshot_of(owner, "journey-2-agenda.png")
    problems = _check(owner, "fair", "fr") + _check(staff, "fair-admin", "fr")
    staff.goto("/fairs")
    problems += _check(staff, "fairs", "fr")
    english = context_for("en-GB").new_page()
    _sign_in(english, MEMBER)
    english.goto(fair_url)
    problems += _check(english, "fair", "en")
    english.goto("/fairs")
    problems += _check(english, "fairs", "en")
    assert problems == []
