with

memberships as (
    select * from {{ ref('int_team_memberships') }}
),

final as (
    select
        team_membership_id,
        person_id,
        team,
        valid_from_date,
        valid_until_date,
        is_current
    from memberships
)

select * from final
