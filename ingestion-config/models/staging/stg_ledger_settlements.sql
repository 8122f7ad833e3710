-- stg_ledger_settlements: one row per settlement as the ledger last recorded it. Grain: settlement_id.
{{ config(unique_key='settlement_id') }}

with landed as (

    select * from {{ source('raw', 'ledger_settlements') }}

),

latest as (

    {{ latest_per_key('landed', json_text('record', 'settlement_id'), 'change_seq desc') }}

),

typed as (

    select
        -- ids
        {{ json_text('record', 'settlement_id') }}                   as settlement_id,
        {{ json_text('record', 'payment_id') }}                      as payment_id,
        {{ json_text('record', 'processor') }}                       as processor,
        -- amounts
        cast({{ json_text('record', 'amount_minor') }} as bigint)    as amount_minor,
        cast({{ json_text('record', 'fee_minor') }} as bigint)       as fee_minor,
        {{ json_text('record', 'currency') }}                        as currency,
        -- timestamps
        {{ to_timestamptz(json_text('record', 'settled_at')) }}      as settled_at,
        cast({{ json_text('record', 'business_date') }} as date)     as business_date,
        change_seq,
        op
    from latest

)

select settlement_id, payment_id, processor, amount_minor, fee_minor, currency, settled_at, business_date,
       change_seq
from typed
where op <> 'D'
