"""A service's refusal as messages tied to a form's fields, in the reader's language.

Services speak English, some messages with values inside ("must be between 5 and 240 (got
3)"). Plain messages are translated through the catalogs (`messages.py` lists them); messages
with values are matched here against a pattern and rebuilt from a translated template, so a
French page never shows an English sentence for a mistake the staff made in a form.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from starlette.requests import Request

from accr_graph.services.errors import Invalid, ServiceFailure
from accr_graph.web.messages import N_
from accr_graph.web.templating import gettext, page_lang

PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = (
    (
        re.compile(r"must be between (?P<low>-?[\d.]+) and (?P<high>-?[\d.]+) \(got .*\)"),
        N_("must be between %(low)s and %(high)s"),
    ),
    (
        re.compile(r"is \d+ characters long; the maximum is (?P<max>\d+)"),
        N_("is too long: %(max)s characters at most"),
    ),
    (
        re.compile(r"'(?P<value>.*)' is not an IANA time zone.*"),
        N_("'%(value)s' is not a time zone (write it like Europe/Paris)"),
    ),
    (
        re.compile(r"'(?P<value>.*)' is not an ISO 639-1 language code"),
        N_("'%(value)s' is not a two-letter language code (fr, en, de...)"),
    ),
    (re.compile(r"must be in the fair's year, (?P<year>\d+)"), N_("must be in %(year)s")),
    (re.compile(r"give between 1 and (?P<n>\d+) days"), N_("give between 1 and %(n)s days")),
    (re.compile(r"give between 1 and (?P<n>\d+) tables"), N_("give between 1 and %(n)s tables")),
    (re.compile(r"'(?P<value>.*)' is given twice"), N_("'%(value)s' is given twice")),
    (re.compile(r"a day has at most (?P<n>\d+) slots"), N_("a day has at most %(n)s slots")),
    (re.compile(r"a fair has at most (?P<n>\d+) tables"), N_("a fair has at most %(n)s tables")),
    (re.compile(r"overlaps the slot (?P<slot>\S+)"), N_("overlaps the slot %(slot)s")),
    (
        re.compile(r"(?P<when>.+) does not exist in (?P<zone>\S+): the clocks jump forward.*"),
        N_(
            "%(when)s does not exist in %(zone)s: the clocks jump forward that night "
            "(daylight saving time). Choose a time outside the gap."
        ),
    ),
    (
        re.compile(r"no table of this fair seats (?P<n>\d+)"),
        N_("no table of this fair seats %(n)s"),
    ),
    (
        re.compile(r"(?P<name>.+) is not registered for this fair"),
        N_("%(name)s is not registered for this fair"),
    ),
    (
        re.compile(r"(?P<name>.+) has not shown interest in it"),
        N_("%(name)s has not shown interest in it"),
    ),
    (
        re.compile(r"(?P<count>\d+) centres already hold a seat; .*"),
        N_(
            "%(count)s centres already hold a seat: cancel registrations before lowering the "
            "capacity below that"
        ),
    ),
    (re.compile(r"give 1 to (?P<n>\d+) names of who comes"), N_("give 1 to %(n)s names")),
    (re.compile(r"at most (?P<n>\d+) items"), N_("at most %(n)s items")),
    (
        re.compile(r"the meeting is already (?P<status>\w+)"),
        N_("the meeting is already %(status)s"),
    ),
    (re.compile(r"must not be below min \((?P<min>[^)]+)\)"), N_("must not be below %(min)s")),
    (
        re.compile(r"there is already a campaign for \d+"),
        N_("There is already a campaign for this year."),
    ),
    (
        re.compile(r"'(?P<value>.*)' is not a key: .*"),
        N_("'%(value)s' is not a key: lower-case letters, digits and _ only, 60 at most"),
    ),
    (re.compile(r"the key '(?P<value>.*)' is used twice"), N_("the key '%(value)s' is used twice")),
    (
        re.compile(r"a choice question needs 2 to (?P<n>\d+) choices"),
        N_("a list needs 2 to %(n)s choices"),
    ),
    (re.compile(r"at most (?P<n>\d+) questions"), N_("at most %(n)s questions")),
    (re.compile(r"at most (?P<n>\d+) sections"), N_("at most %(n)s sections")),
    (
        re.compile(r"must not be before the opening date \((?P<date>[^)]+)\)"),
        N_("must not be before the opening date (%(date)s)"),
    ),
    (
        re.compile(r"the file is (?P<size>\d+) bytes; the limit is (?P<limit>\d+)"),
        N_("the file is %(size)s bytes; the limit is %(limit)s bytes"),
    ),
)


def translate(lang: str, message: str) -> str:
    """``message`` in ``lang``: from the catalog, else rebuilt from a matching pattern."""
    found = gettext(lang, message)
    if found != message:
        return found
    for pattern, template in PATTERNS:
        matched = pattern.fullmatch(message)
        if matched:
            return gettext(lang, template) % matched.groupdict()
    return message


async def errors_of(
    request: Request, failure: ServiceFailure, names: Mapping[str, str] | None = None
) -> dict[str, str]:
    """{form field: message}: an Invalid's field renamed by ``names`` (API spelling -> form
    field, by exact name or by its first part), anything else under "form"."""
    lang = await page_lang(request)
    found = failure.failure
    message = translate(lang, getattr(found, "message", ""))
    if not isinstance(found, Invalid):
        return {"form": message}
    mapping = names or {}
    field = mapping.get(found.field) or mapping.get(found.field.split(".")[0]) or found.field
    return {field: message}
