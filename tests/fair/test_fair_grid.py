"""Changing a fair's slots and tables after its creation (GraphQL addFairSlot, removeFairSlot,
addFairTable, removeFairTable): staff only, slots of a day never overlap and are numbered in
time order, and a slot or table holding a published meeting cannot be removed."""

from __future__ import annotations

import httpx

from tests.api.helpers import gql
from tests.fair.helpers import (
    ERRORS,
    FAIR,
    PUBLISH,
    SCHEDULE,
    SLUGS,
    accept,
    ask,
    create_fair,
    ok,
    register,
)

SLOT = " ... on FairSlotSuccess { slot { id day position startsAt endsAt } }"
TABLE = " ... on FairTableSuccess { table { id name capacity language } }"
ADD_SLOT = (
    "mutation ($input: AddFairSlotInput!) { addFairSlot(input: $input) { __typename"
    + SLOT
    + ERRORS
    + "} }"
)
REMOVE_SLOT = (
    "mutation ($input: RemoveFairSlotInput!) { removeFairSlot(input: $input) { __typename"
    + SLOT
    + ERRORS
    + "} }"
)
ADD_TABLE = (
    "mutation ($input: AddFairTableInput!) { addFairTable(input: $input) { __typename"
    + TABLE
    + ERRORS
    + "} }"
)
REMOVE_TABLE = (
    "mutation ($input: RemoveFairTableInput!) { removeFairTable(input: $input) { __typename"
    + TABLE
    + ERRORS
    + "} }"
)
GRID = "query ($id: ID!) { fair(id: $id) { slots { id position startsAt } tables { id name } } }"


async def test_grid_changes(client: httpx.AsyncClient, staff_client: httpx.AsyncClient) -> None:
    fair = await create_fair(staff_client)
    fair_id = fair["id"]
    # members may not change the grid
    refused = await gql(client, ADD_SLOT, input={"fairId": fair_id, "day": 0, "start": "08:00:00"})
    assert refused["addFairSlot"]["__typename"] == "PermissionDenied"
    # a slot before the first one takes position 0 (09:00 Paris is 07:00 UTC)
    early = await ok(
        staff_client,
        ADD_SLOT,
        "addFairSlot",
        input={"fairId": fair_id, "day": 0, "start": "08:00:00", "minutes": 30},
    )
    assert early["slot"]["position"] == 0 and early["slot"]["startsAt"].startswith("2027-05-18T06")
    grid = (await gql(staff_client, GRID, id=fair_id))["fair"]
    assert [s["position"] for s in grid["slots"]] == [0, 1, 2, 3, 4]
    overlap = await gql(
        staff_client, ADD_SLOT, input={"fairId": fair_id, "day": 0, "start": "09:15:00"}
    )
    assert overlap["addFairSlot"] == {
        "__typename": "ValidationError",
        "field": "start",
        "message": "overlaps the slot 09:00-09:30",
    }
    wrong_day = await gql(
        staff_client, ADD_SLOT, input={"fairId": fair_id, "day": 3, "start": "18:00:00"}
    )
    assert wrong_day["addFairSlot"]["field"] == "day"
    removed = await ok(
        staff_client,
        REMOVE_SLOT,
        "removeFairSlot",
        input={"fairId": fair_id, "slotId": early["slot"]["id"]},
    )
    assert removed["slot"]["id"] == early["slot"]["id"]
    # tables: unique names, 2 to 8 seats, a language code
    table = await ok(
        staff_client,
        ADD_TABLE,
        "addFairTable",
        input={"fairId": fair_id, "name": "EN", "capacity": 4, "language": "EN"},
    )
    assert table["table"]["language"] == "en"
    again = await gql(staff_client, ADD_TABLE, input={"fairId": fair_id, "name": "EN"})
    assert again["addFairTable"]["field"] == "name"
    await ok(
        staff_client,
        REMOVE_TABLE,
        "removeFairTable",
        input={"fairId": fair_id, "tableId": table["table"]["id"]},
    )


async def test_published_meetings_hold_their_slot_and_table(
    client: httpx.AsyncClient, staff_client: httpx.AsyncClient
) -> None:
    fair_id = (await create_fair(staff_client, tables=1))["id"]
    for slug in SLUGS[:2]:
        await register(staff_client, fair_id, slug)
    request = await ask(staff_client, fair_id, SLUGS[0], SLUGS[1])
    await accept(staff_client, request["id"])
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    await ok(staff_client, PUBLISH, "publishSchedule", input={"fairId": fair_id})
    meeting = (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"][0]
    slot = await gql(
        staff_client,
        REMOVE_SLOT,
        input={"fairId": fair_id, "slotId": meeting["slot"]["id"]},
    )
    assert slot["removeFairSlot"]["__typename"] == "ValidationError"
    assert slot["removeFairSlot"]["field"] == "slotId"
    table = await gql(
        staff_client,
        REMOVE_TABLE,
        input={"fairId": fair_id, "tableId": meeting["table"]["id"]},
    )
    assert table["removeFairTable"]["field"] == "tableId"
    after = (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"][0]
    assert after["slot"] == meeting["slot"] and after["status"] == "PUBLISHED"
