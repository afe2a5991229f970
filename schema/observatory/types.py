"""The observatory in the API: indicators per year, key figures, a centre's benchmark."""

from __future__ import annotations

import strawberry

from accr_graph.services import observatory as service
from accr_graph.services import observatory_labels as labels
from accr_graph.services import survey_questions as sq
from accr_graph.services.observatory_benchmark import BenchmarkRow
from schema.context import Info
from schema.i18n import LangArg

IndicatorGrouping = strawberry.enum(
    service.GroupBy, name="IndicatorGrouping", description="How indicators are broken down."
)


def _lang(info: Info, lang: str | None) -> str:
    return (lang or info.context.lang or "fr").strip().lower()


@strawberry.type(description="One figure of one indicator for one year (and group).")
class Indicator:
    key: str = strawberry.field(
        description="Indicator key, e.g. `network.new_links` or `survey.visitors.median`."
    )
    year: int = strawberry.field(description="The year the figure is about.")
    group: str | None = strawberry.field(
        description="Country code, label status or theme slug; null for the whole network."
    )
    value: float | None = strawberry.field(
        description="The figure; null when withheld (fewer than 3 centres answered)."
    )
    n: int = strawberry.field(description="How many centres the figure is computed from.")
    withheld: bool = strawberry.field(
        description="True when fewer than 3 centres answered: shown as 'not enough answers'."
    )
    _questions: strawberry.Private[dict[str, sq.Question]]

    @classmethod
    def of(cls, item: service.Indicator, questions: dict[str, sq.Question]) -> Indicator:
        return cls(
            key=item.key,
            year=item.year,
            group=item.group,
            value=item.value,
            n=item.n,
            withheld=item.withheld,
            _questions=questions,
        )

    @strawberry.field(description="The indicator's name in one language.")
    def label(self, info: Info, lang: LangArg = None) -> str:
        return labels.label(self.key, _lang(info, lang), self._questions)

    @strawberry.field(description="'not enough answers' (translated) when withheld, else null.")
    def note(self, info: Info, lang: LangArg = None) -> str | None:
        return labels.not_enough(_lang(info, lang)) if self.withheld else None


@strawberry.type(description="An indicator the observatory can compute, with what it means.")
class IndicatorDefinition:
    key: str = strawberry.field(description="Indicator key (pass it to `indicators(keys:)`).")
    groupable: bool = strawberry.field(
        description="False for network-structure indicators (whole network only)."
    )
    _questions: strawberry.Private[dict[str, sq.Question]]

    @strawberry.field(description="Name in one language.")
    def label(self, info: Info, lang: LangArg = None) -> str:
        return labels.label(self.key, _lang(info, lang), self._questions)

    @strawberry.field(description="What it counts, in one language; may be empty.")
    def explanation(self, info: Info, lang: LangArg = None) -> str:
        return labels.explanation(self.key, _lang(info, lang), self._questions)


@strawberry.type(description="A centre's answer beside the network's median and quartiles.")
class BenchmarkEntry:
    key: str = strawberry.field(description="The survey question's key.")
    year: int = strawberry.field(description="The campaign's year.")
    own: float | None = strawberry.field(description="The centre's answer; null when none.")
    median: float | None = strawberry.field(description="Network median; null when withheld.")
    q1: float | None = strawberry.field(description="First quartile; null when withheld.")
    q3: float | None = strawberry.field(description="Third quartile; null when withheld.")
    n: int = strawberry.field(description="Centres that answered the question that year.")
    withheld: bool = strawberry.field(description="True when fewer than 3 centres answered.")

    @classmethod
    def of(cls, row: BenchmarkRow) -> BenchmarkEntry:
        return cls(
            key=row.key,
            year=row.year,
            own=row.own,
            median=row.median,
            q1=row.q1,
            q3=row.q3,
            n=row.n,
            withheld=row.withheld,
        )
