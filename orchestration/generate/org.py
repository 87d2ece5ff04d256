"""The organisation: teams, people (with mid-period team moves), their accounts and API keys.

Everything later joins to the `people`, `memberships`, `team_days` and `api_keys` tables built
here. Team sizes are fixed by construction (movers rotate between teams on shared dates), so
every regular team keeps >= 5 members on every day and `security` stays at 3.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from orchestration.generate.engine import rows, scalar, values_sql

FIRST_NAMES = [
    "Ada", "Adrian", "Aisha", "Alex", "Amara", "Ana", "Andre", "Anika", "Ben", "Bianca",
    "Carlos", "Chloe", "Dan", "Daria", "David", "Elena", "Emeka", "Emma", "Erik", "Farah",
    "Felix", "Grace", "Hana", "Hugo", "Ines", "Ivan", "Jack", "Jamal", "Jin", "Jonas",
    "Julia", "Kai", "Kenji", "Lara", "Leo", "Lina", "Luca", "Maya", "Mateo", "Mei",
    "Mia", "Nadia", "Nikhil", "Noah", "Olga", "Omar", "Priya", "Rafael", "Rosa", "Sam",
    "Sara", "Sofia", "Tariq", "Tom", "Uma", "Victor", "Wei", "Yara", "Yusuf", "Zoe",
    "Zara", "Kofi", "Lea", "Oscar",
]  # fmt: skip
LAST_NAMES = [
    "Abbott", "Adeyemi", "Alvarez", "Andersen", "Bauer", "Becker", "Bianchi", "Brooks",
    "Campbell", "Castro", "Chen", "Costa", "Dubois", "Eriksson", "Fischer", "Fernandes",
    "Garcia", "Gupta", "Hansen", "Hoffmann", "Ibrahim", "Ito", "Jensen", "Kaur", "Khan",
    "Kim", "Kowalski", "Larsen", "Lee", "Lopez", "Mahmoud", "Martin", "Meyer", "Moreau",
    "Murphy", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Park", "Patel", "Petrov",
    "Quinn", "Ramos", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Sato", "Tanaka",
    "Torres", "Vargas", "Wagner", "Walsh", "Weber", "Wong", "Yamamoto", "Young", "Zhang",
    "Ziegler", "Osei", "Haddad",
]  # fmt: skip
NAME_SPACE = len(FIRST_NAMES) * len(LAST_NAMES)

# (team, Jira project key, main repository). Beyond 16 regular teams the names repeat with a
# numeric suffix (payments-2), which only happens for very large organisations.
REGULAR_TEAMS = [
    ("payments", "PAY", "acme/api"), ("search", "SRCH", "acme/web"),
    ("platform", "PLAT", "acme/api"), ("mobile", "MOB", "acme/mobile"),
    ("data", "DATA", "acme/data-pipelines"), ("growth", "GROW", "acme/web"),
    ("checkout", "CHK", "acme/web"), ("identity", "IDN", "acme/api"),
    ("infra", "INFRA", "acme/api"), ("billing", "BILL", "acme/api"),
    ("notifications", "NTF", "acme/mobile"), ("onboarding", "ONB", "acme/web"),
    ("reporting", "RPT", "acme/data-pipelines"), ("messaging", "MSG", "acme/mobile"),
    ("risk", "RISK", "acme/data-pipelines"), ("catalog", "CAT", "acme/web"),
]  # fmt: skip
AI_LAB = ("ai-lab", "AIL", "acme/data-pipelines")
SECURITY = ("security", "SEC", "acme/api")
SECURITY_SIZE = 3
MIN_TEAM = 5
EMAIL_DOMAIN = "acme.example"


@dataclass(frozen=True)
class Team:
    idx: int
    name: str
    jira_key: str
    repo: str
    kind: str  # regular | ai-lab | security


@dataclass(frozen=True)
class OrgPlan:
    teams: list[Team]
    regular_count: int
    ai_lab_size: int
    movers_per_team: int

    @property
    def ai_lab(self) -> Team:
        return next(t for t in self.teams if t.kind == "ai-lab")


def plan_org(engineers: int, days: int) -> OrgPlan:
    """Team layout for `engineers` people: security (3), ai-lab (>= 5), regular teams (>= 5)."""
    ai_lab_size = max(MIN_TEAM, round(0.05 * engineers))
    regular_people = engineers - SECURITY_SIZE - ai_lab_size
    if regular_people < MIN_TEAM:
        raise ValueError(
            f"engineers must be at least {SECURITY_SIZE + 2 * MIN_TEAM} "
            "(security 3 + ai-lab 5 + one regular team of 5)"
        )
    # At least 6 teams when people allow it, about 10 people per team for big organisations.
    count = max(1, min(6, regular_people // MIN_TEAM), regular_people // 10)
    teams = []
    for i in range(count):
        name, key, repo = REGULAR_TEAMS[i % len(REGULAR_TEAMS)]
        cycle = i // len(REGULAR_TEAMS)
        if cycle:
            name, key = f"{name}-{cycle + 1}", f"{key}{cycle + 1}"
        teams.append(Team(i, name, key, repo, "regular"))
    teams.append(Team(count, *AI_LAB, "ai-lab"))
    teams.append(Team(count + 1, *SECURITY, "security"))
    # ~10% of people move; rotating movers between teams keeps every team's size constant.
    movers = max(1, round(0.1 * regular_people / count)) if count >= 2 and days >= 4 else 0
    return OrgPlan(teams, count, ai_lab_size, movers)


def build_org(
    con: duckdb.DuckDBPyConnection, plan: OrgPlan, engineers: int, seed: int, start: dt.date
) -> None:
    con.execute(
        "create table teams(team_idx int, team varchar, jira_key varchar, repo varchar, "
        f"kind varchar); insert into teams values "
        f"{values_sql([(t.idx, t.name, t.jira_key, t.repo, t.kind) for t in plan.teams])}"
    )
    t, a, m = plan.regular_count, plan.ai_lab_size, plan.movers_per_team
    days = scalar(con, "select count(*) from days")
    firsts = "[" + values_sql([FIRST_NAMES])[1:-1] + "]"
    lasts = "[" + values_sql([LAST_NAMES])[1:-1] + "]"
    con.execute(
        f"""
        create table people as
        with ranked as (
            select i::bigint as person_id,
                   (row_number() over (order by u('team', i, 0), i) - 1)::bigint as r
            from range(1, {engineers} + 1) t(i)
        ), placed as (
            select person_id,
                   case when r < {SECURITY_SIZE} then {t + 1}
                        when r < {SECURITY_SIZE + a} then {t}
                        else (r - {SECURITY_SIZE + a}) % {t} end as team_idx,
                   case when r >= {SECURITY_SIZE + a} then (r - {SECURITY_SIZE + a}) // {t}
                   end as team_rank,
                   (((person_id - 1) % {NAME_SPACE}) * 2654435761 + {int(seed)} * 7919)
                       % {NAME_SPACE} as name_code,
                   (person_id - 1) // {NAME_SPACE} as name_cycle
            from ranked
        ), named as (
            select *,
                   {firsts}[name_code // {len(LAST_NAMES)} + 1] as first_name,
                   {lasts}[name_code % {len(LAST_NAMES)} + 1] as last_name,
                   case when name_cycle > 0 then (name_cycle + 1)::varchar else '' end as sfx
            from placed
        ), accounts as (
            select *,
                   team_idx = {t} as is_ai_lab,
                   team_idx = {t} or u('cc_user', person_id, 0) < 0.7 as cc_user
            from named
        ), subscribed as (
            -- ~20% of Claude Code users are on a subscription plan (never ai-lab: its spend
            -- must be fully on the API ledger for the budget story)
            select *,
                   cc_user and not is_ai_lab and row_number() over (
                       partition by cc_user and not is_ai_lab order by u('cc_sub', person_id, 0)
                   ) <= ceil(0.2 * count(*) filter (where cc_user) over ()) as wants_subscription
            from accounts
        )
        select person_id,
               first_name || ' ' || last_name as name,
               lower(first_name || '.' || last_name || sfx) || '@{EMAIL_DOMAIN}' as email,
               team_idx as first_team_idx,
               case when team_rank < {m} then (team_idx + 1) % {t} end as second_team_idx,
               case when team_rank < {m} then date '{start}'
                   + (floor({days} * (0.25 + 0.5 * u('move', team_rank, 0))))::int end as moved_on,
               date '{start}' - (30 + pick('hire', person_id, 0, 1200))::int as hired_on,
               is_ai_lab,
               case when pick('login', person_id, 0, 3) = 0
                    then lower(first_name || last_name || sfx)
                    when pick('login', person_id, 0, 3) = 1
                    then lower(first_name || '-' || last_name || sfx)
                    else lower(left(first_name, 1) || last_name || sfx) || '-acme' end as login0,
               40000000 + person_id * 101 + pick('ghid', person_id, 0, 100) as github_id,
               cc_user,
               case when not cc_user then null
                    when not is_ai_lab and wants_subscription then 'subscription'
                    else 'api' end as cc_customer,
               case when pick('plan', person_id, 0, 2) = 0 then 'max' else 'team' end as sub_plan,
               is_ai_lab or u('jira', person_id, 0) < 0.96 as has_jira,
               is_ai_lab or u('openai', person_id, 0) < 0.5 as has_openai,
               case when is_ai_lab then 'premium'
                    when u('tier', person_id, 0) < 0.15 then 'premium'
                    when u('tier', person_id, 0) < 0.27 then 'small'
                    else 'standard' end as ant_tier,
               case when u('oai_tier', person_id, 0) < 0.7 then 'standard' else 'small' end
                   as oai_tier,
               exp(0.3 * nrm('productivity', person_id, 0)) as productivity
        from subscribed
        """
    )
    # Anthropic keys: every API-billed Claude Code user has one; others sometimes; a few two.
    con.execute(
        """
        alter table people add column ant_keys int;
        update people set ant_keys = case
            when cc_customer = 'api' or u('ant_key', person_id, 0) < 0.45
            then case when u('ant_keys', person_id, 0) < 0.12 then 2 else 1 end
            else 0 end;
        alter table people add column login varchar;
        update people set login = p.login0 || case when p.rn > 1 then p.rn::varchar else '' end
        from (select person_id, login0,
                     row_number() over (partition by login0 order by person_id) as rn
              from people) p
        where p.person_id = people.person_id;
        """
    )
    con.execute(
        """
        create table memberships as
        select person_id, first_team_idx as team_idx, hired_on as valid_from,
               moved_on as valid_to
        from people
        union all
        select person_id, second_team_idx, moved_on, null from people where moved_on is not null;

        create table team_days as
        select m.person_id, d.d, d.day_idx, m.team_idx
        from days d
        join memberships m on m.valid_from <= d.d
            and d.d < coalesce(m.valid_to, date '9999-12-31');
        """
    )
    _build_accounts(con)


def _build_accounts(con: duckdb.DuckDBPyConnection) -> None:
    """Vendor ids per person, plus one Anthropic and one OpenAI key that belong to nobody."""
    con.execute(
        """
        create table api_keys as
        select 'anthropic' as provider, 'apikey_01' || alnum('ant_key:' || person_id || ':' || k,
               22) as key_id, person_id, k as key_no
        from people, range(1, 3) r(k) where k <= ant_keys
        union all
        select 'openai', 'key_' || alnum('oai_key:' || person_id, 16), person_id, 1
        from people where has_openai
        union all
        select 'anthropic', 'apikey_01' || alnum('ant_key:service', 22), null, 1
        union all
        select 'openai', 'key_' || alnum('oai_key:service', 16), null, 1;

        create table identities as
        select email, 'github' as system, login as external_id from people
        union all
        select email, 'jira', hex('jira:' || person_id, 24) from people where has_jira
        union all
        select email, 'anthropic_account', 'user_01' || alnum('ant_user:' || person_id, 22)
        from people where ant_keys > 0 or cc_user
        union all
        select p.email, 'anthropic_api_key', k.key_id
        from api_keys k join people p using (person_id) where k.provider = 'anthropic'
        union all
        select email, 'openai_user', 'user-' || alnum('oai_user:' || person_id, 24)
        from people where has_openai
        union all
        select p.email, 'openai_api_key', k.key_id
        from api_keys k join people p using (person_id) where k.provider = 'openai';

        create table person_ids as
        select p.person_id, p.email, p.name, p.login, p.github_id,
               max(case when i.system = 'jira' then i.external_id end) as jira_id,
               max(case when i.system = 'openai_user' then i.external_id end) as openai_user
        from people p left join identities i using (email)
        group by all;
        """
    )
    dupes = rows(
        con, "select count(*) - count(distinct email), count(*) - count(distinct login) from people"
    )[0]
    if dupes != (0, 0):
        raise RuntimeError(f"generated emails/logins are not unique: {dupes}")


def write_org_people(con: duckdb.DuckDBPyConnection, out_dir: Path) -> None:
    org = out_dir / "org"
    org.mkdir(parents=True, exist_ok=True)
    # valid_to is exclusive (the next row's valid_from), so a move leaves no gap or overlap.
    con.execute(
        f"""
        copy (
            select p.email, p.name, t.team, strftime(m.valid_from, '%Y-%m-%d') as valid_from,
                   strftime(m.valid_to, '%Y-%m-%d') as valid_to
            from memberships m join people p using (person_id) join teams t using (team_idx)
            order by p.email, m.valid_from
        ) to '{org / "people.csv"}' (header, delimiter ',')
        """
    )
    con.execute(
        f"""
        copy (select email, system, external_id from identities order by all)
        to '{org / "identities.csv"}' (header, delimiter ',')
        """
    )
