create schema if not exists raw;
create table if not exists raw.payments (
    object_key     text        not null,
    object_version text        not null,
    line_no        integer     not null,
    op             char(1)     not null,
    change_seq     bigint,
    commit_ts      timestamptz,
    business_date  date        not null,
    record         jsonb       not null,
    loaded_at      timestamptz not null,
    primary key (object_key, object_version, line_no)
)
