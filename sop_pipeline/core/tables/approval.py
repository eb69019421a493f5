"""Tables of the executive decision (S&OP steps 5 and 6): the approvals, the MPS they release and
the decisions recorded with them. Written by `sop approve`, outside a planning run."""

from __future__ import annotations

from sop_pipeline.core.tables.spec import table_spec

APPROVAL_TABLES = [
    table_spec(
        "plan_approvals",
        "one approval decision (append-only: a re-approval adds a row, the latest wins)",
        ("approval_id",),
        {
            "approval_id": "text",
            "scenario": "text",
            "approved_by": "text",
            "approved_at": "text",  # ISO 8601 in UTC, e.g. 2026-11-05T14:02:00Z
            "note": "text",
            "plan_fingerprint": "text",
        },
    ),
    table_spec(
        "released_mps",
        "cycle x sku x month of the approved scenario's MPS (the latest approval's)",
        ("sku", "month"),
        {
            "sku": "text",
            "month": "date",
            "quantity": "float",
            "firm": "bool",
            "scenario": "text",
            "approval_id": "text",
        },
    ),
    table_spec(
        "decisions",
        "cycle x topic x subject: what the latest approval of the cycle decided",
        ("topic", "subject"),
        {
            "topic": "text",
            "subject": "text",
            "decision": "text",
            "owner": "text",
            "due": "date",
            "scenario": "text",
            "approval_id": "text",
        },
    ),
]
