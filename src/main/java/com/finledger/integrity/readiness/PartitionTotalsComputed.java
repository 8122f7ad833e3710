package com.finledger.integrity.readiness;

import com.finledger.integrity.controls.ControlTotal;
import java.sql.Connection;
import java.util.List;

/**
 * Fired synchronously inside an evaluation's transaction once a partition's control totals at every layer
 * are stored, so that whoever signed numbers for the partition (a closed month) can tell they moved.
 */
public record PartitionTotalsComputed(Connection connection, String dataset, String partition, List<ControlTotal> totals,
                                      String actor) {
}
