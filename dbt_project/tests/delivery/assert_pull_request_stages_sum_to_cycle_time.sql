-- A failure means the stage durations of fct_pull_requests no longer partition its cycle time:
-- when coding, pickup and review are all known, first commit → opened → first review → merged
-- are consecutive, so they must add up to cycle_hours (to within a millisecond of rounding).
select
    pull_request_id,
    coding_hours,
    pickup_hours,
    review_hours,
    cycle_hours
from {{ ref('fct_pull_requests') }}
where
    coding_hours is not null
    and pickup_hours is not null
    and review_hours is not null
    and abs(coding_hours + pickup_hours + review_hours - cycle_hours) > 0.000001
