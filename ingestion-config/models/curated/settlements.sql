-- settlements: one row per ledger settlement, with the bank's line beside it when there is one.
-- Bank amounts arrive as decimals in major units; all three currencies here have two decimals.
with ledger as (

    select * from staging.ledger_settlements

),

bank as (

    select distinct on (settlement_reference)
        settlement_reference,
        line_reference,
        (amount * 100)::bigint as amount_minor,
        currency,
        value_date
    from staging.bank_settlement_lines
    order by settlement_reference, change_seq desc

)

select
    -- ids
    ledger.settlement_id,
    ledger.payment_id,
    ledger.processor,
    bank.line_reference        as bank_line_reference,
    -- amounts
    ledger.amount_minor,
    ledger.fee_minor,
    ledger.currency,
    bank.amount_minor          as bank_amount_minor,
    bank.currency              as bank_currency,
    -- dates
    ledger.settled_at,
    bank.value_date            as bank_value_date,
    ledger.business_date
from ledger
left join bank on bank.settlement_reference = ledger.settlement_id
