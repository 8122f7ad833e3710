package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.finledger.integrity.catalog.CatalogLoader;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.openlineage.client.OpenLineage.RunEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A lineage store that fails does not fail the caller: each event is tried, failures are counted. */
class OwnLineageFailuresTest {

    @Test
    void anEventThatCannotBeStoredIsCountedAndTheOthersStillGo() {
        List<String> stored = new ArrayList<>();
        OwnLineage own = new OwnLineage();
        own.metrics = new SimpleMeterRegistry();
        own.names = new DatasetNames(key -> Optional.ofNullable(
                Map.of("quarkus.datasource.jdbc.url", "jdbc:postgresql://localhost:5432/postgres").get(key)));
        own.events = new LineageEvents() {
            @Override
            public Stored store(JsonNode event, String receivedBy) {
                if (event.path("eventType").asText().equals("START")) {
                    throw new IllegalStateException("cannot store the lineage event: connection refused");
                }
                stored.add(event.at("/job/name").asText() + " " + receivedBy);
                return new Stored(stored.size(), true);
            }
        };
        com.fasterxml.jackson.databind.node.ObjectNode runResults = new com.fasterxml.jackson.databind.ObjectMapper()
                .createObjectNode();
        runResults.putArray("results").addObject().put("unique_id", "model.finledger.transactions")
                .put("status", "success").put("relation_name", "\"postgres\".\"curated\".\"transactions\"")
                .put("compiled_code", "select payment_id from \"postgres\".\"staging\".\"payments\"");
        List<RunEvent> events = own.dbtEvents(CatalogLoader.load(Path.of("ingestion-config")), "inv", runResults,
                Instant.parse("2026-11-03T06:00:00Z"), Map.of());

        OwnLineage.Recorded recorded = own.store("dbt", events);

        assertEquals(new OwnLineage.Recorded(1, 0, 1), recorded);
        assertEquals(List.of("dbt.model.finledger.transactions finledger"), stored);
        assertEquals(1.0, own.metrics.counter("finledger_own_lineage_failures", "kind", "dbt").count());
        assertEquals(1.0, own.metrics.counter("finledger_own_lineage_events", "kind", "dbt").count());
    }
}
