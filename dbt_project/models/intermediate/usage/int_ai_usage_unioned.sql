-- One row per ai_usage observation that belongs in the ledger, from every AI source, with the
-- person resolved. DESIGN's "one ledger per dollar": billing sources are the ledger;
-- telemetry stands in only where no ledger covers that billing channel on that day.
--   * Anthropic API (ai_usage report) is the ledger for API-billed use, Claude Code on the API
--     included (its tokens are inside the report under the person's key).
--   * The Usage and Cost Analytics API reports the same billed usage, attributed to actors:
--     on a day it covers it is the Anthropic ledger and the legacy report's rows for that day
--     are left out (docs/extract.md: which to choose), so no dollar is counted twice.
--   * Claude Code analytics rows with customer_type = 'subscription' are never in the API
--     report, so they always stand in (estimate). API-type rows stand in only on days the
--     ai_usage report has no rows at all.
--   * Transcripts stand in only for person-days that neither of the above covers.
--   * Cursor usage events, LiteLLM spend logs and FOCUS AI charges are ledgers with their own
--     billed cost. Provider rows under a gateway_api_key are flagged is_gateway_covered.
--   * Copilot billing reports (AI credits, premium requests) are ledgers with billed dollars.
-- Copilot seats, also ledger, are added per day in int_ai_usage_daily.
with

anthropic_usage as (
    select * from {{ ref('stg_anthropic__message_usage') }}
),

analytics_usage as (
    select * from {{ ref('stg_anthropic__analytics_usage') }}
),

copilot_billing as (
    select * from {{ ref('stg_github_copilot__billing_usage') }}
),

openai_usage as (
    select * from {{ ref('stg_openai__completion_usage') }}
),

claude_code_usage as (
    select * from {{ ref('stg_anthropic__claude_code_usage') }}
),

transcript_responses as (
    select * from {{ ref('stg_claude_code_transcripts__api_responses') }}
),

cursor_events as (
    select * from {{ ref('stg_cursor__usage_events') }}
),

gateway_requests as (
    select * from {{ ref('int_gateway_requests_resolved') }}
),

cloud_charges as (
    select * from {{ ref('stg_focus__charges') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

analytics_days as (
    select distinct cast(bucket_start_at as date) as usage_date from analytics_usage
),

anthropic_rows as (
    select
        cast(ai_usage.bucket_start_at as date) as usage_date,
        'anthropic' as provider,
        'api' as tool,
        'anthropic_usage_report' as usage_source,
        true as is_ledger,
        ai_usage.model,
        coalesce(by_key.person_id, by_account.person_id) as person_id,
        coalesce(ai_usage.api_key_id, ai_usage.account_id, ai_usage.service_account_id) as account_ref,
        ai_usage.uncached_input_tokens,
        ai_usage.cache_read_tokens,
        ai_usage.cache_write_5m_tokens,
        ai_usage.cache_write_1h_tokens,
        ai_usage.output_tokens,
        cast(null as bigint) as request_count,
        cast(null as decimal(38, 10)) as vendor_cost_usd,
        cast(null as varchar) as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        by_gateway.external_id is not null as is_gateway_covered
    from anthropic_usage as ai_usage
    left join identities as by_gateway
        on by_gateway.account_system = 'gateway_api_key' and ai_usage.api_key_id = by_gateway.external_id
    left join identities as by_key
        on by_key.account_system = 'anthropic_api_key' and ai_usage.api_key_id = by_key.external_id
    left join identities as by_account
        on by_account.account_system = 'anthropic_account' and ai_usage.account_id = by_account.external_id
    where cast(ai_usage.bucket_start_at as date) not in (select covered.usage_date from analytics_days as covered)
),

-- The analytics API names the actor behind the usage: a user's email joins people directly;
-- otherwise the API key, then the tagged user id (the legacy report's account_id).
analytics_rows as (
    select
        cast(ai_usage.bucket_start_at as date) as usage_date,
        'anthropic' as provider,
        case when ai_usage.product ilike '%code%' then 'claude_code' else 'api' end as tool,
        'anthropic_analytics' as usage_source,
        true as is_ledger,
        ai_usage.model,
        coalesce(by_email.person_id, by_key.person_id, by_account.person_id) as person_id,
        coalesce(ai_usage.actor_email, ai_usage.api_key_id, ai_usage.actor_id) as account_ref,
        ai_usage.uncached_input_tokens,
        ai_usage.cache_read_tokens,
        ai_usage.cache_write_5m_tokens,
        ai_usage.cache_write_1h_tokens,
        ai_usage.output_tokens,
        ai_usage.request_count,
        cast(null as decimal(38, 10)) as vendor_cost_usd,
        cast(null as varchar) as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        by_gateway.external_id is not null as is_gateway_covered
    from analytics_usage as ai_usage
    left join identities as by_gateway
        on by_gateway.account_system = 'gateway_api_key' and ai_usage.api_key_id = by_gateway.external_id
    left join identities as by_email
        on by_email.account_system = 'email' and ai_usage.actor_email = by_email.external_id
    left join identities as by_key
        on by_key.account_system = 'anthropic_api_key' and ai_usage.api_key_id = by_key.external_id
    left join identities as by_account
        on by_account.account_system = 'anthropic_account' and ai_usage.actor_id = by_account.external_id
),

openai_rows as (
    select
        cast(ai_usage.bucket_start_at as date) as usage_date,
        'openai' as provider,
        'api' as tool,
        'openai_usage_api' as usage_source,
        true as is_ledger,
        ai_usage.model,
        coalesce(by_user.person_id, by_key.person_id) as person_id,
        coalesce(ai_usage.user_id, ai_usage.api_key_id, ai_usage.project_id) as account_ref,
        ai_usage.uncached_input_tokens,
        ai_usage.cache_read_tokens,
        ai_usage.cache_write_tokens as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        ai_usage.output_tokens,
        ai_usage.request_count,
        cast(null as decimal(38, 10)) as vendor_cost_usd,
        cast(null as varchar) as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        by_gateway.external_id is not null as is_gateway_covered
    from openai_usage as ai_usage
    left join identities as by_gateway
        on by_gateway.account_system = 'gateway_api_key' and ai_usage.api_key_id = by_gateway.external_id
    left join identities as by_user
        on by_user.account_system = 'openai_user' and ai_usage.user_id = by_user.external_id
    left join identities as by_key
        on by_key.account_system = 'openai_api_key' and ai_usage.api_key_id = by_key.external_id
),

anthropic_ledger_days as (
    select distinct usage_date from anthropic_rows
    union
    select usage_date from analytics_days
),

claude_code_rows as (
    select
        ai_usage.usage_date,
        'anthropic' as provider,
        'claude_code' as tool,
        'claude_code_analytics' as usage_source,
        false as is_ledger,
        ai_usage.model,
        by_email.person_id,
        coalesce(ai_usage.actor_email, ai_usage.actor_api_key_name) as account_ref,
        ai_usage.uncached_input_tokens,
        ai_usage.cache_read_tokens,
        ai_usage.cache_write_tokens as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        ai_usage.output_tokens,
        cast(null as bigint) as request_count,
        ai_usage.estimated_cost_usd as vendor_cost_usd,
        'estimate' as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        false as is_gateway_covered
    from claude_code_usage as ai_usage
    left join identities as by_email
        on by_email.account_system = 'email' and ai_usage.actor_email = by_email.external_id
    where
        ai_usage.customer_type = 'subscription'
        or ai_usage.usage_date not in (select ledger.usage_date from anthropic_ledger_days as ledger)
),

claude_code_person_days as (
    select distinct
        usage_date,
        actor_email
    from claude_code_usage
),

transcript_rows as (
    select
        responses.usage_date,
        'anthropic' as provider,
        'claude_code' as tool,
        'claude_code_transcripts' as usage_source,
        false as is_ledger,
        responses.model,
        by_email.person_id,
        responses.person_email as account_ref,
        sum(responses.uncached_input_tokens) as uncached_input_tokens,
        sum(responses.cache_read_tokens) as cache_read_tokens,
        sum(responses.cache_write_tokens) as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        sum(responses.output_tokens) as output_tokens,
        count(*) as request_count,
        cast(null as decimal(38, 10)) as vendor_cost_usd,
        cast(null as varchar) as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        false as is_gateway_covered
    from transcript_responses as responses
    left join identities as by_email
        on by_email.account_system = 'email' and responses.person_email = by_email.external_id
    left join claude_code_person_days as analytics
        on
            responses.usage_date = analytics.usage_date
            and responses.person_email = analytics.actor_email
    where
        analytics.usage_date is null
        and responses.usage_date not in (select ledger.usage_date from anthropic_ledger_days as ledger)
    group by
        responses.usage_date,
        responses.model,
        by_email.person_id,
        responses.person_email
),

-- Cursor bills each event itself (tokenUsage.totalCents + cursorTokenFee): a ledger row
-- with its own billed cost. The provider is Cursor, whose bill it is, whatever the model.
cursor_rows as (
    select
        events.usage_date,
        'cursor' as provider,
        'cursor' as tool,
        'cursor_usage_events' as usage_source,
        true as is_ledger,
        events.model,
        coalesce(by_email.person_id, by_cursor.person_id) as person_id,
        events.user_email as account_ref,
        sum(events.uncached_input_tokens) as uncached_input_tokens,
        sum(events.cache_read_tokens) as cache_read_tokens,
        sum(events.cache_write_tokens) as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        sum(events.output_tokens) as output_tokens,
        count(*) as request_count,
        sum(events.cost_usd) as vendor_cost_usd,
        'billed' as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        false as is_gateway_covered
    from cursor_events as events
    left join identities as by_email
        on by_email.account_system = 'email' and events.user_email = by_email.external_id
    left join identities as by_cursor
        on by_cursor.account_system = 'cursor' and events.user_email = by_cursor.external_id
    group by
        events.usage_date,
        events.model,
        coalesce(by_email.person_id, by_cursor.person_id),
        events.user_email
),

-- Gateway spend logs (LiteLLM): the ledger for gateway traffic. Provider-side usage under the
-- gateway's own key (identities.csv gateway_api_key) is flagged above and left out of the
-- ledger later, so those tokens count once, split over people by these logs.
gateway_rows as (
    select
        usage_date,
        provider,
        'litellm' as tool,
        'litellm_spend_logs' as usage_source,
        true as is_ledger,
        model,
        person_id,
        coalesce(api_key_alias, api_key_hash) as account_ref,
        sum(uncached_input_tokens) as uncached_input_tokens,
        sum(cache_read_tokens) as cache_read_tokens,
        sum(cache_write_tokens) as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        sum(output_tokens) as output_tokens,
        count(*) as request_count,
        sum(cost_usd) as vendor_cost_usd,
        'billed' as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        false as is_gateway_covered
    from gateway_requests
    group by usage_date, provider, model, person_id, coalesce(api_key_alias, api_key_hash)
),

-- FOCUS cloud bills: AI charges only. Person and team come from Tags where they carry them;
-- otherwise the charge stays in an org-level bucket (no person, no team). FOCUS does not
-- split token types, so these rows carry cost and no tokens.
cloud_rows as (
    select
        charges.usage_date,
        charges.provider,
        'cloud' as tool,
        'focus_billing' as usage_source,
        true as is_ledger,
        charges.service_name as model,
        by_email.person_id,
        charges.sub_account_id as account_ref,
        0 as uncached_input_tokens,
        0 as cache_read_tokens,
        0 as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        0 as output_tokens,
        cast(null as bigint) as request_count,
        sum(charges.cost_usd) as vendor_cost_usd,
        'billed' as vendor_cost_basis,
        case when by_email.person_id is null then charges.tag_team end as team_hint,
        false as is_gateway_covered
    from cloud_charges as charges
    left join identities as by_email
        on by_email.account_system = 'email' and lower(charges.tag_person_email) = by_email.external_id
    where charges.is_ai_spend
    group by
        charges.usage_date,
        charges.provider,
        charges.service_name,
        by_email.person_id,
        charges.sub_account_id,
        case when by_email.person_id is null then charges.tag_team end
),

-- Copilot's billing report: dollars billed beyond the plan's included credits, per SKU and
-- model. A day's report is used; a month's only for a month that has no day reports (it
-- lands on the month's first day). Reports asked per user carry the user; org-wide ones not.
copilot_billing_days as (
    select distinct
        {{ dbt.date_trunc('month', 'period_start_date') }} as billing_month
    from copilot_billing
    where report_grain = 'day'
),

copilot_billing_rows as (
    select
        billing.period_start_date as usage_date,
        'github' as provider,
        'github_copilot' as tool,
        'copilot_billing' as usage_source,
        true as is_ledger,
        coalesce(billing.model, billing.sku) as model,
        by_login.person_id,
        coalesce(billing.user_login, billing.organization_login) as account_ref,
        0 as uncached_input_tokens,
        0 as cache_read_tokens,
        0 as cache_write_5m_tokens,
        0 as cache_write_1h_tokens,
        0 as output_tokens,
        cast(null as bigint) as request_count,
        sum(billing.net_amount_usd) as vendor_cost_usd,
        'billed' as vendor_cost_basis,
        cast(null as varchar) as team_hint,
        false as is_gateway_covered
    from copilot_billing as billing
    left join identities as by_login
        on by_login.account_system = 'github' and billing.user_login = by_login.external_id
    where
        billing.report_grain = 'day'
        or (
            billing.report_grain = 'month'
            and {{ dbt.date_trunc('month', 'billing.period_start_date') }}
            not in (select covered.billing_month from copilot_billing_days as covered)
        )
    group by
        billing.period_start_date,
        coalesce(billing.model, billing.sku),
        by_login.person_id,
        coalesce(billing.user_login, billing.organization_login)
),

final as (
    select * from anthropic_rows
    union all
    select * from analytics_rows
    union all
    select * from openai_rows
    union all
    select * from claude_code_rows
    union all
    select * from transcript_rows
    union all
    select * from cursor_rows
    union all
    select * from gateway_rows
    union all
    select * from cloud_rows
    union all
    select * from copilot_billing_rows
)

select * from final
