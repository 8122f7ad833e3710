-- stg_payments: one row per payment as the ledger last recorded it.
-- Grain: payment_id. DMS may land a change twice (restart); the latest change sequence wins,
-- and a payment whose latest change is a delete is not in staging.
with landed as (

    select * from raw.payments

),

latest as (

    select distinct on (record->>'payment_id') *
    from landed
    order by record->>'payment_id', change_seq desc

),

typed as (

    select
        -- ids
        record->>'payment_id'                  as payment_id,
        record->>'merchant_id'                 as merchant_id,
        record->>'processor'                   as processor,
        record->>'card_pan'                    as card_pan,
        -- amounts
        (record->>'amount_minor')::bigint      as amount_minor,
        record->>'currency'                    as currency,
        record->>'status'                      as status,
        -- timestamps
        (record->>'created_at')::timestamptz   as created_at,
        (record->>'business_date')::date       as business_date,
        change_seq,
        op
    from latest

)

select
    payment_id, merchant_id, processor, card_pan, amount_minor, currency, status, created_at, business_date,
    change_seq
from typed
where op <> 'D'
