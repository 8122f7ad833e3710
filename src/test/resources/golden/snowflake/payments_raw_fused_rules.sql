select count(*) as row_count,
       count_if(x.f0_m0) as f0_m0,
       count_if(x.f0_m1) as f0_m1,
       count_if(x.f0_m2) as f0_m2,
       count_if(x.f0_m3) as f0_m3,
       count_if(x.f0_m4) as f0_m4,
       count_if(x.f0_t4) as f0_t4,
       count_if(x.f0_m5) as f0_m5,
       count_if(x.f0_m6) as f0_m6,
       count_if(x.f0_m7) as f0_m7,
       count_if(x.f0_t7) as f0_t7,
       count_if(x.f0_m8) as f0_m8,
       count_if(x.f0_t8) as f0_t8,
       count_if(x.f0) as f0,
       count_if(x.f1) as f1
from (
select (not (t.record:"payment_id" is not null)) as f0_m0,
       (not (t.record:"merchant_id" is not null)) as f0_m1,
       (not (t.record:"processor" is not null)) as f0_m2,
       (not (t.record:"card_pan" is not null)) as f0_m3,
       (not (t.record:"amount_minor" is not null)) as f0_m4,
       (t.record:"amount_minor"::string is not null and not regexp_like(t.record:"amount_minor"::string, '-?[0-9]+')) as f0_t4,
       (not (t.record:"currency" is not null)) as f0_m5,
       (not (t.record:"status" is not null)) as f0_m6,
       (not (t.record:"created_at" is not null)) as f0_m7,
       (t.record:"created_at"::string is not null and not regexp_like(t.record:"created_at"::string, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?')) as f0_t7,
       (not (t.record:"business_date" is not null)) as f0_m8,
       (t.record:"business_date"::string is not null and not regexp_like(t.record:"business_date"::string, '[0-9]{4}-[0-9]{2}-[0-9]{2}')) as f0_t8,
       ((not (t.record:"payment_id" is not null)) or (not (t.record:"merchant_id" is not null)) or (not (t.record:"processor" is not null)) or (not (t.record:"card_pan" is not null)) or (not (t.record:"amount_minor" is not null)) or (t.record:"amount_minor"::string is not null and not regexp_like(t.record:"amount_minor"::string, '-?[0-9]+')) or (not (t.record:"currency" is not null)) or (not (t.record:"status" is not null)) or (not (t.record:"created_at" is not null)) or (t.record:"created_at"::string is not null and not regexp_like(t.record:"created_at"::string, '[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?')) or (not (t.record:"business_date" is not null)) or (t.record:"business_date"::string is not null and not regexp_like(t.record:"business_date"::string, '[0-9]{4}-[0-9]{2}-[0-9]{2}'))) as f0,
       (row_number() over (partition by t.record:"payment_id"::string, t.change_seq order by t.change_seq, t.object_key, t.line_no) > 1) as f1
from raw.payments t
where t.business_date = ?
) x
