"""dbt's saved parse, kept per profile so that a dbt invocation skips the full parse when an
earlier one had the same profile.

dbt re-parses the whole project (seconds per invocation, the larger part of a small cycle's dbt
time) unless the target folder holds a `partial_parse.msgpack` saved under the same profile:
the connection's path, database and schema are part of dbt's check. Every run gets a target
folder of its own and every cycle builds into a schema of its own (`<schema>_next_<YYYYMM>`),
so the project's one saved parse never matches. This cache keeps one saved parse per profile
(a hash of the variables that set dbt's profile): the marts' build reuses the views' parse of
the same run, and a re-run of a cycle reuses both. dbt itself still checks every file and
variable against what it saved and parses again what changed, so a stale entry costs a parse,
never a wrong result.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import uuid
from collections.abc import Mapping
from pathlib import Path

PARSE_FILE = "partial_parse.msgpack"
KEPT = 16  # saved parses kept (1-2 MB each): several warehouses' recent cycles


def profile_key(profile: Mapping[str, str]) -> str:
    """A name for the saved parse of a profile (its variables, password included, hashed)."""
    text = "\x00".join(f"{name}={profile[name]}" for name in sorted(profile))
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def seed(target: Path, cache: Path, key: str) -> bool:
    """Put the saved parse of `key`, if there is one, into the target folder dbt is about to
    use; True if there was."""
    saved = cache / f"{key}.msgpack"
    if not saved.exists():
        return False
    target.mkdir(parents=True, exist_ok=True)
    with contextlib.suppress(FileNotFoundError):  # pruned by another process meanwhile
        shutil.copyfile(saved, target / PARSE_FILE)
        return True
    return False


def keep(target: Path, cache: Path, key: str, kept: int = KEPT) -> None:
    """Save the parse dbt left in `target` under `key` (atomically: a concurrent reader sees the
    old or the new file), then drop all but the `kept` newest saved parses."""
    parsed = target / PARSE_FILE
    if not parsed.exists():
        return
    cache.mkdir(parents=True, exist_ok=True)
    partial = cache / f".{key}.{uuid.uuid4().hex[:8]}"
    shutil.copyfile(parsed, partial)
    os.replace(partial, cache / f"{key}.msgpack")
    saved = sorted(cache.glob("*.msgpack"), key=_modified, reverse=True)
    for old in saved[kept:]:
        with contextlib.suppress(FileNotFoundError):
            old.unlink()


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except FileNotFoundError:
        return 0.0
