-- One row per report period x usage item (SKU x model) of the GitHub billing usage reports for
-- Copilot; newest delivery wins. Money is dollars (`pricePerUnit` 0.01 per AI credit); `net`
-- is what was billed after the plan's included credits (`discount`). A report asked with
-- `day=` covers one day (`report_grain` day); without it, a month.
with

source as (
    select * from {{ source('github_copilot', 'billing') }}
),

items as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        payload,
        unnest(cast(payload -> 'usageItems' as json[])) as usage_item
    from source
),

renamed as (
    select
        make_date(
            cast(payload -> 'timePeriod' ->> 'year' as integer),
            coalesce(cast(payload -> 'timePeriod' ->> 'month' as integer), 1),
            coalesce(cast(payload -> 'timePeriod' ->> 'day' as integer), 1)
        ) as period_start_date,
        case
            when payload -> 'timePeriod' ->> 'day' is not null then 'day'
            when payload -> 'timePeriod' ->> 'month' is not null then 'month'
            else 'year'
        end as report_grain,
        payload ->> 'organization' as organization_login,
        lower(payload ->> 'user') as user_login,
        usage_item ->> 'product' as product,
        usage_item ->> 'sku' as sku,
        coalesce(usage_item ->> 'model', payload ->> 'model') as model,
        usage_item ->> 'unitType' as unit_type,
        cast(usage_item ->> 'pricePerUnit' as decimal(38, 10)) as price_per_unit_usd,
        cast(usage_item ->> 'grossQuantity' as decimal(38, 6)) as gross_quantity,
        cast(usage_item ->> 'discountQuantity' as decimal(38, 6)) as discount_quantity,
        cast(usage_item ->> 'netQuantity' as decimal(38, 6)) as net_quantity,
        'dollars' as amount_raw_unit,
        {{ dollars_to_usd("usage_item ->> 'grossAmount'") }} as gross_amount_usd,
        {{ dollars_to_usd("usage_item ->> 'discountAmount'") }} as discount_amount_usd,
        {{ dollars_to_usd("usage_item ->> 'netAmount'") }} as net_amount_usd,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from items
),

keyed as (
    select
        {{ surrogate_key([
            'report_grain', 'period_start_date', 'organization_login', 'user_login', 'product',
            'sku', 'model'
        ]) }} as billing_usage_id,
        *
    from renamed
),

final as (
    select *
    from keyed
    {{ newest_delivery(['billing_usage_id']) }}
)

select * from final
