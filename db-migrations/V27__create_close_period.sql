-- Month-end close (issue 16): a period per month with its maker-checker workflow, the numbers as signed,
-- the raw objects pinned at sign-off, the sealed evidence pack and the reproducible reruns.

create table close_period (
    id                   bigserial    primary key,
    period               char(7)      not null unique,          -- 2026-11
    state                text         not null check (state in ('OPEN', 'SIGNED_OFF', 'CLOSED', 'REOPEN_REQUESTED')),
    signoff_round        integer      not null default 0,       -- 1, 2, ... each sign-off; signed numbers keep theirs
    signed_off_by        text,
    signed_off_at        timestamptz,
    signoff_note         text,
    approved_by          text,
    approved_at          timestamptz,
    rejected_by          text,
    rejected_at          timestamptz,
    rejection_reason     text,
    reopen_from_state    text check (reopen_from_state in ('SIGNED_OFF', 'CLOSED')),
    reopen_requested_by  text,
    reopen_requested_at  timestamptz,
    reopen_cause         text,
    created_at           timestamptz  not null,
    row_version          integer      not null default 0,
    -- who approves is never who signed (also enforced by the service, whatever roles a user holds)
    check (approved_by is null or signed_off_by is null or approved_by <> signed_off_by)
);

-- Each step of a period's workflow, for its page; the audit log holds the same steps hash-chained.
create table close_event (
    id            bigserial    primary key,
    period_id     bigint       not null references close_period (id),
    occurred_at   timestamptz  not null,
    actor         text         not null,
    kind          text         not null,   -- opened, signed_off, approved, rejected, reopen_requested, reopened, ...
    from_state    text,
    to_state      text,
    reason        text
);

create index close_event_period on close_event (period_id, id);

-- The control totals of every finance partition of the period at every layer, as signed in a round.
create table close_signed_total (
    id               bigserial    primary key,
    period_id        bigint       not null references close_period (id),
    signoff_round    integer      not null,
    dataset          text         not null,
    partition_key    text         not null,
    layer            text         not null,
    row_count        bigint       not null,
    distinct_keys    bigint,
    key_fingerprint  bigint,
    amounts          jsonb        not null,   -- {"EUR": "25415541"}: minor units as text, exact
    unique (period_id, signoff_round, dataset, partition_key, layer)
);

-- The raw objects (key, version, SHA-256) the period was built from, pinned at sign-off.
create table close_pinned_object (
    id             bigserial    primary key,
    period_id      bigint       not null references close_period (id),
    signoff_round  integer      not null,
    dataset        text         not null,
    business_date  date         not null,
    object_key     text         not null,
    version_id     text         not null,
    sha256         char(64)     not null,
    size_bytes     bigint       not null,
    row_count      bigint       not null,
    unique (period_id, signoff_round, object_key, version_id, business_date)
);

-- The sealed evidence pack of a closed period, built once at approval and served as built.
create table close_evidence (
    id             bigserial    primary key,
    period_id      bigint       not null references close_period (id),
    signoff_round  integer      not null,
    seal_sha256    char(64)     not null,
    archive        bytea        not null,
    size_bytes     bigint       not null,
    built_at       timestamptz  not null,
    build_millis   bigint       not null,
    unique (period_id, signoff_round)
);
