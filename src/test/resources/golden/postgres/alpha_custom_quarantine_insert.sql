insert into quarantine.quarantined_row (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                             last_evaluation_id, reason, masked_sample, quarantined_at)
select ? as dataset, ? as partition_key, ? as rule_name, (c.row_key)::text as row_key, ? as first_evaluation_id,
       ? as last_evaluation_id, coalesce(c.reason, ?) as reason, jsonb_build_object('row_key', c.row_key, 'reason', c.reason) as masked_sample,
       ? as quarantined_at
from (
select t.txn_id as row_key,
       'processor ' || t.amount_minor || ' ' || coalesce(t.currency, '?') || ', ledger ' || p.amount_minor || ' ' || p.currency as reason
from staging.alpha_transactions t
join staging.payments p on p.payment_id = t.payment_reference
where t.business_date = ? and t.status = 'CAPTURED'
  and (t.amount_minor <> p.amount_minor or t.currency is distinct from p.currency)
) c
on conflict (dataset, partition_key, rule_name, row_key)
do update set last_evaluation_id = excluded.last_evaluation_id, still_failing = true,
              reason = excluded.reason
