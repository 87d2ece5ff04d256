with

source as (
    select * from {{ source('org', 'identities') }}
),

latest_delivery as (
    select *
    from source
    qualify dense_rank() over (order by _file_modified_at desc, _loaded_at desc, _source_file desc) = 1
),

renamed as (
    select distinct
        lower(trim(payload ->> 'email')) as email,
        lower(trim(payload ->> 'system')) as account_system,
        -- GitHub logins, emails (Cursor) and LiteLLM user ids are matched case-insensitively
        -- (staging lower-cases them too); vendor key and user ids are matched as given.
        case
            when lower(trim(payload ->> 'system')) in ('github', 'cursor', 'litellm_user')
                then lower(trim(payload ->> 'external_id'))
            else trim(payload ->> 'external_id')
        end as external_id
    from latest_delivery
),

final as (
    select * from renamed
    where email is not null and external_id is not null and external_id != ''
)

select * from final
