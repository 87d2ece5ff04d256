"""GitHub REST pages: pulls (pull-request-simple, 100 per page, newest first) and, per PR, its
commits, reviews and files. Field sets follow the OpenAPI examples in vendor_examples/.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import duckdb

from orchestration.generate.engine import rows, write_files
from orchestration.generate.pulls import REPOS

PULLS_PER_PAGE = 100
PRS_PER_QUERY = 2000  # render in slices so memory stays flat for big organisations
API = "https://api.github.com"
WEB = "https://github.com"
ORG_LOGIN, ORG_ID = "acme", 98765432

_USER_MACRO = f"""
create or replace macro gh_user(login, uid, kind) as json_object(
    'login', login, 'id', uid,
    'node_id', case kind when 'Bot' then 'BOT_kgDO' else 'U_kgDO' end || alnum('node:' || uid, 8),
    'avatar_url', 'https://avatars.githubusercontent.com/u/' || uid || '?v=4',
    'gravatar_id', '', 'url', '{API}/users/' || login, 'html_url', '{WEB}/' || login,
    'followers_url', '{API}/users/' || login || '/followers',
    'following_url', '{API}/users/' || login || '/following{{/other_user}}',
    'gists_url', '{API}/users/' || login || '/gists{{/gist_id}}',
    'starred_url', '{API}/users/' || login || '/starred{{/owner}}{{/repo}}',
    'subscriptions_url', '{API}/users/' || login || '/subscriptions',
    'organizations_url', '{API}/users/' || login || '/orgs',
    'repos_url', '{API}/users/' || login || '/repos',
    'events_url', '{API}/users/' || login || '/events{{/privacy}}',
    'received_events_url', '{API}/users/' || login || '/received_events',
    'type', kind, 'site_admin', false)
"""


def _repo_object(full_name: str, repo_id: int, language: str, description: str) -> dict[str, Any]:
    """The repository object GitHub embeds in head.repo / base.repo (same keys, same order)."""
    u = f"{API}/repos/{full_name}"
    owner_url = f"{API}/users/{ORG_LOGIN}"
    owner = {
        "login": ORG_LOGIN, "id": ORG_ID, "node_id": "O_kgDOBd4L0A",
        "avatar_url": f"https://avatars.githubusercontent.com/u/{ORG_ID}?v=4", "gravatar_id": "",
        "url": owner_url, "html_url": f"{WEB}/{ORG_LOGIN}",
        "followers_url": f"{owner_url}/followers",
        "following_url": f"{owner_url}/following{{/other_user}}",
        "gists_url": f"{owner_url}/gists{{/gist_id}}",
        "starred_url": f"{owner_url}/starred{{/owner}}{{/repo}}",
        "subscriptions_url": f"{owner_url}/subscriptions", "organizations_url": f"{owner_url}/orgs",
        "repos_url": f"{owner_url}/repos", "events_url": f"{owner_url}/events{{/privacy}}",
        "received_events_url": f"{owner_url}/received_events", "type": "Organization",
        "site_admin": False,
    }  # fmt: skip
    return {
        "id": repo_id, "node_id": f"R_kgDOJ{repo_id}", "name": full_name.split("/")[1],
        "full_name": full_name, "owner": owner, "private": True,
        "html_url": f"{WEB}/{full_name}", "description": description, "fork": False, "url": u,
        "archive_url": f"{u}/{{archive_format}}{{/ref}}",
        "assignees_url": f"{u}/assignees{{/user}}",
        "blobs_url": f"{u}/git/blobs{{/sha}}", "branches_url": f"{u}/branches{{/branch}}",
        "collaborators_url": f"{u}/collaborators{{/collaborator}}",
        "comments_url": f"{u}/comments{{/number}}", "commits_url": f"{u}/commits{{/sha}}",
        "compare_url": f"{u}/compare/{{base}}...{{head}}",
        "contents_url": f"{u}/contents/{{+path}}",
        "contributors_url": f"{u}/contributors", "deployments_url": f"{u}/deployments",
        "downloads_url": f"{u}/downloads", "events_url": f"{u}/events", "forks_url": f"{u}/forks",
        "git_commits_url": f"{u}/git/commits{{/sha}}", "git_refs_url": f"{u}/git/refs{{/sha}}",
        "git_tags_url": f"{u}/git/tags{{/sha}}", "git_url": f"git://github.com/{full_name}.git",
        "issue_comment_url": f"{u}/issues/comments{{/number}}",
        "issue_events_url": f"{u}/issues/events{{/number}}", "issues_url": f"{u}/issues{{/number}}",
        "keys_url": f"{u}/keys{{/key_id}}", "labels_url": f"{u}/labels{{/name}}",
        "languages_url": f"{u}/languages", "merges_url": f"{u}/merges",
        "milestones_url": f"{u}/milestones{{/number}}",
        "notifications_url": f"{u}/notifications{{?since,all,participating}}",
        "pulls_url": f"{u}/pulls{{/number}}", "releases_url": f"{u}/releases{{/id}}",
        "ssh_url": f"git@github.com:{full_name}.git", "stargazers_url": f"{u}/stargazers",
        "statuses_url": f"{u}/statuses/{{sha}}", "subscribers_url": f"{u}/subscribers",
        "subscription_url": f"{u}/subscription", "tags_url": f"{u}/tags", "teams_url": f"{u}/teams",
        "trees_url": f"{u}/git/trees{{/sha}}", "clone_url": f"{WEB}/{full_name}.git",
        "mirror_url": None, "hooks_url": f"{u}/hooks", "svn_url": f"{WEB}/{full_name}",
        "homepage": None, "language": language, "forks_count": 0, "stargazers_count": 12,
        "watchers_count": 12, "size": 48213, "default_branch": "main", "open_issues_count": 31,
        "is_template": False, "topics": [], "has_issues": True, "has_projects": True,
        "has_wiki": False, "has_pages": False, "has_downloads": True, "archived": False,
        "disabled": False, "visibility": "private", "pushed_at": "2026-01-05T09:12:44Z",
        "created_at": "2019-03-14T10:02:11Z", "updated_at": "2026-01-05T09:12:44Z",
        "permissions": {"admin": False, "push": True, "pull": True},
        "allow_rebase_merge": False, "template_repository": None, "temp_clone_token": None,
        "allow_squash_merge": True, "allow_auto_merge": True, "delete_branch_on_merge": True,
        "allow_merge_commit": False, "subscribers_count": 40, "network_count": 0,
        "license": None, "forks": 0, "open_issues": 31, "watchers": 12,
    }  # fmt: skip


def create_user_macro(con: duckdb.DuckDBPyConnection) -> None:
    """`gh_user(login, id, type)`: GitHub's simple-user object (also used by Copilot seats)."""
    con.execute(_USER_MACRO)


