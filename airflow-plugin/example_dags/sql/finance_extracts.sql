-- The finance extract of one business date, unloaded only after balances are READY.
copy into @curated.finance_extracts/balances/business_date={{ data_interval_start | ds }}/
from (select * from curated.balances where business_date = '{{ data_interval_start | ds }}')
header = true
overwrite = true
