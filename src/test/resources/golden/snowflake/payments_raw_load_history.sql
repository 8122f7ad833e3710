select file_name, last_load_time, row_count, row_parsed, file_size, status, first_error_message,
       error_count, pipe_name
from table(information_schema.copy_history(
    table_name => 'RAW.PAYMENTS', start_time => to_timestamp_ltz(?)))
order by last_load_time, file_name
