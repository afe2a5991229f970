"""The staff survey pages in a browser: create and open a campaign through the forms, read the
completion and the answers page; axe-core in French and English (0 serious or critical)."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import STAFF, log_in, screenshot
from tests.browser.test_pages import AXE, AXE_RUN, DOCS_IMG

YEAR = "2033"  # other browser tests make 2031's campaign


def test_staff_create_and_open_a_campaign(page: Any) -> None:
    log_in(page, STAFF, "/surveys")
    page.wait_for_url("**/surveys")
    page.fill("#f-year", YEAR)
    page.fill("#f-opens_on", "2034-01-15")
    page.fill("#f-closes_on", "2033-12-31")  # before the opening: explained beside the field
    page.click(".survey-create button[type=submit]")
    page.locator("#f-closes_on-error").wait_for()
    assert page.input_value("#f-year") == YEAR
    page.fill("#f-closes_on", "2034-03-31")
    page.click(".survey-create button[type=submit]")
    page.wait_for_url("**/surveys?done=created*")
    row = page.locator("tr", has=page.locator(f"th:has-text('{YEAR}')"))
    row.get_by_role("button", name="Open to the centres").click()
    page.wait_for_url("**/surveys?done=opened")
    row = page.locator("tr", has=page.locator(f"th:has-text('{YEAR}')"))
    assert row.locator(".status--open").count() == 1
    assert row.get_by_role("button", name="Send a reminder").is_enabled()
    screenshot(page, "surveys-staff.png")
    page.screenshot(path=str(DOCS_IMG / "surveys-staff.png"), full_page=True)
    row.get_by_role("link", name="Answers and missing centres").click()
    page.wait_for_url("**/answers")
    assert page.locator(".missing-centres li").count() > 10
    screenshot(page, "survey-answers.png")
    assert not page.errors


def test_staff_survey_pages_have_no_serious_accessibility_problems(
    browser: Any, live_server: str
) -> None:
    problems: list[str] = []
    for locale in ("fr-FR", "en-GB"):
        context = browser.new_context(base_url=live_server, locale=locale, bypass_csp=True)
        tab = context.new_page()
        log_in(tab, STAFF, "/surveys")
        tab.wait_for_url("**/surveys")
        paths = ["/surveys"]
        link = tab.locator("a[href$='/answers']").first
        if link.count():
            paths.append(link.get_attribute("href"))
        for path in paths:
            tab.goto(path)
            tab.add_script_tag(path=str(AXE))  # CSP bypassed in this context only, for axe
            problems += [f"{path} [{locale}]: {v}" for v in tab.evaluate(AXE_RUN)]
        context.close()
    assert problems == []


def test_staff_build_the_questionnaire_question_by_question(
    page: Any, browser: Any, live_server: str
) -> None:
    """A draft campaign's questionnaire, edited in French: a question changed, a refused edit
    explained beside its field, a list question added; axe-core on the editor in both languages."""
    log_in(page, STAFF, "/surveys")
    page.wait_for_url("**/surveys")
    page.fill("#f-year", "2035")
    page.fill("#f-opens_on", "2036-01-15")
    page.fill("#f-closes_on", "2036-03-31")
    page.click(".survey-create button[type=submit]")
    page.wait_for_url("**/surveys?done=created*")
    row = page.locator("tr", has=page.locator("th:has-text('2035')"))
    row.get_by_role("link", name="Edit the questions and dates").click()
    page.wait_for_url("**/edit")
    editor = page.url

    visitors = page.locator("#q-visitors")
    visitors.get_by_text("Change this question").click()
    page.fill("#q-visitors-label_en", "Visitors welcomed")
    page.fill("#q-visitors-max", "10")
    page.fill("#q-visitors-min", "20")  # the service refuses it: shown beside "max", input kept
    visitors.get_by_role("button", name="Save the question").click()
    page.locator("#q-visitors-max-error").wait_for()
    assert page.input_value("#q-visitors-min") == "20"
    page.fill("#q-visitors-min", "0")
    page.locator("#q-visitors").get_by_role("button", name="Save the question").click()
    page.wait_for_url("**done=change_question*")
    assert "Visitors welcomed" in page.locator("#q-visitors").inner_text()

    section = page.locator(".survey-builder__section").first
    section.get_by_text("Add a question to this section").click()
    section.locator("select[name=kind]").last.select_option("multiple_choice")
    section.locator("input[name=label_en]").last.fill("Languages of your events")
    section.locator("textarea[name=choices]").last.fill("Français | French\nAnglais | English")
    section.get_by_role("button", name="Add the question").click()
    page.wait_for_url("**done=add_question*")
    assert page.locator("#q-languages_of_your_events li").count() == 2
    screenshot(page, "survey-edit.png")
    page.screenshot(path=str(DOCS_IMG / "survey-edit.png"), full_page=False)
    assert not page.errors

    problems: list[str] = []
    for locale in ("fr-FR", "en-GB"):
        context = browser.new_context(base_url=live_server, locale=locale, bypass_csp=True)
        tab = context.new_page()
        log_in(tab, STAFF, editor.removeprefix(live_server))
        tab.wait_for_url("**/edit")
        tab.locator("#q-visitors summary").click()  # an open edit form is checked too
        tab.add_script_tag(path=str(AXE))
        problems += [f"{editor} [{locale}]: {v}" for v in tab.evaluate(AXE_RUN)]
        context.close()
    assert problems == []
