"""Calendar and effective-dated list prices: which model each tier uses on each day, at what price.

Prices come from the repo's own seed (`seeds/model_prices.csv`, USD per million tokens), so the
generator and the warehouse price tokens identically. A model is usable on a day only when a
price row covers it (`valid_from <= day < valid_to`); otherwise the tier falls back.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import duckdb

from orchestration.generate.engine import values_sql
from orchestration.lib.settings import REPO_ROOT

PRICE_SEED = REPO_ROOT / "seeds" / "model_prices.csv"

# (provider, tier, rank within tier, model). Rank 1 is the intended model; later ranks are the
# fallbacks when the seed has no valid price for it on a day.
MODEL_PREFERENCES: list[tuple[str, str, int, str]] = [
    ("anthropic", "standard", 1, "claude-sonnet-5-5"),
    ("anthropic", "standard", 2, "claude-sonnet-4-5-20250929"),
    ("anthropic", "premium", 1, "claude-opus-5"),
    ("anthropic", "premium", 2, "claude-opus-4-5-20251101"),
    ("anthropic", "small", 1, "claude-haiku-4-5-20251001"),
    ("anthropic", "small", 2, "claude-haiku-5-5"),
    ("openai", "standard", 1, "gpt-5.5"),
    ("openai", "standard", 2, "gpt-5.4"),
    ("openai", "small", 1, "gpt-5.4-mini"),
]

# Cost-report descriptions name the model the way Anthropic's console does.
DISPLAY_NAMES: dict[str, str] = {
    "claude-opus-5": "Claude Opus 5",
    "claude-opus-4-5-20251101": "Claude Opus 4.5",
    "claude-sonnet-5-5": "Claude Sonnet 5.5",
    "claude-sonnet-4-5-20250929": "Claude Sonnet 4.5",
    "claude-haiku-5-5": "Claude Haiku 5.5",
    "claude-haiku-4-5-20251001": "Claude Haiku 4.5",
}


def build_calendar(con: duckdb.DuckDBPyConnection, start: dt.date, end: dt.date) -> None:
    con.execute(
        """
        create table days as
        select d::date as d,
               (row_number() over (order by d) - 1)::bigint as day_idx,
               isodow(d) >= 6 as weekend
        from range(?::timestamp, ?::timestamp + interval 1 day, interval 1 day) t(d)
        """,
        [start, end],
    )


def build_prices(con: duckdb.DuckDBPyConnection, seed_file: Path = PRICE_SEED) -> None:
    con.execute(
        """
        create table prices as
        select provider, model, valid_from, valid_to,
               input_usd_per_mtok::decimal(18, 6) as p_in,
               cache_read_usd_per_mtok::decimal(18, 6) as p_cr,
               cache_write_usd_per_mtok::decimal(18, 6) as p_cw,
               output_usd_per_mtok::decimal(18, 6) as p_out
        from read_csv(?, header = true, columns = {
            'provider': 'varchar', 'model': 'varchar', 'valid_from': 'date', 'valid_to': 'date',
            'input_usd_per_mtok': 'varchar', 'cache_read_usd_per_mtok': 'varchar',
            'cache_write_usd_per_mtok': 'varchar', 'output_usd_per_mtok': 'varchar',
            'source_url': 'varchar'})
        """,
        [str(seed_file)],
    )
    # Every model priced on every day it is valid.
    con.execute(
        """
        create table day_prices as
        select d.d, p.provider, p.model, p.p_in, p.p_cr, p.p_cw, p.p_out
        from days d
        join prices p on p.valid_from <= d.d and d.d < coalesce(p.valid_to, date '9999-12-31')
        """
    )
    con.execute(
        f"create table model_preferences(provider varchar, tier varchar, rnk int, model varchar);"
        f"insert into model_preferences values {values_sql(MODEL_PREFERENCES)}"
    )
    con.execute(
        "create table model_names(model varchar, display varchar);"
        f"insert into model_names values {values_sql(list(DISPLAY_NAMES.items()))}"
    )
    # Per day and tier: the preferred model if priced, else the tier's next rank, else any
    # priced model of the provider in global preference order.
    con.execute(
        """
        create table day_models as
        with tiers as (select distinct provider, tier from model_preferences),
        ranked as (
            select provider, tier, model,
                   row_number() over (partition by provider order by
                       case tier when 'standard' then 1 when 'premium' then 2 else 3 end, rnk
                   ) as global_rank, rnk
            from model_preferences
        ),
        candidates as (
            select d.d, t.provider, t.tier, r.model,
                   case when r.tier = t.tier then r.rnk else 100 + r.global_rank end as prio
            from days d
            cross join tiers t
            join ranked r on r.provider = t.provider
            join day_prices p on p.d = d.d and p.provider = r.provider and p.model = r.model
        )
        select d, provider, tier, arg_min(model, prio) as model
        from candidates
        group by all
        """
    )
