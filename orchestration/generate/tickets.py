"""Jira tickets and their status history, driven by the PRs that implement or fix them.

Every feature PR implements one Story/Task; escaped bugs link back to that ticket; backlog
tickets and unrelated bugs add the noise a real project has. A ticket's status history follows
its PR (first commit -> In Progress, PR opened -> In Review, merged -> Done) and reopens when
the PR is reverted.
"""

from __future__ import annotations

import datetime as dt

import duckdb

from orchestration.generate.engine import values_sql
from orchestration.generate.text import AREAS, OBJECTS, SYMPTOMS, VERBS, list_sql

# name, id, statusCategory key, statusCategory name, statusCategory id (Jira Cloud defaults)
STATUSES = [
    ("To Do", "10000", "new", "To Do", 2),
    ("In Progress", "3", "indeterminate", "In Progress", 4),
    ("In Review", "10001", "indeterminate", "In Progress", 4),
    ("Done", "10002", "done", "Done", 3),
]
# Transitions triggered by the GitHub integration are made by Jira's automation user.
AUTOMATION_ACCOUNT = "557058:f58131cb-b67d-43c7-b30d-6b58d40bd077"


def build_tickets(con: duckdb.DuckDBPyConnection, start: dt.date, cutoff: str) -> None:
    con.execute(
        "create table statuses(name varchar, id varchar, cat_key varchar, cat_name varchar, "
        f"cat_id int); insert into statuses values {values_sql(STATUSES)};"
        "create table team_leads as select first_team_idx as team_idx, "
        "arg_min(person_id, u('lead', person_id, 0)) as person_id from people group by 1;"
    )
    days = con.execute("select count(*) from days").fetchall()[0][0]
    n_verbs, n_objects, n_areas = len(VERBS), len(OBJECTS), len(AREAS)
    con.execute(
        f"""
        create table ticket_plan as
        with feature as (
            select 'T:' || p.pr_key as ticket_ref, t.jira_key as project,
                   case when u('itype', p.pr_key, 0) < 0.6 then 'Story' else 'Task' end
                       as issuetype,
                   p.first_commit_at - secs(3600 * (1 + 240 * u('t_created', p.pr_key, 0)))
                       as created_at,
                   p.author_pid as assignee_pid,
                   case when u('reporter', p.pr_key, 0) < 0.5 then p.author_pid
                        else l.person_id end as reporter_pid,
                   p.pr_key, null::varchar as orig_ref, null::varchar as link_type,
                   pick('verb', p.pr_key, 0, {n_verbs}) as verb_i,
                   pick('obj', p.pr_key, 0, {n_objects}) as obj_i,
                   pick('area', p.pr_key, 0, {n_areas}) as area_i,
                   null::bigint as symptom_i
            from prs p join teams t using (team_idx) join team_leads l using (team_idx)
            where p.kind = 'feature'
        ), bugs as (
            -- escaped defects, linked to the ticket the buggy PR implemented
            select 'B:' || b.pr_key, f.project, 'Bug', b.bug_created, b.author_pid,
                   l.person_id, null, f.ticket_ref,
                   case when u('link_type', b.pr_key, 0) < 0.7 then 'Problem/Incident'
                        else 'Relates' end,
                   null, f.obj_i, null, pick('symptom', b.pr_key, 0, {len(SYMPTOMS)})
            from bug_seeds b
            join feature f on f.ticket_ref = 'T:' || b.pr_key
            join team_leads l on l.team_idx = b.team_idx
        ), team_sizes as (
            select t.team_idx, t.jira_key, l.person_id as lead,
                   greatest(1, round(0.2 * count(f.ticket_ref)))::int as backlog
            from teams t
            join team_leads l using (team_idx)
            left join prs p on p.team_idx = t.team_idx and p.kind = 'feature'
            left join feature f on f.ticket_ref = 'T:' || p.pr_key
            group by all
        ), backlog as (
            select 'K:' || team_idx || ':' || k, jira_key,
                   case when u('itype', team_idx, k) < 0.5 then 'Story' else 'Task' end,
                   date '{start}' + secs(86400 * {days} * u('k_created', team_idx, k)),
                   case when u('k_assigned', team_idx, k) < 0.5 then lead end, lead,
                   null, null, null,
                   pick('verb', team_idx, k, {n_verbs}), pick('obj', team_idx, k, {n_objects}),
                   pick('area', team_idx, k, {n_areas}), null
            from (select *, unnest(range(backlog)) as k from team_sizes)
        ), noise as (
            -- bugs nobody can tie to a PR
            select 'N:' || k, t.jira_key, 'Bug',
                   date '{start}' + secs(86400 * {days} * u('n_created', k, 0)),
                   l.person_id, l.person_id, null, null, null,
                   null, pick('obj', k, 'noise', {n_objects}), null,
                   pick('symptom', k, 'noise', {len(SYMPTOMS)})
            from range((select greatest(1, round(0.3 * count(*))) from bug_seeds)::bigint) r(k)
            join teams t on t.team_idx = pick('noise_team', k, 0, (select count(*) from teams))
            join team_leads l on l.team_idx = t.team_idx
        )
        select * from feature
        union all select * from bugs
        union all select * from backlog
        union all select * from noise
        """
    )
    symptoms, objects = list_sql(SYMPTOMS), list_sql(OBJECTS)
    verbs, areas = list_sql(VERBS), list_sql(AREAS)
    con.execute(
        f"""
        create table tickets as
        select tp.*,
               project || '-' || (100 + row_number() over (partition by project
                                  order by created_at, ticket_ref)) as key,
               (10000 + row_number() over (order by project, created_at, ticket_ref))::bigint
                   as issue_id,
               case when symptom_i is not null
                    then {symptoms}[symptom_i + 1] || ' in ' || {objects}[obj_i + 1]
                    else {verbs}[verb_i + 1] || ' ' || {objects}[obj_i + 1]
                        || case when {areas}[area_i + 1] = '' then ''
                                else ' ' || {areas}[area_i + 1] end
               end as summary,
               case when issuetype = 'Bug' and u('prio', ticket_ref, 0) < 0.3 then 'Highest'
                    when u('prio', ticket_ref, 0) < 0.2 then 'High'
                    when u('prio', ticket_ref, 0) < 0.85 then 'Medium' else 'Low' end
                   as priority
        from ticket_plan tp
        """
    )
    _build_transitions(con, cutoff)


