-- Every partner file object ever seen, once per (bucket, key, version): where it came from, what it
-- holds, and what became of it. RECEIVED → VALIDATING → ACCEPTED | QUARANTINED | DUPLICATE; LATE
-- marks an accepted file that arrived after its partition was ready (and re-opened it).
create table partner_file (
    id               bigserial   primary key,
    bucket           text        not null,
    object_key       text        not null,
    version_id       text        not null,
    size_bytes       bigint      not null,
    etag             text,
    sha256           char(64),
    partner          text        not null,
    dataset          text        not null,
    business_date    date,
    arrived_at       timestamptz not null,
    received_at      timestamptz not null,
    received_via     text        not null,
    state            text        not null,
    late             boolean     not null default false,
    reason           text,
    errors           jsonb       not null default '[]',
    row_count        bigint,
    amounts          jsonb,
    fingerprint      bigint,
    declared         jsonb,
    duplicate_of     bigint      references partner_file (id),
    superseded_by    bigint      references partner_file (id),
    replay_of        bigint      references partner_file (id),
    decided_at       timestamptz,
    unique (bucket, object_key, version_id),
    check (state in ('RECEIVED', 'VALIDATING', 'ACCEPTED', 'QUARANTINED', 'DUPLICATE')),
    check (received_via in ('event', 'sweep', 'replay'))
);
create index partner_file_partition on partner_file (dataset, business_date);
create index partner_file_sha on partner_file (sha256) where state = 'ACCEPTED';

-- Messages of the event intake that could not be used (not an S3 notification, dead-lettered):
-- kept with the reason, never dropped.
create table intake_rejected_message (
    id          bigserial   primary key,
    queue       text        not null,
    message_id  text        not null,
    body        text        not null,
    reason      text        not null,
    received_at timestamptz not null,
    unique (queue, message_id)
);

-- Expected partner files per business date and what the cut-off check found.
create table partner_file_expectation (
    partner       text        not null,
    dataset       text        not null,
    business_date date        not null,
    expected_name text        not null,
    cutoff_at     timestamptz not null,
    status        text        not null,
    checked_at    timestamptz not null,
    primary key (partner, business_date),
    check (status in ('WAITING', 'ARRIVED', 'MISSING', 'ARRIVED_LATE'))
);
