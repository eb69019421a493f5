"""What every Dagster run of a cycle is tagged with: the warehouse it writes (password masked)
and the code that ran. The warehouse tag is also the run queue's key (`dagster.yaml`): one run
at a time per warehouse."""

from __future__ import annotations

import re
import subprocess
from functools import cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sqlalchemy.engine import make_url

WAREHOUSE_TAG = "sop/warehouse"
CODE_VERSION_TAG = "sop/code_version"
PASSWORD_IN_URL = re.compile(r"(?P<head>\b[a-z][a-z0-9+.-]*://[^:/@\s]*:)(?P<secret>[^@\s]+)(?=@)")


def masked_url(url: str) -> str:
    """The URL as it may be shown: the password replaced by ***."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # not a URL SQLAlchemy parses: mask what looks like one
        return mask_secrets(url)


def mask_secrets(text: str, *urls: str) -> str:
    """`text` with the password of each of `urls`, and of every `scheme://user:password@` it
    holds, replaced by ***."""
    for url in urls:
        try:
            password = make_url(url).password
        except Exception:
            password = None
        if password:
            text = text.replace(str(password), "***")
    return PASSWORD_IN_URL.sub(r"\g<head>***", text)


@cache
def code_version() -> str:
    """The package version, with the git commit when the code runs from a checkout
    (`0.1.0+g7f5eae4`, `+dirty` when it has uncommitted changes)."""
    try:
        package = version("sop-pipeline")
    except PackageNotFoundError:
        package = "unknown"
    root = Path(__file__).resolve().parents[2]
    try:
        sha = _git(root, "rev-parse", "--short", "HEAD")
        dirty = bool(_git(root, "status", "--porcelain", "--untracked-files=no"))
    except (OSError, subprocess.SubprocessError):
        return package
    return f"{package}+g{sha}{'.dirty' if dirty else ''}"


def _git(root: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, timeout=5, check=True
    )
    return done.stdout.strip()


def run_tags(warehouse_url: str) -> dict[str, str]:
    """The tags of a cycle's run against `warehouse_url`."""
    return {WAREHOUSE_TAG: masked_url(warehouse_url), CODE_VERSION_TAG: code_version()}
