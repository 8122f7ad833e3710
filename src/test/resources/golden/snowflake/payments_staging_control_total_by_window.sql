select floor(date_part(epoch_millisecond, created_at) / 900000) as part, currency as currency,
       count(*) as row_count,
       sum(to_decimal(to_number(substr(md5((coalesce(to_varchar(payment_id), '') || '|' || coalesce(to_varchar(change_seq), ''))), 1, 16), 'XXXXXXXXXXXXXXXX'), 38, 0)) as row_fp,
       sum(cast(amount_minor as numeric)) as row_amount,
       count(*) as eff_count,
       sum(to_decimal(to_number(substr(md5((coalesce(to_varchar(payment_id), '') || '|' || coalesce(to_varchar(change_seq), ''))), 1, 16), 'XXXXXXXXXXXXXXXX'), 38, 0)) as eff_fp,
       sum(cast(amount_minor as numeric)) as eff_amount,
       0 as dup_rows, 0 as dup_fp, 0 as dup_amount, 0 as superseded_rows, 0 as deleted_keys
from staging.payments
where business_date = ?
group by floor(date_part(epoch_millisecond, created_at) / 900000), currency
