insert into raw.payments (object_key, object_version, line_no, op, change_seq, commit_ts, business_date, record, loaded_at)
values (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?),
       (?, ?, ?, ?, ?, ?, ?, cast(? as jsonb), ?)
on conflict (object_key, object_version, line_no) do nothing
