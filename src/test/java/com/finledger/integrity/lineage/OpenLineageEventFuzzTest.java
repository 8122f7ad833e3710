package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.FuzzProperty;
import java.util.ArrayList;
import java.util.List;

/**
 * Any bytes as the body of a POST to the OpenLineage endpoint (one event or a batch): malformed JSON is a
 * JsonProcessingException (the endpoint's 400), and every parsed element gives either an event or problems
 * with JSON paths, never an exception. An accepted event's canonical form is JSON that reads back to the
 * same event with the same content hash, so a redelivery is recognised.
 * Seeds: src/test/resources/com/finledger/integrity/lineage/OpenLineageEventFuzzTestInputs/anyBody/.
 */
class OpenLineageEventFuzzTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @FuzzTest(maxDuration = "60s")
    void anyBody(byte[] body) {
        FuzzProperty.parsesOrRefuses(() -> {
            JsonNode parsed = JSON.readTree(body);
            List<JsonNode> events = new ArrayList<>();
            if (parsed != null && parsed.isArray()) {
                parsed.forEach(events::add);
            } else {
                events.add(parsed);
            }
            for (int i = 0; i < events.size(); i++) {
                OpenLineageEvent.Read read = OpenLineageEvent.read(events.get(i), i);
                assertTrue(read.event() == null ^ read.problems().isEmpty(), "an event or problems, never both");
                for (OpenLineageEvent.Problem p : read.problems()) {
                    assertTrue(p.path().isEmpty() || p.path().startsWith("/"), "a JSON path: " + p);
                    assertFalse(p.message().isBlank());
                }
                OpenLineageEvent event = read.event();
                if (event != null) {
                    assertNotNull(event.eventTime());
                    OpenLineageEvent again = OpenLineageEvent.read(JSON.readTree(event.canonical()), i).event();
                    assertNotNull(again, "the canonical form reads back as an event: " + event.canonical());
                    assertEquals(event.sha256(), again.sha256(), "the canonical form is stable");
                }
            }
        }, JsonProcessingException.class);
    }
}
