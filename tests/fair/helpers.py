"""GraphQL operations and a fair set-up shared by the fair tests."""

from __future__ import annotations

from typing import Any

import httpx

from tests.api.helpers import centre_id, gql

ERRORS = """
  ... on ValidationError { field message }
  ... on NotFound { message }
  ... on Conflict { message }
  ... on PermissionDenied { message }
"""
CREATE_FAIR = (
    "mutation ($input: CreateFairInput!) { createFair(input: $input) { __typename"
    " ... on FairSuccess { fair { id name days slots { id day position startsAt endsAt }"
    " tables { id name capacity language } } }" + ERRORS + "} }"
)
REGISTER = (
    "mutation ($input: RegisterForFairInput!) { registerForFair(input: $input) { __typename"
    " ... on RegistrationSuccess { registration { id maxMeetings languages representatives"
    " centre { slug } unavailableSlots { id } } }" + ERRORS + "} }"
)
REQUEST_FIELDS = "id kind status priority requester { slug } target { slug } participants { slug }"
REQUEST = (
    "mutation ($input: RequestMeetingInput!) { requestMeeting(input: $input) { __typename"
    " ... on MeetingRequestSuccess { request { " + REQUEST_FIELDS + " } }" + ERRORS + "} }"
)
RESPOND = (
    "mutation ($input: RespondToMeetingRequestInput!) { respondToMeetingRequest(input: $input) {"
    " __typename ... on MeetingRequestSuccess { request { "
    + REQUEST_FIELDS
    + " } }"
    + ERRORS
    + "} }"
)
CONSORTIUM = (
    "mutation ($input: RequestConsortiumTableInput!) { requestConsortiumTable(input: $input) {"
    " __typename ... on MeetingRequestSuccess { request { "
    + REQUEST_FIELDS
    + " } }"
    + ERRORS
    + "} }"
)
SCHEDULE = (
    "mutation ($input: FairInput!) { scheduleFair(input: $input) { __typename"
    " ... on ScheduleSuccess { placed unplaced totalPriority idleGaps }" + ERRORS + "} }"
)
PUBLISH = (
    "mutation ($input: FairInput!) { publishSchedule(input: $input) { __typename"
    " ... on FairSuccess { fair { scheduleVersion publishedAt } }" + ERRORS + "} }"
)
CANCEL = (
    "mutation ($input: CancelFairMeetingInput!) { cancelFairMeeting(input: $input) {"
    " __typename ... on FairMeetingSuccess { meeting { id status } }" + ERRORS + "} }"
)
SET_OPEN = (
    "mutation ($input: SetFairRegistrationOpenInput!) { setFairRegistrationOpen(input: $input) {"
    " __typename ... on FairSuccess { fair { registrationOpen } }" + ERRORS + "} }"
)
MEETING_FIELDS = (
    "id status reason slot { id startsAt } table { id name } request { id participants { slug } }"
)
FAIR = (
    "query ($id: ID!) { fair(id: $id) { id name scheduleVersion"
    " registrations { centre { slug } }"
    " meetingRequests { " + REQUEST_FIELDS + " }"
    " meetings { " + MEETING_FIELDS + " }"
    " unscheduled { reason published request { id } } } }"
)
AGENDA = (
    "query ($id: ID!, $centre: ID!) { fair(id: $id) { meetings(centre: $centre) { "
    + MEETING_FIELDS
    + " } } }"
)

SLUGS = (
    "abbaye-de-saint-aurel",
    "castello-di-valmora",
    "kloster-lindenau",
    "cetatea-vulturilor",
    "kilmora-priory-arts-centre",
)


def fair_input(host: str, slots: int = 4, tables: int = 2) -> dict[str, Any]:
    return {
        "name": "Project Fair 2027",
        "year": 2027,
        "hostCentreId": host,
        "venue": "Abbaye de Saint-Aurel",
        "timezone": "Europe/Paris",
        "days": [
            {
                "date": "2027-05-18",
                "start": "09:00:00",
                "slotMinutes": 30,
                "slots": slots,
                "breaks": [{"afterSlot": 2, "minutes": 15}] if slots > 2 else [],
            }
        ],
        "tables": [{"name": f"T{i + 1}", "capacity": 2} for i in range(tables)]
        + [{"name": "Big", "capacity": 6}],
    }


async def ok(client: httpx.AsyncClient, query: str, field: str, **variables: Any) -> Any:
    data = await gql(client, query, **variables)
    assert data[field]["__typename"].endswith("Success"), data
    return data[field]


async def create_fair(staff: httpx.AsyncClient, **kwargs: Any) -> dict[str, Any]:
    host = await centre_id(staff, SLUGS[0])
    payload = await ok(staff, CREATE_FAIR, "createFair", input=fair_input(host, **kwargs))
    fair: dict[str, Any] = payload["fair"]
    return fair


async def register(staff: httpx.AsyncClient, fair_id: str, slug: str, **extra: Any) -> None:
    centre = await centre_id(staff, slug)
    await ok(
        staff,
        REGISTER,
        "registerForFair",
        input={"fairId": fair_id, "centreId": centre, "representatives": ["A. Person"]} | extra,
    )


async def ask(
    staff: httpx.AsyncClient, fair_id: str, asker: str, target: str, priority: int = 3
) -> dict[str, Any]:
    payload = await ok(
        staff,
        REQUEST,
        "requestMeeting",
        input={
            "fairId": fair_id,
            "fromCentreId": await centre_id(staff, asker),
            "toCentreId": await centre_id(staff, target),
            "priority": priority,
        },
    )
    request: dict[str, Any] = payload["request"]
    return request


async def accept(client: httpx.AsyncClient, request_id: str) -> None:
    await ok(
        client, RESPOND, "respondToMeetingRequest", input={"requestId": request_id, "accept": True}
    )
