-- One row per row of every delivered FOCUS file (CSV, CSV.gz or Parquet), typed and checked.
-- The checks live here once, so stg_focus__charges (rows that pass) and
-- stg_focus__rejected_rows (rows that do not, with the reasons) always agree.
--
-- Columns are read by name from the payload (a JSON object keyed by the file's header), never by
-- position, and every value is checked for its type: a value under the wrong header (the official
-- FOCUS 1.0 sample puts unit prices such as '9.28' under AvailabilityZone) must not pass as a cost.
-- The literal string NULL and '' are nulls (the sample writes NULL). Numbers are decimals as
-- written; timestamps with or without T/Z are UTC.
{#- FOCUS columns read here (names as in the spec, 1.0 to 1.2); snake_case is derived below. -#}
{%- set focus_columns = [
    'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice',
    'ContractedUnitPrice', 'ConsumedQuantity', 'ConsumedUnit', 'PricingQuantity', 'PricingUnit',
    'BillingAccountId', 'BillingAccountName', 'BillingCurrency', 'BillingPeriodStart',
    'BillingPeriodEnd', 'ChargeCategory', 'ChargeClass', 'ChargeDescription', 'ChargeFrequency',
    'ChargePeriodStart', 'ChargePeriodEnd', 'ProviderName', 'PublisherName', 'InvoiceIssuerName',
    'ServiceCategory', 'ServiceSubcategory', 'ServiceName', 'SkuId', 'ResourceId', 'ResourceName',
    'RegionId', 'SubAccountId', 'SubAccountName', 'Tags'
] -%}
{#- Mandatory and non-null in FOCUS 1.0, 1.1 and 1.2, and needed to place a charge in a ledger
    (money, currency, period, account, provider, category). Columns that differ between versions
    (ServiceSubcategory is 1.1+) are optional. -#}
{%- set required_columns = [
    'BilledCost', 'BillingAccountId', 'BillingCurrency', 'BillingPeriodStart', 'BillingPeriodEnd',
    'ChargeCategory', 'ChargePeriodStart', 'ChargePeriodEnd', 'ProviderName', 'ServiceCategory'
] -%}
{%- set number_columns = [
    'BilledCost', 'EffectiveCost', 'ListCost', 'ContractedCost', 'ListUnitPrice',
    'ContractedUnitPrice', 'ConsumedQuantity', 'PricingQuantity'
] -%}
{%- set timestamp_columns = ['BillingPeriodStart', 'BillingPeriodEnd', 'ChargePeriodStart', 'ChargePeriodEnd'] -%}
{%- set snake = {} -%}
{%- for column in focus_columns -%}
    {%- do snake.update({column: modules.re.sub('([a-z])([A-Z])', '\\1_\\2', column) | lower}) -%}
{%- endfor -%}
{#- A timestamp string that ends in a zone: Z, UTC, +hh, +hhmm or +hh:mm after the time. -#}
{%- set zone_suffix = '\\d:\\d{2}(:\\d{2}(\\.\\d+)?)?\\s*(z|utc|[+-]\\d{2}(:?\\d{2})?)$' -%}
{#- A value quoted into a reason, cut at 40 characters (`@` stands for the column). -#}
{%- set quoted = "'''' || case when length(@) > 40 then left(@, 40) || '...' else @ end || ''''" %}
with

source as (
    select * from {{ source('focus', 'billing') }}
),

cells as (
    select
        _source_file,
        _file_sha256,
        _record_number,
        _file_modified_at,
        _loaded_at,
        payload,
        {% for column in required_columns %}
            (payload -> '{{ column }}') is not null as has_{{ snake[column] }}_column,
        {% endfor %}
        {% for column in focus_columns %}
            case
                when upper(trim(payload ->> '{{ column }}')) in ('', 'NULL') then null
                else trim(payload ->> '{{ column }}')
            end as {{ snake[column] }}_text,
        {% endfor %}
        -- A delivery is the folder its files sit in: multi-part exports land their parts together.
        regexp_replace(_source_file, '/[^/]*$', '') as delivery_folder
    from source
),

typed as (
    select
        *,
        {% for column in number_columns %}
            try_cast({{ snake[column] }}_text as decimal(38, 16)) as {{ snake[column] }},
        {% endfor %}
        {% for column in timestamp_columns %}
            -- A zone (Z, +hh:mm, UTC) is converted; a string without one is already UTC, whatever
            -- the session time zone.
            case
                when regexp_matches({{ snake[column] }}_text, '{{ zone_suffix }}', 'i')
                    then cast(timezone('UTC', try_cast({{ snake[column] }}_text as timestamptz)) as timestamp)
                else try_cast({{ snake[column] }}_text as timestamp)
            end as {{ snake[column] }}_at,
        {% endfor %}
        upper(billing_currency_text) as billing_currency,
        list_filter(
            ['Usage', 'Purchase', 'Tax', 'Credit', 'Adjustment'],
            lambda allowed: lower(allowed) = lower(charge_category_text)
        )[1] as charge_category,
        case when lower(charge_class_text) = 'correction' then 'Correction' end as charge_class,
        list_filter(
            [
                'AI and Machine Learning', 'Analytics', 'Business Applications', 'Compute', 'Databases',
                'Developer Tools', 'Multicloud', 'Identity', 'Integration', 'Internet of Things',
                'Management and Governance', 'Media', 'Migration', 'Mobile', 'Networking', 'Security',
                'Storage', 'Web', 'Other'
            ],
            lambda allowed: lower(allowed) = lower(service_category_text)
        )[1] as service_category,
        try_cast(tags_text as json) as tags
    from cells
),

checked as (
    select
        *,
        list_filter(
            [
                {% for column in required_columns %}
                    case
                        when not has_{{ snake[column] }}_column then 'required column {{ column }} missing'
                        when {{ snake[column] }}_text is null then '{{ column }} is null'
                    end,
                {% endfor %}
                {% for column in number_columns %}
                    case
                        when {{ snake[column] }}_text is not null and {{ snake[column] }} is null
                            then
                                '{{ column }} is not a number: '
                                || {{ quoted | replace('@', snake[column] ~ '_text') }}
                    end,
                {% endfor %}
                {% for column in timestamp_columns %}
                    case
                        when {{ snake[column] }}_text is not null and {{ snake[column] }}_at is null
                            then
                                '{{ column }} is not a timestamp: '
                                || {{ quoted | replace('@', snake[column] ~ '_text') }}
                    end,
                {% endfor %}
                case
                    when not regexp_full_match(billing_currency_text, '[A-Za-z]{3}')
                        then
                            'BillingCurrency is not an ISO 4217 code: '
                            || {{ quoted | replace('@', 'billing_currency_text') }}
                end,
                case
                    when charge_category_text is not null and charge_category is null
                        then
                            'ChargeCategory is not Usage, Purchase, Tax, Credit or Adjustment: '
                            || {{ quoted | replace('@', 'charge_category_text') }}
                end,
                case
                    when charge_class_text is not null and charge_class is null
                        then
                            'ChargeClass is not Correction: '
                            || {{ quoted | replace('@', 'charge_class_text') }}
                end,
                case
                    when service_category_text is not null and service_category is null
                        then
                            'ServiceCategory is not a FOCUS service category: '
                            || {{ quoted | replace('@', 'service_category_text') }}
                end,
                case
                    when charge_period_end_at < charge_period_start_at
                        then 'ChargePeriodEnd is before ChargePeriodStart'
                end,
                case
                    when tags_text is not null and coalesce(json_type(tags) != 'OBJECT', true)
                        then
                            'Tags is not a JSON object: '
                            || {{ quoted | replace('@', 'tags_text') }}
                end
            ],
            lambda reason: reason is not null
        ) as rejection_reasons
    from typed
),

final as (
    select
        {{ surrogate_key(['_source_file', '_file_sha256', '_record_number']) }} as focus_row_id,
        _source_file,
        _file_sha256,
        _record_number,
        _file_modified_at,
        _loaded_at,
        delivery_folder,
        len(rejection_reasons) = 0 as is_valid,
        rejection_reasons,
        array_to_string(rejection_reasons, '; ') as rejection_reason,
        billing_account_id_text as billing_account_id,
        billing_account_name_text as billing_account_name,
        sub_account_id_text as sub_account_id,
        sub_account_name_text as sub_account_name,
        billing_period_start_at,
        billing_period_end_at,
        charge_period_start_at,
        charge_period_end_at,
        charge_category,
        charge_class,
        charge_description_text as charge_description,
        charge_frequency_text as charge_frequency,
        billed_cost_text,
        billed_cost,
        effective_cost,
        list_cost,
        contracted_cost,
        list_unit_price,
        contracted_unit_price,
        billing_currency,
        provider_name_text as provider_name,
        publisher_name_text as publisher_name,
        invoice_issuer_name_text as invoice_issuer_name,
        service_category_text,
        service_category,
        service_subcategory_text as service_subcategory,
        service_name_text as service_name,
        sku_id_text as sku_id,
        resource_id_text as resource_id,
        resource_name_text as resource_name,
        region_id_text as region_id,
        consumed_quantity,
        consumed_unit_text as consumed_unit,
        pricing_quantity,
        pricing_unit_text as pricing_unit,
        tags_text,
        tags,
        payload
    from checked
)

select * from final
