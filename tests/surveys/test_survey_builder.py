"""The staff questionnaire editor (/surveys/{id}/edit) over HTTP on both databases: questions
changed, added, moved and removed one at a time; every mistake explained beside its field in
French with what was typed kept; a stale page refused without losing the edit; an open campaign's
questions read-only. Plus the pure edits of ``services.survey_editing``."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator

import httpx
import pytest
import pytest_asyncio
from sqlalchemy import select

from accr_graph.db import models as m
from accr_graph.services import survey_editing as se
from accr_graph.services import survey_questions as sq
from accr_graph.services.errors import ServiceFailure
from accr_graph.services.survey_starter import STARTER
from accr_graph.settings import Settings
from tests.conftest import Database, app_client
from tests.web.helpers import MEMBER, STAFF, csrf_of, sign_in

VERSION = re.compile(r'name="version" value="(\d+)"')
YEAR = "2030"


async def _campaign(db: Database) -> m.SurveyCampaign:
    async with db.sessionmaker() as session:
        found = await session.scalar(select(m.SurveyCampaign).where(m.SurveyCampaign.year == 2030))
        assert found is not None
        return found


def _questions(campaign: m.SurveyCampaign) -> dict[str, sq.Question]:
    return {q.key: q for q in sq.questions_of(sq.sections_from_json(campaign.sections))}


@pytest_asyncio.fixture(loop_scope="session")
async def staff(sample_db: Database, settings: Settings) -> AsyncIterator[httpx.AsyncClient]:
    """Staff reading French, with the 2030 campaign created as a draft (starter questionnaire)."""
    async with app_client(settings) as client:
        client.headers["accept-language"] = "fr"
        await sign_in(client, STAFF, "fr")
        page = await client.get("/surveys")
        dates = {"year": YEAR, "opens_on": "2031-01-15", "closes_on": "2031-03-31"}
        created = await client.post("/surveys", data={"csrf": csrf_of(page.text), **dates})
        assert created.status_code == 303
        yield client


async def _edit(
    http: httpx.AsyncClient, ident: int, fields: dict[str, str], version: str | None = None
) -> httpx.Response:
    page = await http.get(f"/surveys/{ident}/edit")
    found = VERSION.search(page.text)
    assert found
    data = {"csrf": csrf_of(page.text), "version": version or found.group(1), **fields}
    return await http.post(f"/surveys/{ident}/edit", data=data)


async def test_only_staff_edit_a_questionnaire(
    sample_db: Database, settings: Settings, staff: httpx.AsyncClient
) -> None:
    async with app_client(settings) as member:
        await sign_in(member, MEMBER)
        assert (await member.get("/surveys/1/edit")).status_code == 403
    async with app_client(settings) as anonymous:
        assert (await anonymous.get("/surveys/1/edit")).status_code == 303
    assert (await staff.get("/surveys/999999/edit")).status_code == 404
    assert (await staff.get("/surveys/abc/edit")).status_code == 404


async def test_change_add_move_and_remove_questions(
    sample_db: Database, staff: httpx.AsyncClient
) -> None:
    campaign = await _campaign(sample_db)
    page = await staff.get(f"/surveys/{campaign.id}/edit")
    assert page.status_code == 200
    assert "Modifier cette question" in page.text and 'id="q-visitors"' in page.text
    first_section = sq.sections_from_json(campaign.sections)[0].key

    changed = await _edit(
        staff,
        campaign.id,
        {
            "op": "change_question",
            "target": "visitors",
            "kind": "integer",
            "label_fr": "Visiteurs accueillis",
            "label_en": "Visitors welcomed",
            "unit": "personnes",
            "min": "0",
            "max": "10 000 000",
            "required": "on",
        },
    )
    assert changed.status_code == 303, re.findall(
        r"field__error[^>]*>([^<]*)|role=\"alert\">(.*?)</div>", changed.text, re.S
    )
    assert changed.headers["location"].endswith("done=change_question#q-visitors")
    visitors = _questions(await _campaign(sample_db))["visitors"]
    assert visitors.label == {"fr": "Visiteurs accueillis", "en": "Visitors welcomed"}
    assert (visitors.max, visitors.required, visitors.help) == (10_000_000, True, {})

    added = await _edit(
        staff,
        campaign.id,
        {
            "op": "add_question",
            "target": first_section,
            "kind": "single_choice",
            "label_fr": "Ouvert toute l'année ?",
            "label_en": "Open all year round?",
            "choices": "Toute l'année | All year\nEn saison | In season\nsur rendez-vous",
            "min": "5",  # ignored: bounds are for numbers
        },
    )
    assert added.status_code == 303
    stored = await _campaign(sample_db)
    new = _questions(stored)["open_all_year_round"]
    assert [c.key for c in new.choices] == ["all_year", "in_season", "sur_rendez_vous"]
    assert new.choices[2].label == {"fr": "sur rendez-vous"}
    assert new.min is None
    edit_form = (await staff.get(f"/surveys/{campaign.id}/edit")).text
    assert "all_year | Toute l&#39;année | All year" in edit_form  # keys shown to keep them

    keys = [q.key for q in sq.sections_from_json(stored.sections)[0].questions]
    assert keys[-1] == "open_all_year_round"
    moved = await _edit(staff, campaign.id, {"op": "move_up", "target": "open_all_year_round"})
    assert moved.status_code == 303
    keys_after = [
        q.key for q in sq.sections_from_json((await _campaign(sample_db)).sections)[0].questions
    ]
    assert keys_after == [*keys[:-2], keys[-1], keys[-2]]

    removed = await _edit(staff, campaign.id, {"op": "remove_question", "target": "events"})
    assert removed.status_code == 303
    assert "events" not in _questions(await _campaign(sample_db))


async def test_mistakes_are_explained_beside_their_fields(
    sample_db: Database, staff: httpx.AsyncClient
) -> None:
    campaign = await _campaign(sample_db)
    section = sq.sections_from_json(campaign.sections)[0].key
    typed = {
        "op": "add_question",
        "target": section,
        "kind": "multiple_choice",
        "label_fr": "",
        "label_en": "",
        "choices": "Une seule",
        "help_fr": "Aide gardée",
    }
    refused = await _edit(staff, campaign.id, typed)
    assert refused.status_code == 400
    assert "Écrivez la question en français ou en anglais." in refused.text
    assert "Donnez au moins deux choix, un par ligne." in refused.text
    assert "Aide gardée" in refused.text  # what was typed is kept
    assert f'id="new-{section}-label_fr-error"' in refused.text

    bounds = await _edit(
        staff,
        campaign.id,
        {
            "op": "change_question",
            "target": "visitors",
            "kind": "decimal",
            "label_fr": "V",
            "min": "dix",
            "max": "6,5",
        },
    )
    assert bounds.status_code == 400 and "Saisissez un nombre, comme 12 ou 6,5." in bounds.text
    crossed = await _edit(
        staff,
        campaign.id,
        {
            "op": "change_question",
            "target": "visitors",
            "kind": "decimal",
            "label_fr": "V",
            "min": "10",
            "max": "6,5",
        },
    )
    assert crossed.status_code == 400
    assert "ne doit pas être inférieur à 10" in crossed.text  # the service's rule, in French
    assert 'id="q-visitors-max-error"' in crossed.text
    twice = await _edit(
        staff,
        campaign.id,
        {
            "op": "add_question",
            "target": section,
            "kind": "integer",
            "label_fr": "X",
            "key": "visitors",
        },
    )
    assert twice.status_code == 400 and "la clé « visitors » est déjà utilisée" in twice.text
    assert _questions(await _campaign(sample_db))["visitors"].kind is sq.QuestionKind.INTEGER


async def test_a_stale_page_keeps_the_edit_and_an_open_campaign_is_read_only(
    sample_db: Database, staff: httpx.AsyncClient
) -> None:
    campaign = await _campaign(sample_db)
    stale = str(campaign.version)
    await _edit(staff, campaign.id, {"op": "move_down", "target": "visitors"})
    late = await _edit(
        staff,
        campaign.id,
        {"op": "change_question", "target": "events", "kind": "integer", "label_fr": "Fêtes"},
        version=stale,
    )
    assert late.status_code == 400
    assert "Quelqu&#39;un a modifié cette enquête" in late.text
    assert 'value="Fêtes"' in late.text
    assert _questions(await _campaign(sample_db))["events"].label.get("fr") != "Fêtes"

    details = await _edit(
        staff,
        campaign.id,
        {
            "op": "details",
            "title_fr": "Chiffres 2030",
            "title_en": "",
            "opens_on": "2031-02-01",
            "closes_on": "2031-04-30",
        },
    )
    assert details.status_code == 303
    page = await staff.get("/surveys")
    await staff.post(f"/surveys/{campaign.id}/open", data={"csrf": csrf_of(page.text)})
    opened = await staff.get(f"/surveys/{campaign.id}/edit")
    assert "Chiffres 2030" in opened.text and "Modifier cette question" not in opened.text
    refused = await _edit(staff, campaign.id, {"op": "remove_question", "target": "visitors"})
    assert refused.status_code == 400
    assert "les questions ne peuvent changer que tant que l&#39;enquête est un brouillon" in (
        refused.text
    )


# --- the pure edits ------------------------------------------------------------------------------


def _q(key: str) -> sq.Question:
    return sq.Question(key, sq.QuestionKind.INTEGER, {"en": key})


SECTIONS = [
    sq.Section("a", {"en": "A"}, (_q("a1"), _q("a2"))),
    sq.Section("b", {"en": "B"}, (_q("b1"),)),
]


def _keys(sections: list[sq.Section]) -> list[list[str]]:
    return [[q.key for q in s.questions] for s in sections]


def test_moves_cross_section_borders_and_stop_at_the_ends() -> None:
    assert _keys(se.move_question("a2", 1)(list(SECTIONS))) == [["a1"], ["a2", "b1"]]
    assert _keys(se.move_question("b1", -1)(list(SECTIONS))) == [["a1", "a2", "b1"], []]
    assert _keys(se.move_question("a1", -1)(list(SECTIONS))) == [["a1", "a2"], ["b1"]]
    assert _keys(se.move_question("b1", 1)(list(SECTIONS))) == [["a1", "a2"], ["b1"]]


def test_new_keys_come_from_labels_and_never_collide() -> None:
    assert se.key_from({"fr": "Élèves accueillis", "en": "Pupils welcomed"}, [], "q") == (
        "pupils_welcomed"
    )
    assert se.key_from({"fr": "Élèves"}, ["eleves"], "q") == "eleves_2"
    assert se.key_from({"en": "2024 budget"}, [], "question") == "question_2024_budget"
    # letters Unicode cannot split into a base letter and an accent are dropped, not kept
    assert se.key_from({"fr": "Main d'œuvre bénévole"}, [], "q") == "main_d_uvre_benevole"
    assert sq.KEY.match(se.key_from({"pl": "Współpraca"}, [], "q"))
    added = se.add_question("b", _q(""))(list(SECTIONS))
    assert _keys(added)[1] == ["b1", "question"]


def test_only_an_empty_section_is_removed() -> None:
    with pytest.raises(ServiceFailure):
        se.remove_section("a")(list(SECTIONS))
    emptied = se.move_question("b1", -1)(list(SECTIONS))
    assert [s.key for s in se.remove_section("b")(emptied)] == ["a"]
    with pytest.raises(ServiceFailure):
        se.change_question(_q("zz"))(list(SECTIONS))


def test_the_starter_questionnaire_passes_the_checks_staff_edits_go_through() -> None:
    # Every edit re-checks the whole questionnaire: a starter the checks refuse would block all.
    assert sq.check_sections(STARTER) == list(STARTER)
