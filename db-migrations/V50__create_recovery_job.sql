-- Recovery and reprocessing (issue 17): an operator's recovery action runs as a persisted job whose
-- steps (fixed when it is requested, from its dry-run plan) are each idempotent; the row records the
-- steps done, so a restart resumes the job at its next step.
create table recovery_job (
    id               bigserial    primary key,
    action           text         not null,
    -- what the action works on (e.g. backfill:2026-11-02..2026-11-03): one waiting or running job per target
    target_key       text         not null,
    params           jsonb        not null,
    -- the client's key for the request: submitting it again answers with this job, never a second one
    idempotency_key  text         not null unique,
    reason           text,
    requested_by     text         not null,
    requested_at     timestamptz  not null,
    state            text         not null check (state in ('QUEUED', 'RUNNING', 'SUCCEEDED', 'FAILED')),
    steps            jsonb        not null,
    steps_done       integer      not null default 0,
    steps_total      integer      not null,
    step_label       text,
    attempts         integer      not null default 0,
    started_at       timestamptz,
    heartbeat_at     timestamptz,
    finished_at      timestamptz,
    result           jsonb        not null default '{}',
    error            text,
    row_version      integer      not null default 0
);

create unique index recovery_job_one_active on recovery_job (target_key) where state in ('QUEUED', 'RUNNING');
create index recovery_job_newest on recovery_job (id desc);

-- The local DMS stand-in's replication tasks: stopped or failed tasks land nothing until started again
-- (AWS DMS keeps this state itself; a task without a row is running).
create table local_dms_task (
    task_identifier  text         primary key,
    status           text         not null check (status in ('running', 'stopped', 'failed')),
    stop_reason      text,
    last_failure_message text,
    updated_at       timestamptz  not null
);
