insert into quarantine.quarantined_row (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                             last_evaluation_id, reason, masked_sample, quarantined_at)
select ? as dataset, ? as partition_key, ? as rule_name, x.row_key, ? as first_evaluation_id,
       ? as last_evaluation_id, ? as reason, jsonb_build_object('payment_id', x.payment_id, 'merchant_id', x.merchant_id, 'processor', x.processor, 'card_pan', '•••• •••• •••• ' || right((x.card_pan)::text, 4), 'amount_minor', x.amount_minor, 'currency', x.currency, 'status', x.status, 'created_at', x.created_at, 'business_date', x.business_date) as masked_sample, ? as quarantined_at
from (
select t.*, coalesce((t.payment_id)::text, '') as row_key,
       (false) as f0,
       (t.merchant_id is null or t.processor is null or t.card_pan is null or t.amount_minor is null or t.currency is null or t.status is null or t.created_at is null) as f1,
       (t.amount_minor < 1 or t.amount_minor > 100000000) as f2,
       (t.currency is not null and t.currency not in ('EUR', 'GBP', 'USD')) as f3,
       (t.status is not null and t.status not in ('AUTHORIZED', 'CAPTURED', 'DECLINED', 'REFUNDED')) as f4,
       (t.processor is not null and t.processor not in ('alpha', 'beta')) as f5
from staging.payments t
where t.business_date = ?
) x
where x.f0
on conflict (dataset, partition_key, rule_name, row_key)
do update set last_evaluation_id = excluded.last_evaluation_id, still_failing = true,
              reason = excluded.reason