def _prepare(con: duckdb.DuckDBPyConnection) -> None:
    create_user_macro(con)
    rows = [(r[0], json.dumps(_repo_object(*r), separators=(",", ":"))) for r in REPOS]
    con.execute("create or replace table repo_json(repo varchar, obj json)")
    con.executemany("insert into repo_json values (?, ?)", rows)
    # GitHub identity of every PR: its author (a person or an agent bot) and derived fields.
    con.execute(
        f"""
        create or replace table pr_view as
        select p.*, t.title, t.head_ref, t.body,
               coalesce(a.login, ag.login) as author_login,
               coalesce(a.github_id, ag.id) as author_gid,
               case when p.agent is null then 'User' else 'Bot' end as author_type,
               hex('merge:' || p.pr_key, 40) as merge_sha,
               hex('base:' || p.pr_key, 40) as base_sha,
               (select arg_max(c.sha, c.ts) from commits c where c.pr_key = p.pr_key) as head_sha,
               greatest(p.created_at,
                        coalesce(p.closed_at, p.created_at),
                        coalesce((select max(r.ts) from pr_reviews r where r.pr_key = p.pr_key),
                                 p.created_at),
                        coalesce((select max(c.ts) from commits c where c.pr_key = p.pr_key),
                                 p.created_at)) as updated_at,
               '{API}/repos/' || p.repo || '/pulls/' || p.number as api_url,
               '{WEB}/' || p.repo || '/pull/' || p.number as web_url,
               '{API}/repos/' || p.repo || '/issues/' || p.number as issue_api_url,
               1800000000 + row_number() over (order by p.repo, p.number) as gh_id,
               (row_number() over (partition by p.repo order by p.number desc) - 1)
                   // {PULLS_PER_PAGE} as pull_page
        from prs p
        join pr_text t using (pr_key)
        left join person_ids a on a.person_id = p.author_pid
        left join agent_accounts ag on ag.agent = p.agent
        """
    )


