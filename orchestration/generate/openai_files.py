"""OpenAI Admin API pages: /organization/usage/completions and /organization/costs.

Times are Unix seconds (start inclusive, end exclusive); `input_tokens` includes cached and
cache-write tokens; costs are dollars as a JSON number. Costs are grouped by line_item and
project_id, with line items named `<model>, input` / `<model>, cached input` / `<model>, output`
as the real API does; cache writes are billed under `input` at the cache-write price.
"""

from __future__ import annotations

from pathlib import Path

import duckdb

from orchestration.generate.engine import write_files

BUCKETS_PER_PAGE = 7


def _paged(bucket_sql: str, folder: str) -> str:
    return f"""
        with buckets as ({bucket_sql}),
        pages as (
            select day_idx // {BUCKETS_PER_PAGE} as page,
                   to_json(list(bucket order by d)) as data, min(d) as first_day
            from buckets group by 1
        ), linked as (
            select *, lead(first_day) over (order by page) as next_day from pages
        )
        select '{folder}/page_' || lpad((page + 1)::varchar, 3, '0') || '.json',
               json_object('object', 'page', 'data', data, 'has_more', next_day is not null,
                           'next_page', case when next_day is not null
                               then 'page_' || to_base64(encode(
                                   epoch(next_day::timestamp)::bigint::varchar)) end)::varchar
        from linked order by page
    """


def _bucket(results: str) -> str:
    return f"""json_object('object', 'bucket',
                   'start_time', epoch(d.d::timestamp)::bigint,
                   'end_time', epoch(d.d + interval 1 day)::bigint,
                   'results', {results})"""


def write_usage_completions(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    # group_by=[user_id, api_key_id, model]: project_id, batch, service_tier come back null.
    results = """coalesce(to_json(list(json_object(
            'object', 'organization.usage.completions.result',
            'input_tokens', o.input_tokens, 'input_cached_tokens', o.cached,
            'input_cache_write_tokens', o.cache_write, 'input_uncached_tokens', o.uncached,
            'output_tokens', o.output, 'input_text_tokens', o.input_tokens,
            'output_text_tokens', o.output, 'input_cached_text_tokens', o.cached,
            'input_audio_tokens', 0, 'input_cached_audio_tokens', 0, 'output_audio_tokens', 0,
            'input_image_tokens', 0, 'input_cached_image_tokens', 0, 'output_image_tokens', 0,
            'num_model_requests', o.requests, 'project_id', null, 'user_id', o.user_id,
            'api_key_id', o.key_id, 'model', o.model, 'batch', null, 'service_tier', null)
          order by o.user_id nulls last, o.key_id, o.model)
          filter (where o.key_id is not null)), '[]')"""
    buckets = f"""
        select d.d, d.day_idx, {_bucket(results)} as bucket
        from days d left join oai_usage o on o.d = d.d
        group by d.d, d.day_idx
    """
    return write_files(con, _paged(buckets, "openai/usage_completions"), out_dir)


def write_costs(con: duckdb.DuckDBPyConnection, out_dir: Path) -> int:
    results = """coalesce(to_json(list(json_object(
            'object', 'organization.costs.result',
            'amount', json_object('value', c.usd::double, 'currency', 'usd'),
            'line_item', c.line_item, 'project_id', 'proj_' || alnum('project:default', 24),
            'api_key_id', null, 'quantity', c.quantity, 'quantity_unit', 'tokens')
          order by c.line_item) filter (where c.line_item is not null)), '[]')"""
    buckets = f"""
        with per_model as (
            select o.d, o.model, sum(o.uncached) as uncached, sum(o.cached) as cached,
                   sum(o.cache_write) as cache_write, sum(o.output) as output
            from oai_usage o group by all
        ), lines as (
            select m.d, m.model || ', input' as line_item, m.uncached + m.cache_write as quantity,
                   (m.uncached::decimal(38, 0) * p.p_in + m.cache_write::decimal(38, 0) * p.p_cw)
                       * 0.000001 as usd
            from per_model m join day_prices p
                on p.d = m.d and p.provider = 'openai' and p.model = m.model
            union all
            select m.d, m.model || ', cached input', m.cached,
                   m.cached::decimal(38, 0) * p.p_cr * 0.000001
            from per_model m join day_prices p
                on p.d = m.d and p.provider = 'openai' and p.model = m.model
            union all
            select m.d, m.model || ', output', m.output,
                   m.output::decimal(38, 0) * p.p_out * 0.000001
            from per_model m join day_prices p
                on p.d = m.d and p.provider = 'openai' and p.model = m.model
        )
        select d.d, d.day_idx, {_bucket(results)} as bucket
        from days d left join (select * from lines where quantity > 0) c on c.d = d.d
        group by d.d, d.day_idx
    """
    return write_files(con, _paged(buckets, "openai/costs"), out_dir)
