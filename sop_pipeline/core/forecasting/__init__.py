"""Forecasting for demand review: the statistical engine, the demand-level forecast and the
accuracy of past cycles' forecasts.

- `engine.forecast_series`: long-format series (unique_id, ds, y) to per-series forecasts with
  the model chosen on held-out months and 80/95 % intervals (also behind `sop forecast`).
- `demand.forecast_demand`: the `statistical_forecast` table from monthly sales actuals and the
  item master (family profiles for short series, phase-out to zero).
- `accuracy.forecast_accuracy`: the `forecast_accuracy` table, with `wape` and `bias`.

statsforecast is imported by the modules that fit models only, since it takes seconds to load.
"""
