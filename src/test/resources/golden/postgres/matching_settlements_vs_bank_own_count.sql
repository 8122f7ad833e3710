select count(*) as records, max(cast(t.value_date as timestamptz)) as newest from staging.bank_settlement_lines t
where t.value_date = ?
