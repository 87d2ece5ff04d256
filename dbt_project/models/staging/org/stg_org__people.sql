with

source as (
    select * from {{ source('org', 'people') }}
),

-- The newest delivery of org/people.csv is the truth: a re-exported file replaces the last one.
latest_delivery as (
    select *
    from source
    qualify dense_rank() over (order by _file_modified_at desc, _loaded_at desc, _source_file desc) = 1
),

renamed as (
    select
        cast(payload ->> 'valid_from' as date) as valid_from_date,
        cast(nullif(trim(payload ->> 'valid_to'), '') as date) as valid_to_date,
        _source_file,
        lower(trim(payload ->> 'email')) as email,
        trim(payload ->> 'name') as person_name,
        trim(payload ->> 'team') as team
    from latest_delivery
),

final as (
    select * from renamed
    where email is not null and email != ''
)

select * from final
