package com.finledger.integrity.lineage;

import static io.restassured.RestAssured.given;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.restassured.response.ValidatableResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Events for the lineage tests: the integration fixtures under src/test/resources/lineage/ with
 * fresh run ids (so tests never share runs), and events shaped per the lineage contract (our own
 * DMS, intake, RAW load and dbt runs).
 */
final class LineageFixtures {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String PRODUCER = "https://github.com/finledger/finledger-integrity";
    static final String RUN_EVENT = "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent";
    private static final Pattern UUIDS = Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");

    private LineageFixtures() {
    }

    /** The fixture's events, every UUID in it replaced by a fresh one (the same one each time it recurs). */
    static ArrayNode load(String name) {
        return load(name, Map.of());
    }

    static ArrayNode load(String name, Map<String, String> replace) {
        try (InputStream in = LineageFixtures.class.getResourceAsStream("/lineage/" + name)) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            Matcher m = UUIDS.matcher(text);
            Map<String, String> fresh = new java.util.HashMap<>();
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                m.appendReplacement(out, fresh.computeIfAbsent(m.group(), k -> UUID.randomUUID().toString()));
            }
            m.appendTail(out);
            String result = out.toString();
            for (Map.Entry<String, String> r : replace.entrySet()) {
                result = result.replace(r.getKey(), r.getValue());
            }
            return (ArrayNode) JSON.readTree(result);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    static ValidatableResponse post(Object body) {
        return given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body(body.toString()).post("/api/v1/lineage").then();
    }

    static ValidatableResponse get(String user, String path, Object... params) {
        // paths arrive encoded by the caller (names hold slashes and colons); query values are encoded here
        var spec = given().auth().preemptive().basic(user, "demo").urlEncodingEnabled(false);
        for (int i = 0; i < params.length; i += 2) {
            spec = spec.queryParam((String) params[i], enc(String.valueOf(params[i + 1])));
        }
        return spec.get(path).then().log().ifValidationFails();
    }

    static String enc(String s) {
        return java.net.URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }

    /** A dataset reference with optional facets given as name/facet pairs. */
    static ObjectNode dataset(String namespace, String name, Object... facets) {
        ObjectNode d = JSON.createObjectNode().put("namespace", namespace).put("name", name);
        ObjectNode f = d.putObject("facets");
        for (int i = 0; i < facets.length; i += 2) {
            f.set((String) facets[i], (JsonNode) facets[i + 1]);
        }
        return d;
    }

    static ObjectNode facet(String... fields) {
        ObjectNode f = JSON.createObjectNode().put("_producer", PRODUCER)
                .put("_schemaURL", "https://github.com/finledger/finledger-integrity/lineage-facets.json");
        for (int i = 0; i < fields.length; i += 2) {
            f.put(fields[i], fields[i + 1]);
        }
        return f;
    }

    static ObjectNode version(String v) {
        return JSON.createObjectNode().put("_producer", PRODUCER)
                .put("_schemaURL", "https://openlineage.io/spec/facets/1-0-1/DatasetVersionDatasetFacet.json")
                .put("datasetVersion", v);
    }

    /** A landing object per the contract: one dataset per object, its S3 version as the version. */
    static ObjectNode landingObject(String bucket, String key, String versionId, String sha256) {
        ObjectNode object = facet("key", key, "versionId", versionId, "sha256", sha256);
        object.put("sizeBytes", 98304);
        return dataset("s3://" + bucket, key, "version", version(versionId), "finledger_object", object);
    }

    static ObjectNode partition(String dataset, String key) {
        return facet("dataset", dataset, "partitionKey", key);
    }

    /** A run event of one of our own jobs (namespace finledger). */
    static ObjectNode run(UUID run, String type, Instant time, String job, List<ObjectNode> inputs,
                          List<ObjectNode> outputs, ObjectNode partition) {
        ObjectNode e = JSON.createObjectNode();
        e.put("eventType", type).put("eventTime", time.toString()).put("producer", PRODUCER).put("schemaURL", RUN_EVENT);
        ObjectNode r = e.putObject("run").put("runId", run.toString());
        ObjectNode rf = r.putObject("facets");
        if (partition != null) {
            rf.set("finledger_partition", partition);
        }
        e.putObject("job").put("namespace", JOBS).put("name", job);
        ArrayNode in = e.putArray("inputs");
        inputs.forEach(in::add);
        ArrayNode out = e.putArray("outputs");
        outputs.forEach(out::add);
        return e;
    }

    static final String WAREHOUSE = "postgres://127.0.0.1:62538";
    /**
     * The job namespace of the test world's runs: shaped like our own jobs (the contract's namespace is
     * {@code finledger}), but apart from them, so that tests reading what the application itself
     * recorded never see these.
     */
    static final String JOBS = "finledger-test-world";

    /** What {@link #contractWorld} posted: names to query by, and the runs and versions to expect. */
    record World(String tag, String day, String nextDay, String landing, String curatedName, String curatedPartition,
                 String bankPartition, String dmsKey, String bankKey, String stagingName, String rawBankName,
                 UUID curatedRun, UUID nextCuratedRun, UUID intakeRun, UUID dmsRun) {
    }

