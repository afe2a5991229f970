"""Project Fair meeting scheduler: pure, deterministic, no database.

``schedule`` is the production solver (greedy guided by a linear relaxation, local search, idle
repair); ``solve_exact`` is the integer-programme reference for small instances.
"""

from matching.fair.check import check_schedule
from matching.fair.exact import ExactResult, solve_exact, solve_exact_detailed
from matching.fair.model import (
    Attendee,
    FairInstance,
    IdleGap,
    MeetingRequest,
    Placement,
    Schedule,
    Slot,
    Table,
)
from matching.fair.scheduler import priority_bound, schedule

__all__ = [
    "Attendee",
    "ExactResult",
    "FairInstance",
    "IdleGap",
    "MeetingRequest",
    "Placement",
    "Schedule",
    "Slot",
    "Table",
    "check_schedule",
    "priority_bound",
    "schedule",
    "solve_exact",
    "solve_exact_detailed",
]
