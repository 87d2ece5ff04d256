-- One row per Copilot seat × day it was assigned, inside the window the other AI sources
-- cover, with the day's share of the plan's monthly list price (price ÷ days in that month).
-- A seat counts from its grant (created_at) to its pending cancellation date, or to the
-- newest seats snapshot that still lists it. Seats are the ledger for Copilot (DESIGN).
-- The holder's Copilot activity that day (usage-metrics user reports) rides along.
with

seats as (
    select * from {{ ref('stg_github_copilot__seats') }}
),

prices as (
    select * from {{ ref('copilot_seat_prices') }}
),

user_days as (
    select * from {{ ref('stg_github_copilot__user_days') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

usage_window as (
    select
        min(usage_date) as first_date,
        max(usage_date) as last_date
    from {{ ref('int_ai_usage_unioned') }}
),

seat_spans as (
    select
        seats.copilot_seat_id,
        seats.user_login,
        seats.plan_type,
        greatest(cast(seats.created_at as date), usage_window.first_date) as first_date,
        least(
            coalesce(seats.pending_cancellation_date, seats.snapshot_date),
            seats.snapshot_date,
            usage_window.last_date
        ) as last_date
    from seats
    cross join usage_window
),

-- DuckDB's generate_series is the one engine-specific call here (Spark: sequence + explode).
seat_days as (
    select
        copilot_seat_id,
        user_login,
        plan_type,
        cast(unnest(generate_series(first_date, last_date, interval 1 day)) as date) as seat_date
    from seat_spans
    where first_date <= last_date
),

final as (
    select
        seat_days.copilot_seat_id,
        identities.person_id,
        seat_days.user_login,
        seat_days.plan_type,
        seat_days.seat_date,
        prices.usd_per_seat_month,
        cast(
            prices.usd_per_seat_month / extract(day from {{ dbt.last_day('seat_days.seat_date', 'month') }})
            as decimal(38, 10)
        ) as seat_cost_usd,
        coalesce(
            user_days.user_initiated_interaction_count > 0
            or user_days.code_generation_activity_count > 0
            or user_days.has_used_cli,
            false
        ) as is_active_day,
        coalesce(user_days.user_initiated_interaction_count, 0) as interactions,
        coalesce(user_days.cli_prompt_tokens + user_days.cli_output_tokens, 0) as cli_tokens
    from seat_days
    left join identities
        on identities.account_system = 'github' and seat_days.user_login = identities.external_id
    left join user_days
        on seat_days.user_login = user_days.user_login and seat_days.seat_date = user_days.usage_date
    left join prices
        on
            seat_days.plan_type = prices.plan_type
            and seat_days.seat_date >= prices.valid_from
            and (prices.valid_to is null or seat_days.seat_date < prices.valid_to)
)

select * from final
