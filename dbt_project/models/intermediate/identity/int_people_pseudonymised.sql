-- One row per person (email). The person_id is a salted hash, so marts can carry a stable
-- key without carrying the email; the email ↔ id mapping lives only in this restricted schema.
with

people as (
    select * from {{ ref('stg_org__people') }}
),

per_person as (
    select
        email,
        arg_max(person_name, valid_from_date) as person_name,
        min(valid_from_date) as first_valid_from_date
    from people
    group by email
),

final as (
    select
        md5('{{ var("person_id_salt") }}' || ':' || email) as person_id,
        email,
        person_name,
        first_valid_from_date
    from per_person
)

select * from final