def write_github(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    _prepare(con)
    written = 0
    pages_per_query = PRS_PER_QUERY // PULLS_PER_PAGE
    for repo, last_page in rows(
        con, "select repo, max(pull_page) from pr_view group by 1 order by 1"
    ):
        for first in range(0, last_page + 1, pages_per_query):
            span = [repo, first, first + pages_per_query - 1]
            written += write_files(con, _pulls_query(), out_dir, span)
    low, high = rows(con, "select min(gh_id), max(gh_id) from pr_view")[0]
    for first in range(low, high + 1, PRS_PER_QUERY):
        span = [first, first + PRS_PER_QUERY - 1]
        for query in (_commits_query(), _reviews_query(), _files_query()):
            written += write_files(con, query, out_dir, span)
    return written


def _pulls_query() -> str:
    org_user = f"gh_user('{ORG_LOGIN}', {ORG_ID}, 'Organization')"
    pull = f"""json_object(
        'url', v.api_url, 'id', v.gh_id, 'node_id', 'PR_kwDOJ' || alnum('pr:' || v.pr_key, 14),
        'html_url', v.web_url, 'diff_url', v.web_url || '.diff',
        'patch_url', v.web_url || '.patch', 'issue_url', v.issue_api_url,
        'commits_url', v.api_url || '/commits',
        'review_comments_url', v.api_url || '/comments',
        'review_comment_url', '{API}/repos/' || v.repo || '/pulls/comments{{/number}}',
        'comments_url', v.issue_api_url || '/comments',
        'statuses_url', '{API}/repos/' || v.repo || '/statuses/' || v.head_sha,
        'number', v.number, 'state', v.state, 'locked', false, 'title', v.title,
        'user', gh_user(v.author_login, v.author_gid, v.author_type), 'body', v.body,
        'labels', case when v.kind = 'fix' then [json_object('id', 208045946,
                'node_id', 'LA_kwDOJbug' || v.repo, 'url', '{API}/repos/' || v.repo
                || '/labels/bug', 'name', 'bug', 'description', 'Something isn''t working',
                'color', 'd73a4a', 'default', true)] else []::json[] end,
        'milestone', null, 'active_lock_reason', null,
        'created_at', iso(v.created_at), 'updated_at', iso(v.updated_at),
        'closed_at', iso(v.closed_at), 'merged_at', iso(v.merged_at),
        'merge_commit_sha', v.merge_sha,
        'assignee', case when v.agent is null
            then gh_user(v.author_login, v.author_gid, 'User') end,
        'assignees', case when v.agent is null
            then [gh_user(v.author_login, v.author_gid, 'User')] else []::json[] end,
        'requested_reviewers', []::json[], 'requested_teams', []::json[],
        'head', json_object('label', '{ORG_LOGIN}:' || v.head_ref, 'ref', v.head_ref,
            'sha', v.head_sha, 'user', {org_user}, 'repo', rj.obj),
        'base', json_object('label', '{ORG_LOGIN}:main', 'ref', 'main', 'sha', v.base_sha,
            'user', {org_user}, 'repo', rj.obj),
        '_links', json_object(
            'self', json_object('href', v.api_url), 'html', json_object('href', v.web_url),
            'issue', json_object('href', v.issue_api_url),
            'comments', json_object('href', v.issue_api_url || '/comments'),
            'review_comments', json_object('href', v.api_url || '/comments'),
            'review_comment', json_object('href', '{API}/repos/' || v.repo
                                                  || '/pulls/comments{{/number}}'),
            'commits', json_object('href', v.api_url || '/commits'),
            'statuses', json_object('href', '{API}/repos/' || v.repo || '/statuses/'
                                            || v.head_sha)),
        'author_association', case when v.agent is null then 'MEMBER' else 'NONE' end,
        'auto_merge', null, 'draft', v.state = 'open' and u('draft', v.pr_key, 0) < 0.25)"""
    return f"""
        with ranked as (
            select v.repo, {pull} as obj, v.pull_page as page, v.number
            from pr_view v join repo_json rj using (repo)
            where v.repo = ? and v.pull_page between ? and ?
        )
        select 'github/' || repo || '/pulls/page_' || lpad((page + 1)::varchar, 3, '0')
                   || '.json',
               to_json(list(obj order by number desc))::varchar
        from ranked group by repo, page order by repo, page
    """


def _commits_query() -> str:
    return f"""
        with parented as (
            select c.*, v.repo, v.number, v.base_sha,
                   coalesce(lag(c.sha) over (partition by c.pr_key order by c.commit_no),
                            v.base_sha) as parent_sha
            from commits c join pr_view v using (pr_key)
            where v.gh_id between ? and ?
        ), objects as (
            select repo, number, commit_no, json_object(
                'url', '{API}/repos/' || repo || '/commits/' || sha, 'sha', sha,
                'node_id', 'C_kwDOJ' || alnum('commit:' || sha, 20),
                'html_url', '{WEB}/' || repo || '/commit/' || sha,
                'comments_url', '{API}/repos/' || repo || '/commits/' || sha || '/comments',
                'commit', json_object(
                    'url', '{API}/repos/' || repo || '/git/commits/' || sha,
                    'author', json_object('name', author_name, 'email', author_email,
                                          'date', iso(ts)),
                    'committer', json_object('name', author_name, 'email', author_email,
                                             'date', iso(ts)),
                    'message', message,
                    'tree', json_object('url', '{API}/repos/' || repo || '/git/trees/'
                        || hex('tree:' || sha, 40), 'sha', hex('tree:' || sha, 40)),
                    'comment_count', 0,
                    'verification', json_object('verified', false, 'reason', 'unsigned',
                        'signature', null, 'payload', null, 'verified_at', null)),
                'author', gh_user(author_login, author_id, author_type),
                'committer', gh_user(author_login, author_id, author_type),
                'parents', [json_object('url', '{API}/repos/' || repo || '/commits/'
                                        || parent_sha, 'sha', parent_sha)]) as obj
            from parented
        )
        select 'github/' || repo || '/pulls/' || number || '/commits/page_001.json',
               to_json(list(obj order by commit_no))::varchar
        from objects group by repo, number order by repo, number
    """


def _reviews_query() -> str:
    return """
        with objects as (
            select v.repo, v.number, r.ts, r.review_id, json_object(
                'id', r.review_id, 'node_id', 'PRR_kwDOJ' || alnum('review:' || r.review_id, 12),
                'user', gh_user(p.login, p.github_id, 'User'),
                'body', case r.state when 'APPROVED' then 'LGTM'
                                     when 'CHANGES_REQUESTED' then 'A few things to fix first.'
                                     else 'Left some comments.' end,
                'state', r.state,
                'html_url', v.web_url || '#pullrequestreview-' || r.review_id,
                'pull_request_url', v.api_url,
                '_links', json_object(
                    'html', json_object('href', v.web_url || '#pullrequestreview-'
                                                || r.review_id),
                    'pull_request', json_object('href', v.api_url)),
                'submitted_at', iso(r.ts), 'commit_id', r.commit_id,
                'author_association', 'MEMBER') as obj
            from pr_reviews r
            join pr_view v using (pr_key)
            join person_ids p on p.person_id = r.reviewer_pid
            where v.gh_id between $1 and $2
        )
        select 'github/' || v.repo || '/pulls/' || v.number || '/reviews/page_001.json',
               coalesce(to_json(list(o.obj order by o.ts, o.review_id)
                                filter (where o.obj is not null)), '[]')::varchar
        from pr_view v left join objects o on o.repo = v.repo and o.number = v.number
        where v.gh_id between $1 and $2
        group by v.repo, v.number order by v.repo, v.number
    """


def _files_query() -> str:
    return f"""
        with objects as (
            select v.repo, v.number, f.filename, json_object(
                'sha', hex('blob:' || f.pr_key || ':' || f.filename, 40),
                'filename', f.filename, 'status', f.status,
                'additions', f.additions, 'deletions', f.deletions,
                'changes', f.additions + f.deletions,
                'blob_url', '{WEB}/' || v.repo || '/blob/' || v.head_sha || '/' || f.filename,
                'raw_url', '{WEB}/' || v.repo || '/raw/' || v.head_sha || '/' || f.filename,
                'contents_url', '{API}/repos/' || v.repo || '/contents/' || f.filename
                    || '?ref=' || v.head_sha,
                'patch', '@@ -1,' || f.deletions || ' +1,' || f.additions || ' @@') as obj
            from pr_files f join pr_view v using (pr_key)
            where v.gh_id between ? and ?
        )
        select 'github/' || repo || '/pulls/' || number || '/files/page_001.json',
               to_json(list(obj order by filename))::varchar
        from objects group by repo, number order by repo, number
    """
