package com.finledger.integrity.controls;

import java.util.List;

/**
 * The reconciliation of one partition between two adjacent layers: {@code in + redelivered = out +
 * quarantined + deduplicated}, with fingerprints and amounts per currency agreeing. Redelivered rows
 * are extra copies that arrived on the way in (DMS replays, re-pulled API windows); deduplicated rows
 * are those not carried forward (replays, superseded versions, deletes). Unbalanced is a break, with
 * reasons and, where the keys are at hand, the first keys that differ.
 */
public record ControlResult(String name, String fromLayer, String toLayer, long in, long redelivered, long out,
                            long quarantined,
                            long deduplicated, boolean balanced, List<String> reasons,
                            List<String> firstDifferingKeys) {
}
