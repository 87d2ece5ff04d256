"""Cloud bills in FOCUS 1.2: Amazon Bedrock (Claude) per day, token type and caller, one Azure
OpenAI line, and everyday EC2/S3 lines that are not AI at all.

Bedrock callers: a few people (tagged with their team and email), team applications (tagged
with the team only) and one shared org-level inference profile with no tags at all. Costs are
exact decimals (tokens x list price), so the tagged/untagged totals in ground_truth.json are
exact too.
"""

from __future__ import annotations

import duckdb

from orchestration.generate.engine import values_sql

BEDROCK_PEOPLE_SHARE = 0.05
APPS = ["ranking-llm", "support-summaries", "doc-search", "fraud-notes", "catalog-enrich"]
# (token type, seed price column, SkuMeter suffix, description label)
BEDROCK_TOKEN_TYPES = [
    ("input", "p_in", "input-tokens", "input tokens"),
    ("output", "p_out", "output-tokens", "output tokens"),
    ("cache_read", "p_cr", "cache-read-input-token-count", "cache read input tokens"),
    ("cache_write", "p_cw", "cache-write-input-token-count", "cache write input tokens"),
]
AWS_PAYER = "123456789012"
AWS_ML_ACCOUNT = "210987654321"
AWS_APP_ACCOUNT = "345678901234"


def build_cloud(con: duckdb.DuckDBPyConnection) -> None:
    con.execute(
        "create table bedrock_token_types(token_type varchar, price_col varchar, "
        "meter varchar, label varchar);"
        f"insert into bedrock_token_types values {values_sql(BEDROCK_TOKEN_TYPES)}"
    )
    price_case = "case t.token_type " + " ".join(
        f"when '{t}' then p.{col}" for t, col, _, _ in BEDROCK_TOKEN_TYPES
    )
    apps = "[" + values_sql([APPS])[1:-1] + "]"
    con.execute(
        f"""
        create table bedrock_callers as
        -- people who call Bedrock from their own IAM identity
        select 'u' || person_id as caller, person_id, null::varchar as app, 'user' as kind,
               3 * exp(0.6 * nrm('br_level', person_id, 0)) as level
        from people
        qualify row_number() over (order by u('bedrock_user', person_id, 0), person_id)
            <= greatest(2, round({BEDROCK_PEOPLE_SHARE} * count(*) over ()))
        union all
        -- team applications behind application inference profiles (team tag only)
        select 'a' || team_idx, null, {apps}[team_idx % {len(APPS)} + 1], 'app',
               15 * exp(0.4 * nrm('br_level', team_idx, 1))
        from teams where kind = 'regular' and (team_idx = 0 or u('bedrock_app', team_idx, 0) < 0.5)
        union all
        -- a shared inference profile nobody tagged: the org-level bucket
        select 'org', null, null, 'org', 8;

        create table bedrock_usage as
        with caller_days as (
            select c.*, d.d, d.day_idx,
                   c.level * exp(0.35 * nrm('br_daily', c.caller, d.day_idx)) as usd
            from bedrock_callers c cross join days d
            where c.kind <> 'user'
               or (not d.weekend and u('br_active', c.caller, d.day_idx) < 0.5)
        ), models as (
            select cd.*, dm.model, 0.8 as share
            from caller_days cd join day_models dm
                on dm.d = cd.d and dm.provider = 'anthropic' and dm.tier = 'standard'
            union all
            select cd.*, dm.model, 0.2
            from caller_days cd join day_models dm
                on dm.d = cd.d and dm.provider = 'anthropic' and dm.tier = 'small'
        ), units as (
            select m.*, m.usd * m.share / ((p.p_in + 0.5 * p.p_cr + 0.05 * p.p_cw
                   + 0.15 * p.p_out)::double / 1e6) as units,
                   m.caller || ':' || m.day_idx || ':' || m.model as ukey
            from models m join day_prices p
                on p.d = m.d and p.provider = 'anthropic' and p.model = m.model
        ), typed as (
            select un.*, tt.token_type, tt.meter, tt.label,
                   round(un.units * case tt.token_type when 'input' then 1 when 'output' then 0.15
                         when 'cache_read' then 0.5 else 0.05 end
                         * exp(0.15 * nrm('br_tok', un.ukey, tt.token_type)))::bigint as tokens
            from units un cross join bedrock_token_types tt
        )
        select t.caller, t.person_id, t.app, t.kind, t.d, t.model, t.token_type, t.meter,
               t.label, t.tokens,
               ({price_case} end) as usd_per_mtok,
               (t.tokens::decimal(38, 0) * ({price_case} end) * 0.000001)::decimal(38, 12)
                   as cost
        from typed t join day_prices p
            on p.d = t.d and p.provider = 'anthropic' and p.model = t.model
        where t.tokens > 0
        """
    )
    _build_lines(con)


