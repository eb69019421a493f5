"""Forecasting for demand review: the statistical engine, the coherent demand-level forecast and
the accuracy of past cycles' forecasts.

- `engine.forecast_series`: long-format series (unique_id, ds, y) to per-series forecasts with
  80/95 % intervals (also behind `sop forecast`): series are classified by ADI / CV²
  (`classify`); smooth and erratic ones get the mean of AutoETS, DynamicOptimizedTheta and
  AutoCES (`ensemble`), intermittent ones the Croston-type method that wins on held-out months
  (`selection`, `refit`); on a Dask cluster when `SOP_DASK_SCHEDULER` is set (`distributed`).
- `demand.forecast_levels` (`forecast_demand` for the bottom level only): the
  `statistical_forecast` and `forecast_hierarchy` tables from
  monthly sales actuals and the item master (family profiles for short series, phase-out to
  zero, every level reconciled by `hierarchy` / `reconciliation`).
- `accuracy.forecast_accuracy`: the `forecast_accuracy` table (lag 1 and 3), with `wape` and
  `bias`; `value_added`: the `forecast_value_added` table (naive vs statistical vs consensus).

statsforecast is imported by the modules that fit models only, since it takes seconds to load.
"""
