select count(*) as row_count,
       count(*) filter (where x.f0_m0) as f0_m0,
       count(*) filter (where x.f0_m1) as f0_m1,
       count(*) filter (where x.f0_m2) as f0_m2,
       count(*) filter (where x.f0_m3) as f0_m3,
       count(*) filter (where x.f0_m4) as f0_m4,
       count(*) filter (where x.f0_t4) as f0_t4,
       count(*) filter (where x.f0_m5) as f0_m5,
       count(*) filter (where x.f0_m6) as f0_m6,
       count(*) filter (where x.f0_m7) as f0_m7,
       count(*) filter (where x.f0_t7) as f0_t7,
       count(*) filter (where x.f0_m8) as f0_m8,
       count(*) filter (where x.f0_t8) as f0_t8,
       count(*) filter (where x.f0) as f0,
       count(*) filter (where x.f1) as f1
from (
select (not (jsonb_exists(t.record, 'payment_id'))) as f0_m0,
       (not (jsonb_exists(t.record, 'merchant_id'))) as f0_m1,
       (not (jsonb_exists(t.record, 'processor'))) as f0_m2,
       (not (jsonb_exists(t.record, 'card_pan'))) as f0_m3,
       (not (jsonb_exists(t.record, 'amount_minor'))) as f0_m4,
       (t.record->>'amount_minor' is not null and not (t.record->>'amount_minor') ~ '^(-?[0-9]+)$') as f0_t4,
       (not (jsonb_exists(t.record, 'currency'))) as f0_m5,
       (not (jsonb_exists(t.record, 'status'))) as f0_m6,
       (not (jsonb_exists(t.record, 'created_at'))) as f0_m7,
       (t.record->>'created_at' is not null and not (t.record->>'created_at') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)$') as f0_t7,
       (not (jsonb_exists(t.record, 'business_date'))) as f0_m8,
       (t.record->>'business_date' is not null and not (t.record->>'business_date') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2})$') as f0_t8,
       ((not (jsonb_exists(t.record, 'payment_id'))) or (not (jsonb_exists(t.record, 'merchant_id'))) or (not (jsonb_exists(t.record, 'processor'))) or (not (jsonb_exists(t.record, 'card_pan'))) or (not (jsonb_exists(t.record, 'amount_minor'))) or (t.record->>'amount_minor' is not null and not (t.record->>'amount_minor') ~ '^(-?[0-9]+)$') or (not (jsonb_exists(t.record, 'currency'))) or (not (jsonb_exists(t.record, 'status'))) or (not (jsonb_exists(t.record, 'created_at'))) or (t.record->>'created_at' is not null and not (t.record->>'created_at') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)$') or (not (jsonb_exists(t.record, 'business_date'))) or (t.record->>'business_date' is not null and not (t.record->>'business_date') ~ '^([0-9]{4}-[0-9]{2}-[0-9]{2})$')) as f0,
       (row_number() over (partition by t.record->>'payment_id', t.change_seq order by t.change_seq, t.object_key, t.line_no) > 1) as f1
from raw.payments t
where t.business_date = ?
) x
