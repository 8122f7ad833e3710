-- stg_bank_settlement_lines: one row per line of Northbank's settlement report.
-- Grain: line_reference. A resent or corrected file supersedes earlier ones (later arrival wins).
{{ config(unique_key='line_reference') }}

with landed as (

    select * from {{ source('raw', 'bank_settlement_lines') }}

),

latest as (

    {{ latest_per_key('landed', json_text('record', 'line_reference'), 'change_seq desc') }}

),

typed as (

    select
        -- ids
        {{ json_text('record', 'line_reference') }}                  as line_reference,
        {{ json_text('record', 'settlement_reference') }}            as settlement_reference,
        {{ json_text('record', 'account') }}                         as account,
        -- amounts
        cast({{ json_text('record', 'amount') }} as numeric(18, 2))  as amount,
        {{ json_text('record', 'currency') }}                        as currency,
        -- dates
        cast({{ json_text('record', 'value_date') }} as date)        as value_date,
        change_seq
    from latest

)

select line_reference, settlement_reference, value_date, amount, currency, account, change_seq
from typed
