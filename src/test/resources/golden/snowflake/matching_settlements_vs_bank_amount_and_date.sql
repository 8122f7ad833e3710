update recon.match_item set outcome = 'MATCHED', strategy = 'amount_and_date', match_group = p.grp
from (
    with lefts as (
        select item_key, left_currency as k1, left_amount_minor as k2, left_currency as currency, left_amount_minor as amount, left_at as at,
               row_number() over (partition by left_currency, left_amount_minor order by left_at, item_key) as rn
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_LEFT' and left_count = 1
    ), rights as (
        select item_key, right_currency as k1, right_amount_minor as k2, right_currency as currency, right_amount_minor as amount, right_at as at,
               row_number() over (partition by right_currency, right_amount_minor order by right_at, item_key) as rn
        from recon.match_item
        where run_id = 42 and rule_name = 'settlements_vs_bank' and outcome = 'UNMATCHED_RIGHT' and right_count = 1
    ), pairs as (
        select l.item_key as lk, r.item_key as rk
        from lefts l join rights r on l.k1 = r.k1 and l.k2 = r.k2 and l.rn = r.rn
        where abs(datediff(second, cast(l.at as timestamp_tz), cast(r.at as timestamp_tz))) <= 86400
    )
    select lk as k, 'amount_and_date:' || lk || '+' || rk as grp from pairs
    union all
    select rk, 'amount_and_date:' || lk || '+' || rk from pairs
) p
where run_id = 42 and rule_name = 'settlements_vs_bank' and item_key = p.k
