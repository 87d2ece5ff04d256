-- A failure means revert detection pointed a PR at a reverter that is not a merged revert PR,
-- or that merged before the PR it supposedly reverted.
select
    reverted.pull_request_id,
    reverted.merged_at,
    reverting.pull_request_id as reverting_pull_request_id,
    reverting.merged_at as reverting_merged_at
from {{ ref('fct_pull_requests') }} as reverted
inner join {{ ref('fct_pull_requests') }} as reverting
    on reverted.reverted_by_pull_request_id = reverting.pull_request_id
where
    not reverting.is_revert
    or not reverting.is_merged
    or reverting.merged_at < reverted.merged_at
    or reverted.reverted_at != reverting.merged_at
