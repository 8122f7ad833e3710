-- Raw lineage events not yet projected into the graph. A row is written in the transaction that stores
-- the raw event and deleted in the transaction that projects it, so a crash between the two leaves the
-- row here and the projector picks it up (the graph is never missing an accepted event for long, and
-- can always be recomputed from lineage_event). Events stored before this table existed are projected.
create table lineage_projection_queue (
    event_id  bigint primary key
);
