"""Pull requests as the engineering outcome: lifecycles, follow-ups (reverts, bug fixes), commits,
reviews and changed files.

Lifecycles are drawn per PR (first commit -> opened -> first review -> merged/closed) and then
cut at the extraction moment (`cutoff`, the end of end_date): anything planned after it has not
happened yet, so such PRs stay open. Follow-ups are derived from merged PRs in a second pass.
"""

from __future__ import annotations

import duckdb

from orchestration.generate.engine import scalar, values_sql
from orchestration.generate.text import (
    CLAUDE_VARIANTS,
    CURSOR_VARIANT,
    FOLLOW_UP_COMMITS,
    list_sql,
)
from orchestration.generate.tools import CURSOR_PR_SHARE, CURSOR_TRAILER_SHARE

REPOS = [
    ("acme/api", 612345001, "Python", "Public and internal HTTP APIs"),
    ("acme/web", 612345002, "TypeScript", "Customer web app"),
    ("acme/mobile", 612345003, "Kotlin", "iOS and Android apps"),
    ("acme/data-pipelines", 612345004, "Python", "Batch and streaming data pipelines"),
]
FILE_TREES = {
    "acme/api": (
        ["app/payments", "app/search", "app/auth", "app/billing", "app/webhooks", "app/core"],
        ".py",
    ),
    "acme/web": (
        ["src/checkout", "src/search", "src/account", "src/components", "src/lib"],
        ".tsx",
    ),
    "acme/mobile": (
        ["app/src/main/kotlin/com/acme/cart", "app/src/main/kotlin/com/acme/push", "ios/Acme"],
        ".kt",
    ),
    "acme/data-pipelines": (["pipelines/ingest", "pipelines/rollups", "dbt/models"], ".py"),
}
MODULES = ["handler", "service", "models", "client", "utils", "validators", "routes", "schema"]


def build_repos(con: duckdb.DuckDBPyConnection) -> None:
    files = []
    for repo, (dirs, ext) in FILE_TREES.items():
        paths = [f"{d}/{m}{ext}" for d in dirs for m in MODULES]
        paths += [f"tests/test_{m}{ext}" for m in MODULES] + ["README.md", "CHANGELOG.md"]
        files += [(repo, i, path) for i, path in enumerate(paths)]
    con.execute(
        "create table repos(repo varchar, repo_id bigint, language varchar, description varchar);"
        f"insert into repos values {values_sql(REPOS)};"
        "create table repo_files(repo varchar, file_idx int, filename varchar);"
        f"insert into repo_files values {values_sql(files)};"
        "create table repo_list as select list(repo order by repo) as repos, count(*) as n "
        "from repos;"
        "create table repo_file_counts as select repo, count(*) as n from repo_files group by repo;"
    )


_START_COLUMNS = """pr_key, kind, repo, author_pid, agent, assigner_pid, team_idx, orig_pr_key,
    bug_ref, first_commit_at, code_h, pickup_h, review_h, close_h, outcome"""


def _timeline(source: str, cutoff: str) -> str:
    """Planned lifecycle -> what has happened by `cutoff`. PRs not yet opened are dropped."""
    return f"""
        with planned as (
            select {_START_COLUMNS},
                   first_commit_at + secs(3600 * code_h) as created_at,
                   first_commit_at + secs(3600 * (code_h + pickup_h)) as review_plan,
                   first_commit_at + secs(3600 * (code_h + pickup_h + review_h)) as merge_plan,
                   first_commit_at + secs(3600 * (code_h + close_h)) as close_plan
            from {source}
        ), settled as (
            select *,
                   case when outcome = 'merged' and merge_plan < {cutoff} then merge_plan
                   end as merged_at
            from planned where created_at < {cutoff}
        ), closed as (
            select *,
                   case when merged_at is not null then merged_at
                        when outcome = 'closed' and close_plan < {cutoff} then close_plan
                   end as closed_at
            from settled
        )
        select {_START_COLUMNS}, created_at, merged_at, closed_at,
               case when review_plan < coalesce(closed_at, {cutoff}) then review_plan
               end as first_review_at
        from closed
    """


