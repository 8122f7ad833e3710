-- A redelivered OpenLineage event is recognised by its whole content (SHA-256 of its canonical JSON),
-- never by run, type and time: two different events sharing those were answered "duplicate" and the
-- second one's content was lost. Dataset and job events (static lineage) have no run; dataset events
-- have no job either.
alter table lineage_event drop constraint lineage_event_run_id_event_type_event_time_key;
alter table lineage_event alter column run_id drop not null;
alter table lineage_event alter column event_type drop not null;
alter table lineage_event alter column job_namespace drop not null;
alter table lineage_event alter column job_name drop not null;
alter table lineage_event add column kind text not null default 'RUN'
    check (kind in ('RUN', 'DATASET', 'JOB'));
alter table lineage_event alter column kind drop default;
alter table lineage_event add column content_sha256 char(64);
-- events stored before this migration: hash of their stored text (jsonb keeps one canonical form)
update lineage_event set content_sha256 = encode(sha256(convert_to(event::text, 'UTF8')), 'hex');
alter table lineage_event alter column content_sha256 set not null;
alter table lineage_event add constraint lineage_event_content_once unique (content_sha256);
alter table lineage_event add column size_bytes integer;
create index lineage_event_run on lineage_event (run_id, event_time);

-- Raw events are evidence: once stored they are never changed or removed.
create function lineage_event_is_immutable() returns trigger language plpgsql as $$
begin
    raise exception 'lineage_event rows are immutable (% refused)', tg_op;
end $$;
create trigger lineage_event_immutable before update or delete on lineage_event
    for each row execute function lineage_event_is_immutable();
