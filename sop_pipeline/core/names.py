"""Names and constants every S&OP step shares, defined once."""

# The scenario every plan has: the demand plan as agreed, the capacity as recorded.
BASELINE = "baseline"

# Quantities, hours and prices closer to zero than this are solver noise: HiGHS meets its
# feasibility and optimality tolerances (1e-7) only up to that, so smaller values are not
# reported as unmet demand, overload, a binding resource or production to schedule.
SOLVER_TOLERANCE = 1e-6
