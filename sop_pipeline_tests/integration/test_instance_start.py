"""Several `sop` commands starting at once on a new Dagster home: each opens the instance,
none fails on the storage the others are creating."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from sop_pipeline.definitions import PROJECT_ROOT

pytestmark = pytest.mark.integration
COMMANDS = 4
# each process imports first, then waits for the same moment to open the instance
OPEN_AT_ONCE = """
import sys, time
from sop_pipeline.runner import dagster_instance
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
instance = dagster_instance()
print(len(instance.get_runs()))
"""


def test_commands_opening_a_new_home_at_once_all_succeed(tmp_path: Path) -> None:
    home = tmp_path / "dagster_home"
    env = {
        **os.environ,
        "DAGSTER_HOME": str(home),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_ROOT), os.environ.get("PYTHONPATH")])
        ),
    }
    moment = time.time() + 20  # after every process has imported the pipeline
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", OPEN_AT_ONCE, str(moment)],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(COMMANDS)
    ]
    results = [p.communicate(timeout=120) for p in processes]
    for process, (out, err) in zip(processes, results, strict=True):
        assert process.returncode == 0, err[-2000:]
        assert out.strip() == "0"
    assert (home / "history" / "runs.db").exists()