def build_pull_requests(con: duckdb.DuckDBPyConnection, cutoff: str) -> None:
    """All PRs with their lifecycle and per-repo numbers (table `prs`), plus `bug_seeds`."""
    # Human feature work: a PR starts on some workdays; ai-lab starts far fewer.
    con.execute(
        """
        create table feature_starts as
        select 'f:' || td.person_id || ':' || td.day_idx as pr_key, 'feature' as kind,
               case when u('pr_repo', td.person_id, td.day_idx) < 0.85 then t.repo
                    else rl.repos[pick('pr_repo_alt', td.person_id, td.day_idx, rl.n) + 1]
               end as repo,
               td.person_id as author_pid, null::varchar as agent, null::bigint as assigner_pid,
               td.team_idx, null::varchar as orig_pr_key, null::varchar as bug_ref,
               td.d + interval 9 hour
                   + secs(3600 * 8 * u('pr_t0', td.person_id, td.day_idx)) as first_commit_at,
               -- coding before the PR is opened: an hour to a day and a half
               1 + 36 * pow(u('code_h', td.person_id, td.day_idx), 2) as code_h,
               0.2 + 18 * pow(u('pickup_h', td.person_id, td.day_idx), 2) as pickup_h,
               2 + 70 * pow(u('review_h', td.person_id, td.day_idx), 2) as review_h,
               2 + 120 * u('close_h', td.person_id, td.day_idx) as close_h,
               case when u('outcome', td.person_id, td.day_idx)
                        < case when p.is_ai_lab then 0.60 else 0.73 end then 'merged'
                    when u('outcome', td.person_id, td.day_idx)
                        < case when p.is_ai_lab then 0.88 else 0.91 end then 'closed'
                    else 'open' end as outcome
        from team_days td
        join days dd on dd.d = td.d
        join people p on p.person_id = td.person_id
        join teams t on t.team_idx = td.team_idx
        cross join repo_list rl
        where not dd.weekend
          and u('pr_start', td.person_id, td.day_idx)
              < case when p.is_ai_lab then 0.12 else 0.40 * p.productivity end
        """
    )
    features = scalar(con, "select count(*) from feature_starts")
    agents = max(3, round(0.045 * features))
    people = scalar(con, "select count(*) from people")
    days = scalar(con, "select count(*) from days")
    # Coding agents (Copilot, Devin) open PRs on behalf of a human who assigned the work.
    con.execute(
        f"""
        create table agent_starts as
        with planned as (
            select k, case when k % 3 = 2 then 'devin' else 'copilot' end as agent,
                   1 + pick('agent_who', k, 0, {people}) as assigner_pid,
                   pick('agent_day', k, 0, {days}) as day_idx
            from range({agents}) r(k)
        )
        select 'a:' || k as pr_key, 'agent' as kind, t.repo, null::bigint as author_pid, agent,
               assigner_pid, td.team_idx, null::varchar as orig_pr_key, null::varchar as bug_ref,
               td.d + interval 10 hour + secs(3600 * 7 * u('agent_t0', k, 0)) as first_commit_at,
               0.1 + 1.5 * u('code_h', k, 'agent') as code_h,
               1 + 24 * pow(u('pickup_h', k, 'agent'), 2) as pickup_h,
               1 + 48 * pow(u('review_h', k, 'agent'), 2) as review_h,
               4 + 96 * u('close_h', k, 'agent') as close_h,
               case when u('outcome', k, 'agent') < 0.7 then 'merged'
                    when u('outcome', k, 'agent') < 0.9 then 'closed' else 'open' end as outcome
        from planned
        join team_days td on td.person_id = planned.assigner_pid and td.day_idx = planned.day_idx
        join teams t on t.team_idx = td.team_idx
        """
    )
    con.execute(
        f"""
        create table prs_first as
        {
            _timeline(
                "(select * from feature_starts union all by name select * from agent_starts)",
                cutoff,
            )
        }
        """
    )
    merged = scalar(
        con, "select count(*) from prs_first where kind = 'feature' and merged_at is not null"
    )
    _plan_follow_ups(con, cutoff, merged)
    con.execute(
        f"""
        create table prs as
        with follow_ups as ({_timeline("follow_up_starts", cutoff)}),
        reverts as (
            -- a revert only counts if it merged within 21 days of the original's merge
            select f.* from follow_ups f join prs_first o on o.pr_key = f.orig_pr_key
            where f.kind = 'revert' and f.merged_at is not null
              and f.merged_at <= o.merged_at + interval 21 day
            qualify row_number() over (order by u('revert', f.orig_pr_key, 0))
                <= greatest(1, round({merged} * 0.035))
        ),
        everything as (
            select * from prs_first
            union all by name select * from reverts
            union all by name select * from follow_ups where kind = 'fix'
        )
        select *,
               (200 + pick('pr_base', repo, 0, 800)
                 + row_number() over (partition by repo order by created_at, pr_key))::bigint
                 as number,
               case when closed_at is not null then 'closed' else 'open' end as state
        from everything
        """
    )


