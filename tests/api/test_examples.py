"""The operations of docs/examples, run against the sample network on both backends.

Each example is one ``NAME.graphql`` file holding one named operation, plus ``NAME.variables.json``
when it takes variables. The IDs written in the variables files are the ones a freshly loaded
sample database gives (global IDs are base64 of ``Type:primary key``). Primary keys are not
stable across test databases (PostgreSQL sequences keep counting after a truncation), so before
running an example the test looks every ID up again (a centre by slug, a proposal by title, or the
answer of an earlier example, e.g. the proposal ``createProposal`` made) and puts it in place of
the written one. On SQLite, where a fresh load gives the same keys, it also checks that the
written ID is the one it looked up, so the IDs shown in the documentation stay true.

Examples that build on others (updateProposal on the proposal createProposal made,
respondToInterest on the interest expressInterest made) run their predecessors first, in the same
test and database.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import OperationDefinitionNode, parse

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
API_DOC = EXAMPLES.parent / "api.md"
GRAPHQL_RESPONSE = "application/graphql-response+json"

Data = dict[str, Any]
Results = dict[str, Data]


# --- running operations ------------------------------------------------------------------------


async def gql(
    staff_client: httpx.AsyncClient, query: str, variables: Mapping[str, Any] | None
) -> Data:
    """POST one operation; the answer must be a 200 without top-level errors."""
    response = await staff_client.post(
        "/graphql",
        json={"query": query, "variables": variables},
        headers={"Accept": GRAPHQL_RESPONSE},
    )
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(GRAPHQL_RESPONSE)
    body = response.json()
    assert "errors" not in body, body["errors"]
    return body["data"]  # type: ignore[no-any-return]


def document(name: str) -> str:
    return (EXAMPLES / f"{name}.graphql").read_text("utf-8")


def written_variables(name: str) -> Data:
    path = EXAMPLES / f"{name}.variables.json"
    return json.loads(path.read_text("utf-8")) if path.exists() else {}


def dig(data: Any, path: str) -> Any:
    for key in path.split("."):
        data = data[int(key)] if isinstance(data, list) else data[key]
    return data


def put(data: Any, path: str, value: Any) -> None:
    *parents, last = path.split(".")
    target = dig(data, ".".join(parents)) if parents else data
    if isinstance(target, list):
        target[int(last)] = value
    else:
        target[last] = value


# --- where the IDs come from -------------------------------------------------------------------

CENTRE_ID = "query ($slug: String!) { centre(slug: $slug) { id } }"
PROPOSAL_ID = "query ($s: String!) { proposals(filter: {search: $s}) { nodes { id title } } }"


@dataclass(frozen=True, slots=True)
class Centre:
    slug: str

    async def resolve(self, staff_client: httpx.AsyncClient, _results: Results) -> str:
        data = await gql(staff_client, CENTRE_ID, {"slug": self.slug})
        assert data["centre"], f"no centre {self.slug!r} in the sample network"
        return str(data["centre"]["id"])


@dataclass(frozen=True, slots=True)
class Proposal:
    title: str

    async def resolve(self, staff_client: httpx.AsyncClient, _results: Results) -> str:
        data = await gql(staff_client, PROPOSAL_ID, {"s": self.title})
        ids = [n["id"] for n in data["proposals"]["nodes"] if n["title"] == self.title]
        assert len(ids) == 1, f"no single proposal titled {self.title!r}: {data}"
        return str(ids[0])


@dataclass(frozen=True, slots=True)
class Answer:
    """A value from the answer of an example run earlier in the same test."""

    example: str
    path: str

    async def resolve(self, _client: httpx.AsyncClient, results: Results) -> Any:
        return dig(results[self.example], self.path)


Lookup = Centre | Proposal | Answer


# --- what each example must answer -------------------------------------------------------------


def slugs(items: list[Data]) -> set[str]:
    return {item["slug"] for item in items}


def typename(expected: str, field_name: str) -> Callable[[Data], Data]:
    def check(data: Data) -> Data:
        payload = data[field_name]
        assert payload["__typename"] == expected, payload
        return payload  # type: ignore[no-any-return]

    return check


def check_list_centres(data: Data) -> None:
    centres = data["centres"]
    assert centres["totalCount"] == 4 and len(centres["nodes"]) == 3
    assert centres["pageInfo"]["hasNextPage"] and centres["pageInfo"]["endCursor"]
    for centre in centres["nodes"]:
        assert centre["country"]["code"] in {"FR", "BE"} and centre["labelStatus"] == "LABELLED"
        assert "music" in slugs(centre["themes"])
    years = [c["foundedYear"] for c in centres["nodes"]]
    assert years == sorted(years, reverse=True)


def check_centre_by_slug(data: Data) -> None:
    centre = data["centre"]
    assert centre["slug"] == "abbaye-de-saint-aurel" and centre["country"]["code"] == "FR"
    french = {t["lang"]: t["text"] for t in centre["descriptionTranslations"]}["fr"]
    assert centre["description"] == french
    assert centre["themes"] and centre["offers"] and centre["seeks"]
    partners = centre["partners"]
    assert partners["totalCount"] > 5 and len(partners["nodes"]) == 5
    assert partners["pageInfo"]["hasNextPage"]
    assert centre["partnerships"]["totalCount"] >= 3 and len(centre["partnerships"]["nodes"]) == 3
    assert centre["proposals"]["totalCount"] >= 1


def check_catalogue(data: Data) -> None:
    assert data["themes"]["totalCount"] == 20 and len(data["themes"]["nodes"]) == 20
    assert all(
        {t["lang"] for t in theme["nameTranslations"]} == {"en", "fr"}
        for theme in data["themes"]["nodes"]
    )
    competencies = data["competencies"]["nodes"]
    assert data["competencies"]["totalCount"] == 5
    assert {c["category"] for c in competencies} == {"digital"}
    assert all(c["name"] != c["nameFr"] for c in competencies)


def check_countries(data: Data) -> None:
    countries = data["countries"]
    assert countries["totalCount"] == 20
    assert sum(c["centreCount"] for c in countries["nodes"]) == 44
    codes = [c["code"] for c in countries["nodes"]]
    assert codes == sorted(codes)


def check_search_proposals(data: Data) -> None:
    proposals = data["proposals"]["nodes"]
    assert data["proposals"]["totalCount"] == len(proposals) == 2
    for proposal in proposals:
        assert proposal["status"] in {"OPEN", "IN_DISCUSSION"}
        assert "music" in slugs(proposal["themes"])
        assert "sound-recording" in {s["competency"]["slug"] for s in proposal["seeks"]}


def check_proposal_with_interests(data: Data) -> None:
    proposal = data["proposal"]
    assert proposal["title"].startswith("Cloister Voices")
    assert proposal["owner"]["slug"] == "abbaye-de-saint-aurel"
    interests = proposal["interests"]
    assert interests["totalCount"] == len(interests["nodes"]) == 4
    assert {i["status"] for i in interests["nodes"]} == {"ACCEPTED", "PENDING"}


def check_partnerships_by_years(data: Data) -> None:
    partnerships = data["partnerships"]
    assert partnerships["totalCount"] > 5 and len(partnerships["nodes"]) == 5
    for partnership in partnerships["nodes"]:
        assert partnership["startYear"] <= 2022
        assert (partnership["endYear"] or partnership["startYear"]) >= 2020
        assert partnership["lead"]["slug"] in slugs([m["centre"] for m in partnership["members"]])
    starts = [p["startYear"] for p in partnerships["nodes"]]
    assert starts == sorted(starts, reverse=True)


def check_node_by_id(data: Data) -> None:
    node = data["node"]
    assert node["__typename"] == "Centre" and node["slug"] == "abbaye-de-saint-aurel"


def check_suggest_partners(data: Data) -> None:
    proposal = data["proposal"]
    suggestions = proposal["suggestedPartners"]
    assert 1 <= len(suggestions) <= 5
    scores = [s["score"] for s in suggestions]
    assert scores == sorted(scores, reverse=True) and all(0 <= x <= 1 for x in scores)
    for suggestion in suggestions:
        assert suggestion["centre"]["slug"] != "domaine-de-mirval"  # never the owner
        weights = sum(r["weight"] for r in suggestion["reasons"])
        assert weights == pytest.approx(suggestion["score"], abs=1e-3)
    team = proposal["suggestedConsortium"]
    assert team["members"] and all(m["reasons"] for m in team["members"])
    assert team["meetsSize"] and team["meetsCountries"]


def check_network_overview(data: Data) -> None:
    network = data["network"]
    clusters = network["clusters"]["clusters"]
    assert clusters and [c["id"] for c in clusters] == list(range(len(clusters)))
    sizes = [c["size"] for c in clusters]
    assert sizes == sorted(sizes, reverse=True)
    centres = network["metrics"]["centres"]
    assert len(centres) == 5
    weighted = [c["weightedDegree"] for c in centres]
    assert weighted == sorted(weighted, reverse=True)
    assert len(network["metrics"]["brokers"]) <= 3 and len(network["missingLinks"]) <= 3


def check_create_proposal(data: Data) -> None:
    proposal = typename("ProposalSuccess", "createProposal")(data)["proposal"]
    assert proposal["status"] == "DRAFT" and proposal["version"] == 1
    assert proposal["owner"]["slug"] == "abbaye-de-fontclaire"
    assert {t["lang"] for t in proposal["titleTranslations"]} == {"en", "fr"}
    assert proposal["partnersWanted"] == {"min": 2, "max": 4}


def check_update_proposal(data: Data) -> None:
    proposal = typename("ProposalSuccess", "updateProposal")(data)["proposal"]
    # the version grows with every save; callers use the one answered, never a computed one
    assert proposal["version"] > 1 and proposal["timeframe"] == "2027-2029"
    assert proposal["partnersWanted"] == {"min": 2, "max": 6} and len(proposal["seeks"]) == 3


def check_publish_proposal(data: Data) -> None:
    proposal = typename("ProposalSuccess", "publishProposal")(data)["proposal"]
    assert proposal["status"] == "OPEN"


def check_express_interest(data: Data) -> None:
    interest = typename("InterestSuccess", "expressInterest")(data)["interest"]
    assert interest["status"] == "PENDING"
    assert interest["centre"]["slug"] == "giardini-di-villa-ombrosa"
    assert interest["proposal"]["status"] == "OPEN"


def check_respond_to_interest(data: Data) -> None:
    interest = typename("InterestSuccess", "respondToInterest")(data)["interest"]
    assert interest["status"] == "ACCEPTED"
    assert interest["proposal"]["status"] == "IN_DISCUSSION"


def check_update_centre_profile(data: Data) -> None:
    centre = typename("CentreSuccess", "updateCentreProfile")(data)["centre"]
    assert centre["website"] == "https://kilmora-priory.example.org/"
    assert {t["lang"] for t in centre["descriptionTranslations"]} == {"en", "ga"}
    assert slugs(centre["themes"]) == {"literature", "artist-residencies", "music"}


def check_set_centre_competencies(data: Data) -> None:
    centre = typename("CentreSuccess", "setCentreCompetencies")(data)["centre"]
    assert {o["competency"]["slug"] for o in centre["offers"]} == {
        "literary-programming",
        "residency-hosting",
    }
    assert {s["competency"]["slug"] for s in centre["seeks"]} == {
        "eu-funding",
        "streaming-broadcast",
    }


def check_record_partnership(data: Data) -> None:
    partnership = typename("PartnershipSuccess", "recordPartnership")(data)["partnership"]
    roles = {m["centre"]["slug"]: m["role"] for m in partnership["members"]}
    assert roles == {
        "saline-wendenau": "LEAD",
        "saline-de-montferrand": "PARTNER",
        "salinas-de-aguablanca": "ASSOCIATE",
    }


def check_create_proposal_invalid(data: Data) -> None:
    error = typename("ValidationError", "createProposal")(data)
    assert error == {
        "__typename": "ValidationError",
        "field": "themes",
        "message": "unknown theme(s): jazz",
    }


@dataclass(frozen=True, slots=True)
class Example:
    check: Callable[[Data], None]
    ids: Mapping[str, Lookup] = field(default_factory=dict)  # variable path -> where from
    after: tuple[str, ...] = ()  # examples to run first, in the same database


OWNER = Centre("abbaye-de-fontclaire")
CREATED = Answer("create_proposal", "createProposal.proposal.id")

SPECS: dict[str, Example] = {
    "list_centres": Example(check_list_centres),
    "centre_by_slug": Example(check_centre_by_slug),
    "catalogue": Example(check_catalogue),
    "countries": Example(check_countries),
    "search_proposals": Example(check_search_proposals),
    "proposal_with_interests": Example(
        check_proposal_with_interests,
        {"id": Proposal("Cloister Voices: a European network of early music academies")},
    ),
    "partnerships_by_years": Example(check_partnerships_by_years),
    "suggest_partners": Example(
        check_suggest_partners, {"id": Proposal("Gardens in a Changing Climate")}
    ),
    "network_overview": Example(check_network_overview),
    "node_by_id": Example(check_node_by_id, {"id": Centre("abbaye-de-saint-aurel")}),
    "create_proposal": Example(check_create_proposal, {"input.ownerId": OWNER}),
    "update_proposal": Example(
        check_update_proposal, {"input.id": CREATED}, after=("create_proposal",)
    ),
    "publish_proposal": Example(
        check_publish_proposal,
        {
            "input.id": CREATED,
            "input.expectedVersion": Answer("update_proposal", "updateProposal.proposal.version"),
        },
        after=("update_proposal",),
    ),
    "express_interest": Example(
        check_express_interest,
        {
            "input.proposalId": Proposal("Gardens in a Changing Climate"),
            "input.centreId": Centre("giardini-di-villa-ombrosa"),
        },
    ),
    "respond_to_interest": Example(
        check_respond_to_interest,
        {"input.interestId": Answer("express_interest", "expressInterest.interest.id")},
        after=("express_interest",),
    ),
    "update_centre_profile": Example(
        check_update_centre_profile, {"input.centreId": Centre("kilmora-priory-arts-centre")}
    ),
    "set_centre_competencies": Example(
        check_set_centre_competencies, {"input.centreId": Centre("kilmora-priory-arts-centre")}
    ),
    "record_partnership": Example(
        check_record_partnership,
        {
            "input.leadId": Centre("saline-wendenau"),
            "input.members.0.centreId": Centre("saline-de-montferrand"),
            "input.members.1.centreId": Centre("salinas-de-aguablanca"),
        },
    ),
    "create_proposal_invalid": Example(check_create_proposal_invalid, {"input.ownerId": OWNER}),
}


def example_names() -> list[str]:
    return sorted(path.stem for path in EXAMPLES.glob("*.graphql"))


async def run_example(
    staff_client: httpx.AsyncClient, backend: str, name: str, results: Results
) -> Data:
    """Run ``name`` (after its predecessors) with live IDs; check and remember its answer."""
    spec = SPECS[name]
    for earlier in spec.after:
        if earlier not in results:
            await run_example(staff_client, backend, earlier, results)
    variables = written_variables(name)
    for path, lookup in spec.ids.items():
        live = await lookup.resolve(staff_client, results)
        if backend == "sqlite":  # a fresh load gives the keys the documentation shows
            assert dig(variables, path) == live, f"{name}: {path} of a fresh sample is {live}"
        put(variables, path, live)
    data = await gql(staff_client, document(name), variables or None)
    spec.check(data)
    results[name] = data
    return data


@pytest.mark.parametrize("name", example_names())
async def test_example_runs_on_the_sample_network(
    staff_client: httpx.AsyncClient, backend: str, name: str
) -> None:
    # given the sample network; when the example runs; then its answer is the documented one
    await run_example(staff_client, backend, name, {})


async def test_update_proposal_example_then_a_stale_version_gives_conflict(
    staff_client: httpx.AsyncClient,
) -> None:
    # given an open proposal at version 1 (visible to anonymous callers, unlike drafts)
    variables = written_variables("update_proposal")
    variables["input"]["id"] = await Proposal("Gardens in a Changing Climate").resolve(
        staff_client, {}
    )
    # when the update example runs twice with the same expectedVersion
    first = await gql(staff_client, document("update_proposal"), variables)
    second = await gql(staff_client, document("update_proposal"), variables)
    # then the first saves a new version; the second writes nothing and answers Conflict
    saved = typename("ProposalSuccess", "updateProposal")(first)["proposal"]["version"]
    conflict = typename("Conflict", "updateProposal")(second)
    assert saved > 1 and conflict["currentVersion"] == saved


def test_every_example_is_known_and_referenced_in_the_api_doc() -> None:
    names = example_names()
    text = API_DOC.read_text("utf-8")
    assert set(names) == set(SPECS), "every example needs an entry in SPECS (and only those)"
    unreferenced = [n for n in names if f"examples/{n}.graphql" not in text]
    assert not unreferenced, f"docs/api.md does not mention {unreferenced}"
    orphans = [
        p.name
        for p in EXAMPLES.glob("*.variables.json")
        if not (EXAMPLES / p.name.replace(".variables.json", ".graphql")).exists()
    ]
    assert not orphans, f"variables without an operation: {orphans}"


def camel(stem: str) -> str:
    return "".join(part.capitalize() for part in stem.split("_"))


@pytest.mark.parametrize("name", example_names())
def test_example_is_one_named_operation_with_matching_variables(name: str) -> None:
    definitions = parse(document(name)).definitions
    assert len(definitions) == 1 and isinstance(definitions[0], OperationDefinitionNode)
    operation = definitions[0]
    assert operation.name is not None and operation.name.value == camel(name)
    declared = {v.variable.name.value: v for v in operation.variable_definitions or ()}
    given = written_variables(name)
    assert set(given) <= set(declared), f"undeclared variables {set(given) - set(declared)}"
    required = {
        n for n, v in declared.items() if v.default_value is None and v.type.kind == "non_null_type"
    }
    assert required <= set(given), f"required variables missing: {required - set(given)}"
