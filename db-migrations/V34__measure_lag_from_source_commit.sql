-- End-to-end lag is measured from the source's own change time (a ledger commit, a processor's API
-- change timestamp, a bank file's arrival), kept on each break; a run says which time its lag is from.
alter table break_case add column source_changed_at timestamptz;
alter table match_run add column lag_basis text check (lag_basis in ('source_commit', 'record_time'));
