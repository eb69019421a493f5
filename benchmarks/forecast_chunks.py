"""Benchmark: what reporting the forecast's progress costs, the engine in chunks of series
against one call, side by side on the same generated panel.

Times `forecast_series` (one call: the forecast before progress was reported) and
`forecast_in_chunks` (the forecast step's way since: `CHUNK_SERIES` series a call, ordered by
route), alternating, `--repeat` pairs, in this process; prints each pair, the medians, the
median of the pairs' ratios, and whether both gave the same forecasts. Usage:

    python -m benchmarks.forecast_chunks [--series 8000] [--months 48] [--horizon 18] [--repeat 3]
"""

from __future__ import annotations

import statistics
import time
import warnings

from benchmarks.forecast_scale import generated_panel, panel_parser


def main() -> None:
    parser = panel_parser(__doc__, 8000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    from sop_pipeline.core.demand.forecasting.chunked import CHUNK_SERIES, forecast_in_chunks
    from sop_pipeline.core.demand.forecasting.engine import forecast_series

    panel = generated_panel(args.series, args.months)
    seen: list[int] = []
    one_call, chunked = [], []
    for _ in range(args.repeat):
        start = time.perf_counter()
        single = forecast_series(panel, args.horizon)
        one_call.append(time.perf_counter() - start)
        start = time.perf_counter()
        pieces = forecast_in_chunks(panel, args.horizon, 12, lambda done, _: seen.append(done))
        chunked.append(time.perf_counter() - start)
        print(f"one call {one_call[-1]:7.1f} s   chunks {chunked[-1]:7.1f} s", flush=True)
    ratios = [b / a for a, b in zip(one_call, chunked, strict=True)]
    same = single.equals(pieces)
    print(f"{args.series} series x {args.months} months, chunks of {CHUNK_SERIES}")
    print(f"median one call {statistics.median(one_call):.1f} s, "
          f"median in chunks {statistics.median(chunked):.1f} s, "
          f"median ratio {statistics.median(ratios):.3f}")  # fmt: skip
    print(f"progress reported per repeat: {seen[: len(seen) // args.repeat]}")
    print(f"same forecasts: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main()
