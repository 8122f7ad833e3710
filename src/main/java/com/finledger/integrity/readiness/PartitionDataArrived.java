package com.finledger.integrity.readiness;

import java.sql.Connection;

/**
 * Fired synchronously inside the landing transaction whenever data arrives for a partition (a landed
 * object, a partner file, a backfilled window, a rebuilt input), so that whoever relies on the
 * partition's numbers (a closed month) learns of it atomically with the landing.
 */
public record PartitionDataArrived(Connection connection, String dataset, String partition, String actor,
                                   String what) {
}
