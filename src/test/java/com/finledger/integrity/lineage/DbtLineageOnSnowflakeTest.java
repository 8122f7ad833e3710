package com.finledger.integrity.lineage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.catalog.Catalog;
import com.finledger.integrity.catalog.CatalogLoader;
import io.openlineage.client.OpenLineage.RunEvent;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The dbt models' lineage as production records it: Airflow's dbt-snowflake run results (unquoted
 * upper-case relation names, Snowflake's {@code :"field"::varchar}) named in the Snowflake account's
 * namespace, with column lineage and the partitions built; built twice, the same events.
 */
class DbtLineageOnSnowflakeTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    private static ObjectNode result(String uniqueId, String relation, String status, String sql) {
        ObjectNode r = JSON.createObjectNode();
        r.put("unique_id", uniqueId);
        r.put("status", status);
        r.put("relation_name", relation);
        if (sql != null) {
            r.put("compiled_code", sql);
        }
        r.put("message", status.equals("error") ? "Database Error in model: invalid identifier" : "SUCCESS 1");
        ArrayNode timing = r.putArray("timing");
        timing.addObject().put("name", "compile").put("started_at", "2026-11-03T06:10:00.100000Z")
                .put("completed_at", "2026-11-03T06:10:00.200000Z");
        timing.addObject().put("name", "execute").put("started_at", "2026-11-03T06:10:00.300000Z")
                .put("completed_at", "2026-11-03T06:10:04.500000Z");
        r.putObject("adapter_response").put("rows_affected", 42);
        return r;
    }

    private static JsonNode runResults() {
        ObjectNode root = JSON.createObjectNode();
        root.putObject("metadata").put("invocation_id", "3f1c0c8e-airflow");
        ArrayNode results = root.putArray("results");
        results.add(result("model.finledger.stg_payments", "FINLEDGER.STAGING.PAYMENTS", "success", """
                with landed as (select * from FINLEDGER.RAW.PAYMENTS),
                latest as (
                    select * from (
                        select landed.*, row_number() over (partition by record:"payment_id"::varchar order by change_seq desc) as finledger_recency
                        from landed as landed
                    ) ranked where finledger_recency = 1
                ),
                typed as (
                    select record:"payment_id"::varchar as payment_id,
                           record:"card_pan"::varchar as card_pan,
                           cast(record:"amount_minor"::varchar as bigint) as amount_minor,
                           cast(record:"business_date"::varchar as date) as business_date,
                           change_seq, op
                    from latest
                )
                select payment_id, card_pan, amount_minor, business_date, change_seq from typed where op <> 'D'"""));
        results.add(result("model.finledger.transactions", "FINLEDGER.CURATED.TRANSACTIONS", "success", """
                with payments as (select * from FINLEDGER.STAGING.PAYMENTS)
                select payment_id, card_pan as card_token, amount_minor, business_date from payments"""));
        results.add(result("model.finledger.refunds", "FINLEDGER.CURATED.REFUNDS", "error", null));
        results.add(result("model.finledger.chargebacks", "FINLEDGER.CURATED.CHARGEBACKS", "success",
                "select * from FINLEDGER.RAW.CHARGEBACK_FEED"));
        return root;
    }

    private static List<RunEvent> build() {
        OwnLineage own = new OwnLineage();
        own.names = new DatasetNames(key -> Optional.ofNullable(Map.of(
                "quarkus.datasource.jdbc.url", "jdbc:postgresql://control-plane.internal:5432/finledger",
                "finledger.ports.warehouse", "snowflake",
                "finledger.snowflake.account", "FINLEDGER-PAYMENTS",
                "finledger.snowflake.database", "FINLEDGER").get(key)));
        Catalog catalog = CatalogLoader.load(Path.of("ingestion-config"));
        return own.dbtEvents(catalog, "3f1c0c8e-airflow", runResults(), Instant.parse("2026-11-03T06:11:00Z"),
                Map.of("payments", Set.of("2026-11-02", "2026-11-02T10:15Z")));
    }

    @Test
    void modelsAreNamedInTheSnowflakeAccountWithColumnLineageAndTheirPartitions() {
        List<JsonNode> events = build().stream().map(OwnLineage::json).toList();
        events.forEach(OwnLineageTest::assertRunEventShape);
        assertEquals(8, events.size(), "START and an end per model");

        JsonNode staging = events.get(1);
        assertEquals("dbt.model.finledger.stg_payments", staging.at("/job/name").asText());
        assertEquals("COMPLETE", staging.path("eventType").asText());
        assertEquals(Instant.parse("2026-11-03T06:10:04.500Z"),
                java.time.OffsetDateTime.parse(staging.path("eventTime").asText()).toInstant(), "dbt's own end time");
        assertEquals(Instant.parse("2026-11-03T06:10:00.100Z"),
                java.time.OffsetDateTime.parse(events.get(0).path("eventTime").asText()).toInstant(), "and start");
        assertEquals("snowflake://finledger-payments", staging.at("/inputs/0/namespace").asText());
        assertEquals("finledger.raw.payments", staging.at("/inputs/0/name").asText());
        assertEquals("finledger.staging.payments", staging.at("/outputs/0/name").asText());
        assertEquals("record", staging.at("/outputs/0/facets/columnLineage/fields/card_pan/inputFields/0/field").asText());
        assertEquals(42, staging.at("/outputs/0/outputFacets/outputStatistics/rowCount").asLong());
        assertEquals("MODEL", staging.at("/job/facets/jobType/jobType").asText());
        assertEquals("snowflake", staging.at("/job/facets/sql/dialect").asText());
        assertTrue(staging.at("/job/facets/sql/query").asText().contains("FINLEDGER.RAW.PAYMENTS"));
        assertEquals("payments", staging.at("/run/facets/finledger_partitions/partitions/0/dataset").asText());

        JsonNode curated = events.get(3);
        JsonNode cardToken = curated.at("/outputs/0/facets/columnLineage/fields/card_token/inputFields/0");
        assertEquals("snowflake://finledger-payments", cardToken.path("namespace").asText());
        assertEquals("finledger.staging.payments", cardToken.path("name").asText());
        assertEquals("card_pan", cardToken.path("field").asText());
        // transactions is windowed and built from payments: the date and the window
        assertEquals(List.of("2026-11-02", "2026-11-02T10:15Z"), List.of(
                curated.at("/run/facets/finledger_partitions/partitions/0/partitionKey").asText(),
                curated.at("/run/facets/finledger_partitions/partitions/1/partitionKey").asText()));

        JsonNode failed = events.get(5);
        assertEquals("FAIL", failed.path("eventType").asText());
        assertTrue(failed.at("/run/facets/errorMessage/message").asText().contains("invalid identifier"));
        assertFalse(failed.at("/outputs/0/facets").has("columnLineage"), "no SQL, no column lineage claimed");

        JsonNode unread = events.get(7);
        assertEquals("finledger.raw.chargeback_feed", unread.at("/inputs/0/name").asText(), "what it reads is known");
        assertTrue(unread.at("/outputs/0/facets/columnLineage").isMissingNode()
                && unread.at("/outputs/0/facets/schema").isMissingNode(), "* over unknown columns: none claimed");

        assertEquals(events, build().stream().map(OwnLineage::json).toList(), "built again: the same events");
    }
}
