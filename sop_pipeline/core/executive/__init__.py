"""Executive S&OP (S&OP step 5): the KPI table (`kpi`) and the meeting pack (`pack`)."""
