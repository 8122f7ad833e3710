-- The last valid rule set is kept per kind: the data-quality rules (rules/*.yaml) and the match rules
-- (rules/matching/*.yaml), so a restart on a broken folder of either kind still runs its last good set.
-- A set is stored once per kind and content; activating an earlier set again moves it to the front
-- (activation_seq), so "the last valid set" is the one most recently activated, not the newest stored.
create sequence rule_set_activation_seq;
alter table rule_set add column kind text not null default 'quality';
alter table rule_set add column activated_at timestamptz;
alter table rule_set add column activation_seq bigint;
update rule_set set activated_at = loaded_at, activation_seq = nextval('rule_set_activation_seq');
alter table rule_set alter column activated_at set not null;
alter table rule_set alter column activation_seq set not null;
alter table rule_set alter column activation_seq set default nextval('rule_set_activation_seq');
alter table rule_set drop constraint rule_set_content_hash_key;
alter table rule_set add constraint rule_set_kind_content_hash_key unique (kind, content_hash);
alter table rule_set add constraint rule_set_kind_known check (kind in ('quality', 'matching'));
