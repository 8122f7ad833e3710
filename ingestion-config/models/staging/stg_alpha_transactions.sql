-- stg_alpha_transactions: one row per processor transaction, latest pull wins. Grain: txn_id.
-- Fields are read by their contracted names: a renamed field (schema drift) arrives as null here,
-- where the rules catch it, rather than being silently mapped.
with landed as (

    select * from raw.alpha_transactions

),

latest as (

    select distinct on (record->>'txn_id') *
    from landed
    order by record->>'txn_id', change_seq desc nulls last, object_key desc, line_no desc

),

typed as (

    select
        -- ids
        record->>'txn_id'                      as txn_id,
        record->>'payment_reference'           as payment_reference,
        record->>'card_pan'                    as card_pan,
        -- amounts
        (record->>'amount_minor')::bigint      as amount_minor,
        (record->>'fee_minor')::bigint         as fee_minor,
        record->>'currency'                    as currency,
        record->>'status'                      as status,
        -- timestamps
        (record->>'captured_at')::timestamptz  as captured_at,
        (record->>'updated_at')::timestamptz   as updated_at,
        (record->>'business_date')::date       as business_date,
        change_seq
    from latest

)

select txn_id, payment_reference, card_pan, amount_minor, fee_minor, currency, status, captured_at, updated_at,
       business_date, change_seq
from typed
