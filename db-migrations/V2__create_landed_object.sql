-- Every object the pipeline landed or found in the object store, and whether RAW has loaded it.
create table landed_object (
    id            bigserial   primary key,
    dataset       text        not null,
    business_date date        not null,
    object_key    text        not null,
    version_id    text        not null,
    sha256        char(64)    not null,
    size_bytes    bigint      not null,
    row_count     bigint      not null,
    arrived_at    timestamptz not null,
    recorded_at   timestamptz not null,
    raw_loaded_at timestamptz,
    unique (object_key, version_id)
);

create index landed_object_partition on landed_object (dataset, business_date);

-- How far the local DMS stand-in has read each source table's change log.
create table cdc_checkpoint (
    dataset        text        primary key,
    last_change_seq bigint     not null,
    updated_at     timestamptz not null
);

-- One row per pipeline run: what it did, for the overview and the audit trail.
create table pipeline_run (
    id              bigserial   primary key,
    started_at      timestamptz not null,
    finished_at     timestamptz,
    triggered_by    text        not null,
    objects_landed  integer     not null default 0,
    rows_loaded_raw bigint      not null default 0,
    status          text        not null
);
