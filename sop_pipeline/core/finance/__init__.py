"""Pre-S&OP reconciliation (S&OP step 4): the plan in money, against the budget."""
