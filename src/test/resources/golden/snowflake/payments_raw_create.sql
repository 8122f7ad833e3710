create schema if not exists raw;
create table if not exists raw.payments (
    object_key     varchar       not null,
    object_version varchar       not null,
    line_no        integer       not null,
    op             char(1)       not null,
    change_seq     bigint,
    commit_ts      timestamp_tz,
    business_date  date          not null,
    record         variant       not null,
    loaded_at      timestamp_tz  not null
)
