update recon.match_item set outcome = 'MATCHED', strategy = 'normalised_reference', match_group = p.grp
from (
    with lefts as (
        select item_key, upper(regexp_replace(left_ref, '[^A-Za-z0-9]', '')) as k1, left_currency as currency, left_amount_minor as amount, left_at as at,
               row_number() over (partition by upper(regexp_replace(left_ref, '[^A-Za-z0-9]', '')) order by item_key) as rn
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_LEFT' and left_count = 1
    ), rights as (
        select item_key, upper(regexp_replace(right_ref, '[^A-Za-z0-9]', '')) as k1, right_currency as currency, right_amount_minor as amount, right_at as at,
               row_number() over (partition by upper(regexp_replace(right_ref, '[^A-Za-z0-9]', '')) order by item_key) as rn
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_RIGHT' and right_count = 1
    ), pairs as (
        select l.item_key as lk, r.item_key as rk
        from lefts l join rights r on l.k1 = r.k1 and l.rn = r.rn and l.currency = r.currency and (abs(l.amount - r.amount) <= 0)
    )
    select lk as k, 'normalised_reference:' || lk || '+' || rk as grp from pairs
    union all
    select rk, 'normalised_reference:' || lk || '+' || rk from pairs
) p
where run_id = 42 and rule_name = 'settlements_vs_bank' and item_key = p.k
