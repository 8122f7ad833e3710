-- The hash-chained audit log: append-only; each entry carries the SHA-256 of the previous one.
create table audit_log (
    seq          bigint      primary key,
    occurred_at  timestamptz not null,
    actor        text        not null,
    action       text        not null,
    subject_type text        not null,
    subject_id   text        not null,
    reason       text,
    details      text        not null default '{}',
    prev_hash    char(64)    not null,
    entry_hash   char(64)    not null unique
);

create index audit_log_subject on audit_log (subject_type, subject_id, seq);

-- One row holding the end of the chain; appenders lock it so entries are written strictly in order.
create table audit_chain_head (
    id        smallint primary key check (id = 1),
    last_seq  bigint   not null,
    last_hash char(64) not null
);
insert into audit_chain_head (id, last_seq, last_hash) values (1, 0, repeat('0', 64));

create function audit_log_is_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit_log is append-only: % is not allowed', tg_op;
end;
$$;

create trigger audit_log_append_only
    before update or delete on audit_log
    for each row execute function audit_log_is_append_only();

create trigger audit_log_no_truncate
    before truncate on audit_log
    for each statement execute function audit_log_is_append_only();