def _build_transitions(con: duckdb.DuckDBPyConnection, cutoff: str) -> None:
    """Status changes per ticket, each list in time order; only what happened before cutoff."""
    con.execute(
        f"""
        create table ticket_transitions as
        with feature as (
            select tk.ticket_ref, tk.assignee_pid as actor,
                   [
                     {{'ts': greatest(tk.created_at + interval 1 minute, p.first_commit_at
                            - secs(7200 * u('start_lead', p.pr_key, 0))),
                      'f': 'To Do', 't': 'In Progress', 'auto': false}},
                     {{'ts': p.created_at, 'f': 'In Progress', 't': 'In Review', 'auto': true}},
                     case when p.merged_at is not null then
                       {{'ts': p.merged_at + interval 5 minute, 'f': 'In Review', 't': 'Done',
                         'auto': true}}
                     when p.closed_at is not null then
                       {{'ts': p.closed_at + interval 10 minute, 'f': 'In Review',
                         't': 'To Do', 'auto': false}} end,
                     case when r.merged_at is not null then
                       -- the PR was reverted: the ticket is reopened
                       {{'ts': r.merged_at + interval 10 minute, 'f': 'Done', 't': 'In Progress',
                         'auto': false}}
                     when p.merged_at is not null and u('reopen', p.pr_key, 0) < 0.04 then
                       {{'ts': p.merged_at + secs(86400 * (1 + 3 * u('reopen_t', p.pr_key, 0))),
                         'f': 'Done', 't': 'In Progress', 'auto': false}} end,
                     case when r.merged_at is null and p.merged_at is not null
                               and u('reopen', p.pr_key, 0) < 0.04 then
                       {{'ts': p.merged_at + secs(86400 * (2 + 3 * u('reopen_t', p.pr_key, 0))),
                         'f': 'In Progress', 't': 'Done', 'auto': false}} end
                   ] as steps
            from tickets tk
            join prs p on tk.ticket_ref = 'T:' || p.pr_key
            left join prs r on r.orig_pr_key = p.pr_key and r.kind = 'revert'
        ), bug as (
            select tk.ticket_ref, tk.assignee_pid,
                   case when x.pr_key is not null then [
                     {{'ts': x.first_commit_at, 'f': 'To Do', 't': 'In Progress', 'auto': false}},
                     {{'ts': x.created_at, 'f': 'In Progress', 't': 'In Review', 'auto': true}},
                     case when x.merged_at is not null then
                       {{'ts': x.merged_at + interval 5 minute, 'f': 'In Review', 't': 'Done',
                         'auto': true}}
                     when x.closed_at is not null then
                       {{'ts': x.closed_at + interval 10 minute, 'f': 'In Review',
                         't': 'In Progress', 'auto': false}} end
                   ] else [
                     case when u('bug_started', tk.ticket_ref, 0) < 0.5 then
                       {{'ts': tk.created_at + secs(3600 * (2 + 46 * u('bug_s', tk.ticket_ref, 0))),
                         'f': 'To Do', 't': 'In Progress', 'auto': false}} end,
                     case when u('bug_started', tk.ticket_ref, 0) < 0.15 then
                       {{'ts': tk.created_at
                               + secs(3600 * (50 + 48 * u('bug_d', tk.ticket_ref, 0))),
                         'f': 'In Progress', 't': 'Done', 'auto': false}} end
                   ] end as steps
            from tickets tk
            left join prs x on x.kind = 'fix' and tk.ticket_ref = 'B:' || x.bug_ref
            where tk.issuetype = 'Bug'
        ), backlog as (
            select ticket_ref, assignee_pid, [
                     case when u('k_started', ticket_ref, 0) < 0.3 then
                       {{'ts': created_at + secs(86400 * (1 + 4 * u('k_s', ticket_ref, 0))),
                         'f': 'To Do', 't': 'In Progress', 'auto': false}} end
                   ] as steps
            from tickets where ticket_ref like 'K:%'
        ), steps as (
            select ticket_ref, actor, unnest(steps) as s from feature
            union all select ticket_ref, assignee_pid, unnest(steps) from bug
            union all select ticket_ref, assignee_pid, unnest(steps) from backlog
        )
        select ticket_ref, s.ts, s.f as from_status, s.t as to_status,
               case when s.auto then null else actor end as actor_pid,
               row_number() over (partition by ticket_ref order by s.ts) as seq
        from steps
        where s is not null and s.ts < {cutoff}
        """
    )
    con.execute(
        """
        create table ticket_state as
        select tk.ticket_ref,
               coalesce(arg_max(tt.to_status, tt.seq), 'To Do') as status,
               case when arg_max(tt.to_status, tt.seq) = 'Done' then max(tt.ts) end
                   as resolved_at,
               greatest(tk.created_at, coalesce(max(tt.ts), tk.created_at)) as updated_at
        from tickets tk left join ticket_transitions tt using (ticket_ref)
        group by tk.ticket_ref, tk.created_at
        """
    )
