"""The Dagster layer: one folder per S&OP step, thin assets over `sop_pipeline.core`.

Modules that define assets or checks do not use `from __future__ import annotations`: Dagster
validates the `context` parameter's annotation at definition time and rejects it as a string.
"""
