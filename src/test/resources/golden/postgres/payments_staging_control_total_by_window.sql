select cast(floor(extract(epoch from created_at) / 900) as bigint) as part, currency as currency,
       count(*) as row_count,
       sum(('x' || substr(md5((coalesce((payment_id)::text, '') || '|' || coalesce((change_seq)::text, ''))), 1, 16))::bit(64)::bigint) as row_fp,
       sum(cast(amount_minor as numeric)) as row_amount,
       count(*) as eff_count,
       sum(('x' || substr(md5((coalesce((payment_id)::text, '') || '|' || coalesce((change_seq)::text, ''))), 1, 16))::bit(64)::bigint) as eff_fp,
       sum(cast(amount_minor as numeric)) as eff_amount,
       0 as dup_rows, 0 as dup_fp, 0 as dup_amount, 0 as superseded_rows, 0 as deleted_keys
from staging.payments
where business_date = ?
group by cast(floor(extract(epoch from created_at) / 900) as bigint), currency
