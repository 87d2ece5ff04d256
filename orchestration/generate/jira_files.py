"""Jira Cloud `search/jql` pages with `expand=changelog`: {issues, nextPageToken, isLast}.

There is no `total` (the enhanced search API dropped it) and the last page has no
nextPageToken. Status changes are in `changelog.histories`; escaped bugs carry an issue link
to the ticket whose PR caused them (and that ticket links back).
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, write_files
from orchestration.generate.tickets import AUTOMATION_ACCOUNT

SITE = "https://acme.atlassian.net"
ISSUES_PER_PAGE = 50
PAGES_PER_QUERY = 200  # render in slices so memory stays flat for big organisations
# Jira Cloud's default link types
LINK_TYPES = {
    "Problem/Incident": ("10004", "is caused by", "causes"),
    "Relates": ("10003", "relates to", "relates to"),
}


def _user(account: str, name: str) -> str:
    return f"""case when {account} is not null then json_object(
        'self', '{SITE}/rest/api/3/user?accountId=' || {account}, 'accountId', {account},
        'displayName', {name}, 'active', true, 'accountType', 'atlassian') end"""


def write_jira(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    con.execute(
        f"""
        create or replace table jira_pages as
        select ticket_ref,
               (row_number() over (order by project, issue_id) - 1) // {ISSUES_PER_PAGE} as page
        from tickets;

        create or replace table jira_transitions as
        select *, row_number() over (order by ticket_ref, seq) as global_seq
        from ticket_transitions;
        """
    )
    last = rows(con, "select max(page) from jira_pages")[0][0]
    query = _pages_query()
    return sum(
        write_files(con, query, out_dir, [first, first + PAGES_PER_QUERY - 1, last])
        for first in range(0, last + 1, PAGES_PER_QUERY)
    )


def _pages_query() -> str:
    link_case = " ".join(
        f"when '{name}' then json_object('id', '{lid}', 'name', '{name}', 'inward', '{inw}', "
        f"'outward', '{out}', 'self', '{SITE}/rest/api/3/issueLinkType/{lid}')"
        for name, (lid, inw, out) in LINK_TYPES.items()
    )
    return f"""
        with people_jira as (
            select person_id, jira_id, name from person_ids
        ), wanted as (
            select ticket_ref from jira_pages where page between $1 and $2
        ), links as (
            -- both ends of every bug -> original link, each seen from its own issue
            select b.ticket_ref as owner, o.ticket_ref as other, b.link_type, 'inwardIssue' as side,
                   b.issue_id as link_seq
            from tickets b join tickets o on o.ticket_ref = b.orig_ref
            where b.ticket_ref in (select ticket_ref from wanted)
            union all
            select o.ticket_ref, b.ticket_ref, b.link_type, 'outwardIssue', b.issue_id
            from tickets b join tickets o on o.ticket_ref = b.orig_ref
            where o.ticket_ref in (select ticket_ref from wanted)
        ), link_json as (
            select l.owner, to_json(list(json_object(
                       'id', (20000 + l.link_seq)::varchar,
                       'type', case l.link_type {link_case} end,
                       l.side, json_object('id', t.issue_id::varchar, 'key', t.key,
                           'self', '{SITE}/rest/api/3/issue/' || t.issue_id,
                           'fields', json_object('summary', t.summary,
                               'status', json_object('name', s.status)))
                   ) order by l.link_seq, l.side)) as issuelinks
            from links l
            join tickets t on t.ticket_ref = l.other
            join ticket_state s on s.ticket_ref = l.other
            group by l.owner
        ), histories as (
            select tt.ticket_ref, to_json(list(json_object(
                       'id', (30000 + tt.global_seq)::varchar,
                       'author', {
        _user(
            f"coalesce(a.jira_id, '{AUTOMATION_ACCOUNT}')",
            "coalesce(a.name, 'Automation for Jira')",
        )
    },
                       'created', jira_ts(tt.ts),
                       'items', [json_object('field', 'status', 'fieldtype', 'jira',
                           'fieldId', 'status', 'from', fs.id, 'fromString', tt.from_status,
                           'to', ts2.id, 'toString', tt.to_status)])
                   order by tt.seq)) as histories,
                   count(*) as n
            from jira_transitions tt
            left join people_jira a on a.person_id = tt.actor_pid
            join statuses fs on fs.name = tt.from_status
            join statuses ts2 on ts2.name = tt.to_status
            where tt.ticket_ref in (select ticket_ref from wanted)
            group by tt.ticket_ref
        ), issues as (
            select tk.project, tk.key, tk.issue_id, jp.page, json_object(
                'expand', 'operations,versionedRepresentations,editmeta,changelog,renderedFields',
                'id', tk.issue_id::varchar,
                'self', '{SITE}/rest/api/3/issue/' || tk.issue_id,
                'key', tk.key,
                'fields', json_object(
                    'summary', tk.summary,
                    'issuetype', json_object('id', case tk.issuetype when 'Bug' then '10004'
                            when 'Story' then '10001' else '10002' end,
                        'name', tk.issuetype, 'subtask', false, 'hierarchyLevel', 0),
                    'status', json_object('name', st.status, 'id', s.id,
                        'statusCategory', json_object('id', s.cat_id, 'key', s.cat_key,
                                                      'name', s.cat_name)),
                    'created', jira_ts(tk.created_at),
                    'updated', jira_ts(st.updated_at),
                    'resolutiondate', jira_ts(st.resolved_at),
                    'assignee', {_user("asg.jira_id", "asg.name")},
                    'reporter', {_user("rep.jira_id", "rep.name")},
                    'priority', json_object('name', tk.priority, 'id',
                        case tk.priority when 'Highest' then '1' when 'High' then '2'
                                         when 'Medium' then '3' else '4' end),
                    'project', json_object('id', (10000 + hash(tk.project) % 1000)::varchar,
                        'key', tk.project, 'name', tm.team,
                        'self', '{SITE}/rest/api/3/project/' || tk.project),
                    'labels', case when tk.issuetype = 'Bug' and tk.orig_ref is not null
                                   then ['escaped-defect'] else []::varchar[] end,
                    'issuelinks', coalesce(lj.issuelinks, '[]'::json)),
                'changelog', json_object('startAt', 0, 'maxResults', coalesce(h.n, 0),
                    'total', coalesce(h.n, 0),
                    'histories', coalesce(h.histories, '[]'::json))) as obj
            from tickets tk
            join jira_pages jp using (ticket_ref)
            join ticket_state st using (ticket_ref)
            join statuses s on s.name = st.status
            join teams tm on tm.jira_key = tk.project
            left join people_jira asg on asg.person_id = tk.assignee_pid
            left join people_jira rep on rep.person_id = tk.reporter_pid
            left join link_json lj on lj.owner = tk.ticket_ref
            left join histories h on h.ticket_ref = tk.ticket_ref
            where jp.page between $1 and $2
        ), pages as (
            select page, to_json(list(obj order by project, issue_id)) as issues,
                   page = $3 as is_last
            from issues group by page
        )
        select 'jira/issues/page_' || lpad((page + 1)::varchar, 3, '0') || '.json',
               case when is_last then json_object('issues', issues, 'isLast', true)
                    else json_object('issues', issues, 'nextPageToken',
                        rtrim(to_base64(encode('jql:' || ((page + 1) * {ISSUES_PER_PAGE}))),
                              '='),
                        'isLast', false) end::varchar
        from pages order by page
    """
