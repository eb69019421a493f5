-- Hours, utilization and overtime cost are never negative: a negative figure means the supply
-- plan or the capacity data is wrong. Returns the offending resource-months.
select
    cycle,
    scenario,
    resource,
    month,
    required_hours,
    available_hours,
    overtime_hours,
    utilization,
    overtime_cost
from {{ ref('capacity_utilization') }}
where required_hours < 0
    or available_hours < 0
    or overtime_hours < 0
    or utilization < 0
    or overtime_cost < 0
