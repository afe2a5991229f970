"""Moved to ``accr_graph.viewer`` (below services and repositories); kept while imports move."""

from accr_graph.viewer import ALL_SCOPES, ANONYMOUS, Viewer

__all__ = ["ALL_SCOPES", "ANONYMOUS", "Viewer"]
