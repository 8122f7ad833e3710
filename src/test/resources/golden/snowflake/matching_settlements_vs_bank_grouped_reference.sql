update recon.match_item set outcome = 'MATCHED', strategy = 'grouped_reference', match_group = p.grp
from (
    with members as (
        select item_key, left_group_ref as grp, left_currency as currency,
               sum(left_net_minor) over (partition by left_group_ref, left_currency order by left_at, item_key rows between unbounded preceding and current row) as running,
               row_number() over (partition by left_group_ref, left_currency order by left_at, item_key) as pos
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_LEFT' and left_group_ref is not null
    ), ones as (
        select item_key, right_ref as ref, right_amount_minor as amount, right_currency as currency
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_RIGHT' and right_count = 1
    ), agreed as (
        select m.grp, m.currency, o.item_key as one_key, min(m.pos) as last_pos
        from members m join ones o on o.ref = m.grp and o.currency = m.currency
        where (abs(m.running - o.amount) <= 0)
        group by m.grp, m.currency, o.item_key
    )
    select m.item_key as k, 'grouped_reference:' || a.one_key as grp
    from members m join agreed a on a.grp = m.grp and a.currency = m.currency and m.pos <= a.last_pos
    union all
    select a.one_key, 'grouped_reference:' || a.one_key from agreed a
) p
where run_id = 42 and rule_name = 'settlements_vs_bank' and item_key = p.k
