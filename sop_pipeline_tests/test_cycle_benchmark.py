"""The cycle benchmark's memory figure counts the worker processes a step forks."""

import os
import subprocess
import sys
import time

from benchmarks.cycle_benchmark import descendants, tree_pss_mb

CHILD = "import sys, time; block = b'x' * (200 * 2**20); print(1, flush=True); time.sleep(60)"


def test_the_tree_memory_counts_a_child_and_its_own_memory() -> None:
    before = tree_pss_mb(os.getpid())
    child = subprocess.Popen([sys.executable, "-c", CHILD], stdout=subprocess.PIPE, text=True)
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "1"
        time.sleep(0.1)
        assert child.pid in descendants(os.getpid())
        # the child wrote its 200 MB block, so those pages are resident and its own
        assert tree_pss_mb(os.getpid()) - before > 150
    finally:
        child.kill()
        child.wait()
    assert child.pid not in descendants(os.getpid())
