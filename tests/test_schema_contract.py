"""The committed SDL is the contract external tools rely on; it must match the live schema."""

from __future__ import annotations

from pathlib import Path

from graphql import GraphQLInputObjectType, GraphQLInterfaceType, GraphQLObjectType

from schema.export import export_sdl
from schema.schema import schema

SNAPSHOT = Path(__file__).resolve().parents[1] / "schema" / "schema.graphql"
FIXED_NAMES = {
    "Query": {
        "centres",
        "centre",
        "themes",
        "competencies",
        "proposals",
        "proposal",
        "partnerships",
        "countries",
        "node",
    },
    "Mutation": {
        "createProposal",
        "updateProposal",
        "publishProposal",
        "closeProposal",
        "expressInterest",
        "respondToInterest",
        "updateCentreProfile",
        "setCentreCompetencies",
        "recordPartnership",
    },
    "Centre": {
        "id",
        "slug",
        "name",
        "country",
        "city",
        "latitude",
        "longitude",
        "siteType",
        "labelStatus",
        "languages",
        "description",
        "themes",
        "offers",
        "seeks",
        "proposals",
        "partnerships",
        "partners",
    },
    "Proposal": {
        "id",
        "title",
        "summary",
        "owner",
        "themes",
        "seeks",
        "offers",
        "partnersWanted",
        "minCountries",
        "timeframe",
        "fundingProgramme",
        "status",
        "version",
        "interests",
        "createdAt",
        "updatedAt",
    },
}


def test_snapshot_matches_live_schema() -> None:
    assert SNAPSHOT.read_text(encoding="utf-8") == export_sdl(), (
        "schema/schema.graphql differs from the live schema: run "
        "`accr-graph export-schema -o schema/schema.graphql` and review the change"
    )


def test_contract_names_exist() -> None:
    types = schema._schema.type_map
    for type_name, fields in FIXED_NAMES.items():
        missing = fields - set(types[type_name].fields)  # type: ignore[attr-defined]
        assert not missing, f"{type_name} lost {missing}"


def test_every_type_and_field_is_described() -> None:
    undocumented = []
    for name, type_ in schema._schema.type_map.items():
        if name.startswith("__") or not isinstance(
            type_, GraphQLObjectType | GraphQLInputObjectType | GraphQLInterfaceType
        ):
            continue
        if not type_.description:
            undocumented.append(name)
        undocumented += [f"{name}.{f}" for f, d in type_.fields.items() if not d.description]
    assert not undocumented, f"missing descriptions: {undocumented}"
