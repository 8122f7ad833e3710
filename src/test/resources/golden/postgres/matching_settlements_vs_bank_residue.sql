select outcome, item_key, strategy, left_ref, left_item, left_count, left_amount_minor, left_net_minor, left_currency, left_at, left_business_date, left_group_ref, right_ref, right_item, right_count, right_amount_minor, right_net_minor, right_currency, right_at, right_business_date, right_group_ref, processor, partner
from recon.match_item
where run_id = 42 and rule_name = 'settlements_vs_bank' and in_scope = 1 and outcome not like 'MATCHED%'
order by item_key
