-- stg_payments: one row per payment as the ledger last recorded it.
-- Grain: payment_id. DMS may land a change twice (restart); the latest change sequence wins,
-- and a payment whose latest change is a delete is not in staging.
{{ config(unique_key='payment_id') }}

with landed as (

    select * from {{ source('raw', 'payments') }}

),

latest as (

    {{ latest_per_key('landed', json_text('record', 'payment_id'), 'change_seq desc') }}

),

typed as (

    select
        -- ids
        {{ json_text('record', 'payment_id') }}                      as payment_id,
        {{ json_text('record', 'merchant_id') }}                     as merchant_id,
        {{ json_text('record', 'processor') }}                       as processor,
        {{ json_text('record', 'card_pan') }}                        as card_pan,
        -- amounts
        cast({{ json_text('record', 'amount_minor') }} as bigint)    as amount_minor,
        {{ json_text('record', 'currency') }}                        as currency,
        {{ json_text('record', 'status') }}                          as status,
        -- timestamps
        {{ to_timestamptz(json_text('record', 'created_at')) }}      as created_at,
        cast({{ json_text('record', 'business_date') }} as date)     as business_date,
        change_seq,
        op
    from latest

)

select
    payment_id, merchant_id, processor, card_pan, amount_minor, currency, status, created_at, business_date,
    change_seq
from typed
where op <> 'D'
