-- One row per Copilot seat × calendar month it was assigned: what the seat cost, how many days
-- its holder used Copilot, what that use would have cost metered, and whether it sat idle.
with

seat_days as (
    select * from {{ ref('int_copilot_seat_days') }}
),

final as (
    select
        {{ surrogate_key(['copilot_seat_id', dbt.date_trunc('month', 'seat_date')]) }} as seat_month_id,
        copilot_seat_id,
        person_id,
        plan_type,
        cast({{ dbt.date_trunc('month', 'seat_date') }} as date) as month_start_date,
        cast(count(*) as integer) as assigned_days,
        cast(sum(seat_cost_usd) as decimal(38, 10)) as seat_cost_usd,
        cast(count(case when is_active_day then 1 end) as integer) as active_days,
        cast(sum(interactions) as bigint) as interactions,
        cast(sum(cli_tokens) as bigint) as cli_tokens,
        cast(sum(interactions) * {{ var('copilot_metered_usd_per_request') }} as decimal(38, 10))
            as metered_equivalent_usd,
        count(case when is_active_day then 1 end) = 0 as is_idle
    from seat_days
    group by copilot_seat_id, person_id, plan_type, {{ dbt.date_trunc('month', 'seat_date') }}
)

select * from final
