"""Named points where a run can be held, so that tests can kill it there for real.

`SOP_PAUSE_AT=<point>` makes the process that reaches `<point>` print `sop: paused at <point>`
to stderr and sleep; the integrity tests then `kill -9` it and check that the warehouse still
holds the previous complete version of the cycle. Points: `write:<table>` (inside the staging
transaction of that table, rows inserted, not committed), `publish` (every step done, the
publishing transaction not begun) and `published` (the publishing transaction committed, the
cycle's files not yet moved out of reports/.pending/). Unset, a point costs one environment
lookup.
"""

from __future__ import annotations

import os
import sys
import time

PAUSE_VARIABLE = "SOP_PAUSE_AT"
PAUSE_SECONDS = 3600


def pause_point(name: str) -> None:
    """Hold the process here when $SOP_PAUSE_AT names this point."""
    if os.environ.get(PAUSE_VARIABLE) != name:
        return
    print(f"sop: paused at {name}", file=sys.stderr, flush=True)
    time.sleep(PAUSE_SECONDS)
