-- One row per Jira issue key, from `search/jql` pages; the newest delivery of each issue wins.
-- Timestamps arrive as `2021-01-17T12:34:00.000+0000` and are stored as UTC.
with

source as (
    select * from {{ source('jira', 'issues') }}
),

issues as (
    select
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at,
        unnest(cast(payload -> 'issues' as json[])) as issue
    from source
),

renamed as (
    select
        issue ->> 'id' as issue_id,
        issue ->> 'key' as issue_key,
        issue -> 'fields' -> 'project' ->> 'key' as project_key,
        issue -> 'fields' -> 'issuetype' ->> 'name' as issue_type,
        coalesce(cast(issue -> 'fields' -> 'issuetype' ->> 'subtask' as boolean), false)
            as is_subtask,
        issue -> 'fields' ->> 'summary' as title,
        issue -> 'fields' -> 'status' ->> 'id' as status_id,
        issue -> 'fields' -> 'status' ->> 'name' as status_name,
        -- Jira's fixed categories: new, indeterminate (in progress) or done.
        issue -> 'fields' -> 'status' -> 'statusCategory' ->> 'key' as status_category,
        issue -> 'fields' -> 'priority' ->> 'name' as priority_name,
        issue -> 'fields' -> 'resolution' ->> 'name' as resolution_name,
        issue -> 'fields' -> 'assignee' ->> 'accountId' as assignee_account_id,
        -- Often hidden by Jira privacy settings; accountId is the key that is always there.
        lower(issue -> 'fields' -> 'assignee' ->> 'emailAddress') as assignee_email,
        issue -> 'fields' -> 'reporter' ->> 'accountId' as reporter_account_id,
        issue -> 'fields' -> 'parent' ->> 'key' as parent_issue_key,
        array_to_string(issue -> 'fields' ->> '$.labels[*]', ',') as label_names,
        {{ utc_timestamp("issue -> 'fields' ->> 'created'") }} as created_at,
        {{ utc_timestamp("issue -> 'fields' ->> 'updated'") }} as updated_at,
        {{ utc_timestamp("issue -> 'fields' ->> 'resolutiondate'") }} as resolved_at,
        _source_file,
        _record_number,
        _file_modified_at,
        _loaded_at
    from issues
),

newest_delivery as (
    select *
    from renamed
    qualify row_number() over (
        partition by issue_key
        order by
            _file_modified_at desc,
            _loaded_at desc,
            updated_at desc nulls last,
            _source_file desc,
            _record_number desc
    ) = 1
),

final as (
    select
        issue_key,
        issue_id,
        project_key,
        issue_type,
        lower(issue_type) in (
            {%- for issue_type in var('jira_bug_issue_types', ['Bug', 'Defect']) %}
                '{{ issue_type | lower }}'{{ ',' if not loop.last }}
            {%- endfor %}
        ) as is_bug,
        is_subtask,
        title,
        status_id,
        status_name,
        status_category,
        priority_name,
        resolution_name,
        assignee_account_id,
        assignee_email,
        reporter_account_id,
        parent_issue_key,
        label_names,
        created_at,
        updated_at,
        resolved_at,
        _source_file,
        _file_modified_at,
        _loaded_at
    from newest_delivery
)

select * from final