def _plan_follow_ups(con: duckdb.DuckDBPyConnection, cutoff: str, merged: int) -> None:
    """Reverts and escaped bugs (with optional fix PRs) on top of merged feature PRs."""
    con.execute(
        f"""
        create table bug_seeds as
        with candidates as (
            select pr_key, repo, author_pid, team_idx, merged_at,
                   merged_at + secs(3600 * (6 + 714 * u('bug_t', pr_key, 0))) as bug_created
            from prs_first where kind = 'feature' and merged_at is not null
        )
        select * from candidates where bug_created < {cutoff}
        qualify row_number() over (order by u('bug', pr_key, 0))
            <= greatest(2, round({merged} * 0.08));

        create table follow_up_starts as
        select 'r:' || pr_key as pr_key, 'revert' as kind, repo, author_pid,
               null::varchar as agent, null::bigint as assigner_pid, team_idx,
               pr_key as orig_pr_key, null::varchar as bug_ref,
               merged_at + secs(3600 * (2 + 166 * u('rv_t0', pr_key, 0))) as first_commit_at,
               0.05 + 0.2 * u('code_h', pr_key, 'rv') as code_h,
               0.1 + 3 * u('pickup_h', pr_key, 'rv') as pickup_h,
               0.1 + 12 * u('review_h', pr_key, 'rv') as review_h,
               1.0 as close_h, 'merged' as outcome
        from prs_first
        where kind = 'feature' and merged_at is not null
          and merged_at < {cutoff} - interval 1 day
          and u('revert_candidate', pr_key, 0) < 0.15
        union all
        select 'x:' || pr_key, 'fix', repo, author_pid, null, null, team_idx, null, pr_key,
               bug_created + secs(3600 * (2 + 28 * u('fix_t0', pr_key, 0))),
               0.3 + 8 * pow(u('code_h', pr_key, 'fix'), 2),
               0.2 + 10 * pow(u('pickup_h', pr_key, 'fix'), 2),
               0.5 + 30 * pow(u('review_h', pr_key, 'fix'), 2),
               2 + 48 * u('close_h', pr_key, 'fix'),
               case when u('outcome', pr_key, 'fix') < 0.85 then 'merged'
                    when u('outcome', pr_key, 'fix') < 0.93 then 'closed' else 'open' end
        from bug_seeds where u('fix', pr_key, 0) < 0.65;
        """
    )


