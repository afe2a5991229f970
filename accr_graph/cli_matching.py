"""``accr-graph matching fit``: fit the matching weights on the network's own history."""

from __future__ import annotations

import argparse
from typing import Any

from accr_graph.cli_common import run_service


def _say(message: str) -> None:
    print(message, flush=True)


def cmd_matching_fit(args: argparse.Namespace) -> None:
    from accr_graph.services.matching import fit_matching_model

    _say("fitting the matching weights on the network's history ...")
    row = run_service(fit_matching_model, progress=_say)
    assert row is not None  # not only_if_stale: always fitted
    ranked = sorted(row.weights.items(), key=lambda kv: -kv[1])
    _say(f"stored model {row.id} for network version {row.network_version}:")
    for factor, weight in ranked:
        _say(f"  {factor:<22} {weight:.3f}")
    if row.validation_recall_at_10 is not None:
        _say(
            f"validation ({row.validation_cases} projects of the latest year, new partners): "
            f"recall@10 {row.validation_recall_at_10:.3f} "
            f"(priors {row.prior_recall_at_10 or 0.0:.3f})"
        )


def add_matching_commands(sub: Any) -> None:
    matching = sub.add_parser("matching", help="the partner-matching engine")
    matching_sub = matching.add_subparsers(dest="matching_command", required=True, metavar="STEP")
    fit = matching_sub.add_parser(
        "fit", help="fit the factor weights on the network's own history and store them"
    )
    fit.set_defaults(func=cmd_matching_fit)
