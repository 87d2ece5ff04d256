-- One row per person per team period, half-open [valid_from_date, valid_until_date).
-- people.csv's valid_to is read as the last day in the team (inclusive), except that a
-- following period for the same person always starts the next one, so periods never overlap
-- or leave a gap whichever convention the file used.
with

people as (
    select * from {{ ref('stg_org__people') }}
),

ids as (
    select * from {{ ref('int_people_pseudonymised') }}
),

final as (
    select
        {{ surrogate_key(['ids.person_id', 'people.team', 'people.valid_from_date']) }} as team_membership_id,
        ids.person_id,
        people.team,
        people.valid_from_date,
        cast(coalesce(
            lead(people.valid_from_date) over (
                partition by ids.person_id order by people.valid_from_date
            ),
            {{ dbt.dateadd('day', 1, 'people.valid_to_date') }}
        ) as date) as valid_until_date,
        people.valid_to_date is null as is_current
    from people
    inner join ids on people.email = ids.email
)

select * from final
