-- stg_ledger_refunds: one row per refund as the ledger last recorded it. Grain: refund_id.
{{ config(unique_key='refund_id') }}

with landed as (

    select * from {{ source('raw', 'ledger_refunds') }}

),

latest as (

    {{ latest_per_key('landed', json_text('record', 'refund_id'), 'change_seq desc') }}

),

typed as (

    select
        -- ids
        {{ json_text('record', 'refund_id') }}                       as refund_id,
        {{ json_text('record', 'payment_id') }}                      as payment_id,
        -- amounts
        cast({{ json_text('record', 'amount_minor') }} as bigint)    as amount_minor,
        {{ json_text('record', 'currency') }}                        as currency,
        {{ json_text('record', 'reason') }}                          as reason,
        -- timestamps
        {{ to_timestamptz(json_text('record', 'created_at')) }}      as created_at,
        cast({{ json_text('record', 'business_date') }} as date)     as business_date,
        change_seq,
        op
    from latest

)

select refund_id, payment_id, amount_minor, currency, reason, created_at, business_date, change_seq
from typed
where op <> 'D'
