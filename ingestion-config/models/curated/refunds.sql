-- refunds: one row per refund.
{{ config(unique_key='refund_id') }}

with refunds as (

    select * from {{ ref('stg_ledger_refunds') }}

)

select
    -- ids
    refund_id,
    payment_id,
    -- amounts
    amount_minor,
    currency,
    reason,
    -- timestamps
    created_at,
    business_date
from refunds
