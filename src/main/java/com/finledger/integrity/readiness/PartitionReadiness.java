package com.finledger.integrity.readiness;

import java.time.Instant;

/**
 * Where one partition stands. The version changes whenever the state or the checks summary does,
 * so pollers can compare versions (or ETags) instead of bodies.
 */
public record PartitionReadiness(String dataset, String partition, ReadinessState state, long version,
                                 Instant updatedAt, Long lastEvaluationId, String checksSummary) {

    public String etag() {
        return "\"" + dataset + "/" + partition + "/" + version + "\"";
    }
}
