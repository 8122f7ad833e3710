-- One business date of a ledger's change files (Parquet, shaped by the Glue job) into RAW. Snowflake
-- answers one row per file; the load's row count is rows_loaded summed over them.
copy into raw.{{ params.dataset }}
from @raw.landing/{{ params.folder }}/business_date={{ data_interval_start | ds }}/
file_format = (type = parquet)
match_by_column_name = case_insensitive
