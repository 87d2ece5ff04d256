with

people as (
    select * from {{ ref('int_people_pseudonymised') }}
),

memberships as (
    select * from {{ ref('int_team_memberships') }}
),

current_team as (
    select
        person_id,
        arg_max(team, valid_from_date) as current_team,
        min(valid_from_date) as first_team_date,
        count(*) as team_period_count,
        bool_or(is_current) as is_active
    from memberships
    group by person_id
),

final as (
    select
        people.person_id,
        current_team.current_team,
        current_team.first_team_date,
        cast(current_team.team_period_count as integer) as team_period_count,
        coalesce(current_team.is_active, false) as is_active
    from people
    left join current_team on people.person_id = current_team.person_id
)

select * from final