def build_pr_details(con: duckdb.DuckDBPyConnection, cutoff: str) -> None:
    """Titles, branches, commits (with planted AI trailers), reviews and files per PR.

    Needs `tickets` (PR titles and branches name the Jira key they implement).
    """
    follow = list_sql(FOLLOW_UP_COMMITS)
    topics = list_sql(["retry", "cache", "auth", "export", "search", "upload"])
    con.execute(
        f"""
        create table pr_text as
        with base as (
            select p.*, tk.key as ticket_key, tk.summary,
                   bk.key as bug_key, bk.summary as bug_summary
            from prs p
            left join tickets tk on tk.ticket_ref = 'T:' || p.pr_key
            left join tickets bk on bk.ticket_ref = 'B:' || p.bug_ref
        ), titled as (
            select *,
                   case kind
                       when 'feature' then ticket_key || ': ' || summary
                       when 'fix' then bug_key || ': Fix ' || lower(bug_summary)
                       when 'agent' then case agent when 'copilot' then 'Fix flaky '
                                                     else 'Clean up ' end
                           || {topics}[pick('agent_topic', pr_key, 0, 6) + 1]
                           || case agent when 'copilot' then ' test' else ' module' end
                   end as own_title
            from base
        ), slugged as (
            select *, trim(left(regexp_replace(lower(coalesce(summary, bug_summary, own_title)),
                                             '[^a-z0-9]+', '-', 'g'), 40), '-') as slug
            from titled
        )
        select s.pr_key,
               coalesce(s.own_title, 'Revert "' || o.own_title || '"') as title,
               case s.kind
                   when 'feature' then 'feature/' || s.ticket_key || '-' || s.slug
                   when 'fix' then 'bugfix/' || s.bug_key || '-' || s.slug
                   when 'revert' then 'revert-' || o.number || '-feature/' || o.ticket_key
                       || '-' || o.slug
                   when 'agent' then case s.agent when 'copilot' then 'copilot/' || s.slug
                       else 'devin/' || epoch(s.first_commit_at)::bigint || '-' || s.slug end
               end as head_ref,
               case s.kind
                   when 'feature' then 'Implements ' || s.ticket_key || '.'
                   when 'fix' then 'Fixes ' || s.bug_key || '.'
                   when 'revert' then 'Reverts ' || s.repo || '#' || o.number
                   else 'Automated change requested by a teammate.'
               end as body,
               o.number as orig_number, o.pr_key as orig_key
        from slugged s left join slugged o on o.pr_key = s.orig_pr_key
        """
    )
    # Which human PRs carry an AI marker: Claude Code users often; Cursor users' PRs that used
    # Cursor only sometimes (Cursor's AI-code commits name the rest, see tools.build_cursor).
    con.execute(
        f"""
        create table cursor_prs as
        select p.pr_key from prs p join tool_people t on t.person_id = p.author_pid
        where t.cursor_user and p.kind in ('feature', 'fix')
          and u('cursor_used', p.pr_key, 0) < {CURSOR_PR_SHARE};

        create table pr_markers as
        select p.pr_key,
               case when pp.cc_user and u('ai_pr', p.pr_key, 0) < 0.45
                        then pick('ai_variant', p.pr_key, 0, {CLAUDE_VARIANTS})
                    when c.pr_key is not null
                         and u('cursor_pr', p.pr_key, 0) < {CURSOR_TRAILER_SHARE}
                        then {CURSOR_VARIANT}
               end as variant
        from prs p join people pp on pp.person_id = p.author_pid
        left join cursor_prs c on c.pr_key = p.pr_key
        where p.kind in ('feature', 'fix')
        """
    )
    con.execute(
        f"""
        create table pr_commits as
        with shape as (
            select p.*, t.title, m.variant, o.merge_sha as orig_merge_sha,
                   case p.kind when 'revert' then 1 when 'agent' then 2 + pick('n_commits',
                       p.pr_key, 0, 3) else 1 + pick('n_commits', p.pr_key, 0, 5) end as n,
                   coalesce(p.closed_at, least({cutoff} - interval 1 minute,
                            p.created_at + interval 3 day)) as window_end
            from prs p
            join pr_text t using (pr_key)
            left join pr_markers m using (pr_key)
            left join (select pr_key, hex('merge:' || pr_key, 40) as merge_sha from prs) o
                on o.pr_key = p.orig_pr_key
        ), spread as (
            select *, unnest(range(n)) as i from shape
        ), timed as (
            select *,
                   case when i = 0 then first_commit_at
                        else first_commit_at + secs(u('commit_t', pr_key, i) * greatest(0,
                            epoch(window_end - interval 1 minute) - epoch(first_commit_at)))
                   end as ts
            from spread
        )
        select pr_key, row_number() over (partition by pr_key order by ts, i) as commit_no,
               hex('commit:' || pr_key || ':' || i, 40) as sha, ts, kind, agent,
               author_pid, assigner_pid,
               case
                   when kind = 'revert' then title || chr(10) || chr(10)
                       || 'This reverts commit ' || orig_merge_sha || '.'
                   when kind = 'agent' and agent = 'copilot' and i = 0 then 'Initial plan'
                   when i = 0 then title
                   else {follow}[pick('follow', pr_key, i, {len(FOLLOW_UP_COMMITS)}) + 1]
               end as subject,
               case when variant is not null and (i = 0 or u('marker_commit', pr_key, i) < 0.5)
                    then variant end as variant,
               case when variant is null and kind = 'feature'
                         and u('pair_trailer', pr_key, i) < 0.04 then 'pair'
                    when variant is null and kind = 'feature' and i = 0
                         and u('claude_md', pr_key, 0) < 0.03 then 'claude_md'
               end as decoy
        from timed
        """
    )
    _finish_commit_messages(con)
    _build_reviews(con)
    _build_files(con)


