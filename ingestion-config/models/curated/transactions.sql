-- transactions: one row per card payment, as the ledger last recorded it.
{{ config(unique_key='payment_id') }}

with payments as (

    select * from {{ ref('stg_payments') }}

)

select
    -- ids
    payment_id,
    merchant_id,
    processor,
    card_pan as card_token,
    -- amounts
    amount_minor,
    currency,
    status,
    -- timestamps
    created_at,
    business_date
from payments
