-- A change file from DMS can hold changes of several business dates: the landing ledger records the
-- object once per business date it holds, each with the totals of that date's rows.
alter table landed_object drop constraint landed_object_object_key_version_id_key;
alter table landed_object add constraint landed_object_object_version_date_key
    unique (object_key, version_id, business_date);
