insert into recon.match_item (run_id, rule_name, scope_key, strategy, outcome, item_key, match_group, in_scope,
    left_ref, left_item, left_count, left_amount_minor, left_net_minor, left_currency, left_at, left_business_date, left_group_ref,
    right_ref, right_item, right_count, right_amount_minor, right_net_minor, right_currency, right_at, right_business_date, right_group_ref,
    processor, partner)
select 44, 'refunds_vs_alpha', '2026-11-02T10:15Z', 'exact_reference', outcome,
       coalesce(l_item, '') || '|' || coalesce(r_item, ''), null,
       case when (l_n is not null and l_at >= ? and l_at < ?) or (l_n is null and r_at >= ? and r_at < ?) then 1 else 0 end,
       l_ref, l_item, l_n, l_amount, coalesce(l_net, l_amount), l_currency, cast(l_at as timestamp_tz), l_bd, cast(null as varchar),
       r_ref, r_item, r_n, r_amount, coalesce(r_net, r_amount), r_currency, cast(r_at as timestamp_tz), r_bd, cast(null as varchar),
       coalesce(l_processor, r_processor), coalesce(l_partner, r_partner)
from (
    select l.*, r.*,
        case
            when l.l_n is null then case when r.r_n > 1 then 'DUPLICATE' else 'UNMATCHED_RIGHT' end
            when r.r_n is null then case when l.l_n > 1 then 'DUPLICATE' else 'UNMATCHED_LEFT' end
            when l.l_n > 1 or r.r_n > 1 then 'DUPLICATE'
            when coalesce(l.l_currency, '') <> coalesce(r.r_currency, '') then 'CURRENCY_MISMATCH'
            when not ((abs(l.l_amount - r.r_amount) <= 0)) then 'AMOUNT_MISMATCH'
            when not (abs(datediff(second, cast(l.l_at as timestamp_tz), cast(r.r_at as timestamp_tz))) <= 600) then 'TIMING'
            else 'MATCHED' end as outcome
    from (
        select t.payment_id as l_ref, count(*) as l_n, min(t.refund_id) as l_item, cast(sum(t.amount_minor) as bigint) as l_amount, cast(null as bigint) as l_net,
               min(t.currency) as l_currency, min(t.created_at) as l_at, min(t.business_date) as l_bd, 'alpha' as l_processor, cast(null as varchar) as l_partner
        from staging.ledger_refunds t
        where exists (select 1 from staging.payments b where b.payment_id = t.payment_id and b.processor = 'alpha') and t.created_at >= ? and t.created_at < ?
        group by t.payment_id
    ) l
    full outer join (
        select t.payment_reference as r_ref, count(*) as r_n, min(t.txn_id) as r_item, cast(sum(t.amount_minor) as bigint) as r_amount, cast(null as bigint) as r_net,
               min(t.currency) as r_currency, min(t.captured_at) as r_at, min(t.business_date) as r_bd, 'alpha' as r_processor, cast(null as varchar) as r_partner
        from staging.alpha_transactions t
        where t.status = 'REFUNDED' and t.captured_at >= ? and t.captured_at < ?
        group by t.payment_reference
    ) r on r.r_ref = l.l_ref
) classified
where outcome <> 'MATCHED'
