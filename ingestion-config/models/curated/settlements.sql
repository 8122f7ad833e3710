-- settlements: one row per ledger settlement, with the bank's line beside it when there is one.
-- Bank amounts arrive as decimals in major units; all three currencies here have two decimals.
{{ config(unique_key='settlement_id') }}

with ledger as (

    select * from {{ ref('stg_ledger_settlements') }}

),

bank_lines as (

    select
        settlement_reference,
        line_reference,
        cast(amount * 100 as bigint) as amount_minor,
        currency,
        value_date,
        row_number() over (partition by settlement_reference order by change_seq desc) as recency
    from {{ ref('stg_bank_settlement_lines') }}

),

bank as (

    select settlement_reference, line_reference, amount_minor, currency, value_date
    from bank_lines
    where recency = 1

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
