-- One row per LiteLLM gateway request with the person behind it: the key's user id, then the
-- key owner's email, then the request's `user` field. Agents and shared keys stay person-less.
with

requests as (
    select * from {{ ref('stg_litellm__spend_logs') }}
),

identities as (
    select * from {{ ref('int_identities_resolved') }}
),

final as (
    select
        requests.*,
        coalesce(by_user.person_id, by_email.person_id, by_end_user.person_id) as person_id
    from requests
    left join identities as by_user
        on by_user.account_system = 'litellm_user' and requests.user_api_key_user_id = by_user.external_id
    left join identities as by_email
        on by_email.account_system = 'email' and lower(requests.user_api_key_user_email) = by_email.external_id
    left join identities as by_end_user
        on by_end_user.account_system = 'litellm_user' and requests.request_user = by_end_user.external_id
)

select * from final
