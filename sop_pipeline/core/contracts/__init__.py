"""Input contract of the export drop (docs/exports.md): one `EntityContract` per ERP/CRM file.

A contract names the file stem, whether the cycle can run without it, each column's type and
value rules, and the key that makes the entity's grain. Ingestion parses by these types,
validation builds its expectation suites from these rules, and the warehouse stores each
entity in a table of the same name (with `cycle`), except `sales_history`, stored as
`sales_lines` because it keeps every version of every line.
"""

from __future__ import annotations

from sop_pipeline.core.contracts.erp import ERP_CONTRACTS
from sop_pipeline.core.contracts.model import Column, EntityContract
from sop_pipeline.core.contracts.planning import PLANNING_CONTRACTS

__all__ = ["CONTRACTS", "SQL_KIND", "Column", "EntityContract", "table_columns"]

CONTRACTS: dict[str, EntityContract] = {c.name: c for c in [*ERP_CONTRACTS, *PLANNING_CONTRACTS]}

SQL_KIND = {"text": "text", "float": "float", "int": "int", "date": "date", "month": "date"}


def table_columns(contract: EntityContract) -> dict[str, str]:
    """The warehouse columns of an entity table (portable types), `cycle` first."""
    return {"cycle": "date", **{c.name: SQL_KIND[c.kind] for c in contract.columns}}
