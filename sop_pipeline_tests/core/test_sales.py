"""Sales lines to monthly actuals: the latest version of a line wins."""

import pandas as pd

from sop_pipeline.core.collection.sales_actuals import sales_actuals


def test_latest_version_of_each_line_wins_and_future_lines_are_ignored() -> None:
    lines = pd.DataFrame(
        {
            "cycle": pd.to_datetime(["2026-10-01", "2026-10-01", "2026-11-01", "2026-12-01"]),
            "line_id": ["1", "2", "1", "3"],
            "ship_date": pd.to_datetime(["2026-09-03", "2026-09-20", "2026-09-03", "2026-11-02"]),
            "sku": ["A", "A", "A", "A"],
            "region": ["N"] * 4,
            "quantity": [5.0, 2.0, 4.0, 9.0],
            "net_revenue": [50.0, 20.0, 40.0, 90.0],
        }
    )
    actuals = sales_actuals(lines, pd.Timestamp("2026-11-01"))
    assert actuals.to_dict("records") == [
        {
            "sku": "A",
            "region": "N",
            "month": pd.Timestamp("2026-09-01"),
            "quantity": 6.0,
            "revenue": 60.0,
        }
    ]
