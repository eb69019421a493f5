"""How the demo company planned before the pipeline, for the months of its history: each
month the planner releases the starts that bring each SKU's stock position (on hand, in
transit, less backlog) up to the demand expected over its lead time and the month of
arrival, plus `SAFETY_COVER` months of cover. The planner knows the expected demand (with
promotions and the life cycle) but not the noise or the deals."""

from __future__ import annotations

import numpy as np

from sop_pipeline.demo.demand import FloatArray
from sop_pipeline.demo.world import Ledger

SAFETY_COVER = 0.6  # months of the arrival month's demand kept as cover


def order_up_to(
    ledger: Ledger, forecast: FloatArray, cover: FloatArray | float = SAFETY_COVER
) -> FloatArray:
    """Starts per SKU for the next month to book: the order-up-to level of `forecast`
    ([sku, month from that month on], at least max lead time + 1 months) less the position."""
    lead = ledger.lead
    months = np.arange(forecast.shape[1])[None, :]
    over_lead = (forecast * (months <= lead[:, None])).sum(axis=1)
    arrival = forecast[np.arange(len(lead)), lead]
    target = over_lead + np.asarray(cover) * arrival
    position = ledger.on_hand() + ledger.in_transit() - ledger.open_backlog().sum(axis=1)
    return np.ceil(np.maximum(target - position, 0.0))


def house_starts(ledger: Ledger, expected: FloatArray) -> FloatArray:
    """The house planner's starts for the next month to book; `expected` is the expected
    demand per [sku, timeline month]."""
    t = ledger.simulated
    ahead = int(ledger.lead.max(initial=0)) + 1
    window = expected[:, t : t + ahead]
    if window.shape[1] < ahead:
        window = np.pad(window, ((0, 0), (0, ahead - window.shape[1])), mode="edge")
    return order_up_to(ledger, window)
