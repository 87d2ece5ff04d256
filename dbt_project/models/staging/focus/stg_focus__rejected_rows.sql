-- One row per delivered FOCUS row that failed validation, with every reason it failed
-- (base_focus__billing_rows holds the checks). It covers every delivery, superseded or not: it
-- is the audit of what providers sent, and billed_cost_text shows the money that did not load.
with

billing_rows as (
    select * from {{ ref('base_focus__billing_rows') }}
),

final as (
    select
        focus_row_id as focus_rejected_row_id,
        _source_file,
        _record_number,
        _file_sha256,
        _file_modified_at,
        _loaded_at,
        rejection_reasons,
        rejection_reason,
        billed_cost_text,
        billing_currency,
        provider_name,
        billing_account_id,
        service_category_text,
        charge_period_start_at,
        payload
    from billing_rows
    where not is_valid
)

select * from final
