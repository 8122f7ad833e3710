-- dbt invocations that built STAGING and CURATED (the local pipeline's, or Airflow's reported through the
-- API), stored as dbt wrote them (run_results.json verbatim) and projected per node: models with the
-- rows their MERGE changed, tests with their failures, timings, and each node's upstream from the
-- manifest. One invocation once: dbt's invocation_id is the natural key.
create table dbt_invocation (
    id              bigserial   primary key,
    invocation_id   text        not null unique,
    command         text,
    target          text,
    dbt_version     text,
    generated_at    timestamptz,
    elapsed_seconds numeric,
    succeeded       boolean     not null,
    payload_sha256  char(64)    not null,
    run_results     jsonb       not null,
    registered_by   text        not null,
    registered_at   timestamptz not null
);

create table dbt_node_result (
    invocation_id     text    not null references dbt_invocation (invocation_id),
    unique_id         text    not null,
    resource_type     text    not null,
    relation          text,
    status            text    not null,
    rows_affected     bigint,
    execution_seconds numeric not null,
    message           text,
    depends_on        text[]  not null default '{}',
    primary key (invocation_id, unique_id)
);
create index dbt_node_result_relation on dbt_node_result (relation);
