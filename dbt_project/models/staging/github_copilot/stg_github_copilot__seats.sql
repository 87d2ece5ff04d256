-- One row per Copilot seat (assignee login), from the newest seats page that lists it. Each
-- landed page is a snapshot taken when it was extracted (`_file_modified_at`), kept as
-- `snapshot_at`. Timestamps arrive with offsets (`-06:00`) and are normalised to UTC.
with

source as (
    select * from {{ source('github_copilot', 'seats') }}
),

seats as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        cast(payload ->> 'total_seats' as bigint) as page_total_seats,
        unnest(cast(payload -> 'seats' as json[])) as seat
    from source
),

renamed as (
    select
        lower(seat -> 'assignee' ->> 'login') as user_login,
        cast(seat -> 'assignee' ->> 'id' as bigint) as user_id,
        seat -> 'assignee' ->> 'type' as assignee_type,
        seat ->> 'plan_type' as plan_type,
        {{ utc_timestamp("seat ->> 'created_at'") }} as created_at,
        {{ utc_timestamp("seat ->> 'updated_at'") }} as updated_at,
        {{ utc_timestamp("seat ->> 'last_activity_at'") }} as last_activity_at,
        seat ->> 'last_activity_editor' as last_activity_editor,
        {{ utc_timestamp("seat ->> 'last_authenticated_at'") }} as last_authenticated_at,
        try_cast(seat ->> 'pending_cancellation_date' as date) as pending_cancellation_date,
        cast(seat -> 'assigning_team' ->> 'id' as bigint) as assigning_team_id,
        seat -> 'assigning_team' ->> 'slug' as assigning_team_slug,
        seat -> 'assigning_team' ->> 'name' as assigning_team_name,
        seat -> 'organization' ->> 'login' as organization_login,
        page_total_seats,
        _file_modified_at as snapshot_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from seats
),

newest_snapshot as (
    select *
    from renamed
    {{ newest_delivery(['user_login']) }}
),

final as (
    select
        {{ surrogate_key(['user_login']) }} as copilot_seat_id,
        user_login,
        user_id,
        assignee_type,
        plan_type,
        created_at,
        updated_at,
        last_activity_at,
        last_activity_editor,
        last_authenticated_at,
        pending_cancellation_date,
        assigning_team_id,
        assigning_team_slug,
        assigning_team_name,
        organization_login,
        page_total_seats,
        snapshot_at,
        cast(snapshot_at as date) as snapshot_date,
        -- A login missing from the newest snapshot has lost its seat since.
        cast(snapshot_at as date) = max(cast(snapshot_at as date)) over () as is_in_latest_snapshot,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_snapshot
)

select * from final
