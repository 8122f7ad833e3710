-- The quarantine belongs to the warehouse: rules copy failing rows into it with set-based SQL where
-- the rows are, and pages, releases and held-back counts read it there (Snowflake in production).
-- Locally the warehouse is this database, so the existing table moves into the warehouse's
-- quarantine schema with its rows; warehouse tables cannot reference the control plane's
-- evaluations, so the foreign keys go (the ids stay).
create schema if not exists quarantine;
alter table quarantined_row drop constraint if exists quarantined_row_first_evaluation_id_fkey;
alter table quarantined_row drop constraint if exists quarantined_row_last_evaluation_id_fkey;
alter table quarantined_row set schema quarantine;
