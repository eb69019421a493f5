"""The layers of the unconstrained demand plan, one module each: promotions and events
(`events`), CRM pipeline (`pipeline`), new products (`new_products`) and planner overrides
(`overrides`). `sop_pipeline.core.demand.plan.plan_demand` stacks them. Beside them: `frames`,
small helpers the layers share, and `figures`, the demand-review tables' headline figures."""
