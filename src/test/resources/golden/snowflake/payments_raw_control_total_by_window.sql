with landed as (
    select floor(date_part(epoch_millisecond, try_to_timestamp_tz(record:"created_at"::string)) / 900000) as part, record:"payment_id"::string as k0, change_seq as change_seq, op as op, try_to_decimal(record:"amount_minor"::string, 38, 6) as amount, record:"currency"::string as currency
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
    select v.*, to_number(substr(md5((coalesce(k0, '') || '|' || coalesce(to_varchar(change_seq), ''))), 1, 16), 'XXXXXXXXXXXXXXXX') as h,
           row_number() over (partition by k0 order by change_seq desc) as recency
    from versions v
)
select part, currency,
       sum(copies) as row_count,
       sum(to_decimal(cast(copies as numeric) * h, 38, 0)) as row_fp,
       sum(copies * amount) as row_amount,
       count_if(recency = 1 and op <> 'D') as eff_count,
       sum(to_decimal(case when recency = 1 and op <> 'D' then h else 0 end, 38, 0)) as eff_fp,
       sum(case when recency = 1 and op <> 'D' then amount else 0 end) as eff_amount,
       sum(copies - 1) as dup_rows,
       sum(to_decimal(cast(copies - 1 as numeric) * h, 38, 0)) as dup_fp,
       sum((copies - 1) * amount) as dup_amount,
       count_if(recency > 1) as superseded_rows,
       count_if(recency = 1 and op = 'D') as deleted_keys
from ranked
group by part, currency
