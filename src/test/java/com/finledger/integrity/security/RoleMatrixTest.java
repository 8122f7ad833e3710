package com.finledger.integrity.security;

import static io.restassured.RestAssured.given;

import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every role against a sample of endpoints and pages: allowed means 2xx/3xx, refused means 403. */
@QuarkusTest
class RoleMatrixTest {

    private static final List<String> USERS = List.of("ops", "preparer", "approver", "auditor", "pipeline", "admin");
    private static final Set<String> EVERYONE = Set.copyOf(USERS);

    /** method, path, users allowed. */
    private static final List<Object[]> ENDPOINTS = List.of(
            new Object[] {"GET", "/api/v1/catalog", EVERYONE},
            new Object[] {"GET", "/api/v1/overview", EVERYONE},
            new Object[] {"GET", "/api/v1/audit/verify", Set.of("preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/audit", Set.of("preparer", "approver", "auditor", "admin")},
            new Object[] {"POST", "/api/v1/pipeline/runs", Set.of("ops", "pipeline", "admin")},
            new Object[] {"GET", "/api/v1/readiness/payments/2026-11-02", EVERYONE},
            new Object[] {"POST", "/api/v1/readiness/query", EVERYONE},
            new Object[] {"GET", "/api/v1/readiness/payments/2026-11-02/checks", EVERYONE},
            new Object[] {"POST", "/api/v1/readiness/payments/2026-11-02/evaluations", Set.of("ops", "pipeline", "admin")},
            new Object[] {"GET", "/api/v1/quarantine/payments/2026-11-03", Set.of("ops", "preparer", "approver",
                    "auditor", "admin")},
            new Object[] {"GET", "/api/v1/whoami", EVERYONE},
            new Object[] {"GET", "/api/v1/dbt/runs", Set.of("ops", "preparer", "approver", "auditor", "pipeline",
                    "admin")},
            new Object[] {"GET", "/sources", Set.of("ops", "auditor", "admin")},
            new Object[] {"GET", "/partner-files", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/partner-files", EVERYONE},
            new Object[] {"GET", "/api/v1/replication", Set.of("ops", "auditor", "pipeline", "admin")},
            new Object[] {"GET", "/api/v1/pull-windows/processor_alpha", EVERYONE},
            new Object[] {"GET", "/api/v1/warehouse/loads", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/warehouse/snapshots/2026-11", Set.of("preparer", "approver", "auditor",
                    "admin")},
            new Object[] {"GET", "/", EVERYONE},
            new Object[] {"GET", "/readiness", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/readiness/payments/2026-11-03", Set.of("ops", "preparer", "approver", "auditor",
                    "admin")},
            new Object[] {"GET", "/catalog", EVERYONE},
            new Object[] {"GET", "/api/v1/namespaces", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/lineage", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/lineage/runs", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/breaks", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/breaks", Set.of("ops", "preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/matching/runs", EVERYONE},
            new Object[] {"GET", "/api/v1/matching/rules", EVERYONE},
            new Object[] {"GET", "/close", Set.of("preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/close", Set.of("preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/audit", Set.of("preparer", "approver", "auditor", "admin")},
            new Object[] {"GET", "/alerts", Set.of("ops", "admin")},
            new Object[] {"GET", "/api/v1/alerts", Set.of("ops", "auditor", "admin")},
            new Object[] {"GET", "/api/v1/jobs", Set.of("ops", "auditor", "pipeline", "admin")});

    private static final Map<String, String> ROLE_OF = Map.of("ops", "ops", "preparer", "finance_preparer",
            "approver", "finance_approver", "auditor", "auditor", "pipeline", "pipeline", "admin", "admin");

    @Inject
    DemoWorldFixture fixture;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    static Stream<Arguments> matrix() {
        List<Arguments> cases = new ArrayList<>();
        for (Object[] endpoint : ENDPOINTS) {
            @SuppressWarnings("unchecked")
            Set<String> allowed = (Set<String>) endpoint[2];
            for (String user : USERS) {
                cases.add(Arguments.of(endpoint[0], endpoint[1], user + " (" + ROLE_OF.get(user) + ")",
                        allowed.contains(user)));
            }
        }
        return cases.stream();
    }

    @ParameterizedTest(name = "{0} {1} as {2}: allowed={3}")
    @MethodSource("matrix")
    void rolesAreEnforcedServerSide(String method, String path, String who, boolean allowed) {
        String user = who.substring(0, who.indexOf(' '));
        RequestSpecification request = given().redirects().follow(false).auth().preemptive().basic(user, "demo");
        int status = send(request, method, path);
        if (allowed) {
            org.junit.jupiter.api.Assertions.assertTrue(status >= 200 && status < 400,
                    method + " " + path + " as " + who + " should be allowed but got " + status);
        } else {
            org.junit.jupiter.api.Assertions.assertEquals(403, status,
                    method + " " + path + " as " + who + " should be forbidden");
        }
    }

    @ParameterizedTest(name = "anonymous {0} {1}")
    @MethodSource("anonymous")
    void anonymousCallersAreChallenged(String method, String path, int expected) {
        int status = send(given().redirects().follow(false), method, path);
        org.junit.jupiter.api.Assertions.assertEquals(expected, status, method + " " + path);
    }

    @org.junit.jupiter.api.Test
    void onlyAnApproverOrAdminDecidesAnOverride() {
        for (String user : List.of("ops", "preparer", "auditor", "pipeline")) {
            given().auth().preemptive().basic(user, "demo").contentType("application/json")
                    .body("{\"reason\": \"x\"}").post("/api/v1/overrides/1/approve").then().statusCode(403);
        }
    }

    /** Machines post JSON to the API (forms are for pages and need a CSRF token). */
    private static int send(RequestSpecification request, String method, String path) {
        if (method.equals("GET")) {
            return request.get(path).statusCode();
        }
        String body = path.endsWith("/query")
                ? "{\"partitions\": [{\"dataset\": \"payments\", \"partition\": \"2026-11-02\"}]}" : "{}";
        return request.contentType("application/json").body(body).post(path).statusCode();
    }

    static Stream<Arguments> anonymous() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/catalog", 401),
                Arguments.of("POST", "/api/v1/pipeline/runs", 401),
                Arguments.of("GET", "/api/v1/audit/verify", 401),
                Arguments.of("GET", "/", 302),
                Arguments.of("GET", "/audit", 302),
                Arguments.of("GET", "/api/v1/readiness/payments/2026-11-02", 401),
                Arguments.of("GET", "/readiness", 302),
                Arguments.of("GET", "/login", 200));
    }

    @ParameterizedTest(name = "wrong password for {0}")
    @MethodSource("users")
    void aWrongPasswordIsRefused(String user) {
        given().auth().preemptive().basic(user, "not-the-password").when().get("/api/v1/catalog")
                .then().statusCode(401);
    }

    static Stream<String> users() {
        return USERS.stream();
    }
}
