"""Project Fair scheduler bench: quality against the exact integer programme, and speed.

    .venv/bin/python bench/fair.py            # 12 exact comparisons, 3 speed runs
    .venv/bin/python bench/fair.py --quick    # 3 exact comparisons, 1 speed run

Quality: seeded fairs of 30 centres, 150 requests, 8 slots and 5-8 tables (groups, availability
holes, max-meetings caps, table languages; two of them mid-fair, with published meetings locked),
solved by ``schedule`` and by ``solve_exact`` (HiGHS). Speed: 300 centres, 3,000 requests,
24 slots, 60 tables against a 10 s target, with the linear-relaxation upper bound as a quality
indication where the exact programme is out of reach.
"""

from __future__ import annotations

import argparse
import sys
import time

from matching.fair import (
    FairInstance,
    check_schedule,
    priority_bound,
    schedule,
    solve_exact_detailed,
)
from matching.fair.synthetic import FairShape, random_fair, rescheduled_fair

SPEED_TARGET = 10.0
QUALITY_TARGET = 0.97
SPEED_SHAPE = FairShape(centres=300, requests=3000, days=2, slots_per_day=12, tables=60)


def quality_instance(seed: int) -> tuple[str, FairInstance]:
    shape = FairShape(tables=5 + seed % 4, group_share=0.08 + 0.04 * (seed % 3))
    if seed % 6 == 5:
        return "mid-fair", rescheduled_fair(seed, shape, published_share=0.3)
    return "fresh", random_fair(seed, shape)


def quality(seeds: range, time_limit: float) -> bool:
    print("## Quality against the exact integer programme (HiGHS)\n")
    print(
        "| seed | kind | tables | placed / requested | scheduler | optimum | ratio | gap "
        "| idle gaps | scheduler s | exact s |"
    )
    print("|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    worst = 1.0
    for seed in seeds:
        kind, instance = quality_instance(seed)
        start = time.perf_counter()
        ours = schedule(instance)
        ours_s = time.perf_counter() - start
        start = time.perf_counter()
        exact = solve_exact_detailed(instance, time_limit)
        exact_s = time.perf_counter() - start
        assert (
            check_schedule(instance, ours) == [] and check_schedule(instance, exact.schedule) == []
        )
        ratio = ours.total_priority / exact.bound if exact.bound else 1.0
        worst = min(worst, ratio)
        optimum = f"{exact.bound:.1f}" + ("" if exact.optimal else " (bound)")
        print(
            f"| {seed} | {kind} | {len(instance.tables)} "
            f"| {len(ours.placements)} / {len(instance.meetings)} | {ours.total_priority:.1f} "
            f"| {optimum} | {ratio:.2%} | {1 - ratio:.2%} | {len(ours.idle_gaps)} "
            f"| {ours_s:.3f} | {exact_s:.2f} |"
        )
    ok = worst >= QUALITY_TARGET
    print(f"\nworst ratio {worst:.2%} (target >= {QUALITY_TARGET:.0%}): {'OK' if ok else 'FAIL'}\n")
    return ok


def speed(seeds: range) -> bool:
    print("## Speed: 300 centres, 3,000 requests, 24 slots (2 days), 60 tables\n")
    print(
        "| seed | seconds | / 10 s target | placed / requested | priority held "
        "| LP upper bound | held / bound | idle gaps |"
    )
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    slowest = 0.0
    for seed in seeds:
        instance = random_fair(seed, SPEED_SHAPE)
        start = time.perf_counter()
        result = schedule(instance)
        seconds = time.perf_counter() - start
        slowest = max(slowest, seconds)
        assert check_schedule(instance, result) == []
        bound = priority_bound(instance)
        print(
            f"| {seed} | {seconds:.2f} | {seconds / SPEED_TARGET:.2f} "
            f"| {len(result.placements)} / {len(instance.meetings)} "
            f"| {result.total_priority:.1f} | {bound:.1f} | {result.total_priority / bound:.2%} "
            f"| {len(result.idle_gaps)} |"
        )
    ok = slowest < SPEED_TARGET
    print(f"\nslowest {slowest:.2f} s (target < {SPEED_TARGET:.0f} s): {'OK' if ok else 'FAIL'}\n")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="3 exact comparisons, 1 speed run")
    parser.add_argument("--time-limit", type=float, default=120.0, help="HiGHS limit per instance")
    args = parser.parse_args()
    ok = quality(range(3) if args.quick else range(12), args.time_limit)
    ok &= speed(range(1) if args.quick else range(3))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
