"""The proposal form (new and edit): its values, their parsing, and the service's field names."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from starlette.datastructures import FormData

from accr_graph.db import models as m
from accr_graph.services.proposal_views import ProposalView
from accr_graph.services.proposals import ProposalChanges
from accr_graph.web import params

LANGS = ("fr", "en")
NUMBERS = {"partners_min": (1, 50), "partners_max": (1, 50), "min_countries": (1, 50)}
FIELD_NAMES = {
    "title": "title_fr",
    "title.text": "title_fr",
    "title.lang": "title_fr",
    "summary": "summary_fr",
    "summary.text": "summary_fr",
    "partnersMin": "partners_min",
    "partnersMax": "partners_max",
    "minCountries": "min_countries",
    "fundingProgramme": "funding_programme",
    "seeks.level": "seeks",
    "offers.level": "offers",
    "id": "form",
}


@dataclass
class ProposalForm:
    """What the form shows: strings as typed, so a re-displayed form keeps the input."""

    texts: dict[str, str] = field(default_factory=dict)  # title_fr, summary_en, timeframe...
    themes: list[str] = field(default_factory=list)
    seeks: dict[str, int] = field(default_factory=dict)
    offers: dict[str, int] = field(default_factory=dict)
    version: int = 0

    @classmethod
    def empty(cls) -> ProposalForm:
        texts = {f"{k}_{lang}": "" for k in ("title", "summary") for lang in LANGS}
        texts.update(partners_min="2", partners_max="5", min_countries="1")
        texts.update(timeframe="", funding_programme="")
        return cls(texts)

    @classmethod
    def of(cls, shown: ProposalView) -> ProposalForm:
        p = shown.proposal
        texts = {f"title_{lang}": p.title.get(lang, "") for lang in LANGS}
        texts.update({f"summary_{lang}": p.summary.get(lang, "") for lang in LANGS})
        texts.update(partners_min=str(p.partners_min), partners_max=str(p.partners_max))
        texts.update(min_countries=str(p.min_countries), timeframe=p.timeframe or "")
        texts.update(funding_programme=p.funding_programme or "")
        seeks = {e.competency.slug: e.level for e in shown.seeks}
        offers = {e.competency.slug: e.level for e in shown.offers}
        return cls(texts, [t.slug for t in shown.themes], seeks, offers, p.version)

    @classmethod
    def parse(cls, form: FormData, before: ProposalForm) -> ProposalForm:
        names = [*before.texts] or [*cls.empty().texts]
        texts = {name: params.text(form.get(name), 10_000) for name in names}
        seeks = _levels(form.getlist("seeks"), before.seeks)
        offers = _levels(form.getlist("offers"), before.offers)
        themes = [t for t in form.getlist("themes") if isinstance(t, str)][:50]
        version = params.digits(form.get("version"), 0, 2**31 - 1) or 0
        return cls(texts, themes, seeks, offers, version)

    def number_errors(self) -> dict[str, str]:
        return {
            name: "enter a whole number"
            for name, (low, high) in NUMBERS.items()
            if params.digits(self.texts.get(name), low, high) is None
        }

    def changes(self, stored: m.Proposal | None = None) -> ProposalChanges:
        title = dict(stored.title) if stored else {}
        summary = dict(stored.summary) if stored else {}
        for lang in LANGS:  # languages the form does not show are kept
            title[lang] = self.texts[f"title_{lang}"]
            summary[lang] = self.texts[f"summary_{lang}"]
        number = {k: params.digits(self.texts[k], 1, 50) for k in NUMBERS}
        return ProposalChanges(
            title=list(title.items()),
            summary=list(summary.items()),
            themes=self.themes,
            seeks=self.seeks,
            offers=self.offers,
            partners_min=number["partners_min"],
            partners_max=number["partners_max"],
            min_countries=number["min_countries"],
            timeframe=self.texts["timeframe"],
            funding_programme=self.texts["funding_programme"],
        )

    def differences(self, current: ProposalForm) -> list[str]:
        """The fields whose saved value differs from this (submitted) form: a stale edit's
        "what changed meanwhile"."""
        names = [k for k in self.texts if self.texts[k] != current.texts.get(k)]
        for name in ("themes", "seeks", "offers"):
            if getattr(self, name) != getattr(current, name):
                names.append(name)
        return names


def _levels(slugs: Sequence[object], before: dict[str, int]) -> dict[str, int]:
    """Chosen competencies, keeping each one's saved level (new ones: 2, confirmed)."""
    chosen = [s for s in slugs if isinstance(s, str) and s][:50]
    return {slug: before.get(slug, 2) for slug in chosen}
