select count(*) as records, max(cast(t.created_at as timestamp_tz)) as newest from staging.ledger_refunds t
where exists (select 1 from staging.payments b where b.payment_id = t.payment_id and b.processor = 'alpha') and t.created_at >= ? and t.created_at < ?
