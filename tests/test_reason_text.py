"""Reasons in words: every sentence has a French and an English translation, and every factor
(suggestions, reverse matches, consortium picks and notes) is written without a stray msgid."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po

from accr_graph import reason_text as rt
from matching import Item, Note, Reason

SOURCE = Path(rt.__file__)
LOCALE = SOURCE.parent / "locale"
KEYWORDS = {"_": None, "n": (1, 2)}


def used_messages() -> set[str]:
    found = extract_from_file("python", str(SOURCE), keywords=KEYWORDS)
    return {m[1] if isinstance(m[1], str) else m[1][0] for m in found}


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_every_sentence_is_translated(lang: str) -> None:
    with (LOCALE / lang / "LC_MESSAGES" / "reasons.po").open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    translated = {
        m.id if isinstance(m.id, str) else m.id[0]
        for m in catalog
        if m.id and all(m.string if isinstance(m.string, tuple) else (m.string,))
    }
    assert used_messages() <= translated


COMPETENCY = Item("competency", "residencies", "Artist residencies", level=3)
PARTNER = Item("centre", "7", "Abbaye de Royaumont")
SAMPLES = [
    Reason("complementarity", 0.3, "proposal", (COMPETENCY,), 1, count=4),
    Reason("reciprocity", 0.1, "centre", (COMPETENCY,), 2),
    Reason("theme_affinity", 0.1, "proposal", (Item("theme", "music", "Music"),), 1),
    Reason("network_proximity", 0.1, "proposal", (PARTNER,), 1, count=2),
    Reason("global_proximity", 0.05, "centre", count=3, have=1),
    Reason("past_cooperation", 0.05, "centre", (Item("owner", "1", "Me", count=2, year=2019),), 1),
    Reason("activity", 0.1, "centre", count=4, have=12),
    Reason("country_diversity", 0.1, "proposal", (Item("country", "PT"),), 1, have=2, needed=3),
    Reason("shared_language", 0.05, "centre", (Item("language", "fr"),), 1),
    Reason("programme_experience", 0.1, "proposal", (Item("programme", "CE", count=2),), 1),
    Reason(
        "programme_area",
        0.05,
        "proposal",
        (Item("country", "PT"), Item("programme", "CE")),
        1,
        value=0.4,
    ),
    Reason("exposure", -0.05, "centre", count=40, value=0.2),
    Reason("coverage", 0.2, "proposal", (COMPETENCY,), 1),
    Reason("country_spread", 0.1, "proposal", (Item("country", "PT"),), 1, have=2, needed=3),
    Reason("fit", 0.1, "proposal", value=0.66, parts=(Reason("activity", 0.1, count=2),)),
]
NOTES = [
    Note("partners_short", count=1, needed=3),
    Note("team_too_small", count=2, needed=5),
    Note("countries_short", (Item("country", "DE"), Item("country", "FR")), 2, 4),
    Note("nobody_offers", (Item("competency", "lighting"),), 0),
    Note("offerers_not_picked", (Item("competency", "lighting"),), 3),
]


@pytest.mark.parametrize("about", ["proposal", "centre", "match"])
def test_every_factor_is_written_in_french(about: str) -> None:
    reader = rt.words("fr")
    for sample in SAMPLES:
        reason = (
            sample
            if sample.factor in {"coverage", "country_spread", "fit"}
            else (Reason(**{**_fields(sample), "about": about}))
        )
        text = rt.reason_text(reason, reader)
        assert text and "%(" not in text and text != reason.factor, reason
        assert text != rt.reason_text(reason, rt.words("en")), text


def test_notes_and_names_follow_the_language() -> None:
    fr, en = rt.words("fr"), rt.words("en")
    for note in NOTES:
        assert rt.note_text(note, fr) != rt.note_text(note, en)
    assert "Allemagne, France" in rt.note_text(NOTES[2], fr)
    assert rt.reason_text(SAMPLES[7], en) == (
        "adds a new country: Portugal (the team has 2 of the 3 countries it needs)"
    )
    assert "« Artist residencies » (niveau 3)" in rt.reason_text(SAMPLES[0], fr)


def test_localised_theme_names_and_unknown_language() -> None:
    names = {("theme", "music"): "Musique"}
    assert "« Musique »" in rt.reason_text(SAMPLES[2], rt.words("fr", names))
    assert rt.words("xx").lang == "en"


def _fields(reason: Reason) -> dict[str, object]:
    return {f: getattr(reason, f) for f in Reason.__slots__}  # type: ignore[attr-defined]
