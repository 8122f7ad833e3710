-- AWS service events (EventBridge envelopes as delivered through SQS), kept verbatim: the event id is the
-- dedupe key, so a redelivered event changes nothing.
create table aws_event (
    event_id     text        primary key,
    source       text        not null,
    detail_type  text        not null,
    event_time   timestamptz not null,
    subject      text        not null,
    body         text        not null,
    received_at  timestamptz not null,
    outcome      text        not null
);
create index aws_event_subject on aws_event (subject, event_time desc);

-- What the AWS services run for the pipeline (a DMS task, a Glue job, an AppFlow flow) and its current
-- state, projected from the events: the latest event time wins, so an out-of-order event cannot regress it.
create table pipeline_job (
    id             bigserial   primary key,
    kind           text        not null,
    name           text        not null,
    state          text        not null,
    state_at       timestamptz not null,
    state_rank     integer     not null,
    last_event_id  text        not null,
    last_run_id    text,
    message        text,
    updated_at     timestamptz not null,
    unique (kind, name)
);

-- One run of a job (a Glue job run, an AppFlow execution); same ordering rule per run.
create table pipeline_job_run (
    id                 bigserial   primary key,
    job_id             bigint      not null references pipeline_job (id),
    run_id             text        not null,
    attempt            integer     not null default 0,
    state              text        not null,
    state_at           timestamptz not null,
    state_rank         integer     not null,
    started_at         timestamptz,
    ended_at           timestamptz,
    records_processed  bigint,
    last_event_id      text        not null,
    message            text,
    unique (job_id, run_id)
);
create index pipeline_job_run_state on pipeline_job_run (state, state_at desc);
