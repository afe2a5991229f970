"""Matching reasons and consortium notes in words, in the reader's language.

The engine (``matching``) answers with structured reasons: a factor, its contribution and what it
names (competencies, themes, partners, countries, programmes...). This module writes the sentence
through the gettext domain ``reasons`` (``locale/<lang>/LC_MESSAGES/reasons.po``; msgids are the
English sentences). Countries and languages are named by Babel in the reader's language; theme and
competency names come from ``names`` (the service passes them in the reader's language) or, else,
from the engine's display name.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from babel import Locale, UnknownLocaleError
from babel.numbers import format_decimal
from babel.support import NullTranslations

from accr_graph.translations import available_languages, translations
from matching import Item, Note, Reason
from matching.index import RECENT_YEARS

Writer = Callable[["Words", Reason], str]
# Past this many items a list says "and N more".
MAX_LISTED = 3


@dataclass(frozen=True)
class Words:
    """Everything needed to write in one language."""

    lang: str
    catalog: NullTranslations
    locale: Locale
    names: Mapping[tuple[str, str], str]  # (kind, key) -> name in this language

    def _(self, message: str, **values: object) -> str:
        return self.catalog.gettext(message) % values if values else self.catalog.gettext(message)

    def n(self, singular: str, plural: str, count: int, **values: object) -> str:
        return self.catalog.ngettext(singular, plural, count) % {"count": count, **values}

    def name(self, item: Item) -> str:
        if item.kind == "country":
            return str(self.locale.territories.get(item.key, item.key))
        if item.kind == "language":
            return str(self.locale.languages.get(item.key, item.key))
        base = "competency" if item.kind == "competency_raised" else item.kind
        return self.names.get((base, item.key)) or item.name or item.key

    def quoted(self, item: Item) -> str:
        return self._("'%(name)s'", name=self.name(item))

    def listed(self, parts: Sequence[str], total: int) -> str:
        """'a, b and c', or 'a, b, c and 2 more' when there are more than listed."""
        more = total - len(parts)
        words = [*parts, self._("%(count)d more", count=more)] if more > 0 else list(parts)
        if len(words) <= 1:
            return "".join(words)
        return self._("%(first)s and %(last)s", first=", ".join(words[:-1]), last=words[-1])


def words(lang: str | None, names: Mapping[tuple[str, str], str] | None = None) -> Words:
    """Writing in ``lang`` when there is a catalog for it, else in English."""
    chosen = lang if lang in available_languages() else "en"
    try:
        locale = Locale.parse(chosen)
    except (UnknownLocaleError, ValueError):
        locale = Locale.parse("en")
    return Words(chosen, translations(chosen), locale, names or {})


def reason_text(reason: Reason, w: Words) -> str:
    writers = _MATCH_WRITERS if reason.about == "match" else _WRITERS
    writer = writers.get(reason.factor) or _WRITERS.get(reason.factor)
    return writer(w, reason) if writer else reason.factor


def _level(w: Words, item: Item) -> str:
    return w._("'%(name)s' (level %(level)d)", name=w.name(item), level=item.level or 1)


def _complementarity(w: Words, r: Reason) -> str:
    listed = w.listed([_level(w, i) for i in r.items], r.total)
    if r.about == "proposal":
        text = w._("offers %(items)s, which this proposal seeks", items=listed)
    else:
        text = w._("offers %(items)s, which you seek", items=listed)
    return text + _rarity(w, r)


def _rarity(w: Words, r: Reason) -> str:
    if r.count is None or not r.items:
        return ""
    if r.total > 1:
        return w.n(
            ", and only %(count)d centre offers %(name)s",
            ", and only %(count)d centres offer %(name)s",
            r.count,
            name=w.quoted(r.items[0]),
        )
    return w.n(
        ", and only %(count)d centre offers it", ", and only %(count)d centres offer it", r.count
    )


def _reciprocity(w: Words, r: Reason) -> str:
    listed = w.listed([w.quoted(i) for i in r.items], r.total)
    if r.about == "proposal":
        return w._("seeks %(items)s, which this proposal offers", items=listed)
    return w._("seeks %(items)s, which you offer", items=listed)


def _themes(w: Words, r: Reason) -> str:
    listed = w.listed([w.quoted(i) for i in r.items], r.total)
    if r.about == "proposal":
        return w.n(
            "works on %(items)s, a theme of this proposal",
            "works on %(items)s, themes of this proposal",
            r.total,
            items=listed,
        )
    return w.n(
        "works on %(items)s, a theme of yours",
        "works on %(items)s, themes of yours",
        r.total,
        items=listed,
    )


def _proximity(w: Words, r: Reason) -> str:
    names = w.listed([w.name(i) for i in r.items[:2]], r.total)
    if (r.count or 1) > 1:
        return w.n(
            "shares %(count)d partner with your team (%(names)s)",
            "shares %(count)d partners with your team (%(names)s)",
            r.total,
            names=names,
        )
    return w.n(
        "shares %(count)d partner with you (%(names)s)",
        "shares %(count)d partners with you (%(names)s)",
        r.total,
        names=names,
    )


def _global_proximity(w: Words, r: Reason) -> str:
    team = (r.have or 1) > 1
    if r.count is None:
        if team:
            return w._("is close to your team in the cooperation network")
        return w._("is close to you in the cooperation network")
    if team:
        return w.n(
            "is %(count)d step away from your team in the cooperation network",
            "is %(count)d steps away from your team in the cooperation network",
            r.count,
        )
    return w.n(
        "is %(count)d step away from you in the cooperation network",
        "is %(count)d steps away from you in the cooperation network",
        r.count,
    )


def _past_cooperation(w: Words, r: Reason) -> str:
    return w._("; ").join(_cooperation(w, item) for item in r.items)


def _cooperation(w: Words, item: Item) -> str:
    count = item.count or 0
    if item.kind == "owner":
        text = w.n(
            "worked with you on %(count)d joint project",
            "worked with you on %(count)d joint projects",
            count,
        )
    else:
        text = w.n(
            "worked with your partner %(name)s on %(count)d joint project",
            "worked with your partner %(name)s on %(count)d joint projects",
            count,
            name=w.name(item),
        )
    return text + (w._(", latest in %(year)d", year=item.year) if item.year else "")


def _activity(w: Words, r: Reason) -> str:
    if r.count:
        return w.n(
            "took part in %(count)d project in the last %(years)d years",
            "took part in %(count)d projects in the last %(years)d years",
            r.count,
            years=RECENT_YEARS,
        )
    partners = r.have or 0
    return w.n("has worked with %(count)d partner", "has worked with %(count)d partners", partners)


def _country(w: Words, r: Reason) -> str:
    text = w._("adds a new country: %(country)s", country=w.name(r.items[0]))
    if r.have is not None and r.needed is not None:
        text += w._(
            " (the team has %(have)d of the %(needed)d countries it needs)",
            have=r.have,
            needed=r.needed,
        )
    return text


def _language(w: Words, r: Reason) -> str:
    names = ", ".join(w.name(i) for i in r.items)
    return w.n(
        "shares a working language with you: %(languages)s",
        "shares working languages with you: %(languages)s",
        r.total,
        languages=names,
    )


def _programme(w: Words, r: Reason) -> str:
    if r.about == "proposal" and r.items:
        return w.n(
            "took part in %(count)d project of %(programme)s, this proposal's programme",
            "took part in %(count)d projects of %(programme)s, this proposal's programme",
            r.items[0].count or 0,
            programme=w.quoted(r.items[0]),
        )
    listed = w.listed([w.quoted(i) for i in r.items], r.total)
    return w._("took part in projects of %(programmes)s, like you", programmes=listed)


def _programme_area(w: Words, r: Reason) -> str:
    country, programme = w.name(r.items[0]), w.quoted(r.items[1])
    if r.about == "proposal":
        return w._(
            "is based in %(country)s, where %(programme)s works "
            "(%(share)d%% of its past participations)",
            country=country,
            programme=programme,
            share=round((r.value or 0.0) * 100),
        )
    return w._(
        "is based in %(country)s, a country of programmes you work in such as %(programme)s",
        country=country,
        programme=programme,
    )


def _exposure(w: Words, r: Reason) -> str:
    return w.n(
        "already well connected (%(count)d partner): its score is lowered by %(cut)d%% "
        "so that less connected centres also get seen",
        "already well connected (%(count)d partners): its score is lowered by %(cut)d%% "
        "so that less connected centres also get seen",
        r.count or 0,
        cut=round((r.value or 0.0) * 100),
    )


def _coverage(w: Words, r: Reason) -> str:
    new = [i for i in r.items if i.kind == "competency"]
    raised = [i for i in r.items if i.kind == "competency_raised"]
    parts = []
    if new:
        listed = w.listed([_level(w, i) for i in new], len(new))
        parts.append(w._("covers %(items)s, which nobody in the team offered yet", items=listed))
    if raised:
        levels = [
            w._("%(name)s to level %(level)d", name=w.quoted(i), level=i.level or 1) for i in raised
        ]
        parts.append(w._("raises %(items)s", items=w.listed(levels, len(levels))))
    return w._("; ").join(parts)


def _country_spread(w: Words, r: Reason) -> str:
    country = w.name(r.items[0])
    have, needed = r.have or 0, r.needed or 0
    if have <= needed:
        return w._(
            "adds a new country: %(country)s (%(have)d of the %(needed)d countries needed)",
            country=country,
            have=have,
            needed=needed,
        )
    return w._(
        "adds a new country: %(country)s (beyond the %(needed)d needed)",
        country=country,
        needed=needed,
    )


def _fit(w: Words, r: Reason) -> str:
    value = format_decimal(r.value or 0.0, "0.00", locale=w.locale)
    text = w._("suggestion score %(score)s", score=value)
    best = w._("; ").join(reason_text(part, w) for part in r.parts)
    return w._("%(text)s: %(details)s", text=text, details=best) if best else text


_WRITERS: dict[str, Writer] = {
    "complementarity": _complementarity,
    "reciprocity": _reciprocity,
    "theme_affinity": _themes,
    "network_proximity": _proximity,
    "global_proximity": _global_proximity,
    "past_cooperation": _past_cooperation,
    "activity": _activity,
    "country_diversity": _country,
    "shared_language": _language,
    "programme_experience": _programme,
    "programme_area": _programme_area,
    "exposure": _exposure,
    "coverage": _coverage,
    "country_spread": _country_spread,
    "fit": _fit,
}


# Reverse matching ("proposals for my centre"): the reader is the candidate.


def _m_complementarity(w: Words, r: Reason) -> str:
    listed = w.listed([_level(w, i) for i in r.items], r.total)
    return w._("you offer %(items)s, which this proposal seeks", items=listed) + _rarity(w, r)


def _m_reciprocity(w: Words, r: Reason) -> str:
    listed = w.listed([w.quoted(i) for i in r.items], r.total)
    return w._("this proposal offers %(items)s, which you seek", items=listed)


def _m_themes(w: Words, r: Reason) -> str:
    listed = w.listed([w.quoted(i) for i in r.items], r.total)
    return w.n(
        "you work on %(items)s, a theme of this proposal",
        "you work on %(items)s, themes of this proposal",
        r.total,
        items=listed,
    )


def _m_proximity(w: Words, r: Reason) -> str:
    names = w.listed([w.name(i) for i in r.items[:2]], r.total)
    return w.n(
        "you share %(count)d partner with its team (%(names)s)",
        "you share %(count)d partners with its team (%(names)s)",
        r.total,
        names=names,
    )


def _m_global_proximity(w: Words, r: Reason) -> str:
    if r.count is None:
        return w._("you are close to its team in the cooperation network")
    return w.n(
        "you are %(count)d step away from its team in the cooperation network",
        "you are %(count)d steps away from its team in the cooperation network",
        r.count,
    )


def _m_past_cooperation(w: Words, r: Reason) -> str:
    return w._("; ").join(_m_cooperation(w, item) for item in r.items)


def _m_cooperation(w: Words, item: Item) -> str:
    text = w.n(
        "you worked with %(name)s on %(count)d joint project",
        "you worked with %(name)s on %(count)d joint projects",
        item.count or 0,
        name=w.name(item),
    )
    return text + (w._(", latest in %(year)d", year=item.year) if item.year else "")


def _m_activity(w: Words, r: Reason) -> str:
    if r.count:
        return w.n(
            "you took part in %(count)d project in the last %(years)d years",
            "you took part in %(count)d projects in the last %(years)d years",
            r.count,
            years=RECENT_YEARS,
        )
    return w.n("you have %(count)d partner", "you have %(count)d partners", r.have or 0)


def _m_country(w: Words, r: Reason) -> str:
    text = w._("you would add a new country: %(country)s", country=w.name(r.items[0]))
    if r.have is not None and r.needed is not None:
        text += w._(
            " (the team has %(have)d of the %(needed)d countries it needs)",
            have=r.have,
            needed=r.needed,
        )
    return text


def _m_language(w: Words, r: Reason) -> str:
    return w.n(
        "you share a working language with its owner: %(languages)s",
        "you share working languages with its owner: %(languages)s",
        r.total,
        languages=", ".join(w.name(i) for i in r.items),
    )


def _m_programme(w: Words, r: Reason) -> str:
    item = r.items[0]
    return w.n(
        "you took part in %(count)d project of %(programme)s, its programme",
        "you took part in %(count)d projects of %(programme)s, its programme",
        item.count or 0,
        programme=w.quoted(item),
    )


def _m_programme_area(w: Words, r: Reason) -> str:
    return w._(
        "you are based in %(country)s, where %(programme)s works "
        "(%(share)d%% of its past participations)",
        country=w.name(r.items[0]),
        programme=w.quoted(r.items[1]),
        share=round((r.value or 0.0) * 100),
    )


def _m_exposure(w: Words, r: Reason) -> str:
    return w.n(
        "you are already well connected (%(count)d partner): this match is lowered by %(cut)d%% "
        "so that less connected centres also get seen",
        "you are already well connected (%(count)d partners): this match is lowered by %(cut)d%% "
        "so that less connected centres also get seen",
        r.count or 0,
        cut=round((r.value or 0.0) * 100),
    )


_MATCH_WRITERS: dict[str, Writer] = {
    "complementarity": _m_complementarity,
    "reciprocity": _m_reciprocity,
    "theme_affinity": _m_themes,
    "network_proximity": _m_proximity,
    "global_proximity": _m_global_proximity,
    "past_cooperation": _m_past_cooperation,
    "activity": _m_activity,
    "country_diversity": _m_country,
    "shared_language": _m_language,
    "programme_experience": _m_programme,
    "programme_area": _m_programme_area,
    "exposure": _m_exposure,
}


def note_text(note: Note, w: Words) -> str:
    return _NOTES[note.kind](w, note)


def _partners_short(w: Words, n: Note) -> str:
    return w._(
        "only %(count)d of the %(needed)d partners wanted could be added: "
        "no other centre is eligible",
        count=n.count,
        needed=n.needed,
    )


def _team_too_small(w: Words, n: Note) -> str:
    return w._(
        "a team of %(size)d organisations (you and %(count)d partners) cannot come from "
        "%(needed)d countries: ask for at least %(least)d partners",
        size=n.count + 1,
        count=n.count,
        needed=n.needed,
        least=n.needed - 1,
    )


def _countries_short(w: Words, n: Note) -> str:
    spans = w.n("%(count)d country", "%(count)d countries", n.count)
    reachable = w.n("%(count)d country", "%(count)d countries", len(n.items))
    return w._(
        "the team spans %(spans)s, not %(needed)d: eligible centres and your team come from "
        "only %(reachable)s (%(names)s)",
        spans=spans,
        needed=n.needed,
        reachable=reachable,
        names=", ".join(w.name(i) for i in n.items),
    )


def _nobody_offers(w: Words, n: Note) -> str:
    return w._("nobody in the network offers %(name)s", name=w.quoted(n.items[0]))


def _offerers_not_picked(w: Words, n: Note) -> str:
    return w.n(
        "%(name)s is offered by %(count)d centre, but it is not eligible or not picked",
        "%(name)s is offered by %(count)d centres, but none of them is eligible or picked",
        n.count,
        name=w.quoted(n.items[0]),
    )


_NOTES: dict[str, Callable[[Words, Note], str]] = {
    "partners_short": _partners_short,
    "team_too_small": _team_too_small,
    "countries_short": _countries_short,
    "nobody_offers": _nobody_offers,
    "offerers_not_picked": _offerers_not_picked,
}
