-- One row per FOCUS charge row that passed validation, from the newest delivery of its billing
-- account × billing period (rows that fail are in stg_focus__rejected_rows, with the reasons).
-- FOCUS exports restate a whole billing period on each run, often split over several part files
-- in one folder, so a delivery is a folder: for each provider × billing account × billing period
-- the newest folder wins (latest file modified time, then load time) and all its parts count.
-- A file re-delivered under the same name replaces its earlier content.
-- Costs are decimals in the billing currency; cost_usd is BilledCost when that is USD.
with

billing_rows as (
    select * from {{ ref('base_focus__billing_rows') }}
),

newest_file_content as (
    -- Decided over every row (valid or not), so a newer content of a file always replaces the old.
    select *
    from billing_rows
    qualify dense_rank() over (
        partition by _source_file
        order by _file_modified_at desc, _loaded_at desc, _file_sha256 desc
    ) = 1
),

deliveries as (
    select
        *,
        max(_file_modified_at) over (
            partition by delivery_folder, provider_name, billing_account_id, billing_period_start_at
        ) as delivery_modified_at,
        max(_loaded_at) over (
            partition by delivery_folder, provider_name, billing_account_id, billing_period_start_at
        ) as delivery_loaded_at
    from newest_file_content
    where is_valid
),

newest_delivery as (
    select *
    from deliveries
    qualify dense_rank() over (
        partition by provider_name, billing_account_id, billing_period_start_at
        order by delivery_modified_at desc, delivery_loaded_at desc, delivery_folder desc
    ) = 1
),

tag_entries as (
    select
        *,
        -- Tag keys are matched trimmed and case-insensitively (the sample has ' org' next to 'org').
        list_transform(
            map_entries(try_cast(tags as map (varchar, varchar))),
            lambda entry: { 'tag_key': lower(trim(entry['key'])), 'tag_value': trim(entry['value']) }
        ) as tag_list
    from newest_delivery
),

tagged as (
    select
        *,
        lower(list_filter(
            tag_list,
            lambda tag: tag['tag_key'] in ('user', 'owner', 'email', 'person', 'user_email', 'owner_email')
            and regexp_full_match(tag['tag_value'], '[^@\s]+@[^@\s]+\.[^@\s]+')
        )[1]['tag_value']) as tag_person_email,
        list_filter(
            tag_list, lambda tag: tag['tag_key'] in ('team', 'team_name') and tag['tag_value'] != ''
        )[1]['tag_value'] as tag_team,
        upper(regexp_extract(
            list_filter(tag_list, lambda tag: tag['tag_key'] in ('ticket', 'ticket_key', 'jira'))[1]['tag_value'],
            '^([A-Za-z][A-Za-z0-9_]*-[0-9]+)$',
            1
        )) as tag_ticket_key_found,
        regexp_extract(
            list_filter(tag_list, lambda tag: tag['tag_key'] in ('repo', 'repository'))[1]['tag_value'],
            '([A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+?)(\.git)?/?$',
            1
        ) as tag_repository_found
    from tag_entries
),

final as (
    select
        focus_row_id as focus_charge_id,
        cast(charge_period_start_at as date) as usage_date,
        charge_period_start_at,
        charge_period_end_at,
        billing_period_start_at,
        billing_period_end_at,
        charge_category,
        charge_class,
        charge_description,
        charge_frequency,
        billed_cost,
        effective_cost,
        list_cost,
        billing_currency,
        billed_cost_text as billed_cost_raw,
        case when billing_currency = 'USD' then {{ dollars_to_usd('billed_cost') }} end as cost_usd,
        provider_name,
        lower(provider_name) as provider,
        publisher_name,
        invoice_issuer_name,
        billing_account_id,
        billing_account_name,
        sub_account_id,
        sub_account_name,
        service_category,
        service_subcategory,
        service_name,
        sku_id,
        resource_id,
        resource_name,
        region_id,
        consumed_quantity,
        consumed_unit,
        pricing_quantity,
        pricing_unit,
        tags,
        coalesce(
            service_category = 'AI and Machine Learning'
            and (service_subcategory is null or service_subcategory = 'Generative AI'),
            false
        ) as is_ai_spend,
        tag_person_email,
        tag_team,
        nullif(tag_ticket_key_found, '') as tag_ticket_key,
        nullif(tag_repository_found, '') as tag_repository,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from tagged
)

select * from final
