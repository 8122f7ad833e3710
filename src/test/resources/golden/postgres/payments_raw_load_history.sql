select object_key || '?versionId=' || object_version as file_name, max(loaded_at) as last_load_time,
       count(*) as row_count, count(*) as row_parsed, cast(null as bigint) as file_size,
       'Loaded' as status, cast(null as text) as first_error_message, 0 as error_count,
       cast(null as text) as pipe_name
from raw.payments where loaded_at >= ?
group by object_key, object_version
order by 2, 1
