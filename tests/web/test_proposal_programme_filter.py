"""The programme filter of /proposals (and GraphQL `filter.fundingProgramme`): the select lists
the programmes of the proposals the reader sees; a chosen one narrows the list to them; an
unknown value is ignored (never a 500)."""

from __future__ import annotations

import re

import httpx

from tests.api.helpers import gql

COUNT = (
    "query ($p: [String!]) { proposals(filter: {fundingProgramme: $p}, first: 1) { totalCount } }"
)
FOUND = re.compile(r"(\d+) propositions? trouvées?")


async def test_programme_filter(client: httpx.AsyncClient) -> None:
    page = await client.get("/proposals", headers={"accept-language": "fr"})
    assert 'id="f-programme"' in page.text and "Programme de financement" in page.text
    select = page.text.split('id="f-programme"')[1].split("</select>")[0]
    programmes = re.findall(r'<option value="([^"]+)"', select)
    assert programmes, "the sample proposals name funding programmes"
    everything = (await gql(client, COUNT, p=None))["proposals"]["totalCount"]
    for programme in programmes[:2]:
        expected = (await gql(client, COUNT, p=[programme]))["proposals"]["totalCount"]
        assert 0 < expected < everything, programme
        narrowed = await client.get("/proposals", params={"programme": programme})
        shown = FOUND.search(narrowed.text)
        assert shown and int(shown.group(1)) == expected, programme
        assert f'<option value="{programme}" selected>' in narrowed.text.replace("&#39;", "'")
    unknown = await client.get("/proposals", params={"programme": "Nowhere Fund"})
    assert unknown.status_code == 200
    shown = FOUND.search(unknown.text)
    assert shown and int(shown.group(1)) == everything
