-- Alerts raised by the rules in rules/alerts/: one row per fingerprint (rule + subject); a resolved alert
-- that fires again starts a new episode on the same row.
create table alert (
    id               bigserial   primary key,
    fingerprint      text        not null unique,
    rule_name        text        not null,
    kind             text        not null,
    severity         text        not null,
    subject          text        not null,
    group_key        text        not null,
    summary          text        not null,
    runbook          text        not null,
    state            text        not null,
    episode          integer     not null default 1,
    first_fired_at   timestamptz not null,
    fired_at         timestamptz not null,
    resolved_at      timestamptz,
    last_seen_at     timestamptz not null,
    last_notified_at timestamptz,
    notifications    integer     not null default 0
);
create index alert_state on alert (state, fired_at desc);

-- A silence mutes notifications of matching alerts until it expires (or is expired by hand); both audited.
create table alert_silence (
    id            bigserial   primary key,
    rule_name     text,
    subject_like  text,
    reason        text        not null,
    created_by    text        not null,
    created_at    timestamptz not null,
    expires_at    timestamptz not null,
    expired_by    text,
    expired_at    timestamptz,
    check (expires_at > created_at)
);

-- Every notification sent (or attempted), per channel.
create table alert_notification (
    id          bigserial   primary key,
    alert_id    bigint      not null references alert (id),
    episode     integer     not null,
    channel     text        not null,
    kind        text        not null,
    sent_at     timestamptz not null,
    delivered   boolean     not null,
    error       text
);
create index alert_notification_alert on alert_notification (alert_id, sent_at desc);

-- SLO measurements: one sample per dataset and layer per evaluation.
create table slo_sample (
    id            bigserial   primary key,
    dataset       text        not null,
    layer         text        not null,
    measured_at   timestamptz not null,
    lag_seconds   bigint      not null,
    target_seconds bigint     not null,
    breached      boolean     not null,
    unique (dataset, layer, measured_at)
);
