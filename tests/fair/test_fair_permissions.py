"""Who sees and changes what in a fair; every mutation's typed errors."""

from __future__ import annotations

import httpx

from accr_graph.settings import Settings
from tests.api.helpers import centre_id, gql, post
from tests.conftest import Database, app_client, issue_token
from tests.fair.helpers import (
    AGENDA,
    CANCEL,
    CONSORTIUM,
    CREATE_FAIR,
    FAIR,
    PUBLISH,
    REGISTER,
    REQUEST,
    RESPOND,
    SCHEDULE,
    SET_OPEN,
    SLUGS,
    accept,
    ask,
    create_fair,
    fair_input,
    ok,
    register,
)

ATTENDING = "query ($id: ID!) { fair(id: $id) { registeredCentres { slug } } }"
MARIE = "marie.dubois@abbaye-de-saint-aurel.example.org"
LEA = "lea.schneider@kloster-lindenau.example.org"


async def _typename(client: httpx.AsyncClient, query: str, field: str, **input: object) -> dict:
    data = await gql(client, query, input=input)
    return dict(data[field])


async def test_centres_see_their_own_requests_and_agenda(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a published meeting between Saint-Aurel and Valmora, and Lindenau registered
    fair_id = (await create_fair(staff_client))["id"]
    for slug in SLUGS[:3]:
        await register(staff_client, fair_id, slug)
    await accept(staff_client, (await ask(staff_client, fair_id, SLUGS[0], SLUGS[1]))["id"])
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    await ok(staff_client, PUBLISH, "publishSchedule", input={"fairId": fair_id})
    marie = await issue_token(sample_db, MARIE, ("read", "fair"))
    lea = await issue_token(sample_db, LEA, ("read", "fair"))
    async with app_client(settings, marie) as aurel, app_client(settings, lea) as lindenau:
        # then each sees its own requests and meetings, staff all, anonymous none
        mine = (await gql(aurel, FAIR, id=fair_id))["fair"]
        assert len(mine["meetingRequests"]) == 1 and len(mine["meetings"]) == 1
        other = (await gql(lindenau, FAIR, id=fair_id))["fair"]
        assert other["meetingRequests"] == [] and other["meetings"] == []
        # a centre sees its own registration (names, availability) and who else attends
        assert other["registrations"] == [{"centre": {"slug": SLUGS[2]}}]
        attending = await gql(lindenau, ATTENDING, id=fair_id)
        assert {c["slug"] for c in attending["fair"]["registeredCentres"]} == set(SLUGS[:3])
        staff = (await gql(staff_client, FAIR, id=fair_id))["fair"]
        assert len(staff["meetingRequests"]) == 1 and len(staff["registrations"]) == 3
        async with app_client(settings) as anonymous:
            nobody = (await gql(anonymous, FAIR, id=fair_id))["fair"]
        assert nobody["meetingRequests"] == [] and nobody["registrations"] == []
        # and suggestions are among registered centres not asked yet
        lea_centre = await centre_id(staff_client, SLUGS[2])
        found = await gql(
            lindenau,
            "query ($id: ID!, $c: ID!) { fair(id: $id) { suggestedMeetings(centre: $c) {"
            " score centre { slug } } } }",
            id=fair_id,
            c=lea_centre,
        )
        slugs = {s["centre"]["slug"] for s in found["fair"]["suggestedMeetings"]}
        assert slugs <= set(SLUGS[:2])
        # and another centre's agenda is refused
        aurel_id = await centre_id(staff_client, SLUGS[0])
        body = await post(lindenau, AGENDA, id=fair_id, centre=aurel_id)
        assert "PermissionDenied" in body["errors"][0]["message"]
        assert (await lindenau.get(f"/fairs/{fair_id}/schedule")).status_code == 403
        # and Lindenau cannot answer or cancel what is not its own
        request_id = mine["meetingRequests"][0]["id"]
        answer = await _typename(
            lindenau, RESPOND, "respondToMeetingRequest", requestId=request_id, accept=False
        )
        assert answer["__typename"] == "PermissionDenied"
        meeting_id = mine["meetings"][0]["id"]
        refused = await _typename(lindenau, CANCEL, "cancelFairMeeting", meetingId=meeting_id)
        assert refused["__typename"] == "PermissionDenied"
        # and members cannot run the schedule
        for query, field in ((SCHEDULE, "scheduleFair"), (PUBLISH, "publishSchedule")):
            result = await _typename(aurel, query, field, fairId=fair_id)
            assert result["__typename"] == "PermissionDenied"


async def test_mutation_errors(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    host = await centre_id(staff_client, SLUGS[0])
    # createFair: members refused, bad table capacity rejected
    marie = await issue_token(sample_db, MARIE, ("read", "fair"))
    no_fair_scope = await issue_token(sample_db, MARIE, ("read", "write"))
    async with app_client(settings, marie) as aurel, app_client(settings, no_fair_scope) as plain:
        refused = await _typename(aurel, CREATE_FAIR, "createFair", **fair_input(host))
        assert refused["__typename"] == "PermissionDenied"
        bad = fair_input(host) | {"tables": [{"name": "X", "capacity": 9}]}
        invalid = await _typename(staff_client, CREATE_FAIR, "createFair", **bad)
        assert invalid == {
            "__typename": "ValidationError",
            "field": "tables.capacity",
            "message": invalid["message"],
        }
        fair_id = (await create_fair(staff_client))["id"]
        # registerForFair: the token needs the fair scope; closed registration refuses members
        base = {"fairId": fair_id, "representatives": ["Marie"]}
        scope = await _typename(plain, REGISTER, "registerForFair", **base)
        assert scope["__typename"] == "PermissionDenied" and "'fair'" in scope["message"]
        too_many = await _typename(
            aurel, REGISTER, "registerForFair", **base | {"representatives": list("abcd")}
        )
        assert too_many["__typename"] == "ValidationError"
        closed = await _typename(
            staff_client, SET_OPEN, "setFairRegistrationOpen", fairId=fair_id, open=False
        )
        assert closed["fair"]["registrationOpen"] is False
        late = await _typename(aurel, REGISTER, "registerForFair", **base)
        assert late["__typename"] == "PermissionDenied"
        await register(staff_client, fair_id, SLUGS[0])  # staff still can
        # requestMeeting: the target must be registered
        target = await centre_id(staff_client, SLUGS[1])
        unregistered = await _typename(
            aurel, REQUEST, "requestMeeting", fairId=fair_id, toCentreId=target
        )
        assert unregistered["__typename"] == "ValidationError"
        await register(staff_client, fair_id, SLUGS[1])
        asked = await _typename(aurel, REQUEST, "requestMeeting", fairId=fair_id, toCentreId=target)
        assert asked["__typename"] == "MeetingRequestSuccess"
        again = await _typename(aurel, REQUEST, "requestMeeting", fairId=fair_id, toCentreId=target)
        assert again["__typename"] == "ValidationError"
        # respondToMeetingRequest: unknown request
        missing = await _typename(
            staff_client,
            RESPOND,
            "respondToMeetingRequest",
            requestId="TWVldGluZ1JlcXVlc3Q6OTk5OQ==",
            accept=True,
        )
        assert missing["__typename"] == "NotFound"
        # scheduleFair / publishSchedule: unknown fair, publishing before a run
        unknown = await _typename(staff_client, SCHEDULE, "scheduleFair", fairId="RmFpcjo5OTk5")
        assert unknown["__typename"] == "NotFound"
        early = await _typename(staff_client, PUBLISH, "publishSchedule", fairId=fair_id)
        assert early["__typename"] == "ValidationError"
        # cancelFairMeeting: a malformed id
        wrong = await _typename(staff_client, CANCEL, "cancelFairMeeting", meetingId=fair_id)
        assert wrong["__typename"] == "ValidationError"


PROPOSALS = (
    "{ proposals(first: 100) { nodes { id owner { id slug }"
    " interests { nodes { status centre { id slug } } } } } }"
)


async def test_consortium_table(staff_client: httpx.AsyncClient) -> None:
    # given a proposal with at least two interested centres, all registered
    proposals = (await gql(staff_client, PROPOSALS))["proposals"]["nodes"]
    proposal = next(
        p for p in proposals if sum(i["status"] != "DECLINED" for i in p["interests"]["nodes"]) >= 2
    )
    members = [i["centre"] for i in proposal["interests"]["nodes"] if i["status"] != "DECLINED"][:3]
    fair_id = (await create_fair(staff_client))["id"]
    for slug in [proposal["owner"]["slug"], *(m["slug"] for m in members)]:
        await register(staff_client, fair_id, slug)
    base = {"fairId": fair_id, "proposalId": proposal["id"]}
    # when the owner asks for a table with an uninterested centre: refused
    outsider = await centre_id(
        staff_client,
        next(
            s for s in SLUGS if s not in {m["slug"] for m in members} | {proposal["owner"]["slug"]}
        ),
    )
    wrong = await _typename(
        staff_client,
        CONSORTIUM,
        "requestConsortiumTable",
        **base,
        centreIds=[members[0]["id"], outsider],
    )
    assert wrong["__typename"] == "ValidationError"
    # when asked with the interested centres: accepted at once and scheduled at the big table
    table = await _typename(
        staff_client,
        CONSORTIUM,
        "requestConsortiumTable",
        **base,
        centreIds=[m["id"] for m in members],
    )
    assert table["__typename"] == "MeetingRequestSuccess"
    assert table["request"]["kind"] == "CONSORTIUM" and table["request"]["status"] == "ACCEPTED"
    assert len(table["request"]["participants"]) == len(members) + 1
    run = await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    assert run["placed"] == 1
    meetings = (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"]
    assert meetings[0]["table"]["name"] == "Big"


async def test_more_mutation_errors(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a fair and a member of Abbaye de Saint-Aurel with the fair scope
    fair_id = (await create_fair(staff_client))["id"]
    marie = await issue_token(sample_db, MARIE, ("read", "fair"))
    proposals = (await gql(staff_client, PROPOSALS))["proposals"]["nodes"]
    foreign = next(p for p in proposals if p["owner"]["slug"] != SLUGS[0])
    other = await centre_id(staff_client, SLUGS[1])
    async with app_client(settings, marie) as aurel:
        # setFairRegistrationOpen is for staff
        closing = await _typename(
            aurel, SET_OPEN, "setFairRegistrationOpen", fairId=fair_id, open=False
        )
        assert closing["__typename"] == "PermissionDenied"
        # a consortium table is asked for by the proposal's owner (or staff) only
        table = await _typename(
            aurel,
            CONSORTIUM,
            "requestConsortiumTable",
            fairId=fair_id,
            proposalId=foreign["id"],
            centreIds=[other],
        )
        assert table["__typename"] == "PermissionDenied"
    # cancelFairMeeting on a meeting that does not exist
    missing = await _typename(
        staff_client,
        CANCEL,
        "cancelFairMeeting",
        meetingId="RmFpck1lZXRpbmc6OTk5OTk=",  # FairMeeting:99999
    )
    assert missing["__typename"] == "NotFound"
    # the fair is unchanged: registration still open
    fair = await gql(
        staff_client, "query ($id: ID!) { fair(id: $id) { registrationOpen } }", id=fair_id
    )
    assert fair["fair"]["registrationOpen"] is True
