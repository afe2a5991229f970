"""Exposure re-ranking: spread suggestions beyond the best-connected centres, with a tunable
strength, as a step separate from relevance.

Relevance scoring (``scoring.score``) is what predicts a new partnership; centres that already
have many partners tend to score high on several factors and would fill most lists. The re-rank
multiplies each candidate's score by ``1 - strength * exposure`` (``exposure`` in [0, 1]: 0 up
to the 75th percentile of degree, then rising in log degree to 1 for the most connected centre,
see ``index._exposure``), so strength 0 is pure
relevance and the loss is said in an ``exposure`` reason with a negative weight. The quality
bench measures what each strength costs in recall@10 and what it buys in the Gini coefficient of
how often centres are suggested.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from matching.graph import FloatArray
from matching.index import MatchingIndex


def exposure_multiplier(index: MatchingIndex, strength: float | None = None) -> FloatArray:
    """(n,) factor in [1 - strength, 1] applied to every candidate's relevance score."""
    s = index.weights.exposure_strength if strength is None else strength
    return np.asarray(1.0 - float(np.clip(s, 0.0, 1.0)) * index.exposure, dtype=np.float64)


def gini(counts: Iterable[float]) -> float:
    """Gini coefficient of non-negative counts: 0 when every centre is suggested equally often,
    close to 1 when a few take every place."""
    values = np.sort(np.asarray(list(counts), dtype=np.float64))
    n, total = len(values), float(values.sum())
    if n == 0 or total <= 0:
        return 0.0
    ranks = np.arange(1, n + 1)
    return float((2.0 * (ranks * values).sum()) / (n * total) - (n + 1.0) / n)
