insert into raw.payments (object_key, object_version, line_no, op, change_seq, commit_ts, business_date, record, loaded_at)
select v.object_key, v.object_version, v.line_no, v.op, cast(v.change_seq as bigint),
       cast(v.commit_ts as timestamp_tz), cast(v.business_date as date), parse_json(v.record),
       cast(v.loaded_at as timestamp_tz)
from (values (?, ?, ?, ?, ?, ?, ?, ?, ?),
             (?, ?, ?, ?, ?, ?, ?, ?, ?)) as v (object_key, object_version, line_no, op, change_seq, commit_ts, business_date, record, loaded_at)
where not exists (
    select 1 from raw.payments r
    where r.object_key = v.object_key and r.object_version = v.object_version
      and r.line_no = v.line_no)
