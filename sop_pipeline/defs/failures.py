"""What a failed cycle tells a person: one line with the step, the file or table and the cause,
the dependency cascade folded into a count, and the whole Dagster run log written to a file."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path

from dagster import DagsterEvent, DagsterEventType, DagsterInstance, ExecuteInProcessResult
from dagster._utils.error import SerializableErrorInfo

from sop_pipeline.io.run_tags import mask_secrets

# Dagster's own wrappers ("Error occurred while executing op ...") say nothing a planner can act on
FRAMEWORK_MODULES = ("dagster.", "dagster_dbt.", "dagster_shared.")


def error_chain(error: SerializableErrorInfo | None) -> list[SerializableErrorInfo]:
    """The error and its causes (and contexts), outermost first."""
    chain: list[SerializableErrorInfo] = []
    while error is not None and len(chain) < 20:
        chain.append(error)
        error = error.cause or error.context
    return chain


def _message(error: SerializableErrorInfo) -> str:
    """`Cls: message` on one line, without the module path Dagster puts before the class."""
    text = " ".join(error.message.split())
    for prefix in (f"{error.cls_name}: ", f"{error.cls_name}:"):
        start = text.find(prefix)
        if start != -1 and not text[:start].strip(". ").count(" "):
            text = text[start + len(prefix) :]
            break
    return f"{error.cls_name}: {text}" if text else str(error.cls_name)


def _is_framework(error: SerializableErrorInfo) -> bool:
    return error.message.startswith(FRAMEWORK_MODULES)


def cause_line(error: SerializableErrorInfo | None) -> str:
    """The cause a person can act on: the outermost error of ours or of a library (it names the
    file, row, column or table), and the innermost one when it adds something."""
    chain = [item for item in error_chain(error) if not _is_framework(item)] or error_chain(error)
    if not chain:
        return "unknown error"
    outer, inner = _message(chain[0]), _message(chain[-1])
    inner_text = inner.split(": ", 1)[-1]
    if inner == outer or inner_text in outer:
        return outer
    return f"{outer} (caused by {inner})"


def failed_steps(events: Iterable[DagsterEvent]) -> list[tuple[str, str]]:
    """(step, cause line) of every step that failed, in the order they failed."""
    failures = []
    for event in events:
        if event.event_type == DagsterEventType.STEP_FAILURE and event.step_failure_data:
            failures.append((str(event.step_key), cause_line(event.step_failure_data.error)))
    return failures


def skipped_step_count(result: ExecuteInProcessResult) -> int:
    """Steps of the job that never started because an earlier step failed."""
    starts = [e for e in result.all_events if e.event_type == DagsterEventType.STEP_START]
    started = {event.step_key for event in starts}
    return len({node.name for node in result.job_def.nodes} - started)


def run_failure(events: Iterable[DagsterEvent]) -> str | None:
    """The cause of a run that failed outside its steps, if it says one."""
    for event in events:
        if event.event_type == DagsterEventType.RUN_FAILURE:
            error = getattr(event.event_specific_data, "error", None)
            if error is not None:
                return cause_line(error)
    return None


def failure_summary(result: ExecuteInProcessResult) -> str:
    """One line: the first failed step and its cause, then the cascade as a count."""
    failures = failed_steps(result.all_events)
    if not failures:  # the run failed before any step did, e.g. a resource could not start
        return run_failure(result.all_events) or "a step did not complete (see the run log)"
    step, cause = failures[0]
    parts = [f"step {step}: {cause}"]
    if len(failures) > 1:
        parts.append(f"{len(failures) - 1} other step(s) failed")
    skipped = skipped_step_count(result)
    if skipped:
        parts.append(f"{skipped} later step{'s' if skipped != 1 else ''} skipped")
    return "; ".join(parts)


def append_run_log(instance: DagsterInstance, run_id: str, path: Path, *secret_urls: str) -> None:
    """Append the whole Dagster log of run `run_id` to `path`: every event and message, with
    the full traceback of each failure, passwords of `secret_urls` masked."""
    with path.open("a", encoding="utf-8") as log:
        log.write(f"\n--- Dagster run {run_id} ---\n")
        for record in instance.all_logs(run_id):
            stamp = datetime.fromtimestamp(record.timestamp).isoformat(timespec="seconds")
            level = logging.getLevelName(record.level)
            event = record.dagster_event
            kind = event.event_type_value if event is not None else "LOG"
            message = record.user_message or (event.message if event is not None else "") or ""
            line = f"{stamp} {level:<7} {record.step_key or '-':<36} {kind:<22} {message}"
            if event is not None and event.event_type == DagsterEventType.STEP_FAILURE:
                error = event.step_failure_data.error if event.step_failure_data else None
                line += "\n" + (error.to_string() if error is not None else "")
            log.write(mask_secrets(line, *secret_urls).rstrip() + "\n")
