with

source as (
    select * from {{ source('org', 'budgets') }}
),

latest_delivery as (
    select *
    from source
    qualify dense_rank() over (order by _file_modified_at desc, _loaded_at desc, _source_file desc) = 1
),

renamed as (
    select
        lower(trim(payload ->> 'scope')) as budget_scope,
        trim(payload ->> 'scope_id') as scope_id,
        lower(trim(payload ->> 'kind')) as budget_kind,
        cast(payload ->> 'period_start' as date) as period_start_date,
        cast(payload ->> 'period_end' as date) as period_end_date,
        {{ dollars_to_usd("payload ->> 'amount'") }} as amount,
        upper(trim(payload ->> 'currency')) as currency
    from latest_delivery
),

final as (
    select
        {{ surrogate_key(['budget_scope', 'scope_id', 'budget_kind', 'period_start_date', 'period_end_date']) }}
            as budget_id,
        *
    from renamed
)

select * from final