    /**
     * One business day of our own pipeline, per the lineage contract, and the start of the next: a
     * DMS extract and a partner file land as object versions, RAW loads read those versions, dbt
     * builds STAGING and CURATED, each run naming the catalog partition it builds. The next day the
     * partner resends the file (a new object version) and CURATED is built again. Names carry a tag
     * so that tests never share datasets or partitions.
     */
    static World contractWorld(java.util.function.Consumer<Object> post) {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String day = "2031-03-04";
        String next = "2031-03-05";
        String landing = "finledger-landing-" + tag;
        String settlements = "settlements_" + tag;
        String ledger = "ledger_settlements_" + tag;
        String bank = "bank_lines_" + tag;
        String dmsKey = "dms/ledger_settlements/public/settlements/" + day + "/LOAD00000001.csv";
        String bankKey = "partner/northbank/settlement_report_" + day.replace("-", "") + ".csv";
        String raw = "finledger.raw." + ledger;
        String rawBank = "finledger.raw." + bank;
        String staging = "finledger.staging." + ledger;
        String curated = "finledger.curated." + settlements;
        Instant t = Instant.parse(day + "T01:00:00Z");
        UUID dms = UUID.randomUUID();
        UUID intake = UUID.randomUUID();
        UUID rawLedger = UUID.randomUUID();
        UUID rawBankRun = UUID.randomUUID();
        UUID stg = UUID.randomUUID();
        UUID cur = UUID.randomUUID();
        ObjectNode dmsObject = landingObject(landing, dmsKey, "3sL4kqtJlcpXroDTDmJ_dms1", "a".repeat(64));
        ObjectNode bankObject = landingObject(landing, bankKey, "Wb9x.v1-bank", "b".repeat(64));
        ObjectNode sourceTable = dataset("postgres://ledger-settlements.internal:5432", "ledger.public.settlements");
        ObjectNode partnerFile = dataset("s3://northbank-drop-" + tag, "outgoing/settlement_report_" + day + ".csv",
                "version", version("c".repeat(64)));
        ObjectNode stagingOut = dataset(WAREHOUSE, staging, "schema", schema("settlement_id", "amount_minor", "currency"),
                "columnLineage", columnLineage(Map.of("amount_minor", new String[] {WAREHOUSE, raw, "amount"})));
        ObjectNode curatedOut = dataset(WAREHOUSE, curated, "schema", schema("settlement_id", "amount_minor", "bank_amount_minor"),
                "columnLineage", columnLineage(Map.of("amount_minor", new String[] {WAREHOUSE, staging, "amount_minor"},
                        "bank_amount_minor", new String[] {WAREHOUSE, rawBank, "amount"})));
        List<ObjectNode> events = new java.util.ArrayList<>();
        for (String type : List.of("START", "COMPLETE")) {
            int end = type.equals("START") ? 0 : 50;
            events.add(run(dms, type, t.plusSeconds(end), "dms.ledger-settlements-cdc", List.of(sourceTable),
                    List.of(dmsObject), partition(ledger, day)));
            events.add(run(intake, type, t.plusSeconds(600 + end), "intake.northbank", List.of(partnerFile),
                    List.of(bankObject), partition(bank, day)));
            events.add(run(rawLedger, type, t.plusSeconds(3600 + end), "raw_load." + ledger, List.of(dmsObject),
                    List.of(dataset(WAREHOUSE, raw)), partition(ledger, day)));
            events.add(run(rawBankRun, type, t.plusSeconds(3700 + end), "raw_load." + bank, List.of(bankObject),
                    List.of(dataset(WAREHOUSE, rawBank)), partition(bank, day)));
            events.add(run(stg, type, t.plusSeconds(7200 + end), "dbt.model.finledger.stg_" + ledger,
                    List.of(dataset(WAREHOUSE, raw)), List.of(stagingOut), partition(ledger, day)));
            events.add(run(cur, type, t.plusSeconds(10800 + end), "dbt.model.finledger." + settlements,
                    List.of(dataset(WAREHOUSE, staging), dataset(WAREHOUSE, rawBank)), List.of(curatedOut),
                    partition(settlements, day)));
        }
        // the next day: the partner resends the report (a new version of the same object), loaded and curated again
        Instant n = Instant.parse(next + "T01:00:00Z");
        UUID intake2 = UUID.randomUUID();
        UUID rawBank2 = UUID.randomUUID();
        UUID cur2 = UUID.randomUUID();
        ObjectNode resent = landingObject(landing, bankKey, "Wb9x.v2-resent", "d".repeat(64));
        events.add(run(intake2, "COMPLETE", n.plusSeconds(600), "intake.northbank", List.of(partnerFile),
                List.of(resent), partition(bank, next)));
        events.add(run(rawBank2, "COMPLETE", n.plusSeconds(3700), "raw_load." + bank, List.of(resent),
                List.of(dataset(WAREHOUSE, rawBank)), partition(bank, next)));
        events.add(run(cur2, "COMPLETE", n.plusSeconds(10800), "dbt.model.finledger." + settlements,
                List.of(dataset(WAREHOUSE, staging), dataset(WAREHOUSE, rawBank)), List.of(curatedOut),
                partition(settlements, next)));
        ArrayNode batch = JSON.createArrayNode();
        events.forEach(batch::add);
        post.accept(batch);
        return new World(tag, day, next, landing, curated, settlements, bank, dmsKey, bankKey, staging, rawBank, cur,
                cur2, intake, dms);
    }

    static ObjectNode schema(String... fields) {
        ObjectNode f = facet();
        ArrayNode list = f.putArray("fields");
        for (String name : fields) {
            list.addObject().put("name", name).put("type", name.endsWith("_minor") ? "bigint" : "text");
        }
        return f;
    }

    /** columnLineage facet: output column -> {namespace, dataset, field} of its one input. */
    static ObjectNode columnLineage(Map<String, String[]> columns) {
        ObjectNode f = facet();
        ObjectNode fields = f.putObject("fields");
        new java.util.TreeMap<>(columns).forEach((out, in) -> fields.putObject(out).putArray("inputFields").addObject()
                .put("namespace", in[0]).put("name", in[1]).put("field", in[2]));
        return f;
    }
}
