"""The saved parse per dbt profile: kept atomically, found by the same profile only, pruned."""

from __future__ import annotations

import os
from pathlib import Path

from sop_pipeline.io.dbt_parse_cache import PARSE_FILE, keep, profile_key, seed

PROFILE = {"SOP_DBT_TARGET": "duckdb", "SOP_DUCKDB_PATH": "/w.duckdb", "SOP_SCHEMA": "sop_next"}


def _built(folder: Path, content: bytes) -> Path:
    folder.mkdir(parents=True)
    (folder / PARSE_FILE).write_bytes(content)
    return folder


def test_the_key_is_the_profile_not_the_order_of_its_variables() -> None:
    assert profile_key(PROFILE) == profile_key(dict(reversed(list(PROFILE.items()))))
    assert profile_key(PROFILE) != profile_key({**PROFILE, "SOP_SCHEMA": "sop_next_202611"})


def test_a_saved_parse_seeds_the_next_build_of_the_same_profile_only(tmp_path: Path) -> None:
    cache, key = tmp_path / "cache", profile_key(PROFILE)
    assert not seed(tmp_path / "first", cache, key)  # nothing saved yet
    keep(_built(tmp_path / "built", b"parse of A"), cache, key)
    assert seed(tmp_path / "next", cache, key)
    assert (tmp_path / "next" / PARSE_FILE).read_bytes() == b"parse of A"
    other = profile_key({**PROFILE, "SOP_SCHEMA": "other"})
    assert not seed(tmp_path / "other", cache, other)
    assert not (tmp_path / "other").exists()


def test_a_build_without_a_parse_keeps_the_saved_one(tmp_path: Path) -> None:
    cache, key = tmp_path / "cache", profile_key(PROFILE)
    keep(_built(tmp_path / "built", b"parse"), cache, key)
    (tmp_path / "failed").mkdir()
    keep(tmp_path / "failed", cache, key)
    assert (cache / f"{key}.msgpack").read_bytes() == b"parse"


def test_only_the_newest_parses_are_kept(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    for n in range(5):
        keep(_built(tmp_path / f"b{n}", f"parse {n}".encode()), cache, f"k{n}", kept=3)
        os.utime(cache / f"k{n}.msgpack", (1_000 + n, 1_000 + n))  # distinct, increasing ages
    assert sorted(path.stem for path in cache.iterdir()) == ["k2", "k3", "k4"]
