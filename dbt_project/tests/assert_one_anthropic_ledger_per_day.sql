-- A failure means some day's Anthropic spend is in the ledger twice: both the legacy usage
-- report and the Usage and Cost Analytics API contributed rows for the same day. On a day the
-- analytics API covers, the legacy rows must be left out (int_ai_usage_unioned).
with

ledger as (
    select * from {{ ref('int_ai_usage_unioned') }}
),

sources_per_day as (
    select
        usage_date,
        count(distinct usage_source) as ledger_sources
    from ledger
    where usage_source in ('anthropic_usage_report', 'anthropic_analytics')
    group by usage_date
),

final as (
    select *
    from sources_per_day
    where ledger_sources > 1
)

select * from final
