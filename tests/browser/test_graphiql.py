"""GraphiQL, the standard client served at /graphql, loads the schema: docs pane and completion."""

from __future__ import annotations

from typing import Any


def test_graphiql_docs_pane_shows_the_schema(page: Any) -> None:
    page.goto("/graphql")
    page.wait_for_selector(".graphiql-container")
    page.click("button[aria-label='Show Documentation Explorer']")
    explorer = page.locator(".graphiql-doc-explorer")
    explorer.get_by_text("Root Types").wait_for()
    assert "Error fetching schema" not in page.content()
    explorer.get_by_text("Query", exact=True).first.click()
    explorer.get_by_text("centres", exact=True).first.wait_for()
    assert page.errors == []
