"""The processes a run starts die with it, even when it is killed hard.

A process killed with `kill -9` cannot stop its children: an orphaned dbt would go on writing
the warehouse (and keep a DuckDB file locked), orphaned statsforecast workers would idle
forever. On Linux the kernel can kill a child when its parent dies (`PR_SET_PDEATHSIG`); the
request must be made by the child itself:

- dbt runs as `sop-dbt` (`run_dbt`), which makes the request and then becomes dbt (`exec`, so no
  process sits in between);
- forked children of a run (statsforecast's worker processes) make it through an at-fork hook
  (`bind_forked_children`).

Elsewhere (macOS, Windows) both do nothing more than start the child.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys
from pathlib import Path

PR_SET_PDEATHSIG = 1
_bound = False
_forking = 0  # pid of the process about to fork: a forked child's parent


def die_with_parent(parent: int = 0) -> None:
    """Ask the kernel to kill this process when its parent (pid `parent`, default the current
    parent) dies (Linux only)."""
    if not sys.platform.startswith("linux"):
        return
    parent = parent or os.getppid()
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _note_forking_parent() -> None:
    global _forking
    _forking = os.getpid()


def _forked_child_dies_with_parent() -> None:
    # the pid noted before the fork: a parent killed before the child first ran is already
    # gone when the child asks for its parent's pid, and the child would outlive it
    die_with_parent(_forking)


def bind_forked_children() -> None:
    """From now on every process this one forks dies with it (idempotent)."""
    global _bound
    if not _bound and hasattr(os, "register_at_fork"):
        os.register_at_fork(
            before=_note_forking_parent, after_in_child=_forked_child_dies_with_parent
        )
        _bound = True


def run_dbt() -> None:
    """`sop-dbt ARGS`: the dbt beside this Python, bound to the life of its parent."""
    die_with_parent()
    dbt = str(Path(sys.executable).parent / "dbt")
    os.execv(dbt, [dbt, *sys.argv[1:]])
