-- Loads and transforms that Airflow tasks report, once per idempotency key (dag/run/task/map index).
create table task_run (
    id               bigserial   primary key,
    idempotency_key  text        not null unique,
    dag_id           text        not null,
    run_id           text        not null,
    task_id          text        not null,
    map_index        integer     not null,
    dataset          text        not null,
    partition_key    text        not null,
    status           text        not null,
    row_count        bigint,
    amounts          jsonb       not null default '{}',
    payload_sha256   char(64)    not null,
    reported_by      text        not null,
    reported_at      timestamptz not null
);
create index task_run_partition on task_run (dataset, partition_key);

-- OpenLineage events exactly as received (projected into the lineage graph later); a redelivered
-- event is recognised by its run, type and time and stored once.
create table lineage_event (
    id           bigserial   primary key,
    run_id       text        not null,
    event_type   text        not null,
    event_time   timestamptz not null,
    job_namespace text       not null,
    job_name     text        not null,
    producer     text        not null,
    event        jsonb       not null,
    received_at  timestamptz not null,
    received_by  text        not null,
    unique (run_id, event_type, event_time)
);
create index lineage_event_job on lineage_event (job_namespace, job_name, event_time);
