package com.finledger.integrity.readiness;

import java.sql.Connection;

/**
 * Fired synchronously, inside the caller's transaction, before a person changes a partition's verdict by
 * hand (an override). An observer that must keep the partition as it is (a closed month) refuses by
 * throwing, and nothing changes.
 */
public record PartitionChangeRequested(Connection connection, String dataset, String partition, String actor,
                                       String what) {
}
