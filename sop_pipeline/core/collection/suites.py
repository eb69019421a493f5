"""Great Expectations suites built from the input contracts, and running them on a frame.

The same suite serves twice: on the freshly parsed export, where each failed expectation's
unexpected rows go to quarantine, and as the blocking asset check on the loaded table, where any
failure means a bad row slipped through.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

import great_expectations as gx
import pandas as pd
from great_expectations.data_context.types.base import ProgressBarsConfig

from sop_pipeline.core.contracts import Column, EntityContract
from sop_pipeline.core.contracts.model import RETURN

logging.getLogger("great_expectations").setLevel(logging.ERROR)

Rule = tuple[str, Any]  # (quarantine rule, the GX expectation that enforces it)


@dataclass(frozen=True)
class Failure:
    """One failed expectation: its rule name, column, and the index labels of offending rows."""

    rule: str
    column: str
    row_index: list[Any] = field(default_factory=list)


def build_suite(
    contract: EntityContract,
    known_skus: list[str] | None,
    cycle: pd.Timestamp,
    known_values: dict[str, list[str]] | None = None,
) -> gx.ExpectationSuite:
    """The expectation suite of an entity for a cycle. Each expectation's `meta.rule` is the
    quarantine rule it enforces; `known_values` maps a column to the keys another export of the
    drop defines (rule `unknown_<column>`, e.g. a routing's resource must be in `resources`)."""
    rules = [
        *(rule for column in contract.columns for rule in _column_rules(column, contract.returns)),
        *_reference_rules(contract, known_skus, known_values or {}),
        *_before_cycle_rules(contract, cycle),
        ("duplicate_key", _uniqueness(contract.key)),
    ]
    expectations = [_tagged(rule, expectation) for rule, expectation in rules]
    return gx.ExpectationSuite(name=f"{contract.name}_{cycle:%Y_%m}", expectations=expectations)


def _column_rules(column: Column, returns: str | None = None) -> list[Rule]:
    """The value rules of one contract column: filled, in range, one of the allowed values.
    `returns`: the column marking return lines, on which a minimum of 0 is a maximum of 0."""
    rules: list[Rule] = []
    if not column.nullable:
        rules.append(
            ("missing_value", gx.expectations.ExpectColumnValuesToNotBeNull(column=column.name))
        )
    if returns and column.min_value == 0.0 and column.max_value is None:
        rules += _signed_by_returns(column.name, returns)
    elif column.min_value is not None or column.max_value is not None:
        between = gx.expectations.ExpectColumnValuesToBeBetween(
            column=column.name, min_value=column.min_value, max_value=column.max_value
        )
        rules.append(("out_of_range", between))
    if column.allowed:
        allowed = gx.expectations.ExpectColumnValuesToBeInSet(
            column=column.name, value_set=list(column.allowed)
        )
        rules.append(("not_allowed", allowed))
    return rules


def _signed_by_returns(name: str, returns: str) -> list[Rule]:
    """`name` at least 0 on ordinary lines and at most 0 on return lines (rule out_of_range)."""
    return [
        (
            "out_of_range",
            gx.expectations.ExpectColumnValuesToBeBetween(
                column=name,
                min_value=0.0 if sign == "!=" else None,
                max_value=0.0 if sign == "==" else None,
                row_condition=f'{returns}{sign}"{RETURN}"',
                condition_parser="pandas",
            ),
        )
        for sign in ("!=", "==")
    ]


def _reference_rules(
    contract: EntityContract,
    known_skus: list[str] | None,
    known_values: dict[str, list[str]],
) -> list[Rule]:
    """Keys that must exist elsewhere: SKUs in the cycle's items, values in another export."""
    rules: list[Rule] = []
    if contract.sku_column and known_skus is not None:
        skus = gx.expectations.ExpectColumnValuesToBeInSet(
            column=contract.sku_column, value_set=known_skus
        )
        rules.append(("unknown_sku", skus))
    for name, values in known_values.items():
        rules.append(
            (
                f"unknown_{name}",
                gx.expectations.ExpectColumnValuesToBeInSet(column=name, value_set=values),
            )
        )
    return rules


def _before_cycle_rules(contract: EntityContract, cycle: pd.Timestamp) -> list[Rule]:
    """Dates that must fall before the cycle month (history cannot be in the future)."""
    last_day = cycle - pd.Timedelta(days=1)
    return [
        (
            "after_cycle",
            gx.expectations.ExpectColumnValuesToBeBetween(column=name, max_value=last_day),
        )
        for name in contract.before_cycle
    ]


def run_suite(frame: pd.DataFrame, suite: gx.ExpectationSuite) -> list[Failure]:
    """Validate `frame` with an ephemeral GX context; one `Failure` per failed expectation."""
    context = gx.get_context(mode="ephemeral")
    context.variables.progress_bars = ProgressBarsConfig(globally=False)
    batch = (
        context.data_sources.add_pandas("sop")
        .add_dataframe_asset(suite.name)
        .add_batch_definition_whole_dataframe("cycle")
        .get_batch(batch_parameters={"dataframe": frame})
    )
    result = batch.validate(suite, result_format={"result_format": "COMPLETE"})
    failures = []
    for outcome in result.results:
        if outcome.success:
            continue
        config = outcome.expectation_config
        assert config is not None  # GX fills it for every expectation it ran
        kwargs = config.kwargs
        column = kwargs.get("column") or ",".join(kwargs.get("column_list", []))
        failures.append(
            Failure(
                rule=str((config.meta or {}).get("rule", config.type)),
                column=column,
                row_index=list(outcome.result.get("unexpected_index_list") or []),
            )
        )
    return failures


def _tagged(rule: str, expectation: Any) -> Any:
    """The expectation with the quarantine rule it enforces in its `meta`."""
    expectation.meta = {"rule": rule}
    return expectation


def _uniqueness(key: tuple[str, ...]) -> Any:
    if len(key) == 1:
        return gx.expectations.ExpectColumnValuesToBeUnique(column=key[0])
    return gx.expectations.ExpectCompoundColumnsToBeUnique(column_list=list(key))
