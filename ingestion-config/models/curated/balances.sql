-- balances: one row per merchant, business date and currency.
-- Invariant: net_minor = captured_minor - refunded_minor. Refunds count on the payment's merchant and
-- the refund's own business date; a refund whose payment is unknown cannot be attributed and is left
-- to the relationships rule on ledger_refunds.
{{ config(unique_key=['merchant_id', 'business_date', 'currency']) }}

with transactions as (

    select * from {{ ref('transactions') }} where status = 'CAPTURED'

),

refunds as (

    select
        transactions.merchant_id,
        refunds.business_date,
        refunds.currency,
        refunds.amount_minor
    from {{ ref('refunds') }} as refunds
    join {{ ref('transactions') }} as transactions on transactions.payment_id = refunds.payment_id

),

captured as (

    select merchant_id, business_date, currency, sum(amount_minor) as captured_minor, count(*) as payment_count
    from transactions
    group by 1, 2, 3

),

refunded as (

    select merchant_id, business_date, currency, sum(amount_minor) as refunded_minor, count(*) as refund_count
    from refunds
    group by 1, 2, 3

)

select
    -- ids
    coalesce(captured.merchant_id, refunded.merchant_id)       as merchant_id,
    coalesce(captured.business_date, refunded.business_date)   as business_date,
    coalesce(captured.currency, refunded.currency)             as currency,
    -- amounts
    cast(coalesce(captured.captured_minor, 0) as bigint)        as captured_minor,
    cast(coalesce(refunded.refunded_minor, 0) as bigint)        as refunded_minor,
    cast(coalesce(captured.captured_minor, 0) - coalesce(refunded.refunded_minor, 0) as bigint) as net_minor,
    coalesce(captured.payment_count, 0)                         as payment_count,
    coalesce(refunded.refund_count, 0)                          as refund_count
from captured
full outer join refunded
    on refunded.merchant_id = captured.merchant_id
   and refunded.business_date = captured.business_date
   and refunded.currency = captured.currency
