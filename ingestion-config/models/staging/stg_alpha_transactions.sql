-- stg_alpha_transactions: one row per processor Alpha transaction, latest pull wins. Grain: txn_id.
{{ config(unique_key='txn_id') }}

{{ stg_processor_transactions('alpha_transactions') }}
