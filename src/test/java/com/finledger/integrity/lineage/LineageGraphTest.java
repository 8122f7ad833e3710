package com.finledger.integrity.lineage;

import static com.finledger.integrity.lineage.LineageFixtures.JSON;
import static com.finledger.integrity.lineage.LineageFixtures.WAREHOUSE;
import static com.finledger.integrity.lineage.LineageFixtures.enc;
import static com.finledger.integrity.lineage.LineageFixtures.get;
import static com.finledger.integrity.lineage.LineageFixtures.load;
import static com.finledger.integrity.lineage.LineageFixtures.post;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.lessThanOrEqualTo;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;

/** The graph's queries: traces to object versions, as-of, column lineage, bounds, quality, Marquez's shapes. */
@QuarkusTest
class LineageGraphTest {

    @Inject
    DataSource dataSource;

    @Inject
    LineageTraces traces;

    private LineageFixtures.World world() {
        return LineageFixtures.contractWorld(batch -> post(batch).statusCode(201));
    }

    @Test
    void aCuratedPartitionTracesToTheExactLandingObjectVersionsAndSourceExtracts() {
        LineageFixtures.World w = world();
        JsonPath trace = get("auditor", "/api/v1/lineage/trace/partition", "dataset", w.curatedPartition(), "partition",
                w.day()).statusCode(200).extract().jsonPath();
        assertEquals(List.of(w.dmsKey(), w.bankKey()), trace.getList("landingObjects.object.key"));
        assertEquals(List.of("3sL4kqtJlcpXroDTDmJ_dms1", "Wb9x.v1-bank"), trace.getList("landingObjects.object.versionId"),
                "the version the day's loads read, not the partner's resend of the next day");
        assertEquals(List.of("a".repeat(64), "b".repeat(64)), trace.getList("landingObjects.object.sha256"));
        assertEquals(List.of("ledger.public.settlements", "outgoing/settlement_report_" + w.day() + ".csv"),
                trace.getList("sourceExtracts.name"));
        assertEquals(List.of("c".repeat(64)), trace.getList("sourceExtracts.findAll { it.version != null }.version"));
        assertEquals(List.of(LineageFixtures.JOBS + " dms.ledger-settlements-cdc"), trace.getList("sourceExtracts[0].readBy"));
        assertEquals(6, trace.getList("runs").size(), "curated, staging, two RAW loads, DMS and the intake run");
        assertEquals(w.curatedRun().toString(), trace.getString("runs[0].runId"));
        assertEquals(false, trace.getBoolean("truncated"));
        // the Java method the close evidence pack calls returns the same trace as the export
        LineageTraces.Trace direct = traces.partition(w.curatedPartition(), w.day(), null, 10);
        assertEquals(trace.getList("versions.id"), direct.versions().stream().map(LineageTraces.TraceVersion::id).toList());
        get("auditor", "/api/v1/lineage/trace/partition/export", "dataset", w.curatedPartition(), "partition", w.day())
                .statusCode(200).header("Content-Disposition", org.hamcrest.Matchers.containsString("attachment"))
                .body("landingObjects.object.versionId", hasItem("Wb9x.v1-bank"));
        get("auditor", "/api/v1/lineage/trace/partition", "dataset", w.curatedPartition(), "partition", "1999-01-01")
                .statusCode(404);
    }

