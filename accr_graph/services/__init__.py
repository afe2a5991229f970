"""Use cases and rules. Resolvers call services; services call repositories."""

# The search index's flush hook (centres and proposals) must be registered in every process that
# writes through the services (web, CLI, imports), whichever service it happens to import first.
from accr_graph.services import search_index as _search_index  # noqa: F401
