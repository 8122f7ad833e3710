with landed as (
    select cast(floor(extract(epoch from (case when (record->>'created_at') ~ '^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}' and pg_input_is_valid(record->>'created_at', 'timestamptz') then (record->>'created_at')::timestamptz end)) / 900) as bigint) as part, record->>'payment_id' as k0, change_seq as change_seq, op as op, (case when (record->>'amount_minor') ~ '^\s*-?[0-9]+(\.[0-9]+)?\s*$' then (record->>'amount_minor')::numeric end) as amount, record->>'currency' as currency
    from raw.payments
    where business_date = ?
),
versions as (
    select k0, change_seq, max(part) as part, max(op) as op, max(amount) as amount, max(currency) as currency,
           count(*) as copies
    from landed
    group by k0, change_seq
),
ranked as (
    select v.*, ('x' || substr(md5((coalesce(k0, '') || '|' || coalesce((change_seq)::text, ''))), 1, 16))::bit(64)::bigint as h,
           row_number() over (partition by k0 order by change_seq desc) as recency
    from versions v
)
select part, currency,
       sum(copies) as row_count,
       sum(cast(copies as numeric) * h) as row_fp,
       sum(copies * amount) as row_amount,
       count(*) filter (where recency = 1 and op <> 'D') as eff_count,
       sum(case when recency = 1 and op <> 'D' then h else 0 end) as eff_fp,
       sum(case when recency = 1 and op <> 'D' then amount else 0 end) as eff_amount,
       sum(copies - 1) as dup_rows,
       sum(cast(copies - 1 as numeric) * h) as dup_fp,
       sum((copies - 1) * amount) as dup_amount,
       count(*) filter (where recency > 1) as superseded_rows,
       count(*) filter (where recency = 1 and op = 'D') as deleted_keys
from ranked
group by part, currency