    @Test
    void asOfATimeOrARunTheInputVersionsAreThoseOfThatTime() {
        LineageFixtures.World w = world();
        // as of the first day: the first curated version, built from the first bank file version
        JsonPath first = get("auditor", "/api/v1/lineage/trace/version", "namespace", WAREHOUSE, "name",
                w.curatedName(), "asOf", w.day() + "T12:00:00Z", "depth", "3").statusCode(200).extract().jsonPath();
        assertEquals("run:" + w.curatedRun(), first.getString("versions[0].version"));
        assertEquals(List.of("3sL4kqtJlcpXroDTDmJ_dms1", "Wb9x.v1-bank"), first.getList("landingObjects.version"));
        // as of the next day: the resent file's version
        JsonPath second = get("auditor", "/api/v1/lineage/trace/version", "namespace", WAREHOUSE, "name",
                w.curatedName(), "asOf", w.nextDay() + "T12:00:00Z", "depth", "3").statusCode(200).extract().jsonPath();
        assertEquals("run:" + w.nextCuratedRun(), second.getString("versions[0].version"));
        assertTrue(second.getList("landingObjects.version").contains("Wb9x.v2-resent"), second.prettify());
        assertTrue(!second.getList("landingObjects.version").contains("Wb9x.v1-bank"), second.prettify());
        // depth 1: exactly the input versions that produced this output version
        JsonPath oneHop = get("auditor", "/api/v1/lineage/trace/run/" + w.curatedRun(), "depth", "1").statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(WAREHOUSE + ":" + "finledger.raw.bank_lines_" + w.tag(), WAREHOUSE + ":" + w.stagingName()),
                oneHop.getList("versions.findAll { it.depth == 1 }").stream()
                        .map(v -> ((Map<?, ?>) v).get("namespace") + ":" + ((Map<?, ?>) v).get("name")).sorted().toList());
        assertEquals(true, oneHop.getBoolean("depthCut"), "there is more upstream than one hop");
        // before anything was written
        get("auditor", "/api/v1/lineage/trace/version", "namespace", WAREHOUSE, "name", w.curatedName(), "asOf",
                "2031-01-01T00:00:00Z").statusCode(404);
    }

    @Test
    void downstreamOfAPartitionReachesWhatItFedAndNotTheNextDaysBuilds() {
        LineageFixtures.World w = world();
        JsonPath down = get("ops", "/api/v1/lineage/trace/partition/downstream", "dataset", w.bankPartition(),
                "partition", w.day()).statusCode(200).extract().jsonPath();
        List<String> runs = down.getList("runs.runId");
        assertTrue(runs.contains(w.intakeRun().toString()) && runs.contains(w.curatedRun().toString()), down.prettify());
        assertTrue(!runs.contains(w.nextCuratedRun().toString()), "the next day's curated build read the resend");
        assertEquals(List.of("raw_load.bank_lines_" + w.tag()), down.getList("runs.findAll { it.depth == 0 }.jobName")
                .stream().filter(n -> n.toString().startsWith("raw_load")).toList());
    }

    @Test
    void theDatasetColumnSearchAndExpandPagesRender() {
        LineageFixtures.World w = world();
        String page = get("auditor", "/lineage/dataset", "namespace", WAREHOUSE, "name", w.curatedName()).statusCode(200)
                .extract().asString();
        assertTrue(page.contains("bank_amount_minor") && page.contains("/lineage/column?namespace="), page);
        assertTrue(page.contains("run:" + w.curatedRun()), "the versions table names the writing runs");
        page = get("ops", "/lineage/column", "namespace", WAREHOUSE, "name", w.curatedName(), "field",
                "bank_amount_minor").statusCode(200).extract().asString();
        assertTrue(page.contains("datasetField:" + WAREHOUSE + ":" + w.rawBankName() + ":amount"), page);
        page = get("preparer", "/lineage", "q", w.tag()).statusCode(200).extract().asString();
        assertTrue(page.contains(w.curatedPartition() + " " + w.day()) && page.contains(w.curatedName()), page);
        get("approver", "/lineage/graph.json", "node", "dataset:" + WAREHOUSE + ":" + w.curatedName()).statusCode(200)
                .body("data.id", hasItem("job:" + LineageFixtures.JOBS + ":dbt.model.finledger." + w.curatedPartition()));
        get("pipeline", "/lineage").statusCode(403);
    }

    @Test
    void columnLineageRunsThroughTheDbtModel() {
        ArrayNode dbt = load("dbt-model-run.json");
        dbt.forEach(e -> post(e).statusCode(org.hamcrest.Matchers.oneOf(200, 201)));
        String pg = "postgres://127.0.0.1:62538";
        get("auditor", "/api/v1/lineage/columns", "namespace", pg, "name", "finledger.curated.transactions", "field",
                "business_date").statusCode(200)
                .body("nodes.id", hasItem("datasetField:" + pg + ":finledger.staging.payments:created_at"))
                .body("edges[0].label", equalTo("DIRECT TRANSFORMATION"));
        // two hops through our own models: curated.amount_minor <- staging.amount_minor <- raw.amount
        LineageFixtures.World w = world();
        JsonPath up = get("auditor", "/api/v1/lineage/columns", "namespace", WAREHOUSE, "name", w.curatedName(),
                "field", "amount_minor", "depth", "5").statusCode(200).extract().jsonPath();
        assertEquals(List.of(0, 1, 2), up.getList("nodes.depth"));
        assertEquals("datasetField:" + WAREHOUSE + ":finledger.raw.ledger_settlements_" + w.tag() + ":amount",
                up.getString("nodes[2].id"));
        get("auditor", "/api/v1/lineage/columns", "namespace", WAREHOUSE, "name", "finledger.raw.ledger_settlements_"
                + w.tag(), "field", "amount", "direction", "downstream").statusCode(200)
                .body("nodes.field", equalTo(List.of("amount", "amount_minor", "amount_minor")));
        // Marquez's dataset view carries the column lineage too
        get("auditor", "/api/v1/namespaces/" + enc(pg) + "/datasets/" + enc("finledger.curated.transactions"))
                .statusCode(200).body("columnLineage.find { it.name == 'business_date' }.inputFields[0].field",
                        equalTo("created_at"));
    }

    @Test
    void queriesAreBoundedAndSayWhenTheyWereCut() {
        String ns = "bounds://" + UUID.randomUUID();
        ArrayNode chain = JSON.createArrayNode();
        for (int i = 0; i < 25; i++) {
            chain.add(jobEvent(ns, "step" + i, List.of("d" + i), List.of("d" + (i + 1))));
        }
        post(chain).statusCode(201);
        get("auditor", "/api/v1/lineage/upstream", "namespace", ns, "name", "d25", "depth", "50").statusCode(200)
                .body("depth", equalTo(20)).body("depthCut", equalTo(true)).body("truncated", equalTo(false))
                .body("nodes.findAll { it.type == 'DATASET' }.size()", equalTo(21))
                .body("nodes.depth.max()", equalTo(20));
        get("auditor", "/api/v1/lineage/upstream", "namespace", ns, "name", "d25", "depth", "3").statusCode(200)
                .body("nodes.findAll { it.type == 'DATASET' }.name", equalTo(List.of("d25", "d24", "d23", "d22")))
                .body("edges.size()", equalTo(6));
        get("auditor", "/api/v1/lineage/downstream", "namespace", ns, "name", "d0", "depth", "2").statusCode(200)
                .body("nodes.findAll { it.type == 'DATASET' }.name", equalTo(List.of("d0", "d1", "d2")));
        // a fan-in wider than the node cap
        List<String> wide = new java.util.ArrayList<>();
        for (int i = 0; i < 2100; i++) {
            wide.add("in" + i);
        }
        post(jobEvent(ns, "wide", wide, List.of("fanin"))).statusCode(201);
        get("auditor", "/api/v1/lineage/upstream", "namespace", ns, "name", "fanin", "depth", "1").statusCode(200)
                .body("truncated", equalTo(true)).body("maxNodes", equalTo(2000))
                .body("nodes.findAll { it.type == 'DATASET' }.size()", lessThanOrEqualTo(2000));
    }

    @Test
    void aBlockedPartitionUpstreamShowsOnEverythingDownstreamOfIt() throws Exception {
        LineageFixtures.World w = world();
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into partition_readiness (dataset, partition_key, state, version, updated_at)
                values (?, ?, ?, 1, now())""")) {
            for (String[] p : List.of(new String[] {w.bankPartition(), w.day(), "BLOCKED"},
                    new String[] {w.curatedPartition(), w.day(), "READY"},
                    new String[] {w.bankPartition(), w.nextDay(), "BLOCKED"})) {
                ps.setString(1, p[0]);
                ps.setString(2, p[1]);
                ps.setString(3, p[2]);
                ps.executeUpdate();
            }
        }
        JsonPath trace = get("auditor", "/api/v1/lineage/trace/partition", "dataset", w.curatedPartition(), "partition",
                w.day()).statusCode(200).extract().jsonPath();
        String blocked = w.bankPartition() + " " + w.day() + ": Blocked";
        assertEquals("Ready", trace.getString("runs[0].partitions[0].label"));
        assertEquals(List.of(blocked), trace.getList("runs[0].blockedUpstream"), "the curated run");
        assertEquals("Blocked", trace.getString("runs.find { it.jobName == 'intake.northbank' }.partitions[0].label"));
        assertEquals(List.of(), trace.getList("runs.find { it.jobName == 'dms.ledger-settlements-cdc' }.blockedUpstream"),
                "the ledger side does not depend on the bank file");
        // the dataset graph shows each dataset's newest partition: the next day's
        get("auditor", "/api/v1/lineage/upstream", "namespace", WAREHOUSE, "name", w.curatedName(), "depth", "5")
                .statusCode(200)
                .body("nodes.find { it.name == '" + w.curatedName() + "' }.blockedUpstream",
                        equalTo(List.of(w.bankPartition() + " " + w.nextDay() + ": Blocked")))
                .body("nodes.find { it.name == '" + w.curatedName() + "' }.partitions[0].partitionKey",
                        equalTo(w.nextDay()))
                .body("nodes.find { it.name == '" + w.rawBankName() + "' }.partitions[0].state", equalTo("BLOCKED"));
    }

    @Test
    void marquezClientsReadTheGraphInMarquezShapes() {
        LineageFixtures.World w = world();
        String curated = "dataset:" + WAREHOUSE + ":" + w.curatedName();
        String job = "job:" + LineageFixtures.JOBS + ":dbt.model.finledger." + w.curatedPartition();
        JsonPath g = get("auditor", "/api/v1/lineage", "nodeId", curated, "depth", "2").statusCode(200).extract()
                .jsonPath();
        assertTrue(g.getList("graph.id").containsAll(List.of(curated, job)), g.getList("graph.id").toString());
        assertEquals("JOB", g.getString("graph.find { it.id == '" + job + "' }.type"));
        assertEquals(List.of(Map.of("origin", job, "destination", curated)),
                g.getList("graph.find { it.id == '" + curated + "' }.inEdges"));
        assertEquals(w.curatedName(), g.getString("graph.find { it.id == '" + curated + "' }.data.id.name"));
        assertEquals("COMPLETED", g.getString("graph.find { it.id == '" + job + "' }.data.latestRun.state"));

        get("auditor", "/api/v1/namespaces").statusCode(200)
                .body("namespaces.name", hasItems(LineageFixtures.JOBS, WAREHOUSE, "s3://" + w.landing()))
                .body("namespaces[0].isHidden", equalTo(false));
        get("auditor", "/api/v1/namespaces/" + enc("s3://" + w.landing()) + "/datasets").statusCode(200)
                .body("totalCount", equalTo(2)).body("datasets.name", hasItem(w.bankKey()))
                .body("datasets[0].type", equalTo("DB_TABLE"));
        get("auditor", "/api/v1/namespaces/" + enc("s3://" + w.landing()) + "/datasets/" + enc(w.bankKey())
                + "/versions").statusCode(200).body("totalCount", equalTo(2))
                .body("versions.datasetVersion", equalTo(List.of("Wb9x.v2-resent", "Wb9x.v1-bank")))
                .body("versions[1].createdByRun.id", equalTo(w.intakeRun().toString()))
                .body("versions[1].facets.finledger_object.sha256", equalTo("b".repeat(64)));
        get("auditor", "/api/v1/namespaces/" + LineageFixtures.JOBS + "/jobs/" + enc("dbt.model.finledger." + w.curatedPartition())
                + "/runs").statusCode(200).body("totalCount", equalTo(2))
                .body("runs.id", equalTo(List.of(w.nextCuratedRun().toString(), w.curatedRun().toString())))
                .body("runs.state", everyItem(equalTo("COMPLETED")))
                .body("runs[1].inputDatasetVersions.datasetVersionId.name", hasItem(w.stagingName()))
                .body("runs[1].durationMs", equalTo(50000))
                .body("runs[1].facets.finledger_partition.partitionKey", equalTo(w.day()));
        get("auditor", "/api/v1/namespaces/" + LineageFixtures.JOBS + "/jobs").statusCode(200).body("jobs.name", hasItem("intake.northbank"))
                .body("jobs[0].id.namespace", equalTo(LineageFixtures.JOBS));
        get("auditor", "/api/v1/jobs/runs/" + w.dmsRun()).statusCode(200).body("state", equalTo("COMPLETED"))
                .body("outputDatasetVersions[0].datasetVersionId.name", equalTo(w.dmsKey()))
                .body("outputDatasetVersions[0].datasetVersionId.version", notNullValue());
        get("auditor", "/api/v1/lineage", "nodeId", "dataset:nowhere:nothing").statusCode(404);
        get("auditor", "/api/v1/lineage", "nodeId", "bogus").statusCode(400).body("detail", not(equalTo("")));
    }

    private static ObjectNode jobEvent(String ns, String job, List<String> inputs, List<String> outputs) {
        ObjectNode e = JSON.createObjectNode().put("eventTime", "2026-11-01T00:00:00Z")
                .put("producer", LineageFixtures.PRODUCER)
                .put("schemaURL", "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent");
        e.putObject("job").put("namespace", ns).put("name", job);
        ArrayNode in = e.putArray("inputs");
        inputs.forEach(i -> in.addObject().put("namespace", ns).put("name", i));
        ArrayNode out = e.putArray("outputs");
        outputs.forEach(o -> out.addObject().put("namespace", ns).put("name", o));
        return e;
    }
}
