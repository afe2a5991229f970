"""ACCR Graph matching engine: pure algorithms on plain data, no database, no web framework.

Build a ``MatchingIndex`` once per data version (``build_index``) and reuse it for every request;
all answers are frozen dataclasses of plain values.
"""

from matching.clusters import Cluster, ClusterResult, detect_clusters
from matching.consortium import Consortium, Note, Pick, exhaustive_consortium, suggest_consortium
from matching.exposure import gini
from matching.graph import build_graph, cooperation_graph
from matching.index import CROSS_BORDER_WEIGHTS, MatchingIndex, ScoringWeights, build_index
from matching.metrics import Broker, CentreMetrics, NetworkMetrics, network_metrics
from matching.missing import MissingLink, exhaustive_missing_links, missing_links
from matching.reasons import Item, Reason
from matching.snapshot import CentreData, NetworkSnapshot, PartnershipData, ProposalData
from matching.suggest import (
    ProposalMatch,
    Suggestion,
    proposal_matches,
    suggest_for_centre,
    suggest_for_proposal,
)

__all__ = [
    "CROSS_BORDER_WEIGHTS",
    "Broker",
    "CentreData",
    "CentreMetrics",
    "Cluster",
    "ClusterResult",
    "Consortium",
    "Item",
    "MatchingIndex",
    "MissingLink",
    "NetworkMetrics",
    "NetworkSnapshot",
    "Note",
    "PartnershipData",
    "Pick",
    "ProposalData",
    "ProposalMatch",
    "Reason",
    "ScoringWeights",
    "Suggestion",
    "build_graph",
    "build_index",
    "cooperation_graph",
    "detect_clusters",
    "exhaustive_consortium",
    "exhaustive_missing_links",
    "gini",
    "missing_links",
    "network_metrics",
    "proposal_matches",
    "suggest_consortium",
    "suggest_for_centre",
    "suggest_for_proposal",
]