def _build_lines(con: duckdb.DuckDBPyConnection) -> None:
    """`focus_lines`: every FOCUS row with its values (rendered by focus_files)."""
    con.execute(
        f"""
        create table focus_lines as
        with bedrock as (
            select b.*, coalesce(n.display, b.model) as display,
                   t.team as team_tag, p.email as user_tag
            from bedrock_usage b
            left join model_names n on n.model = b.model
            left join people p on p.person_id = b.person_id
            left join team_days td on td.person_id = b.person_id and td.d = b.d
            left join teams t on t.team_idx = case b.kind when 'user' then td.team_idx
                when 'app' then substr(b.caller, 2)::int end
        ), ec2_s3 as (
            select d.d, s.*,
                   round(s.base * exp(0.1 * nrm('aws_other', s.service, d.day_idx)), 2)
                       ::decimal(38, 2) as qty
            from days d cross join (values
                ('Compute', 'Amazon Elastic Compute Cloud', 'Virtual Machines',
                 'USE1-BoxUsage:m7i.xlarge', 'Hours', 0.2016, 96.0,
                 '$0.2016 per On Demand Linux m7i.xlarge Instance Hour'),
                ('Storage', 'Amazon Simple Storage Service', 'Object Storage',
                 'USE1-TimedStorage-ByteHrs', 'GB-Mo', 0.023, 410.0,
                 '$0.023 per GB - first 50 TB / month of storage used')
            ) s(category, service, subcategory, meter, unit, price, base, description)
        )
        select 'AWS' as provider, 'Amazon Web Services, Inc.' as publisher,
               '{AWS_PAYER}' as billing_account_id, 'acme-payer' as billing_account_name,
               '{AWS_ML_ACCOUNT}' as sub_account_id, 'acme-ml-prod' as sub_account_name,
               b.d, 'AI and Machine Learning' as service_category,
               'Generative AI' as service_subcategory, 'Amazon Bedrock' as service_name,
               upper(alnum('sku:' || b.model || ':' || b.token_type, 16)) as sku_id,
               'USE1-Claude' || split_part(b.display, ' ', 3) || split_part(b.display, ' ', 2)
                   || '-' || b.meter as sku_meter,
               'Amazon Bedrock ' || b.display || ' ' || b.label || ' in US East (N. Virginia)'
                   as charge_description,
               b.tokens::decimal(38, 12) as consumed_quantity, 'Tokens' as consumed_unit,
               (b.tokens::decimal(38, 0) * 0.001)::decimal(38, 12) as pricing_quantity,
               '1K Tokens' as pricing_unit,
               (b.usd_per_mtok * 0.001)::decimal(38, 12) as list_unit_price, b.cost,
               'us-east-1' as region_id, 'US East (N. Virginia)' as region_name,
               case when b.kind = 'app'
                    then 'arn:aws:bedrock:us-east-1:{AWS_ML_ACCOUNT}:application-inference-'
                         || 'profile/' || lower(alnum('profile:' || b.caller, 12))
                    else 'arn:aws:bedrock:us-east-1:{AWS_ML_ACCOUNT}:inference-profile/us.'
                         || 'anthropic.' || b.model || '-v1:0' end as resource_id,
               b.app as resource_name,
               case when b.kind = 'app' then 'Application Inference Profile'
                    else 'Inference Profile' end as resource_type,
               case when b.kind = 'user' then json_object('team', b.team_tag, 'user', b.user_tag)
                    when b.kind = 'app' then json_object('team', b.team_tag, 'app', b.app)
               end::varchar as tags,
               b.team_tag as tag_team, b.user_tag as tag_user, true as is_ai
        from bedrock b
        union all
        select 'AWS', 'Amazon Web Services, Inc.', '{AWS_PAYER}', 'acme-payer',
               '{AWS_APP_ACCOUNT}', 'acme-apps-prod', e.d, e.category, e.subcategory, e.service,
               upper(alnum('sku:' || e.meter, 16)), e.meter, e.description,
               e.qty::decimal(38, 12), e.unit, e.qty::decimal(38, 12), e.unit,
               e.price::decimal(38, 12), (e.qty * e.price::decimal(18, 6))::decimal(38, 12),
               'us-east-1', 'US East (N. Virginia)',
               case when e.category = 'Compute'
                    then 'arn:aws:ec2:us-east-1:{AWS_APP_ACCOUNT}:instance/i-'
                         || hex('ec2:' || e.d, 17)
                    else 'arn:aws:s3:::acme-data-lake' end,
               null, case when e.category = 'Compute' then 'Instance' else 'Bucket' end,
               json_object('team', t.team, 'env', 'prod')::varchar, t.team, null, false
        from ec2_s3 e join teams t on t.team_idx = 0
        union all
        -- one Azure OpenAI charge, a third of the way into the period
        select 'Microsoft', 'Microsoft', '8611537', 'Acme Ltd',
               '6e1f3c2a-5b7d-4e0f-9a8b-2c4d6e8f0a1b', 'acme-ai-sub', d.d,
               'AI and Machine Learning', 'Generative AI', 'Azure OpenAI Service',
               'DZH318Z0BQ4W', 'gpt-4o-0806-Inp-glbl 1K Tokens',
               'Azure OpenAI gpt-4o global input tokens', 1840000::decimal(38, 12), 'Tokens',
               1840::decimal(38, 12), '1K Tokens', 0.0025::decimal(38, 12),
               4.6::decimal(38, 12), 'swedencentral', 'Sweden Central',
               '/subscriptions/6e1f3c2a-5b7d-4e0f-9a8b-2c4d6e8f0a1b/resourceGroups/ai/'
                   || 'providers/Microsoft.CognitiveServices/accounts/acme-openai',
               'acme-openai', 'Cognitive Services account',
               json_object('team', t.team, 'env', 'prod')::varchar, t.team, null, true
        from days d join teams t on t.team_idx = 0
        where d.day_idx = (select count(*) from days) // 3
        """
    )
