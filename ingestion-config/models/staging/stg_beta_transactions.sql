-- stg_beta_transactions: one row per processor Beta transaction, latest pull wins. Grain: txn_id.
{{ config(unique_key='txn_id') }}

{{ stg_processor_transactions('beta_transactions') }}
