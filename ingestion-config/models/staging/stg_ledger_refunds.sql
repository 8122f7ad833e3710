-- stg_ledger_refunds: one row per refund as the ledger last recorded it. Grain: refund_id.
with landed as (

    select * from raw.ledger_refunds

),

latest as (

    select distinct on (record->>'refund_id') *
    from landed
    order by record->>'refund_id', change_seq desc

),

typed as (

    select
        -- ids
        record->>'refund_id'                   as refund_id,
        record->>'payment_id'                  as payment_id,
        -- amounts
        (record->>'amount_minor')::bigint      as amount_minor,
        record->>'currency'                    as currency,
        record->>'reason'                      as reason,
        -- timestamps
        (record->>'created_at')::timestamptz   as created_at,
        (record->>'business_date')::date       as business_date,
        change_seq,
        op
    from latest

)

select refund_id, payment_id, amount_minor, currency, reason, created_at, business_date, change_seq
from typed
where op <> 'D'
