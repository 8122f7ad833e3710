-- processor_transactions: one row per processor transaction, both processors side by side.
{{ config(unique_key=['processor', 'txn_id']) }}

with alpha as (

    select 'alpha' as processor, txn_id, payment_reference, card_pan, amount_minor, fee_minor, currency, status,
           captured_at, business_date
    from {{ ref('stg_alpha_transactions') }}

),

beta as (

    select 'beta' as processor, txn_id, payment_reference, card_pan, amount_minor, fee_minor, currency, status,
           captured_at, business_date
    from {{ ref('stg_beta_transactions') }}

),

unioned as (

    select * from alpha
    union all
    select * from beta

)

select
    -- ids
    processor,
    txn_id,
    payment_reference          as payment_id,
    card_pan                   as card_token,
    -- amounts
    amount_minor,
    fee_minor,
    currency,
    status,
    -- timestamps
    captured_at,
    business_date
from unioned
