-- processor_transactions: one row per processor transaction, both processors side by side.
with alpha as (

    select 'alpha' as processor, * from staging.alpha_transactions

),

beta as (

    select 'beta' as processor, * from staging.beta_transactions

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
