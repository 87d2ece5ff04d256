-- One row per pull request with its human author and the window in which it counts as open
-- for attribution: first commit day ≤ day ≤ merge/close day (still-open PRs have no end).
-- The author comes from int_pull_requests_linked, so attribution and fct_pull_requests agree.
with

pull_requests as (
    select * from {{ ref('int_pull_requests_linked') }}
),

final as (
    select
        pull_request_id,
        repository,
        pull_request_number,
        head_ref,
        person_id as author_person_id,
        cast(coalesce(least(first_commit_at, opened_at), opened_at) as date) as open_from_date,
        cast(coalesce(merged_at, closed_at) as date) as open_until_date
    from pull_requests
)

select * from final
