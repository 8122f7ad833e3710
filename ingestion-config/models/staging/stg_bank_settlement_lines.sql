-- stg_bank_settlement_lines: one row per line of Northbank's settlement report.
-- Grain: line_reference. A resent or corrected file supersedes earlier ones (later arrival wins).
with landed as (

    select * from raw.bank_settlement_lines

),

latest as (

    select distinct on (record->>'line_reference') *
    from landed
    order by record->>'line_reference', change_seq desc

),

typed as (

    select
        -- ids
        record->>'line_reference'              as line_reference,
        record->>'settlement_reference'        as settlement_reference,
        record->>'account'                     as account,
        -- amounts
        (record->>'amount')::numeric(18, 2)    as amount,
        record->>'currency'                    as currency,
        -- dates
        (record->>'value_date')::date          as value_date,
        change_seq
    from latest

)

select line_reference, settlement_reference, value_date, amount, currency, account, change_seq
from typed
