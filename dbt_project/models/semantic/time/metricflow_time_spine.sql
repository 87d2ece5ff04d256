-- One row per calendar day, 2020-01-01 to 2030-12-31: MetricFlow's time spine (it joins
-- metrics to it for time grains and cumulative windows). dbt's own date_spine macro keeps it
-- portable.
with

days as (
    {{ dbt.date_spine('day', "cast('2020-01-01' as date)", "cast('2031-01-01' as date)") }}
),

final as (
    select cast(date_day as date) as date_day
    from days
)

select * from final
