package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.platform.Jdbc;
import io.openlineage.client.OpenLineage;
import io.openlineage.client.OpenLineageClientUtils;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The lineage we record ourselves, from the demo world's real pipeline run (local DMS, the API
 * extractor against the demo processors, the partner-file intake, the RAW loader and dbt): each
 * emitter's events as stored, with the contract's names, versions, SHA-256, partitions and column
 * lineage; recording again adds nothing.
 */
@QuarkusTest
class OwnLineageTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @Inject
    OwnLineage ownLineage;

    @ConfigProperty(name = "quarkus.datasource.jdbc.url")
    String jdbcUrl;

    private List<JsonNode> events(String job) {
        return Jdbc.query(dataSource, "select event::text from lineage_event where job_namespace = 'finledger' "
                + "and job_name = ? order by id", List.of(job), rs -> {
                    try {
                        return JSON.readTree(rs.getString(1));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
    }

    private String postgresNamespace() {
        DatasetNames.Postgres pg = DatasetNames.Postgres.of(jdbcUrl);
        return "postgres://" + pg.host() + ":" + pg.port();
    }

    private String database() {
        return DatasetNames.Postgres.of(jdbcUrl).database();
    }

    private static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).toList();
    }

    private static List<String> partitionKeys(JsonNode event) {
        JsonNode facets = event.at("/run/facets");
        if (facets.has("finledger_partition")) {
            return List.of(facets.at("/finledger_partition/partitionKey").asText());
        }
        return list(facets.at("/finledger_partitions/partitions")).stream().map(p -> p.path("partitionKey").asText())
                .toList();
    }

    private static JsonNode completeWithOutput(List<JsonNode> events, String key, String version) {
        return events.stream().filter(e -> e.path("eventType").asText().equals("COMPLETE"))
                .filter(e -> list(e.path("outputs")).stream().anyMatch(o -> o.path("name").asText().equals(key)
                        && o.at("/facets/version/datasetVersion").asText().equals(version)))
                .findFirst().orElseThrow(() -> new AssertionError("no COMPLETE event writing " + key + " version " + version));
    }

    @Test
    void eachEmitterRecordsTheContractsNamesVersionsAndPartitionsOnceForAll() {
        fixture.ensureDefaultWorld();

        // DMS: the ledger table → each change file version, with its SHA-256 and business date
        List<JsonNode> dms = events("dms.finledger-payments-ledger-cdc");
        List<Map<String, Object>> payments = Jdbc.query(dataSource, """
                select object_key, version_id, sha256, business_date::text from landed_object
                where dataset = 'payments' order by id""", List.of(), rs -> Map.of("key", rs.getString(1),
                "version", rs.getString(2), "sha256", rs.getString(3).trim(), "date", rs.getString(4)));
        assertFalse(payments.isEmpty());
        for (Map<String, Object> object : payments) {
            JsonNode event = completeWithOutput(dms, (String) object.get("key"), (String) object.get("version"));
            JsonNode input = event.at("/inputs/0");
            assertEquals(postgresNamespace(), input.path("namespace").asText());
            assertEquals(database() + ".src_payments.payments", input.path("name").asText());
            JsonNode output = event.at("/outputs/0");
            assertEquals("s3://finledger-landing", output.path("namespace").asText());
            assertEquals(object.get("sha256"), output.at("/facets/finledger_object/sha256").asText());
            assertEquals(object.get("version"), output.at("/facets/finledger_object/versionId").asText());
            assertTrue(partitionKeys(event).contains((String) object.get("date")), event.toString());
        }

        // the API extractor: the endpoint's window → the objects a pull landed; START and COMPLETE per pull
        List<JsonNode> pulls = events("extract.processor_alpha");
        String windowKey = Jdbc.query(dataSource, """
                select object_key || ' ' || version_id from landed_object where dataset = 'alpha_transactions'
                order by id limit 1""", List.of(), rs -> rs.getString(1)).get(0);
        JsonNode pull = completeWithOutput(pulls, windowKey.split(" ")[0], windowKey.split(" ")[1]);
        assertEquals("/processors/alpha/v1/transactions", pull.at("/inputs/0/name").asText());
        assertTrue(pull.at("/inputs/0/namespace").asText().startsWith("http"));
        assertTrue(pull.at("/run/facets/finledger_pull_window/from").asText().startsWith("2026-"));
        String pullRun = pull.at("/run/runId").asText();
        assertTrue(pulls.stream().anyMatch(e -> e.path("eventType").asText().equals("START")
                && e.at("/run/runId").asText().equals(pullRun)), "the pull's START");

        // partner files: each file version with its decision and SHA-256
        List<JsonNode> intake = events("intake.northbank_partner");
        List<Map<String, Object>> files = Jdbc.query(dataSource, """
                select object_key, version_id, sha256, state, business_date::text from partner_file
                where state in ('ACCEPTED', 'QUARANTINED', 'DUPLICATE') order by id""", List.of(),
                rs -> Map.of("key", rs.getString(1), "version", rs.getString(2), "sha256", rs.getString(3).trim(),
                        "state", rs.getString(4), "date", String.valueOf(rs.getString(5))));
        assertFalse(files.isEmpty());
        for (Map<String, Object> file : files) {
            JsonNode decided = intake.stream().filter(e -> !e.path("eventType").asText().equals("START"))
                    .filter(e -> e.at("/outputs/0/name").asText().equals(file.get("key"))
                            && e.at("/outputs/0/facets/version/datasetVersion").asText().equals(file.get("version")))
                    .findFirst().orElseThrow(() -> new AssertionError("no decision event for " + file));
            assertEquals(file.get("state").equals("QUARANTINED") ? "FAIL" : "COMPLETE",
                    decided.path("eventType").asText());
            assertEquals(file.get("sha256"), decided.at("/outputs/0/facets/finledger_object/sha256").asText());
            assertEquals(file.get("state"), decided.at("/run/facets/finledger_partner_file/state").asText());
        }

        // RAW loads: the exact landing object version → the RAW table, for its partition
        List<JsonNode> raw = events("raw_load.payments");
        Map<String, Object> first = payments.get(0);
        JsonNode load = raw.stream().filter(e -> e.at("/inputs/0/name").asText().equals(first.get("key"))
                        && e.at("/inputs/0/facets/version/datasetVersion").asText().equals(first.get("version")))
                .findFirst().orElseThrow();
        assertEquals("COMPLETE", load.path("eventType").asText());
        assertEquals(first.get("sha256"), load.at("/inputs/0/facets/finledger_object/sha256").asText());
        assertEquals(postgresNamespace(), load.at("/outputs/0/namespace").asText());
        assertEquals(database() + ".raw.payments", load.at("/outputs/0/name").asText());
        assertEquals(first.get("date"), partitionKeys(load).get(0));
        assertTrue(partitionKeys(load).stream().anyMatch(k -> k.startsWith(first.get("date") + "T")),
                "payments are windowed: the windows the object holds rows of");

        // dbt: the model's inputs, output and column lineage, from the compiled SQL, through two models
        String invocation = Jdbc.query(dataSource, "select invocation_id from dbt_invocation order by id desc limit 1",
                List.of(), rs -> rs.getString(1)).get(0);
        JsonNode staging = dbtComplete("model.finledger.stg_payments", invocation);
        assertEquals(database() + ".staging.payments", staging.at("/outputs/0/name").asText());
        assertEquals(List.of(database() + ".raw.payments"),
                list(staging.path("inputs")).stream().map(i -> i.path("name").asText()).toList());
        JsonNode paymentId = staging.at("/outputs/0/facets/columnLineage/fields/payment_id/inputFields/0");
        assertEquals(database() + ".raw.payments", paymentId.path("name").asText());
        assertEquals("record", paymentId.path("field").asText());
        assertEquals("TRANSFORMATION", paymentId.at("/transformations/0/subtype").asText());

        JsonNode curated = dbtComplete("model.finledger.transactions", invocation);
        assertEquals(database() + ".curated.transactions", curated.at("/outputs/0/name").asText());
        JsonNode cardToken = curated.at("/outputs/0/facets/columnLineage/fields/card_token/inputFields/0");
        assertEquals(postgresNamespace(), cardToken.path("namespace").asText());
        assertEquals(database() + ".staging.payments", cardToken.path("name").asText());
        assertEquals("card_pan", cardToken.path("field").asText());
        assertEquals("IDENTITY", cardToken.at("/transformations/0/subtype").asText());
        assertTrue(list(curated.at("/outputs/0/facets/schema/fields")).stream()
                .anyMatch(f -> f.path("name").asText().equals("card_token")));

        // every event is a valid OpenLineage run event
        List<JsonNode> all = Jdbc.query(dataSource,
                "select event::text from lineage_event where job_namespace = 'finledger'", List.of(), rs -> {
                    try {
                        return JSON.readTree(rs.getString(1));
                    } catch (java.io.IOException e) {
                        throw new IllegalStateException(e);
                    }
                });
        all.forEach(OwnLineageTest::assertRunEventShape);

        // recording everything again (the sweep, or a retried recording) stores nothing new
        long before = count();
        OwnLineage.Recorded again = ownLineage.recordSince(Instant.EPOCH);
        assertEquals(0, again.stored(), "the same loads give the same events");
        assertEquals(0, again.failed());
        assertTrue(again.duplicates() > 0, "everything was sent again: " + again);
        assertEquals(before, count());
    }

    private JsonNode dbtComplete(String uniqueId, String invocation) {
        UUID runId = OwnLineage.runId("dbt", invocation, uniqueId);
        return events("dbt." + uniqueId).stream().filter(e -> e.path("eventType").asText().equals("COMPLETE")
                && e.at("/run/runId").asText().equals(runId.toString())).findFirst()
                .orElseThrow(() -> new AssertionError("no COMPLETE of " + uniqueId + " in " + invocation));
    }

    private long count() {
        return Jdbc.query(dataSource, "select count(*) from lineage_event", List.of(), rs -> rs.getLong(1)).get(0);
    }

    /** The OpenLineage RunEvent's required fields (spec 2-0-2), and the client reads it back. */
    static void assertRunEventShape(JsonNode e) {
        assertTrue(e.path("schemaURL").asText().startsWith("https://openlineage.io/spec/"), e.toString());
        assertEquals(OwnFacets.PRODUCER.toString(), e.path("producer").asText());
        assertTrue(Set.of("START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER").contains(e.path("eventType").asText()));
        OffsetDateTime.parse(e.path("eventTime").asText());
        UUID.fromString(e.at("/run/runId").asText());
        assertEquals("finledger", e.at("/job/namespace").asText());
        assertFalse(e.at("/job/name").asText().isBlank());
        List<JsonNode> facets = new ArrayList<>();
        e.at("/run/facets").forEach(facets::add);
        e.at("/job/facets").forEach(facets::add);
        assertFalse(e.at("/job/facets/jobType/jobType").asText().isBlank(), e.toString());
        for (String list : List.of("inputs", "outputs")) {
            for (JsonNode d : e.path(list)) {
                assertFalse(d.path("namespace").asText().isBlank(), e.toString());
                assertFalse(d.path("name").asText().isBlank(), e.toString());
                d.path("facets").forEach(facets::add);
                d.path("outputFacets").forEach(facets::add);
                d.path("inputFacets").forEach(facets::add);
            }
        }
        for (JsonNode facet : facets) {
            assertTrue(facet.path("_producer").isTextual() && facet.path("_schemaURL").isTextual(), facet.toString());
        }
        OpenLineage.RunEvent parsed = OpenLineageClientUtils.runEventFromJson(e.toString());
        assertEquals(e.at("/run/runId").asText(), parsed.getRun().getRunId().toString());
        Set<String> seen = new HashSet<>();
        parsed.getOutputs().forEach(o -> assertTrue(seen.add(o.getNamespace() + o.getName()), "one output once"));
    }
}