def _finish_commit_messages(con: duckdb.DuckDBPyConnection) -> None:
    """Message text and commit authors: humans, or the agent with its human as co-author."""
    con.execute(
        """
        create table commits as
        select c.pr_key, c.commit_no, c.sha, c.ts, c.variant,
               case
                   when c.kind = 'agent' then c.subject || chr(10) || chr(10)
                       || case c.agent when 'copilot' then 'Co-authored-by: '
                          else 'Co-Authored-By: ' end || h.name || ' <' || h.email || '>'
                   when c.decoy = 'claude_md' then c.subject || chr(10) || chr(10)
                       || 'Also update CLAUDE.md with the new test conventions.'
                   when c.decoy = 'pair' then c.subject || chr(10) || chr(10)
                       || 'Co-authored-by: ' || pa.name || ' <' || pa.email || '>'
                   else c.subject || coalesce(m.trailer, '')
               end as message,
               coalesce(ag.commit_name, a.name) as author_name,
               coalesce(ag.commit_email, a.email) as author_email,
               coalesce(ag.login, a.login) as author_login,
               coalesce(ag.id, a.github_id) as author_id,
               case when c.agent is null then 'User' else 'Bot' end as author_type,
               c.author_pid, h.person_id as coauthor_pid
        from pr_commits c
        left join person_ids a on a.person_id = c.author_pid
        left join agent_accounts ag on ag.agent = c.agent
        left join person_ids h on h.person_id = c.assigner_pid
        left join ai_markers m on m.variant = c.variant
        -- a teammate-ish human for pairing trailers (a decoy: not an AI marker)
        left join person_ids pa on c.decoy = 'pair'
            and pa.person_id = 1 + (c.author_pid % (select count(*) from people))
        """
    )


