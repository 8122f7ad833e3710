package com.finledger.integrity.intake;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the SQS intake hands EventBridge events (DMS, Glue, AppFlow state changes and S3 Object Created)
 * after it has taken any object they announce; implemented by the operations event intake.
 */
public interface EventBridgeSink {

    /** One event as the intake read it: its JSON tree (read once) and the body verbatim. */
    record Delivery(JsonNode root, String body) {
    }

    /** Records and applies one event body; throws to leave the message on the queue for a retry. */
    void accept(String body);

    /**
     * Records and applies the events of one receive batch. Returns, for each delivery in order, {@code null}
     * when it was recorded, an {@link IllegalArgumentException} when the event is refused (kept as rejected,
     * with that reason), or another exception when it failed and its message stays on the queue for a retry.
     */
    default List<RuntimeException> acceptAll(List<Delivery> deliveries) {
        List<RuntimeException> outcomes = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            try {
                accept(d.body());
                outcomes.add(null);
            } catch (RuntimeException e) {
                outcomes.add(e);
            }
        }
        return outcomes;
    }
}
