"""A Dagster logger that shows a planner the progress of a cycle: one line per finished step."""

from __future__ import annotations

import logging
import sys

from dagster import InitLoggerContext, logger

SHOWN_EVENTS = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        event = getattr(record, "dagster_meta", {}).get("dagster_event")
        status = SHOWN_EVENTS.get(getattr(event, "event_type_value", ""), "")
        if status:
            step = getattr(event, "step_key", "")
            sys.stderr.write(f"  {status:<7} {step}\n")
        elif record.levelno >= logging.WARNING:
            message = getattr(record, "dagster_meta", {}).get("orig_message", record.getMessage())
            sys.stderr.write(f"  warning {message}\n")


@logger(
    config_schema=None,
    description="One line per finished step and per warning, for the command line.",
)
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("sop_pipeline.progress")
    log.setLevel(logging.INFO)
    log.propagate = False
    if not log.handlers:
        log.addHandler(_ProgressHandler())
    return log
