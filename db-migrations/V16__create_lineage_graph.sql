-- The lineage graph, projected from lineage_event (the raw events stay the truth; this can be rebuilt
-- from them). Every value here is a function of the set of events received, not of their order:
-- first/last times are least/greatest, "latest" values are picked by (event time, content hash).
-- A namespace row is only ever inserted (every event names one; updating a shared row per event would
-- serialise all writers); its first and last times are read from its datasets and jobs.
create table lineage_namespace (
    id          bigserial   primary key,
    name        text        not null unique
);

create table lineage_dataset (
    id           bigserial   primary key,
    namespace    text        not null,
    name         text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    -- dataset facets of the latest event that carried any, and schema fields of the latest with a schema
    facets       jsonb       not null default '{}',
    facets_time  timestamptz,
    facets_sha   char(64),
    fields       jsonb,
    fields_time  timestamptz,
    fields_sha   char(64),
    unique (namespace, name)
);
create index lineage_dataset_name on lineage_dataset (lower(name) text_pattern_ops);
create index lineage_dataset_times on lineage_dataset (namespace, created_at, updated_at);

create table lineage_job (
    id           bigserial   primary key,
    namespace    text        not null,
    name         text        not null,
    created_at   timestamptz not null,
    updated_at   timestamptz not null,
    facets       jsonb       not null default '{}',
    facets_time  timestamptz,
    facets_sha   char(64),
    unique (namespace, name)
);
create index lineage_job_name on lineage_job (lower(name) text_pattern_ops);
create index lineage_job_times on lineage_job (namespace, created_at, updated_at);

-- One row per OpenLineage run. The state is the event with the highest (rank, time, hash), where a
-- terminal COMPLETE/FAIL/ABORT outranks RUNNING, which outranks START: a COMPLETE that arrives before
-- its START still ends COMPLETE.
create table lineage_run (
    id              bigserial   primary key,
    run_uuid        uuid        not null unique,
    job_id          bigint      not null references lineage_job (id),
    state           text,
    state_rank      integer     not null,
    state_time      timestamptz not null,
    state_sha       char(64)    not null,
    created_at      timestamptz not null,
    updated_at      timestamptz not null,
    started_at      timestamptz,
    ended_at        timestamptz,
    nominal_start   timestamptz,
    nominal_end     timestamptz,
    parent_run_uuid uuid
);
create index lineage_run_job on lineage_run (job_id, created_at desc);

-- A version of a dataset: the standard version facet's datasetVersion, else one per writing run
-- ('run:<runId>'). created_at is the earliest event that named it; created_by_run the earliest run that
-- wrote it (writer_time, then run id, decide).
create table lineage_dataset_version (
    id              bigserial   primary key,
    dataset_id      bigint      not null references lineage_dataset (id),
    version         text        not null,
    created_at      timestamptz not null,
    created_by_run  uuid,
    writer_time     timestamptz,
    facets          jsonb       not null default '{}',
    facets_time     timestamptz,
    facets_sha      char(64),
    unique (dataset_id, version)
);
create index lineage_dataset_version_run on lineage_dataset_version (created_by_run);
create index lineage_dataset_version_time on lineage_dataset_version (dataset_id, created_at desc);

-- What a run read (I) and wrote (O). version is the declared version ('' when an input named none:
-- it is resolved when queried, to the version current at the run's time).
create table lineage_run_io (
    run_uuid    uuid        not null,
    direction   char(1)     not null check (direction in ('I', 'O')),
    dataset_id  bigint      not null references lineage_dataset (id),
    version     text        not null,
    first_seen  timestamptz not null,
    primary key (run_uuid, direction, dataset_id, version)
);
create index lineage_run_io_dataset on lineage_run_io (dataset_id, direction, version);

-- The traversal edges of the dataset graph: a job reads (I) or writes (O) a dataset.
create table lineage_job_io (
    job_id      bigint      not null references lineage_job (id),
    direction   char(1)     not null check (direction in ('I', 'O')),
    dataset_id  bigint      not null references lineage_dataset (id),
    primary key (job_id, direction, dataset_id)
);
create index lineage_job_io_dataset on lineage_job_io (dataset_id, direction, job_id);

-- Column lineage (the columnLineage facet of outputs): output column <- input column.
create table lineage_column_edge (
    output_dataset_id  bigint not null references lineage_dataset (id),
    output_field       text   not null,
    input_dataset_id   bigint not null references lineage_dataset (id),
    input_field        text   not null,
    transformation     text,
    primary key (output_dataset_id, output_field, input_dataset_id, input_field)
);
create index lineage_column_edge_input on lineage_column_edge (input_dataset_id, input_field);

-- Catalog partitions a run built (run facets finledger_partition / finledger_partitions).
create table lineage_run_partition (
    run_uuid       uuid not null,
    dataset        text not null,
    partition_key  text not null,
    primary key (run_uuid, dataset, partition_key)
);
create index lineage_run_partition_key on lineage_run_partition (dataset, partition_key);
