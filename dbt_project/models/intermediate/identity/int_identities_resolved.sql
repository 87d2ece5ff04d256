-- One row per (account system, external id): which person holds that account.
-- Sources that already carry an email match on it directly (system 'email'), as DESIGN says.
with

people as (
    select * from {{ ref('int_people_pseudonymised') }}
),

identities as (
    select * from {{ ref('stg_org__identities') }}
),

declared as (
    select
        identities.account_system,
        identities.external_id,
        people.person_id
    from identities
    inner join people on identities.email = people.email
),

by_email as (
    select
        'email' as account_system,
        email as external_id,
        person_id
    from people
),

unioned as (
    select * from declared
    union all
    select * from by_email
),

final as (
    -- An account claimed by two people is ambiguous: keep it unresolved rather than guess.
    select
        account_system,
        external_id,
        any_value(person_id) as person_id
    from unioned
    group by account_system, external_id
    having count(distinct person_id) = 1
)

select * from final
