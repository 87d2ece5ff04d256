"""Daily list-price spend per person and team, and org/budgets.csv sized from it.

Budgets are generous for everyone except ai-lab: its budget for the quarter with the most days in
the period is set to what it has spent about 45% of the way through those days, so it runs out
well before the period ends. Spend before the period is invisible (no data), so cumulative spend
counts from max(quarter start, period start), exactly as the warehouse can see it.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import duckdb

from orchestration.generate.engine import rows

ALLOWANCE_USD = 200
SPEND_BASIS = (
    "list-price USD of ledger usage (Anthropic usage report via the team's API keys + OpenAI "
    "completions), members by team on each day, cumulative from max(budget period_start, "
    "period start); ai-lab has no subscription Claude Code"
)


def build_costs(con: duckdb.DuckDBPyConnection) -> None:
    """Exact decimal list-price cost per person-day: ledger (API) and subscription (estimate)."""
    price = "::decimal(38, 0) * "
    con.execute(
        f"""
        create table person_day_cost as
        with ant as (
            select a.person_id, a.d,
                   sum(a.uncached{price}p.p_in + a.cache_read{price}p.p_cr
                       + a.cache_write{price}p.p_cw + a.output{price}p.p_out) as micro
            from ant_usage a join day_prices p
                on p.d = a.d and p.provider = 'anthropic' and p.model = a.model
            group by all
        ), oai as (
            select o.person_id, o.d,
                   sum(o.uncached{price}p.p_in + o.cached{price}p.p_cr
                       + o.cache_write{price}p.p_cw + o.output{price}p.p_out) as micro
            from oai_usage o join day_prices p
                on p.d = o.d and p.provider = 'openai' and p.model = o.model
            group by all
        ), sub as (
            select c.person_id, c.d,
                   sum(c.input{price}p.p_in + c.cache_read{price}p.p_cr
                       + c.cache_creation{price}p.p_cw + c.output{price}p.p_out) as micro
            from cc_daily c
            join people pe on pe.person_id = c.person_id and pe.cc_customer = 'subscription'
            join day_prices p on p.d = c.d and p.provider = 'anthropic' and p.model = c.model
            group by all
        ), all_rows as (
            select person_id, d, micro as ledger, 0 as estimate from ant
            union all select person_id, d, micro, 0 from oai
            union all select person_id, d, 0, micro from sub
        )
        select person_id, d, (sum(ledger) * 0.000001)::decimal(38, 10) as ledger_usd,
               (sum(estimate) * 0.000001)::decimal(38, 10) as estimate_usd
        from all_rows where person_id is not null group by all;

        create table team_day_cost as
        select td.team_idx, d.d, coalesce(sum(c.ledger_usd), 0)::decimal(38, 10) as ledger_usd
        from days d
        cross join teams t
        left join team_days td on td.d = d.d and td.team_idx = t.team_idx
        left join person_day_cost c on c.person_id = td.person_id and c.d = d.d
        group by all
        """
    )


def build_budgets(
    con: duckdb.DuckDBPyConnection, out_dir: Path, start: dt.date, end: dt.date
) -> dict[str, Any]:
    """Write org/budgets.csv; return the planted ai-lab exhaustion fact."""
    con.execute(
        f"""
        create table quarters as
        select q::date as q_start, (q + interval 3 month - interval 1 day)::date as q_end,
               greatest(q::date, date '{start}') as w_start,
               least((q + interval 3 month - interval 1 day)::date, date '{end}') as w_end
        from range(date_trunc('quarter', date '{start}')::timestamp,
                   date_trunc('quarter', date '{end}')::timestamp + interval 1 day,
                   interval 3 month) t(q);

        create table main_quarter as
        select * from quarters
        order by w_end - w_start desc, q_start desc limit 1;

        create table team_quarter_cost as
        select c.team_idx, q.q_start, q.q_end, q.w_start, q.w_end, c.d, c.ledger_usd,
               sum(c.ledger_usd) over (partition by c.team_idx, q.q_start order by c.d
                                       rows unbounded preceding) as cumulative,
               row_number() over (partition by c.team_idx, q.q_start order by c.d) as n
        from team_day_cost c join quarters q on c.d between q.w_start and q.w_end;
        """
    )
    # The ai-lab budget: what it had spent ~45% of the way through the main quarter's days.
    con.execute(
        """
        create table ai_lab_budget as
        with window_days as (
            select c.* from team_quarter_cost c
            join teams t on t.team_idx = c.team_idx and t.kind = 'ai-lab'
            join main_quarter m on m.q_start = c.q_start
        ), target as (
            select greatest(1, floor(0.45 * count(*)))::bigint as k from window_days
        )
        select w.team_idx, w.q_start, w.q_end,
               greatest(10, floor(w.cumulative / 10) * 10)::decimal(18, 2) as amount
        from window_days w, target where w.n = target.k
        """
    )
    con.execute(
        f"""
        create table budgets as
        with team_rates as (
            select team_idx, q_start, q_end,
                   sum(ledger_usd) / count(*) * (q_end - q_start + 1) as projected
            from team_quarter_cost group by team_idx, q_start, q_end
        ), org_rate as (
            select sum(ledger_usd) / count(distinct d) as per_day from team_day_cost
        )
        select 0 as scope_order, 'org' as scope, 'acme' as scope_id, 'budget' as kind,
               make_date(y, 1, 1) as period_start, make_date(y, 12, 31) as period_end,
               (ceil(per_day * 365 * 1.3 / 1000) * 1000)::decimal(18, 2) as amount
        from org_rate, (select distinct year(d) as y from days)
        union all
        select 1, 'team', t.team, 'budget', r.q_start, r.q_end,
               coalesce(b.amount, (ceil(r.projected * (1.6 + 0.8 * u('budget', t.team, r.q_start))
                                   * case when t.kind = 'ai-lab' then 1.5 else 1 end / 100)
                                   * 100)::decimal(18, 2))
        from team_rates r
        join teams t using (team_idx)
        left join ai_lab_budget b on b.team_idx = r.team_idx and b.q_start = r.q_start
        union all
        select 2, 'person', p.email, 'allowance', m::date,
               (m + interval 1 month - interval 1 day)::date, {ALLOWANCE_USD}
        from people p,
             range(date_trunc('month', date '{start}')::timestamp,
                   date_trunc('month', date '{end}')::timestamp + interval 1 day,
                   interval 1 month) t(m)
        """
    )
    (out_dir / "org").mkdir(parents=True, exist_ok=True)
    con.execute(
        f"""
        copy (
            select scope, scope_id, kind, strftime(period_start, '%Y-%m-%d') as period_start,
                   strftime(period_end, '%Y-%m-%d') as period_end,
                   printf('%.2f', amount::double) as amount, 'USD' as currency
            from budgets order by scope_order, scope_id, kind, period_start
        ) to '{out_dir / "org" / "budgets.csv"}' (header, delimiter ',')
        """
    )
    fact = rows(
        con,
        """
        select t.team, b.q_start, b.q_end, b.amount,
               (select min(c.d) from team_quarter_cost c
                where c.team_idx = b.team_idx and c.q_start = b.q_start
                  and c.cumulative >= b.amount) as exhausted_on
        from ai_lab_budget b join teams t using (team_idx)
        """,
    )[0]
    team, q_start, q_end, amount, exhausted_on = fact
    return {
        "team": team,
        "scope": "team",
        "scope_id": team,
        "kind": "budget",
        "period_start": q_start.isoformat(),
        "period_end": q_end.isoformat(),
        "amount": f"{amount:.2f}",
        "currency": "USD",
        # None only for degenerate periods with no ai-lab spend at all
        "exhausted_on": exhausted_on.isoformat() if exhausted_on else None,
        "spend_basis": SPEND_BASIS,
    }
