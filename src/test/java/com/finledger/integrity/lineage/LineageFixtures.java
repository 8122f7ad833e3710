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
        e.putObject("job").put("namespace", "finledger").put("name", job);
        ArrayNode in = e.putArray("inputs");
        inputs.forEach(in::add);
        ArrayNode out = e.putArray("outputs");
        outputs.forEach(out::add);
        return e;
    }
}
