-- One evaluation of one dataset partition: what triggered it, and its verdict.
create table evaluation (
    id             bigserial   primary key,
    dataset        text        not null,
    partition_key  text        not null,
    triggered_by   text        not null,
    started_at     timestamptz not null,
    finished_at    timestamptz,
    outcome        text
);
create index evaluation_partition on evaluation (dataset, partition_key, id desc);

-- Control totals, versioned: every recomputation is a new version, nothing is overwritten.
create table control_total (
    id               bigserial   primary key,
    dataset          text        not null,
    partition_key    text        not null,
    layer            text        not null,
    version          integer     not null,
    evaluation_id    bigint      not null references evaluation (id),
    computed_at      timestamptz not null,
    -- physical: every row the layer holds, duplicates included
    row_count        bigint      not null,
    row_fingerprint  bigint      not null,
    row_amounts      jsonb       not null,
    -- effective: the latest surviving version of each key (what STAGING should hold); null where a
    -- layer cannot tell versions apart on its own (landing files)
    distinct_keys    bigint,
    key_fingerprint  bigint,
    amounts          jsonb,
    -- rows the layer holds beyond its effective records: replays (same key + change sequence),
    -- superseded versions, and versions of keys whose latest change is a delete
    duplicate_rows   bigint      not null default 0,
    duplicate_fingerprint bigint not null default 0,
    duplicate_amounts jsonb      not null default '{}',
    superseded_rows  bigint      not null default 0,
    deleted_keys     bigint      not null default 0,
    unique (dataset, partition_key, layer, version)
);

-- A control: the balance between two adjacent layers of one partition in one evaluation:
-- in + redelivered = out + quarantined + deduplicated, with fingerprints and amounts agreeing.
create table control_result (
    id               bigserial   primary key,
    evaluation_id    bigint      not null references evaluation (id),
    dataset          text        not null,
    partition_key    text        not null,
    control_name     text        not null,
    from_layer       text        not null,
    to_layer         text        not null,
    in_rows          bigint      not null,
    -- rows delivered more than once on the way in (DMS replays, re-pulled API windows)
    redelivered_rows bigint      not null,
    out_rows         bigint      not null,
    quarantined_rows bigint      not null,
    deduplicated_rows bigint     not null,
    balanced         boolean     not null,
    reasons          jsonb       not null,
    first_differing_keys jsonb   not null,
    unique (evaluation_id, control_name)
);

-- A rule's verdict on one partition in one evaluation.
create table rule_result (
    id             bigserial   primary key,
    evaluation_id  bigint      not null references evaluation (id),
    dataset        text        not null,
    partition_key  text        not null,
    rule_name      text        not null,
    rule_type      text        not null,
    severity       text        not null,
    passed         boolean     not null,
    failed_rows    bigint      not null,
    released_rows  bigint      not null default 0,
    message        text        not null,
    unique (evaluation_id, rule_name)
);

-- Rows a rule rejected, kept with the reason; never deleted. A release is an explicit, audited act.
create table quarantined_row (
    id              bigserial   primary key,
    dataset         text        not null,
    partition_key   text        not null,
    rule_name       text        not null,
    row_key         text        not null,
    first_evaluation_id bigint  not null references evaluation (id),
    last_evaluation_id  bigint  not null references evaluation (id),
    reason          text        not null,
    masked_sample   jsonb       not null,
    quarantined_at  timestamptz not null,
    still_failing   boolean     not null default true,
    released_at     timestamptz,
    released_by     text,
    release_reason  text,
    unique (dataset, partition_key, rule_name, row_key)
);
create index quarantined_row_partition on quarantined_row (dataset, partition_key, rule_name);

-- Readiness of one partition: the state machine's current state and a version that changes with it.
create table partition_readiness (
    dataset         text        not null,
    partition_key   text        not null,
    state           text        not null,
    version         bigint      not null,
    updated_at      timestamptz not null,
    last_evaluation_id bigint   references evaluation (id),
    checks_summary  jsonb       not null default '{}',
    primary key (dataset, partition_key)
);
create index partition_readiness_state on partition_readiness (state);

-- Two-person override of a BLOCKED partition: requested by one user, approved by another.
create table readiness_override (
    id             bigserial   primary key,
    dataset        text        not null,
    partition_key  text        not null,
    requested_by   text        not null,
    request_reason text        not null,
    requested_at   timestamptz not null,
    blocked_version bigint     not null,
    decided_by     text,
    decision       text,
    decision_reason text,
    decided_at     timestamptz,
    check (decided_by is null or decided_by <> requested_by)
);
create unique index readiness_override_open on readiness_override (dataset, partition_key) where decision is null;

-- Landing totals are computed while each object is written or parsed, never from the warehouse.
alter table landed_object add column row_fingerprint bigint not null default 0;
alter table landed_object add column row_amounts jsonb not null default '{}';

-- The last valid rule set, so a bad edit on disk never replaces it.
create table rule_set (
    id           bigserial   primary key,
    loaded_at    timestamptz not null,
    content_hash char(64)    not null unique,
    files        jsonb       not null
);
