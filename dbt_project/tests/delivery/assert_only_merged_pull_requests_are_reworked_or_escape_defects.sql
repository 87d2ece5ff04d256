-- A failure means a pull request that never merged is counted as reverted, reworked or as
-- having escaped defects: all three are measured from the merge (DESIGN: rework, escaped defect).
select
    pull_request_id,
    is_reverted,
    is_reworked,
    escaped_defect_count
from {{ ref('fct_pull_requests') }}
where
    not is_merged
    and (is_reverted or is_reworked or escaped_defect_count > 0)
