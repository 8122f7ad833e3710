-- The external stages the FinLedger DAGs read from and unload to. The storage integration is
-- created with the S3 buckets (deploy/); these statements are idempotent.
create stage if not exists raw.landing
    url = 's3://{{ params.landing_bucket }}/landing/'
    storage_integration = {{ params.storage_integration }};
create stage if not exists curated.finance_extracts
    url = 's3://{{ params.extracts_bucket }}/finance_extracts/'
    storage_integration = {{ params.storage_integration }}
    file_format = (type = parquet);
