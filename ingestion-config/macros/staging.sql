{#
  A processor's transactions in STAGING: one row per transaction, latest pull wins (grain txn_id).
  Both processors' APIs share one contract, so their staging models are this one select. Fields are
  read by their contracted names: a renamed field (schema drift) arrives as null here, where the
  rules catch it, rather than being silently mapped.
#}
{% macro stg_processor_transactions(raw_table) %}
with landed as (

    select * from {{ source('raw', raw_table) }}

),

latest as (

    {{ latest_per_key('landed', json_text('record', 'txn_id'),
                      'change_seq desc nulls last, object_key desc, line_no desc') }}

),

typed as (

    select
        -- ids
        {{ json_text('record', 'txn_id') }}                          as txn_id,
        {{ json_text('record', 'payment_reference') }}               as payment_reference,
        {{ json_text('record', 'card_pan') }}                        as card_pan,
        -- amounts
        cast({{ json_text('record', 'amount_minor') }} as bigint)    as amount_minor,
        cast({{ json_text('record', 'fee_minor') }} as bigint)       as fee_minor,
        {{ json_text('record', 'currency') }}                        as currency,
        {{ json_text('record', 'status') }}                          as status,
        -- timestamps
        {{ to_timestamptz(json_text('record', 'captured_at')) }}     as captured_at,
        {{ to_timestamptz(json_text('record', 'updated_at')) }}      as updated_at,
        cast({{ json_text('record', 'business_date') }} as date)     as business_date,
        change_seq
    from latest

)

select txn_id, payment_reference, card_pan, amount_minor, fee_minor, currency, status, captured_at, updated_at,
       business_date, change_seq
from typed
{% endmacro %}
