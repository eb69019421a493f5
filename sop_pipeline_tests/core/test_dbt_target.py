"""The dbt profile follows the warehouse URL: dbt_env on DuckDB and PostgreSQL URLs; the
partition window reaches the marts as cycle_window_env."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from sop_pipeline.io.dbt_profile import cycle_window_env, dbt_env, dbt_executable


def test_duckdb_absolute_path_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "w.duckdb"
    assert dbt_env(f"duckdb:///{path}", "sop") == {
        "SOP_DBT_TARGET": "duckdb",
        "SOP_DUCKDB_PATH": str(path),
        "SOP_SCHEMA": "sop",
    }


def test_duckdb_relative_path_is_made_absolute_from_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    env = dbt_env("duckdb:///data/sop.duckdb", "planning")
    assert env["SOP_DUCKDB_PATH"] == str(tmp_path / "data" / "sop.duckdb")
    assert env["SOP_SCHEMA"] == "planning"


def test_postgres_url_with_password_and_port() -> None:
    env = dbt_env("postgresql+psycopg://planner:s%40cret@db.example.com:6543/sop", "sop")
    assert env == {
        "SOP_DBT_TARGET": "postgres",
        "SOP_PG_HOST": "db.example.com",
        "SOP_PG_PORT": "6543",
        "SOP_PG_USER": "planner",
        "SOP_PG_PASSWORD": "s@cret",
        "SOP_PG_DBNAME": "sop",
        "SOP_PG_SSLMODE": "prefer",
        "SOP_SCHEMA": "sop",
    }


def test_postgres_url_without_password_or_port_gets_the_defaults() -> None:
    env = dbt_env("postgresql://postgres@127.0.0.1/test?sslmode=require", "sop")
    assert env["SOP_PG_PORT"] == "5432"
    assert env["SOP_PG_PASSWORD"] == ""
    assert (env["SOP_PG_HOST"], env["SOP_PG_USER"], env["SOP_PG_DBNAME"]) == (
        "127.0.0.1",
        "postgres",
        "test",
    )
    assert env["SOP_PG_SSLMODE"] == "require"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///sop.db", "sqlite"),
        ("mysql+pymysql://u@h/db", "mysql"),
        ("duckdb:///:memory:", "in-memory"),
        ("postgresql+psycopg://postgres@localhost", "no database"),
        ("not a url", "not a SQLAlchemy URL"),
    ],
)
def test_unsupported_urls_raise_value_error(url: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        dbt_env(url, "sop")


def test_empty_schema_raises_value_error() -> None:
    with pytest.raises(ValueError, match="schema"):
        dbt_env("duckdb:////tmp/w.duckdb", "")


def test_dbt_executable_is_found_without_the_virtualenv_on_path() -> None:
    assert Path(dbt_executable()).is_file()


def test_cycle_window_env_names_the_first_cycle_and_the_end_excluded() -> None:
    env = cycle_window_env(dt.date(2026, 9, 1), dt.date(2026, 12, 1))
    assert env == {"SOP_DBT_CYCLE_START": "2026-09-01", "SOP_DBT_CYCLE_END": "2026-12-01"}


def test_an_empty_cycle_window_raises_value_error() -> None:
    with pytest.raises(ValueError, match="empty cycle window"):
        cycle_window_env(dt.date(2026, 11, 1), dt.date(2026, 11, 1))
