"""The yearly survey form, filled in French by a member: errors beside the fields, then sent."""

from __future__ import annotations

from typing import Any

from tests.browser.conftest import MEMBER, STAFF, log_in, screenshot

CREATE_AND_OPEN = """async () => {
  const made = await window.accr.gql(`mutation { createSurveyCampaign(input: {
      year: 2031, opensOn: "2032-01-10", closesOn: "2032-03-31" }) {
    ... on SurveyCampaignSuccess { campaign { id } } } }`);
  const id = made.createSurveyCampaign.campaign.id;
  await window.accr.gql(`mutation ($id: ID!) { openSurveyCampaign(input: { id: $id }) {
    __typename } }`, { id: id });
  return id;
}"""


def _open_campaign(page: Any) -> int:
    log_in(page, STAFF, "/map")
    page.wait_for_url("**/map")
    page.wait_for_function("() => window.accr && window.accr.gql")
    global_id = page.evaluate(CREATE_AND_OPEN)
    page.context.clear_cookies()
    from schema.relay import from_global_id

    decoded = from_global_id(global_id)
    assert decoded is not None
    return decoded[1]


def test_survey_filled_in_french(page: Any) -> None:
    campaign = _open_campaign(page)
    log_in(page, MEMBER, f"/surveys/{campaign}")
    page.wait_for_url(f"**/surveys/{campaign}")
    assert page.locator("html").get_attribute("lang") == "fr"
    assert page.locator("legend", has_text="Activité").count() == 1
    page.fill("#q-visitors", "-5")
    page.fill("#q-events", "12,5")
    page.fill("#q-staff_fte", "6,5")
    page.check("input[name=q_budget_band][value=under_250k]")
    page.check("input[name=q_languages_used][value=fr]")
    page.click("button[value=submit]")
    error = page.locator("#q-visitors-error")
    error.wait_for()
    assert error.inner_text() == "doit être au moins 0 (saisi : -5)"
    assert page.locator("#q-events-error").inner_text() == (
        "doit être un nombre entier (saisi : 12.5)"
    )
    assert page.locator("#q-visitors").get_attribute("aria-invalid") == "true"
    assert page.input_value("#q-staff_fte") == "6.5"  # what was typed is kept
    assert page.is_checked("input[name=q_languages_used][value=fr]")
    screenshot(page, "survey-errors.png")
    page.fill("#q-visitors", "12 500")
    page.fill("#q-events", "48")
    page.click("button[value=save]")
    page.locator(".notice", has_text="brouillon").wait_for()
    assert page.input_value("#q-visitors") == "12500"
    page.click("button[value=submit]")
    page.locator(".notice", has_text="Merci").wait_for()
    assert page.locator("#q-visitors").is_disabled()
    screenshot(page, "survey-sent.png")
    assert not page.errors
