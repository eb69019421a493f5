"""A Dagster logger that shows a planner the progress of a cycle: a line when a step starts
(what it does), a heartbeat every 15 s while it runs, a line when it ends; a failed step's line
holds its cause, and the dependency cascade after a failure is left to the final summary.

The heartbeat says what a long step has done so far: for dbt the tables built and checks run
(counted from Dagster's events), for a step that reports its own progress (`progress_reporter`:
the forecast's series done) its latest count, sent as a log message `progress: <done>/<total>
<what>` so that it reaches this logger from the step's context and shows in the UI's run log."""

from __future__ import annotations

import logging
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable

from dagster import DagsterLogManager, InitLoggerContext, JobDefinition, logger

from sop_pipeline.defs.failures import cause_line

SHOWN_EVENTS = {"STEP_SUCCESS": "done", "STEP_FAILURE": "FAILED", "STEP_SKIPPED": "skipped"}
# what a long step has done so far, shown with its heartbeat (dbt: models built, tests run)
COUNTED_EVENTS = {"ASSET_MATERIALIZATION": "tables built", "ASSET_CHECK_EVALUATION": "checks run"}
PROGRESS_PREFIX = "progress: "
HEARTBEAT_SECONDS = 15.0
# Dagster warns once per step it does not run after a failure; the runner counts them instead
CASCADE_WARNING = "Dependencies for step "


def step_descriptions(job: JobDefinition | None) -> dict[str, str]:
    """What each step of `job` does, in a few words: the first clause of its description."""
    if job is None:
        return {}
    described = {}
    for node in job.nodes:
        text = " ".join((node.definition.description or "").split())
        first = text.split(": grain")[0].split(". ")[0].rstrip(".")
        if not first:
            first = f"checks {node.name.replace('_passes_expectation_suite', '')}"
        described[node.name] = first if len(first) <= 64 else first[:61] + "..."
    return described


def progress_reporter(log: DagsterLogManager, what: str) -> Callable[[int, int], None]:
    """A callback for core code that counts its work, `(done, total)`: it logs
    `progress: <done>/<total> <what>`, which the heartbeat shows for the running step."""
    return lambda done, total: log.info(f"{PROGRESS_PREFIX}{done}/{total} {what}")


class Heartbeat:
    """A daemon thread that prints, for each step running longer than `interval` seconds, its
    elapsed time every `interval` seconds, with what it has done so far."""

    def __init__(self, interval: float = HEARTBEAT_SECONDS) -> None:
        self.interval = interval
        self._running: dict[str, tuple[float, float]] = {}  # step: (started, last shown)
        self._done: dict[str, Counter[str]] = {}  # step: tables built, checks run so far
        self._progress: dict[str, str] = {}  # step: the latest count it reported itself
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def start(self, step: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._running[step] = (now, now)
            self._done[step] = Counter()
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._beat, daemon=True, name="progress")
                self._thread.start()

    def stop(self, step: str) -> None:
        with self._lock:
            self._running.pop(step, None)
            self._done.pop(step, None)
            self._progress.pop(step, None)

    def count(self, step: str, what: str) -> None:
        """One more of `what` done by the running `step` (a dbt model built, a test run)."""
        with self._lock:
            if step in self._done:
                self._done[step][what] += 1

    def progress(self, step: str, done: str) -> None:
        """The running `step` has done `done` so far (e.g. `1200/5000 series forecast`)."""
        with self._lock:
            if step in self._running:
                self._progress[step] = done

    def _so_far(self, step: str) -> str:
        """What `step` has done, for its heartbeat line: ` (1200/5000 series forecast)`."""
        parts = [self._progress[step]] if step in self._progress else []
        parts += [f"{n} {what}" for what, n in self._done[step].items()]
        return f" ({', '.join(parts)})" if parts else ""

    def _beat(self) -> None:
        while True:
            time.sleep(min(1.0, self.interval))
            with self._lock:
                if not self._running:
                    self._thread = None
                    return
                now, lines = time.monotonic(), []
                for step, (started, shown) in self._running.items():
                    if now - shown >= self.interval:
                        so_far = self._so_far(step)
                        lines.append(f"  running {now - started:6.0f} s  {step}{so_far}\n")
                        self._running[step] = (started, now)
            sys.stderr.write("".join(lines))


class _ProgressHandler(logging.Handler):
    def __init__(self, descriptions: dict[str, str]) -> None:
        super().__init__()
        self.descriptions = descriptions
        self.heartbeat = Heartbeat(HEARTBEAT_SECONDS)

    def emit(self, record: logging.LogRecord) -> None:
        # Dagster hands custom loggers the event itself as the record's `dagster_event`
        event = getattr(record, "dagster_event", None)
        kind = getattr(event, "event_type_value", "")
        step = str(getattr(event, "step_key", "") or "")
        if kind == "STEP_START":
            self.heartbeat.start(step)
            what = self.descriptions.get(step, "")
            sys.stderr.write(f"  started {'':8}  {step}{f': {what}' if what else ''}\n")
        elif kind in SHOWN_EVENTS:
            self.heartbeat.stop(step)
            data = getattr(event, "event_specific_data", None)
            duration_ms = getattr(data, "duration_ms", None)
            took = f"{duration_ms / 1000:6.1f} s" if duration_ms is not None else " " * 8
            cause = f": {cause_line(data.error)}" if kind == "STEP_FAILURE" and data else ""
            sys.stderr.write(f"  {SHOWN_EVENTS[kind]:<7} {took}  {step}{cause}\n")
        elif kind in COUNTED_EVENTS:
            self.heartbeat.count(step, COUNTED_EVENTS[kind])
        elif event is None:
            self._message(record)

    def _message(self, record: logging.LogRecord) -> None:
        """A step's own log message: its progress for the heartbeat, or a warning shown."""
        meta = getattr(record, "dagster_meta", None) or {}
        message = str(meta.get("orig_message") or record.getMessage())
        if message.startswith(PROGRESS_PREFIX):
            self.heartbeat.progress(
                str(meta.get("step_key") or ""), message[len(PROGRESS_PREFIX) :]
            )
        elif record.levelno >= logging.WARNING and not message.startswith(CASCADE_WARNING):
            sys.stderr.write(f"  warning {message}\n")


@logger(
    config_schema=None,
    description="A line per started and finished step, a heartbeat on long steps, warnings.",
)
def progress_logger(init_context: InitLoggerContext) -> logging.Logger:
    log = logging.getLogger("sop_pipeline.progress")
    log.setLevel(logging.DEBUG)  # Dagster logs step events at DEBUG
    log.propagate = False
    for handler in list(log.handlers):  # one handler per run: its steps and its heartbeat
        log.removeHandler(handler)
    log.addHandler(_ProgressHandler(step_descriptions(init_context.job_def)))
    return log
