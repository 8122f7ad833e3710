insert into recon.match_item (run_id, rule_name, scope_key, strategy, outcome, item_key, match_group, in_scope,
    left_ref, left_item, left_count, left_amount_minor, left_net_minor, left_currency, left_at, left_business_date, left_group_ref,
    right_ref, right_item, right_count, right_amount_minor, right_net_minor, right_currency, right_at, right_business_date, right_group_ref,
    processor, partner)
select 42, 'settlements_vs_bank', '2026-11-02', 'exact_reference', outcome,
       coalesce(l_item, '') || '|' || coalesce(r_item, ''), null,
       case when (l_n is not null and l_bd = ?) or (l_n is null and r_bd = ?) then 1 else 0 end,
       l_ref, l_item, l_n, l_amount, coalesce(l_net, l_amount), l_currency, cast(l_at as timestamptz), l_bd, 'PAYOUT' || '-' || (l_gp0)::text || '-' || (l_gp1)::text || '-' || (l_gp2)::text,
       r_ref, r_item, r_n, r_amount, coalesce(r_net, r_amount), r_currency, cast(r_at as timestamptz), r_bd, cast(null as text),
       coalesce(l_processor, r_processor), coalesce(l_partner, r_partner)
from (
    select l.*, r.*,
        case
            when l.l_n is null then case when r.r_n > 1 then 'DUPLICATE' else 'UNMATCHED_RIGHT' end
            when r.r_n is null then case when l.l_n > 1 then 'DUPLICATE' else 'UNMATCHED_LEFT' end
            when l.l_n > 1 or r.r_n > 1 then 'DUPLICATE'
            when coalesce(l.l_currency, '') <> coalesce(r.r_currency, '') then case
                when (case when l.l_currency = 'EUR' and r.r_currency = 'GBP' then 0.87 when l.l_currency = 'GBP' and r.r_currency = 'EUR' then 1.15 when l.l_currency = 'USD' and r.r_currency = 'EUR' then 0.92 when l.l_currency = 'USD' and r.r_currency = 'GBP' then 0.8 end) is null then 'CURRENCY_MISMATCH'
                when abs(l.l_amount * (case when l.l_currency = 'EUR' and r.r_currency = 'GBP' then 0.87 when l.l_currency = 'GBP' and r.r_currency = 'EUR' then 1.15 when l.l_currency = 'USD' and r.r_currency = 'EUR' then 0.92 when l.l_currency = 'USD' and r.r_currency = 'GBP' then 0.8 end) - r.r_amount) * 100 > 0.5 * abs(r.r_amount) then 'AMOUNT_MISMATCH'
                when not (abs(cast(extract(epoch from (cast(r.r_at as timestamptz) - cast(l.l_at as timestamptz))) as bigint)) <= 86400) then 'TIMING'
                else 'MATCHED_FX' end
            when not ((abs(l.l_amount - r.r_amount) <= 0)) then 'AMOUNT_MISMATCH'
            when not (abs(cast(extract(epoch from (cast(r.r_at as timestamptz) - cast(l.l_at as timestamptz))) as bigint)) <= 86400) then 'TIMING'
            else 'MATCHED' end as outcome
    from (
        select t.settlement_id as l_ref, 1 as l_n, t.settlement_id as l_item, t.amount_minor as l_amount, t.amount_minor - coalesce(t.fee_minor, 0) as l_net,
               t.currency as l_currency, t.settled_at as l_at, t.business_date as l_bd, t.processor as l_processor, cast(null as text) as l_partner, t.processor as l_gp0, t.business_date as l_gp1, t.currency as l_gp2
        from staging.ledger_settlements t
        where t.business_date between ? and ?
    ) l
    full outer join (
        select t.settlement_reference as r_ref, count(*) as r_n, min(t.line_reference) as r_item, cast(sum(cast(t.amount * 100 as bigint)) as bigint) as r_amount, cast(null as bigint) as r_net,
               min(t.currency) as r_currency, min(t.value_date) as r_at, min(t.value_date) as r_bd, cast(null as text) as r_processor, 'northbank' as r_partner
        from staging.bank_settlement_lines t
        where t.value_date between ? and ?
        group by t.settlement_reference
    ) r on r.r_ref = l.l_ref
) classified
where outcome <> 'MATCHED'
