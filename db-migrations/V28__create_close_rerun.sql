-- Reproducible reruns of a signed month (issue 16): a persisted job that rebuilds STAGING and CURATED
-- from the raw objects pinned at sign-off into a scratch schema and compares the totals with the signed
-- ones. Each step is idempotent and the row records the last one done, so a restart resumes it.
create table close_rerun (
    id               bigserial    primary key,
    period_id        bigint       not null references close_period (id),
    signoff_round    integer      not null,
    requested_by     text         not null,
    requested_at     timestamptz  not null,
    state            text         not null check (state in ('QUEUED', 'RUNNING', 'REPRODUCED', 'DIFFERENT', 'FAILED')),
    steps_done       integer      not null default 0,
    steps_total      integer      not null,
    step_label       text,
    attempts         integer      not null default 0,
    scratch_schema   text         not null,
    started_at       timestamptz,
    heartbeat_at     timestamptz,
    finished_at      timestamptz,
    rerun_millis     bigint,
    result           jsonb,
    error            text,
    row_version      integer      not null default 0
);

-- at most one rerun of a period waits or runs at a time: starting again returns it
create unique index close_rerun_one_active on close_rerun (period_id) where state in ('QUEUED', 'RUNNING');