def _build_reviews(con: duckdb.DuckDBPyConnection) -> None:
    """Reviews by teammates (never the author); agent PRs are reviewed by their assigner."""
    con.execute(
        """
        create table reviewer_pool as
        select p.pr_key, td.person_id as reviewer_pid,
               row_number() over (partition by p.pr_key
                                  order by u('reviewer', p.pr_key, td.person_id)) as rnk
        from prs p
        join team_days td on td.team_idx = p.team_idx and td.d = p.created_at::date
        where td.person_id is distinct from p.author_pid
          and td.person_id is distinct from p.assigner_pid
          and p.kind <> 'agent';

        create table pr_reviews as
        with first_review as (
            select p.pr_key, p.first_review_at, p.merged_at,
                   coalesce(p.assigner_pid, r.reviewer_pid) as reviewer_pid,
                   case when u('review_state', p.pr_key, 0) < 0.22 then 'CHANGES_REQUESTED'
                        when u('review_state', p.pr_key, 0) < 0.32 then 'COMMENTED'
                        else 'APPROVED' end as state
            from prs p
            left join reviewer_pool r on r.pr_key = p.pr_key and r.rnk = 1
            where p.first_review_at is not null
        ), all_reviews as (
            select pr_key, 1 as n, reviewer_pid, state, first_review_at as ts from first_review
            union all
            -- a merged PR whose first review did not approve gets an approval before merge
            select pr_key, 2, reviewer_pid, 'APPROVED',
                   first_review_at + secs(0.8 * (epoch(merged_at) - epoch(first_review_at)))
            from first_review where state <> 'APPROVED' and merged_at is not null
            union all
            -- sometimes a second teammate leaves a comment shortly after the first review
            select f.pr_key, 3, r.reviewer_pid, 'COMMENTED',
                   f.first_review_at + secs(60 + 3000 * u('second_review', f.pr_key, 0))
            from first_review f
            join reviewer_pool r on r.pr_key = f.pr_key and r.rnk = 2
            where u('second_reviewer', f.pr_key, 0) < 0.25
              and (f.merged_at is null or f.first_review_at + secs(60 + 3000
                   * u('second_review', f.pr_key, 0)) < f.merged_at)
        )
        select a.pr_key, a.n, a.reviewer_pid, a.state, a.ts,
               (900000000 + row_number() over (order by a.ts, a.pr_key, a.n))::bigint as review_id,
               (select arg_max(c.sha, c.ts) from commits c
                where c.pr_key = a.pr_key and c.ts <= a.ts) as commit_id
        from all_reviews a
        where a.reviewer_pid is not null
        """
    )


def _build_files(con: duckdb.DuckDBPyConnection) -> None:
    """Changed files. Reverts touch exactly the original's files; a fix PR touches at least one
    file of the PR that introduced its bug (that overlap is what defines rework)."""
    con.execute(
        """
        create table pr_files as
        with own as (
            select p.pr_key, p.kind, p.repo, p.bug_ref, p.orig_pr_key,
                   unnest(range(1 + pick('n_files', p.pr_key, 0, 6))) as i
            from prs p where p.kind <> 'revert'
        ), picked as (
            select o.pr_key, o.i, f.filename
            from own o
            join repo_file_counts rc on rc.repo = o.repo
            join repo_files f on f.repo = o.repo
                and f.file_idx = pick('file', o.pr_key, o.i, rc.n)
        ), originals as (
            -- fix PRs always change the original PR's first file
            select x.pr_key, -1 as i, min_by(pk.filename, pk.i) as filename
            from prs x join picked pk on pk.pr_key = x.bug_ref
            where x.kind = 'fix'
            group by x.pr_key
        ), combined as (
            select * from picked union all select * from originals
        ), deduped as (
            select pr_key, filename, min(i) as i from combined group by all
        ), own_files as (
            select pr_key, filename, i,
                   case when u('file_status', pr_key, filename) < 0.1 then 'added'
                        else 'modified' end as status,
                   1 + pick('adds', pr_key, filename, 120) as additions,
                   pick('dels', pr_key, filename, 60) as deletions
            from deduped
        )
        select pr_key, filename, i, status, additions,
               case when status = 'added' then 0 else deletions end as deletions
        from own_files
        union all
        -- a revert undoes the original: same files, additions and deletions swapped
        select r.pr_key, f.filename, f.i,
               case when f.status = 'added' then 'removed' else 'modified' end,
               case when f.status = 'added' then 0 else f.deletions end,
               f.additions
        from prs r join own_files f on f.pr_key = r.orig_pr_key
        where r.kind = 'revert'
        """
    )
