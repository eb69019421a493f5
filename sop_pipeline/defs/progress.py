"""A Dagster logger that shows a planner the progress of a cycle: one line per finished step."""

from __future__ import annotations

import logging
import sys

from dagster import InitLoggerContext, logger

SHOWN_EVENTS = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}


class _ProgressHandler(logging.Handler):
    def emit(self, record: logging.LogRecord) -> None:
        # Dagster hands custom loggers the event itself as the record's `dagster_event`
        event = getattr(record, "dagster_event", None)
        status = SHOWN_EVENTS.get(getattr(event, "event_type_value", ""), "")
        if status:
            duration_ms = getattr(getattr(event, "event_specific_data", None), "duration_ms", None)
            took = f"{duration_ms / 1000:6.1f} s" if duration_ms is not None else " " * 8
            sys.stderr.write(f"  {status:<7} {took}  {getattr(event, 'step_key', '')}\n")
        elif event is None and record.levelno >= logging.WARNING:
            meta = getattr(record, "dagster_meta", None) or {}
            sys.stderr.write(f"  warning {meta.get('orig_message') or record.getMessage()}\n")


@logger(
    config_schema=None,
    description="One line per finished step and per warning, for the command line.",
)
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("sop_pipeline.progress")
    log.setLevel(logging.DEBUG)  # Dagster logs step events at DEBUG
    log.propagate = False
    if not log.handlers:
        log.addHandler(_ProgressHandler())
    return log
