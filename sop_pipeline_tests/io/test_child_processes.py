"""Children die with their parent, even when it is killed with kill -9 (Linux)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psutil
import pytest

PARENT = """
import multiprocessing, sys, time
from sop_pipeline.io.child_processes import bind_forked_children
if sys.argv[1] == "bound":
    bind_forked_children()
child = multiprocessing.get_context("fork").Process(target=time.sleep, args=(600,))
child.start()
print(child.pid, flush=True)
time.sleep(600)
"""


def _orphan_survives(mode: str) -> bool:
    parent = subprocess.Popen(
        [sys.executable, "-c", PARENT, mode], stdout=subprocess.PIPE, text=True
    )
    assert parent.stdout is not None
    child = psutil.Process(int(parent.stdout.readline()))
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    try:
        child.wait(timeout=5)
    except psutil.TimeoutExpired:
        child.kill()
        return True
    return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="PR_SET_PDEATHSIG is Linux's")
def test_a_forked_worker_dies_with_its_killed_parent() -> None:
    assert _orphan_survives("unbound")  # without the hook the worker outlives its parent
    started = time.perf_counter()
    assert not _orphan_survives("bound")
    assert time.perf_counter() - started < 10
