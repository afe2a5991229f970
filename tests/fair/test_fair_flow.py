"""The whole Project Fair through the API: create, register, request, accept, schedule,
publish, agendas (GraphQL and .ics), the printable schedule; and re-scheduling."""

from __future__ import annotations

import httpx

from accr_graph.settings import Settings
from tests.api.helpers import centre_id, gql
from tests.conftest import Database, app_client, issue_token
from tests.fair.helpers import (
    AGENDA,
    CANCEL,
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

MARIE = "marie.dubois@abbaye-de-saint-aurel.example.org"
GIULIA = "giulia.bassi@castello-di-valmora.example.org"
LEA = "lea.schneider@kloster-lindenau.example.org"


def parse_ics(text: str) -> list[dict[str, str]]:
    """VEVENTs of an iCalendar text as {property: value} (unfolded, parameters dropped)."""
    assert text.startswith("BEGIN:VCALENDAR\r\n") and text.endswith("END:VCALENDAR\r\n")
    lines: list[str] = []
    for raw in text.split("\r\n")[:-1]:
        assert len(raw.encode()) <= 75, raw
        if raw.startswith(" "):
            lines[-1] += raw[1:]
        else:
            lines.append(raw)
    events, current = [], None
    for line in lines:
        name, _, value = line.partition(":")
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT":
            events.append(current)
            current = None
        elif current is not None:
            current[name.split(";")[0]] = value
    return events


async def test_whole_fair_flow(
    sample_db: Database, settings: Settings, staff_client: httpx.AsyncClient
) -> None:
    # given a fair with 4 slots and registered centres
    fair = await create_fair(staff_client)
    fair_id = fair["id"]
    assert len(fair["slots"]) == 4 and fair["slots"][0]["startsAt"].startswith("2027-05-18T07:00")
    assert fair["slots"][2]["startsAt"].startswith("2027-05-18T08:15")  # after the break
    marie = await issue_token(sample_db, MARIE, ("read", "fair"))
    giulia = await issue_token(sample_db, GIULIA, ("read", "fair"))
    async with app_client(settings, marie) as saint_aurel, app_client(settings, giulia) as valmora:
        await ok(
            saint_aurel,
            "mutation ($input: RegisterForFairInput!) { registerForFair(input: $input) {"
            " __typename } }",
            "registerForFair",
            input={"fairId": fair_id, "representatives": ["Marie Dubois"], "maxMeetings": 3},
        )
        for slug in SLUGS[1:]:
            await register(staff_client, fair_id, slug)
        # when Saint-Aurel asks Valmora and Lindenau, and Valmora accepts
        first = await ok(
            saint_aurel,
            "mutation ($input: RequestMeetingInput!) { requestMeeting(input: $input) {"
            " __typename ... on MeetingRequestSuccess { request { id status } } } }",
            "requestMeeting",
            input={
                "fairId": fair_id,
                "toCentreId": await centre_id(staff_client, SLUGS[1]),
                "priority": 5,
            },
        )
        assert first["request"]["status"] == "PENDING"
        await accept(valmora, first["request"]["id"])
        # and Lindenau asked Saint-Aurel first: asking back accepts it in one step
        back = await ask(staff_client, fair_id, SLUGS[2], SLUGS[0])
        answer = await ask(staff_client, fair_id, SLUGS[0], SLUGS[2])
        assert answer["id"] == back["id"] and answer["status"] == "ACCEPTED"
        # and a request that stays pending is not scheduled
        await ask(staff_client, fair_id, SLUGS[3], SLUGS[4])
        run = await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
        assert run["placed"] == 2 and run["unplaced"] == 0
        # then, before publishing, centres see no meetings; staff see the drafts
        agenda_q = {"id": fair_id, "centre": await centre_id(staff_client, SLUGS[0])}
        assert (await gql(saint_aurel, AGENDA, **agenda_q))["fair"]["meetings"] == []
        drafts = (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"]
        assert [m["status"] for m in drafts] == ["DRAFT", "DRAFT"]
        published = await ok(staff_client, PUBLISH, "publishSchedule", input={"fairId": fair_id})
        assert published["fair"]["scheduleVersion"] == 1
        agenda = (await gql(saint_aurel, AGENDA, **agenda_q))["fair"]["meetings"]
        assert len(agenda) == 2 and {m["status"] for m in agenda} == {"PUBLISHED"}
        assert agenda[0]["slot"]["startsAt"] != agenda[1]["slot"]["startsAt"]
        # and the .ics download parses
        response = await saint_aurel.get(f"/fairs/{fair_id}/agenda/{SLUGS[0]}.ics")
        assert response.status_code == 200, response.text
        assert response.headers["content-type"].startswith("text/calendar")
        events = parse_ics(response.text)
        assert len(events) == 2
        for event in events:
            assert event["DTSTART"].endswith("Z") and event["DTEND"] > event["DTSTART"]
            assert event["SUMMARY"].startswith("Meeting with ")
            assert event["LOCATION"].startswith("Table ")
            assert f"/fairs/{fair_id}/agenda/" in event["DESCRIPTION"]
        summaries = sorted(e["SUMMARY"] for e in events)
        assert any("Valmora" in s for s in summaries), summaries
        # and Valmora may not download Saint-Aurel's agenda; anonymous must sign in
        assert (await valmora.get(f"/fairs/{fair_id}/agenda/{SLUGS[0]}.ics")).status_code == 403
    anonymous = await httpx.AsyncClient(
        transport=staff_client._transport, base_url="http://testserver"
    ).get(f"/fairs/{fair_id}/agenda/{SLUGS[0]}.ics")
    assert anonymous.status_code == 401
    page = await staff_client.get(f"/fairs/{fair_id}/schedule")
    assert page.status_code == 200 and "@media print" in page.text and "T1" in page.text


async def test_rescheduling_keeps_published_meetings_and_fills_gaps(
    staff_client: httpx.AsyncClient,
) -> None:
    # given a published schedule
    fair_id = (await create_fair(staff_client))["id"]
    for slug in SLUGS:
        await register(staff_client, fair_id, slug)
    for target in SLUGS[1:3]:
        await accept(staff_client, (await ask(staff_client, fair_id, SLUGS[0], target))["id"])
    await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    await ok(staff_client, PUBLISH, "publishSchedule", input={"fairId": fair_id})
    before = {
        m["request"]["id"]: (m["slot"]["id"], m["table"]["id"])
        for m in (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"]
    }
    # when late requests arrive (a high priority one with the busy centre) and it runs again
    for asker, target, priority in ((SLUGS[3], SLUGS[0], 5), (SLUGS[3], SLUGS[4], 2)):
        await accept(
            staff_client, (await ask(staff_client, fair_id, asker, target, priority))["id"]
        )
    run = await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    assert run["placed"] == 4
    # then published meetings stay put and the late ones take the gaps
    after = (await gql(staff_client, FAIR, id=fair_id))["fair"]["meetings"]
    for meeting in after:
        if meeting["request"]["id"] in before:
            assert meeting["status"] == "PUBLISHED"
            assert (meeting["slot"]["id"], meeting["table"]["id"]) == before[
                meeting["request"]["id"]
            ]
        else:
            assert meeting["status"] == "DRAFT"
    busy = [m for m in after if SLUGS[0] in {p["slug"] for p in m["request"]["participants"]}]
    assert len({m["slot"]["id"] for m in busy}) == 3  # never two places at once
    # and cancelling a published meeting frees it and bumps the schedule version
    cancelled = await ok(
        staff_client, CANCEL, "cancelFairMeeting", input={"meetingId": after[0]["id"]}
    )
    assert cancelled["meeting"]["status"] == "CANCELLED"
    data = (await gql(staff_client, FAIR, id=fair_id))["fair"]
    assert data["scheduleVersion"] == 2 and len(data["meetings"]) == 3


async def test_unplaceable_requests_are_listed_with_reasons(
    staff_client: httpx.AsyncClient,
) -> None:
    # given one slot, and one centre asked twice
    fair = await create_fair(staff_client, slots=1)
    fair_id = fair["id"]
    for slug in SLUGS[:3]:
        await register(staff_client, fair_id, slug)
    for target, priority in ((SLUGS[1], 5), (SLUGS[2], 1)):
        await accept(
            staff_client, (await ask(staff_client, fair_id, SLUGS[0], target, priority))["id"]
        )
    # when scheduled
    run = await ok(staff_client, SCHEDULE, "scheduleFair", input={"fairId": fair_id})
    # then the lower priority one is listed with the reason
    assert (run["placed"], run["unplaced"]) == (1, 1)
    unscheduled = (await gql(staff_client, FAIR, id=fair_id))["fair"]["unscheduled"]
    assert len(unscheduled) == 1 and unscheduled[0]["reason"]
    assert not unscheduled[0]["published"]
