select count(*) as row_count,
       count_if((false)) as f0,
       count_if((t.merchant_id is null or t.processor is null or t.card_pan is null or t.amount_minor is null or t.currency is null or t.status is null or t.created_at is null)) as f1,
       count_if((t.amount_minor < 1 or t.amount_minor > 100000000)) as f2,
       count_if((t.currency is not null and t.currency not in ('EUR', 'GBP', 'USD'))) as f3,
       count_if((t.status is not null and t.status not in ('AUTHORIZED', 'CAPTURED', 'DECLINED', 'REFUNDED'))) as f4,
       count_if((t.processor is not null and t.processor not in ('alpha', 'beta'))) as f5
from staging.payments t
where t.business_date = ?
