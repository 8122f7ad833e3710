-- Landing totals of each micro-batch window an object holds rows of (windowed operations datasets):
-- the landing side of a window partition's controls. Written with the object's landed_object row.
create table landed_window (
    landed_object_id bigint not null references landed_object (id),
    window_key       text   not null,
    row_count        bigint not null,
    row_fingerprint  bigint not null,
    row_amounts      jsonb  not null,
    primary key (landed_object_id, window_key)
);
