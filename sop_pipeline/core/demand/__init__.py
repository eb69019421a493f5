"""The layers of the unconstrained demand plan, one module each: promotions and events
(`events`), CRM pipeline (`pipeline`), new products (`new_products`) and planner overrides
(`overrides`). `sop_pipeline.core.demand_plan.build_demand_plan` stacks them."""
