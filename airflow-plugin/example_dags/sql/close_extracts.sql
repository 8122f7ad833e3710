-- Month-end: unload every finance dataset of the period once each of its days is READY.
{% for table in params.close_tables %}
copy into @curated.finance_extracts/close/{{ params.period }}/{{ table }}/
from (select * from curated.{{ table }} where to_char(business_date, 'YYYY-MM') = '{{ params.period }}')
header = true
overwrite = true;
{% endfor %}
