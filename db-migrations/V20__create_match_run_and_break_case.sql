-- Operational reconciliation (issue 15): each matching run, versioned per rule and scope, and the breaks
-- it finds, with their workflow history. The matching itself runs in the warehouse (recon.match_item);
-- these tables hold what operations work on.

create table match_run (
    id                       bigserial    primary key,
    rule_name                text         not null,
    scope_key                text         not null,   -- a business date 2026-11-02 or a window 2026-11-02T10:15Z
    version                  integer      not null,   -- 1, 2, ... per rule and scope
    rule_set_hash            text         not null,
    state                    text         not null check (state in ('RUNNING', 'SUCCEEDED', 'FAILED')),
    actor                    text         not null,
    started_at               timestamptz  not null,
    finished_at              timestamptz,
    left_records             bigint,
    right_records            bigint,
    matched_left             bigint,
    breaks_found             integer,
    breaks_opened            integer,
    breaks_closed            integer,
    newest_source_at         timestamptz,               -- the newest record in scope: the freshest source change seen
    lag_seconds              bigint,                    -- run end minus the newest in-scope change behind a new break
    lag_objective_seconds    integer      not null default 600,
    summary                  jsonb,
    error                    text,
    unique (rule_name, scope_key, version)
);

create table break_case (
    id                       bigserial    primary key,
    rule_name                text         not null,
    break_key                text         not null,   -- the left and right records' ids: stable across runs
    reason                   text         not null check (reason in ('MISSING_AT_PROCESSOR', 'MISSING_AT_BANK',
                                 'MISSING_IN_LEDGER', 'AMOUNT_MISMATCH', 'DUPLICATE', 'CURRENCY_MISMATCH', 'TIMING')),
    severity                 text         not null check (severity in ('LOW', 'MEDIUM', 'HIGH', 'CRITICAL')),
    state                    text         not null check (state in ('OPEN', 'INVESTIGATING', 'RESOLVED', 'WRITTEN_OFF')),
    business_date            date         not null,
    occurred_at              timestamptz,
    processor                text,
    partner                  text,
    left_dataset             text         not null,
    left_item                text,
    left_amount_minor        bigint,
    left_currency            text,
    right_dataset            text         not null,
    right_item               text,
    right_amount_minor       bigint,
    right_currency           text,
    amount_at_risk_minor     bigint       not null check (amount_at_risk_minor >= 0),
    currency                 text         not null,
    owner                    text,
    first_seen_run_id        bigint       not null references match_run (id),
    last_seen_run_id         bigint       not null references match_run (id),
    closed_by_run_id         bigint       references match_run (id),
    first_seen_at            timestamptz  not null,
    last_seen_at             timestamptz  not null,
    due_at                   timestamptz  not null,
    closed_at                timestamptz,
    closed_by                text,
    resolution               text,
    write_off_requested_by   text,
    write_off_requested_at   timestamptz,
    write_off_reason         text,
    row_version              integer      not null default 0,
    unique (rule_name, break_key),
    check (write_off_requested_by is null or state in ('INVESTIGATING', 'WRITTEN_OFF')),
    check ((state in ('RESOLVED', 'WRITTEN_OFF')) = (closed_at is not null))
);

create index break_case_queue on break_case (state, business_date);

create table break_event (
    id                       bigserial    primary key,
    break_id                 bigint       not null references break_case (id),
    occurred_at              timestamptz  not null,
    actor                    text         not null,
    kind                     text         not null,   -- found, assigned, investigating, comment, resolved, ...
    from_state               text,
    to_state                 text,
    comment                  text,
    run_id                   bigint       references match_run (id)
);

create index break_event_of_break on break_event (break_id, id);
