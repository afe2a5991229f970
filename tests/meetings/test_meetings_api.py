"""The meetings programme over GraphQL and HTTP: typed errors, visibility of drafts and join
links, the Relay connection with its filter, `.ics` files (parsed with `icalendar`) and the
private subscription feed with the user's Fair meetings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import icalendar

from accr_graph.settings import Settings
from tests.api.helpers import centre_id, gql, post
from tests.conftest import Database, app_client, issue_token
from tests.fair.helpers import PUBLISH, SCHEDULE, SLUGS, accept, ask, create_fair, ok, register
from tests.meetings.helpers import GIULIA, MARIE

ERRORS = """
  ... on ValidationError { field message }
  ... on NotFound { message }
  ... on Conflict { message currentVersion }
  ... on PermissionDenied { message }
"""
FIELDS = (
    'id kind status title(lang: "fr") timeZone startsAt endsAt capacity seatsTaken seatsLeft'
    " waitingCount joinUrl icsUrl version agenda { position title speaker startsAt }"
    " themes { slug } hostCentre { slug } registrations { status centre { slug } }"
)
CREATE = (
    "mutation ($input: CreateMeetingInput!) { createMeeting(input: $input) { __typename"
    " ... on MeetingSuccess { meeting { " + FIELDS + " } }" + ERRORS + "} }"
)
UPDATE = (
    "mutation ($input: UpdateMeetingInput!) { updateMeeting(input: $input) { __typename"
    " ... on MeetingSuccess { meeting { " + FIELDS + " } }" + ERRORS + "} }"
)
PUBLISH_MEETING = (
    "mutation ($input: MeetingInput!) { publishMeeting(input: $input) { __typename"
    " ... on MeetingSuccess { meeting { id status } }" + ERRORS + "} }"
)
CANCEL_MEETING = (
    "mutation ($input: MeetingInput!) { cancelMeeting(input: $input) { __typename"
    " ... on MeetingSuccess { meeting { id status } }" + ERRORS + "} }"
)
REGISTER = (
    "mutation ($input: RegisterForMeetingInput!) { registerForMeeting(input: $input) {"
    " __typename ... on MeetingRegistrationSuccess { registration { status representatives"
    " centre { slug } } }" + ERRORS + "} }"
)
UNREGISTER = (
    "mutation ($input: CancelMeetingRegistrationInput!) { cancelMeetingRegistration(input:"
    " $input) { __typename ... on MeetingRegistrationSuccess { registration { status } }"
    + ERRORS
    + "} }"
)
MEETING = "query ($id: ID!) { meeting(id: $id) { " + FIELDS + " } }"
LIST = (
    "query ($filter: MeetingFilter, $first: Int) { meetings(filter: $filter, first: $first) {"
    " totalCount edges { node { id kind title } } pageInfo { hasNextPage } } }"
)
FEED = (
    "mutation { createCalendarFeed { __typename ... on CalendarFeedSuccess { url }" + ERRORS + "} }"
)
REVOKE = "mutation { revokeCalendarFeed { __typename ... on CalendarFeedRevoked { revoked } } }"


def _local(days: int, hour: int = 10) -> str:
    day = datetime.now(UTC) + timedelta(days=days)
    return day.replace(hour=hour, minute=0, second=0, microsecond=0).strftime("%Y-%m-%dT%H:%M:%S")


def meeting_input(**extra: Any) -> dict[str, Any]:
    return {
        "kind": "THEMATIC",
        "title": [
            {"lang": "fr", "text": "Rencontre thématique : jardins"},
            {"lang": "en", "text": "Thematic meeting: gardens"},
        ],
        "startsAt": _local(40),
        "endsAt": _local(40, 17),
        "timeZone": "Europe/Paris",
        "capacity": 2,
        "online": True,
        "joinUrl": "https://visio.example.org/accr-gardens",
        "agenda": [
            {"title": [{"lang": "fr", "text": "Accueil"}], "startsAt": _local(40)},
            {"title": [{"lang": "en", "text": "Walk in the gardens"}], "speaker": "A. Gardener"},
        ],
    } | extra


async def _create_open(staff: httpx.AsyncClient, **extra: Any) -> dict[str, Any]:
    created = await ok(staff, CREATE, "createMeeting", input=meeting_input(**extra))
    meeting: dict[str, Any] = created["meeting"]
    await ok(staff, PUBLISH_MEETING, "publishMeeting", input={"meetingId": meeting["id"]})
    return meeting


async def test_staff_run_a_meeting_members_register(
    network_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a draft created by staff
    created = await ok(staff_client, CREATE, "createMeeting", input=meeting_input())
    meeting = created["meeting"]
    assert meeting["status"] == "DRAFT" and meeting["title"].startswith("Rencontre")
    assert [a["title"] for a in meeting["agenda"]] == ["Accueil", "Walk in the gardens"]
    marie = await issue_token(network_db, MARIE, ("read", "write"))
    giulia = await issue_token(network_db, GIULIA, ("read", "write"))
    async with (
        app_client(settings, marie) as aurel,
        app_client(settings, giulia) as valmora,
        app_client(settings) as anonymous,
    ):
        # then a draft is hidden from members and anonymous callers
        assert (await gql(aurel, MEETING, id=meeting["id"]))["meeting"] is None
        # when published, anyone sees it, without the join link
        await ok(
            staff_client, PUBLISH_MEETING, "publishMeeting", input={"meetingId": meeting["id"]}
        )
        public = (await gql(anonymous, MEETING, id=meeting["id"]))["meeting"]
        assert public["status"] == "OPEN" and public["joinUrl"] is None
        assert public["registrations"] == []
        # when Saint-Aurel registers, it gets a seat and the join link
        reg = await ok(
            aurel,
            REGISTER,
            "registerForMeeting",
            input={"meetingId": meeting["id"], "representatives": ["Marie Dubois"]},
        )
        assert reg["registration"]["status"] == "CONFIRMED"
        seen = (await gql(aurel, MEETING, id=meeting["id"]))["meeting"]
        assert seen["joinUrl"] == "https://visio.example.org/accr-gardens"
        assert [r["centre"]["slug"] for r in seen["registrations"]] == [SLUGS[0]]
        # and Valmora, not registered, still sees no link and not Saint-Aurel's registration
        other = (await gql(valmora, MEETING, id=meeting["id"]))["meeting"]
        assert other["joinUrl"] is None and other["registrations"] == []
        # when the meeting fills up, the next centre waits
        await ok(
            valmora,
            REGISTER,
            "registerForMeeting",
            input={"meetingId": meeting["id"], "representatives": ["Giulia Bassi"]},
        )
        lindenau = await centre_id(staff_client, SLUGS[2])
        waiting = await ok(
            staff_client,
            REGISTER,
            "registerForMeeting",
            input={"meetingId": meeting["id"], "centreId": lindenau, "representatives": ["Lea"]},
        )
        assert waiting["registration"]["status"] == "WAITING"
        full = (await gql(anonymous, MEETING, id=meeting["id"]))["meeting"]
        assert (full["status"], full["seatsLeft"], full["waitingCount"]) == ("FULL", 0, 1)
        # when Valmora cancels, Lindenau moves up
        await ok(
            valmora, UNREGISTER, "cancelMeetingRegistration", input={"meetingId": meeting["id"]}
        )
        staff_view = (await gql(staff_client, MEETING, id=meeting["id"]))["meeting"]
        statuses = {r["centre"]["slug"]: r["status"] for r in staff_view["registrations"]}
        assert statuses == {SLUGS[0]: "CONFIRMED", SLUGS[1]: "CANCELLED", SLUGS[2]: "CONFIRMED"}
        # and members may not create or cancel meetings
        refused = await gql(aurel, CREATE, input=meeting_input())
        assert refused["createMeeting"]["__typename"] == "PermissionDenied"
        refused = await gql(aurel, CANCEL_MEETING, input={"meetingId": meeting["id"]})
        assert refused["cancelMeeting"]["__typename"] == "PermissionDenied"


async def test_typed_errors_for_bad_input(
    network_db: Database, staff_client: httpx.AsyncClient
) -> None:
    # a local time skipped by the DST change (Paris, 2027-03-28 02:30)
    gap = await gql(
        staff_client,
        CREATE,
        input=meeting_input(startsAt="2027-03-28T02:30:00", endsAt="2027-03-28T05:00:00"),
    )
    error = gap["createMeeting"]
    assert error["__typename"] == "ValidationError" and error["field"] == "startsAt"
    assert "does not exist in Europe/Paris" in error["message"]
    # an end before the start, an unknown zone, a bad link, a foreign ID
    for extra, field in (
        ({"endsAt": _local(39)}, "endsAt"),
        ({"timeZone": "Mars/Olympus"}, "timeZone"),
        ({"joinUrl": "javascript:alert(1)"}, "joinUrl"),
        ({"hostCentreId": "UHJvcG9zYWw6MQ=="}, "hostCentreId"),
        ({"capacity": 0}, "capacity"),
    ):
        answer = (await gql(staff_client, CREATE, input=meeting_input(**extra)))["createMeeting"]
        assert (answer["__typename"], answer.get("field")) == ("ValidationError", field), answer
    # a stale version is a Conflict with the saved version
    meeting = await _create_open(staff_client)
    stale = await gql(
        staff_client, UPDATE, input={"meetingId": meeting["id"], "expectedVersion": 99}
    )
    assert stale["updateMeeting"]["__typename"] == "Conflict"
    # registering for a meeting that does not exist
    missing = await gql(
        staff_client,
        REGISTER,
        input={
            "meetingId": "TWVldGluZzo5OTk5OQ==",
            "representatives": ["X"],
            "centreId": await centre_id(staff_client, SLUGS[0]),
        },
    )
    assert missing["registerForMeeting"]["__typename"] == "NotFound"


async def test_clear_capacity_seats_the_waiting_list(
    network_db: Database, staff_client: httpx.AsyncClient
) -> None:
    # given a full meeting (one seat) with a centre waiting
    meeting = await _create_open(staff_client, capacity=1)
    for slug in SLUGS[:2]:
        centre = await centre_id(staff_client, slug)
        await ok(
            staff_client,
            REGISTER,
            "registerForMeeting",
            input={"meetingId": meeting["id"], "centreId": centre, "representatives": ["R."]},
        )
    full = (await gql(staff_client, MEETING, id=meeting["id"]))["meeting"]
    assert (full["status"], full["capacity"], full["waitingCount"]) == ("FULL", 1, 1)
    # a capacity of null (or none given) leaves it as it is, as before
    same = await ok(
        staff_client, UPDATE, "updateMeeting", input={"meetingId": meeting["id"], "capacity": None}
    )
    assert same["meeting"]["capacity"] == 1
    # clearing it and giving one at once is a mistake on `capacity`
    both = await gql(
        staff_client,
        UPDATE,
        input={"meetingId": meeting["id"], "capacity": 3, "clearCapacity": True},
    )
    assert both["updateMeeting"]["__typename"] == "ValidationError"
    assert both["updateMeeting"]["field"] == "capacity"
    # when staff clear it, there is no limit and the waiting centre gets its seat at once
    cleared = await ok(
        staff_client,
        UPDATE,
        "updateMeeting",
        input={"meetingId": meeting["id"], "clearCapacity": True},
    )
    after = cleared["meeting"]
    assert (after["capacity"], after["seatsLeft"], after["waitingCount"]) == (None, None, 0)
    assert after["status"] == "OPEN"
    assert {r["status"] for r in after["registrations"]} == {"CONFIRMED"}


async def test_a_full_meeting_reopens_when_its_capacity_grows(
    network_db: Database, staff_client: httpx.AsyncClient
) -> None:
    # given a meeting full with nobody waiting
    meeting = await _create_open(staff_client, capacity=1)
    centre = await centre_id(staff_client, SLUGS[0])
    await ok(
        staff_client,
        REGISTER,
        "registerForMeeting",
        input={"meetingId": meeting["id"], "centreId": centre, "representatives": ["R."]},
    )
    # when the capacity grows, it is open again (it used to stay FULL)
    grown = await ok(
        staff_client, UPDATE, "updateMeeting", input={"meetingId": meeting["id"], "capacity": 2}
    )
    assert (grown["meeting"]["status"], grown["meeting"]["seatsLeft"]) == ("OPEN", 1)
    stored = (await gql(staff_client, MEETING, id=meeting["id"]))["meeting"]
    assert stored["status"] == "OPEN"


async def test_connection_filters(network_db: Database, staff_client: httpx.AsyncClient) -> None:
    # given two published meetings and a draft
    await _create_open(staff_client, kind="TECHNICAL", themes=["music"])
    await _create_open(staff_client, startsAt=_local(90), endsAt=_local(90, 12))
    await ok(staff_client, CREATE, "createMeeting", input=meeting_input(kind="GENERAL_ASSEMBLY"))
    everything = (await gql(staff_client, LIST))["meetings"]
    assert everything["totalCount"] == 3
    by_kind = (await gql(staff_client, LIST, filter={"kind": ["TECHNICAL"]}))["meetings"]
    assert [e["node"]["kind"] for e in by_kind["edges"]] == ["TECHNICAL"]
    window = {"from": (datetime.now(UTC) + timedelta(days=60)).isoformat()}
    later = (await gql(staff_client, LIST, filter=window))["meetings"]
    assert later["totalCount"] == 1
    paged = (await gql(staff_client, LIST, first=1))["meetings"]
    assert paged["pageInfo"]["hasNextPage"] is True and len(paged["edges"]) == 1
    themed = (await gql(staff_client, LIST, filter={"theme": ["music"]}))["meetings"]
    assert [e["node"]["kind"] for e in themed["edges"]] == ["TECHNICAL"]
    unknown = await post(staff_client, LIST, filter={"theme": ["no-such-theme"]})
    assert "unknown theme" in unknown["errors"][0]["message"]
    drafts = (await gql(staff_client, LIST, filter={"status": ["DRAFT"]}))["meetings"]
    assert [e["node"]["kind"] for e in drafts["edges"]] == ["GENERAL_ASSEMBLY"]


def _calendar(text: str) -> icalendar.Calendar:
    calendar = icalendar.Calendar.from_ical(text)
    assert calendar.errors == []
    for component in calendar.walk():
        assert getattr(component, "errors", []) == [], component.errors
    return calendar


async def test_meeting_ics_is_valid_rfc5545_with_vtimezone(
    network_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a published meeting in New York, across a DST change of the zone's year
    meeting = await _create_open(
        staff_client,
        timeZone="America/New_York",
        startsAt="2027-03-14T10:00:00",
        endsAt="2027-03-14T12:30:00",
        registrationDeadline="2027-03-10T18:00:00",
    )
    async with app_client(settings) as anonymous:
        response = await anonymous.get(meeting["icsUrl"])
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/calendar")
    assert all(len(line.encode()) <= 75 for line in response.text.split("\r\n"))
    calendar = _calendar(response.text)
    zones = calendar.walk("VTIMEZONE")
    assert [str(z["TZID"]) for z in zones] == ["America/New_York"]
    assert {c.name for c in zones[0].subcomponents} == {"STANDARD", "DAYLIGHT"}
    (event,) = calendar.walk("VEVENT")
    start = event.decoded("DTSTART")
    # the local time the organisers gave, in its zone: 10:00 EDT = 14:00 UTC
    assert start.astimezone(UTC).strftime("%H:%M") == "14:00"
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert "join" not in str(event.get("DESCRIPTION", "")).lower()  # anonymous: no link
    # and a draft or unknown meeting is not served
    async with app_client(settings) as anonymous:
        assert (await anonymous.get("/meetings/99999.ics")).status_code == 404
        assert (await anonymous.get("/meetings/%C2%B2.ics")).status_code == 404


async def test_private_feed_has_meetings_and_fair_meetings_and_can_be_revoked(
    network_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given Saint-Aurel holds a seat at a meeting and has a published Fair meeting
    meeting = await _create_open(staff_client)
    aurel_id = await centre_id(staff_client, SLUGS[0])
    await ok(
        staff_client,
        REGISTER,
        "registerForMeeting",
        input={"meetingId": meeting["id"], "centreId": aurel_id, "representatives": ["Marie"]},
    )
    fair = await create_fair(staff_client)
    for slug in SLUGS[:2]:
        await register(staff_client, fair["id"], slug)
    request = await ask(staff_client, fair["id"], SLUGS[1], SLUGS[0])
    await accept(staff_client, request["id"])
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair["id"]})
    await ok(staff_client, PUBLISH, "publishSchedule", input={"fairId": fair["id"]})
    marie = await issue_token(network_db, MARIE, ("read",))
    async with app_client(settings, marie) as aurel, app_client(settings) as calendar_app:
        # when Marie creates her feed
        url = (await ok(aurel, FEED, "createCalendarFeed"))["url"]
        # then a calendar app without cookies reads both kinds of events
        response = await calendar_app.get(url)
        assert response.status_code == 200
        assert "no-store" in response.headers["cache-control"]
        events = _calendar(response.text).walk("VEVENT")
        uids = sorted(str(e["UID"]) for e in events)
        assert len(uids) == 2
        assert uids[0].startswith("fair-") and uids[1].startswith("meeting-")
        seated = next(e for e in events if str(e["UID"]).startswith("meeting-"))
        assert "visio.example.org" in str(seated["DESCRIPTION"])  # she holds a seat
        # when she makes a new one, the old URL stops working
        newer = (await ok(aurel, FEED, "createCalendarFeed"))["url"]
        assert (await calendar_app.get(url)).status_code == 404
        assert (await calendar_app.get(newer)).status_code == 200
        # and after revoking, none works
        revoked = (await gql(aurel, REVOKE))["revokeCalendarFeed"]
        assert revoked["revoked"] == 1
        assert (await calendar_app.get(newer)).status_code == 404
    async with app_client(settings) as anonymous:
        refused = (await gql(anonymous, FEED))["createCalendarFeed"]
        assert refused["__typename"] == "PermissionDenied"
