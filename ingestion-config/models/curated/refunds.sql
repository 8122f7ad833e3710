-- refunds: one row per refund.
with refunds as (

    select * from staging.ledger_refunds

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
