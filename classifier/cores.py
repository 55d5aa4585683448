"""How many cores this process may use: what worker pools size themselves by by default."""

from __future__ import annotations

import os


def available_cores() -> int:
    """The cores this process may be scheduled on (its CPU affinity where the system has one), at least 1."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)
