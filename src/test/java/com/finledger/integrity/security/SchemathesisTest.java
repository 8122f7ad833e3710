package com.finledger.integrity.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * Schemathesis (tools/python/schemathesis.requirements.txt, venv made by the build) against the API description
 * at /q/openapi: every operation with each demo user whose role it admits, generated inputs, and the checks that
 * no answer is a 5xx and every answer matches its documented schema. Bounded: a few examples per operation, the
 * fuzzing phase only, and a deadline per role. Reports (JUnit XML) under target/schemathesis/.
 */
@QuarkusTest
class SchemathesisTest {

    private static final Path VENV = Path.of("target", "venvs", "schemathesis", "bin", "schemathesis");
    private static final Path OUT = Path.of("target", "schemathesis");
    private static final Map<String, String> ROLE_OF = Map.of("ops", Roles.OPS, "preparer", Roles.FINANCE_PREPARER,
            "approver", Roles.FINANCE_APPROVER, "auditor", Roles.AUDITOR, "pipeline", Roles.PIPELINE, "admin",
            Roles.ADMIN);
    private static final Map<String, String> SAMPLES = Map.of("dataset", "payments", "partition", "2026-11-02",
            "period", "2026-11", "source", "processor_alpha", "processor", "alpha", "namespace", "finledger",
            "decision", "approve");
    /** Per role; all six take about a minute on an idle two-core machine, several under heavy shared load. */
    private static final long DEADLINE_SECONDS = Long.getLong("schemathesis.deadline-seconds", 90);
    private static final int EXAMPLES = Integer.getInteger("schemathesis.max-examples", 3);

    @TestHTTPResource("/")
    URL root;

    @Inject
    DemoWorldFixture fixture;

    @AfterAll
    static void generatedCallsChangedTheWorld() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void everyOperationWithEveryRoleAnswersWithoutServerErrorsAndAsDescribed() throws Exception {
        assertTrue(Files.isExecutable(VENV), "schemathesis venv missing: the build makes it with "
                + "tools/python/venv.sh schemathesis tools/python/schemathesis.requirements.txt");
        fixture.ensureDefaultWorld();
        Files.createDirectories(OUT);
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        List<String> failures = new ArrayList<>();
        for (String user : List.of("ops", "preparer", "approver", "auditor", "pipeline", "admin")) {
            Path spec = OUT.resolve("openapi-" + user + ".json");
            int operations = onlyAdmitted(doc, ROLE_OF.get(user), spec);
            String result = run(user, spec);
            if (result != null) {
                failures.add(user + " (" + operations + " operations): " + result);
            }
        }
        assertTrue(failures.isEmpty(), "schemathesis found:\n" + String.join("\n\n", failures));
    }

    /** The document with only the operations the role is admitted to (refusals are RoleMatrixTest's). */
    private static int onlyAdmitted(JsonNode doc, String role, Path out) throws IOException {
        ObjectNode copy = doc.deepCopy();
        int kept = 0;
        ObjectNode paths = (ObjectNode) copy.get("paths");
        List<String> emptyPaths = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = paths.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> path = it.next();
            ObjectNode item = (ObjectNode) path.getValue();
            List<String> drop = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> ops = item.fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                if (!op.getValue().isObject() || !op.getValue().has("x-roles")) {
                    continue;
                }
                boolean admitted = op.getValue().path("x-public").asBoolean(false);
                for (JsonNode r : op.getValue().get("x-roles")) {
                    admitted |= r.asText().equals(role);
                }
                // the sign-out form ends the session schemathesis signs in with on every call anyway
                // a write with no input at all (run the pipeline, capture loads) has nothing to generate: fuzzing
                // would only repeat the same run; RoleMatrixTest calls each with every role
                boolean nothingToGenerate = !op.getKey().equals("get") && !op.getValue().has("requestBody")
                        && !path.getKey().contains("{") && op.getValue().path("parameters").isEmpty();
                if (!admitted || path.getKey().equals("/logout") || nothingToGenerate) {
                    drop.add(op.getKey());
                } else {
                    kept++;
                    // the examples phase reads with values of the demo world, so it reaches past the 404s (writes
                    // keep generated values: with real ones they would start backfills and reruns, minutes each)
                    for (JsonNode parameter : op.getKey().equals("get") ? op.getValue().path("parameters")
                            : com.fasterxml.jackson.databind.node.MissingNode.getInstance()) {
                        String sample = SAMPLES.get(parameter.path("name").asText());
                        if (sample != null && parameter.path("in").asText().equals("path")) {
                            ((ObjectNode) parameter).put("example", sample);
                        }
                    }
                }
            }
            drop.forEach(item::remove);
            if (!item.fieldNames().hasNext()) {
                emptyPaths.add(path.getKey());
            }
        }
        emptyPaths.forEach(paths::remove);
        copy.remove("servers");
        Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(copy));
        return kept;
    }

    /** Runs schemathesis as the user; null when it passed, else what it printed. */
    private String run(String user, Path spec) throws IOException, InterruptedException {
        Path log = OUT.resolve("schemathesis-" + user + ".log");
        List<String> command = List.of(VENV.toAbsolutePath().toString(), "run", spec.toAbsolutePath().toString(),
                "--url", root.toString(),
                "--auth", user + ":demo", "--checks", "not_a_server_error,response_schema_conformance",
                "--phases", "examples,fuzzing", "--max-examples", Integer.toString(EXAMPLES), "--seed", "19",
                "--generation-deterministic", "--no-shrink", "--workers", "1", "--max-redirects", "0",
                "--request-timeout", "20", "--no-color",
                "--report", "junit", "--report-junit-path",
                OUT.resolve("junit-" + user + ".xml").toAbsolutePath().toString());
        // run inside target/schemathesis/: schemathesis keeps a .schemathesis/ cache in its working directory
        Process p = new ProcessBuilder(command).directory(OUT.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile()).start();
        if (!p.waitFor(DEADLINE_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            return "did not finish within " + DEADLINE_SECONDS + " s (see " + log + ")";
        }
        String out = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("[schemathesis " + user + "] " + tail(out, 600));
        return p.exitValue() == 0 ? null : tail(out, 6000);
    }

    private static String tail(String s, int n) {
        return s.length() <= n ? s : "..." + s.substring(s.length() - n);
    }

    @Test
    void theApiDescriptionIsServedWithRolesOnEveryOperation() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().get("/q/openapi?format=json").then().statusCode(200)
                .extract().asString());
        JsonNode op = doc.at("/paths/~1api~1v1~1overrides~1{id}~1approve/post");
        assertEquals("[\"finance_approver\",\"admin\"]", op.get("x-roles").toString());
        assertTrue(op.get("description").asText().contains("Roles: finance_approver, admin."));
        assertTrue(doc.at("/components/schemas/Problem").isObject(), "problem schema");
    }
}
