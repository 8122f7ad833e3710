-- An evaluation that could not finish (a monitor or warehouse unreachable) says why; the partition
-- keeps its state, so it is never marked ready on an error.
alter table evaluation add column error text;

-- The local stand-in for AWS DMS keeps the counters and events DMS itself would report
-- (DescribeTableStatistics / DescribeEvents). Production reads them from DMS instead.
create table local_dms_table_stats (
    task_identifier  text        not null,
    schema_name      text        not null,
    table_name       text        not null,
    inserts          bigint      not null default 0,
    updates          bigint      not null default 0,
    deletes          bigint      not null default 0,
    ddls             bigint      not null default 0,
    full_load_rows   bigint      not null default 0,
    table_state      text        not null default 'Table completed',
    last_update_time timestamptz not null,
    primary key (task_identifier, schema_name, table_name)
);

create table local_dms_event (
    id              bigserial   primary key,
    task_identifier text        not null,
    occurred_at     timestamptz not null,
    message         text        not null,
    categories      text        not null,
    unique (task_identifier, occurred_at, message)
);

-- The gap-free pull-window ledger of the processor API extractor: one row per window [from, to)
-- of one endpoint, and one row per pull of it (first pull, look-back re-pulls, backfills).
create table pull_window (
    id              bigserial   primary key,
    source          text        not null,
    endpoint        text        not null,
    window_from     timestamptz not null,
    window_to       timestamptz not null,
    status          text        not null,
    row_count       bigint      not null default 0,
    checksum        text,
    pulls           integer     not null default 0,
    object_key      text,
    object_version  text,
    error           text,
    first_pulled_at timestamptz not null,
    last_pulled_at  timestamptz not null,
    last_changed_at timestamptz,
    unique (source, endpoint, window_from),
    check (window_to > window_from),
    check (status in ('SUCCEEDED', 'FAILED'))
);

create table pull_attempt (
    id           bigserial   primary key,
    window_id    bigint      not null references pull_window (id),
    pull_no      integer     not null,
    kind         text        not null,
    started_at   timestamptz not null,
    finished_at  timestamptz not null,
    status       text        not null,
    row_count    bigint,
    checksum     text,
    changed      boolean     not null default false,
    error        text,
    triggered_by text        not null,
    unique (window_id, pull_no),
    check (kind in ('scheduled', 'look_back', 'backfill'))
);

-- Warehouse load history (Snowflake COPY_HISTORY keeps 14 days; this keeps it for good).
create table warehouse_load (
    id                bigserial   primary key,
    table_name        text        not null,
    file_name         text        not null,
    last_load_time    timestamptz not null,
    row_count         bigint      not null,
    row_parsed        bigint,
    file_size         bigint,
    status            text        not null,
    first_error       text,
    error_count       bigint      not null default 0,
    pipe_name         text,
    captured_at       timestamptz not null,
    unique (table_name, file_name, last_load_time)
);
create index warehouse_load_time on warehouse_load (last_load_time desc);

-- A curated table cloned at period close: the frozen copy and its control total at that moment.
create table period_snapshot (
    id          bigserial   primary key,
    period      text        not null,
    dataset     text        not null,
    clone_table text        not null,
    row_count   bigint      not null,
    fingerprint bigint      not null,
    amounts     jsonb       not null,
    created_at  timestamptz not null,
    created_by  text        not null,
    unique (period, dataset)
);
