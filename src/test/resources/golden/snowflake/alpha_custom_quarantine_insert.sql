merge into quarantine.quarantined_row q
using (
select ? as dataset, ? as partition_key, ? as rule_name, to_varchar(c.row_key) as row_key, ? as first_evaluation_id,
       ? as last_evaluation_id, coalesce(c.reason, ?) as reason, object_construct('row_key', c.row_key, 'reason', c.reason) as masked_sample,
       ? as quarantined_at
from (
select t.txn_id as row_key,
       'processor ' || t.amount_minor || ' ' || coalesce(t.currency, '?') || ', ledger ' || p.amount_minor || ' ' || p.currency as reason
from staging.alpha_transactions t
join staging.payments p on p.payment_id = t.payment_reference
where t.business_date = ? and t.status = 'CAPTURED'
  and (t.amount_minor <> p.amount_minor or t.currency is distinct from p.currency)
) c
) s
on q.dataset = s.dataset and q.partition_key = s.partition_key and q.rule_name = s.rule_name
   and q.row_key = s.row_key
when matched then update set last_evaluation_id = s.last_evaluation_id, still_failing = true,
                             reason = s.reason
when not matched then insert (dataset, partition_key, rule_name, row_key, first_evaluation_id,
                              last_evaluation_id, reason, masked_sample, quarantined_at)
     values (s.dataset, s.partition_key, s.rule_name, s.row_key, s.first_evaluation_id,
             s.last_evaluation_id, s.reason, s.masked_sample, s.quarantined_at)
