select count(*) as row_count,
       count(*) filter (where x.f0) as f0,
       count(*) filter (where x.f1) as f1,
       count(*) filter (where x.f2) as f2,
       count(*) filter (where x.f3) as f3,
       count(*) filter (where x.f4) as f4,
       count(*) filter (where x.f5) as f5
from (
select t.*, coalesce((t.payment_id)::text, '') as row_key,
       (row_number() over (partition by t.payment_id order by t.payment_id) > 1) as f0,
       (t.merchant_id is null or t.processor is null or t.card_pan is null or t.amount_minor is null or t.currency is null or t.status is null or t.created_at is null) as f1,
       (t.amount_minor < 1 or t.amount_minor > 100000000) as f2,
       (t.currency is not null and t.currency not in ('EUR', 'GBP', 'USD')) as f3,
       (t.status is not null and t.status not in ('AUTHORIZED', 'CAPTURED', 'DECLINED', 'REFUNDED')) as f4,
       (t.processor is not null and t.processor not in ('alpha', 'beta')) as f5
from staging.payments t
where t.business_date = ?
) x
