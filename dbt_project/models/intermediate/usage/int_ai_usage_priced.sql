-- One row per ledger ai_usage observation with its list price and its cost in USD.
-- cost_basis:
--   billed     the vendor billed that provider-day; its billed total is spread over the
--              day's ai_usage rows in proportion to their list cost, so the day sums to the bill;
--   list_price no bill for that provider-day; tokens x effective-dated list price (seed);
--   estimate   telemetry standing in for a missing ledger (vendor estimate, else list price).
-- Sources that bill per row (Cursor events) keep their own billed cost.
-- 1-hour cache writes cost 2x base input and 5-minute writes 1.25x (Anthropic pricing page);
-- the seed's cache_write column is the 5-minute rate.
with

ai_usage as (
    select * from {{ ref('int_ai_usage_unioned') }}
),

prices as (
    select * from {{ ref('model_prices') }}
),

anthropic_costs as (
    select * from {{ ref('stg_anthropic__costs') }}
),

openai_costs as (
    select * from {{ ref('stg_openai__costs') }}
),

analytics_costs as (
    select * from {{ ref('stg_anthropic__analytics_costs') }}
),

priced as (
    select
        ai_usage.*,
        prices.input_usd_per_mtok,
        prices.cache_read_usd_per_mtok,
        cast(
            (
                ai_usage.uncached_input_tokens * prices.input_usd_per_mtok
                + ai_usage.cache_read_tokens * prices.cache_read_usd_per_mtok
                + ai_usage.cache_write_5m_tokens * prices.cache_write_usd_per_mtok
                + ai_usage.cache_write_1h_tokens * prices.input_usd_per_mtok * 2
                + ai_usage.output_tokens * prices.output_usd_per_mtok
            ) * 0.000001 as decimal(38, 10)
        ) as list_cost_usd,
        -- What the cache reads would have cost as plain input, minus what they did cost.
        cast(
            ai_usage.cache_read_tokens
            * (prices.input_usd_per_mtok - prices.cache_read_usd_per_mtok)
            * 0.000001 as decimal(38, 10)
        ) as cache_savings_usd,
        prices.model is not null as has_list_price
    from ai_usage
    left join prices
        on
            ai_usage.provider = prices.provider
            -- Vendors append a snapshot date to some model ids (claude-…-20250929).
            and regexp_replace(ai_usage.model, '-\d{8}$', '')
            = regexp_replace(prices.model, '-\d{8}$', '')
            and ai_usage.usage_date >= prices.valid_from
            and (prices.valid_to is null or ai_usage.usage_date < prices.valid_to)
),

-- Provider-day bills for the usage APIs that are billed separately from their usage rows.
billed_days as (
    select
        'anthropic_usage_report' as usage_source,
        cast(bucket_start_at as date) as usage_date,
        sum(amount_usd) as billed_usd
    from anthropic_costs
    group by cast(bucket_start_at as date)
    union all
    select
        'openai_usage_api' as usage_source,
        cast(bucket_start_at as date) as usage_date,
        sum(amount_usd) as billed_usd
    from openai_costs
    group by cast(bucket_start_at as date)
    union all
    -- The analytics cost endpoint bills the analytics usage rows (`amount`, after discounts).
    select
        'anthropic_analytics' as usage_source,
        cast(bucket_start_at as date) as usage_date,
        sum(amount_usd) as billed_usd
    from analytics_costs
    group by cast(bucket_start_at as date)
),

ledger_list_days as (
    select
        usage_source,
        usage_date,
        sum(list_cost_usd) as list_usd,
        count(*) as ledger_rows
    from priced
    where is_ledger and vendor_cost_basis is null
    group by usage_source, usage_date
),

costed as (
    select
        priced.*,
        cast(
            case
                when priced.vendor_cost_basis = 'billed' then priced.vendor_cost_usd
                when not priced.is_ledger
                    then coalesce(priced.vendor_cost_usd, priced.list_cost_usd)
                when billed_days.billed_usd is null then priced.list_cost_usd
                when ledger_list_days.list_usd > 0
                    then billed_days.billed_usd * priced.list_cost_usd / ledger_list_days.list_usd
                -- A bill with no priceable usage: split it evenly over the day's rows.
                else billed_days.billed_usd / ledger_list_days.ledger_rows
            end as decimal(38, 10)
        ) as cost_usd,
        case
            when priced.vendor_cost_basis = 'billed' then 'billed'
            when not priced.is_ledger then 'estimate'
            when billed_days.billed_usd is not null then 'billed'
            else 'list_price'
        end as cost_basis
    from priced
    left join billed_days
        on
            priced.usage_source = billed_days.usage_source
            and priced.usage_date = billed_days.usage_date
    left join ledger_list_days
        on
            priced.usage_source = ledger_list_days.usage_source
            and priced.usage_date = ledger_list_days.usage_date
),

-- The gateway rule: where the provider billed the gateway's own key that day, that billed
-- amount is what the gateway's requests cost, split over them by their logged spend (by
-- tokens if they logged none). Providers seen only through the gateway keep its spend.
gateway_bills as (
    select
        provider,
        usage_date,
        sum(cost_usd) as provider_billed_usd
    from costed
    where is_gateway_covered
    group by provider, usage_date
),

gateway_logs as (
    select
        provider,
        usage_date,
        sum(vendor_cost_usd) as logged_usd,
        sum(uncached_input_tokens + cache_read_tokens + cache_write_5m_tokens + output_tokens) as logged_tokens
    from costed
    where usage_source = 'litellm_spend_logs'
    group by provider, usage_date
),

final as (
    select
        costed.* exclude (cost_usd),
        cast(
            case
                when costed.usage_source != 'litellm_spend_logs' or gateway_bills.provider is null
                    then costed.cost_usd
                when gateway_logs.logged_usd > 0
                    then gateway_bills.provider_billed_usd * costed.vendor_cost_usd / gateway_logs.logged_usd
                when gateway_logs.logged_tokens > 0
                    then
                        gateway_bills.provider_billed_usd
                        * (
                            costed.uncached_input_tokens + costed.cache_read_tokens
                            + costed.cache_write_5m_tokens + costed.output_tokens
                        )
                        / gateway_logs.logged_tokens
                else costed.cost_usd
            end as decimal(38, 10)
        ) as cost_usd
    from costed
    left join gateway_bills
        on costed.provider = gateway_bills.provider and costed.usage_date = gateway_bills.usage_date
    left join gateway_logs
        on costed.provider = gateway_logs.provider and costed.usage_date = gateway_logs.usage_date
)

select * from final
