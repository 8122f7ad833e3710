-- stg_ledger_settlements: one row per settlement as the ledger last recorded it. Grain: settlement_id.
with landed as (

    select * from raw.ledger_settlements

),

latest as (

    select distinct on (record->>'settlement_id') *
    from landed
    order by record->>'settlement_id', change_seq desc

),

typed as (

    select
        -- ids
        record->>'settlement_id'               as settlement_id,
        record->>'payment_id'                  as payment_id,
        record->>'processor'                   as processor,
        -- amounts
        (record->>'amount_minor')::bigint      as amount_minor,
        (record->>'fee_minor')::bigint         as fee_minor,
        record->>'currency'                    as currency,
        -- timestamps
        (record->>'settled_at')::timestamptz   as settled_at,
        (record->>'business_date')::date       as business_date,
        change_seq,
        op
    from latest

)

select settlement_id, payment_id, processor, amount_minor, fee_minor, currency, settled_at, business_date,
       change_seq
from typed
where op <> 'D'
