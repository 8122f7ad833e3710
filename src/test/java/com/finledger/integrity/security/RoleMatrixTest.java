package com.finledger.integrity.security;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every operation of the API description (/q/openapi: JSON API, pages and page form posts) × every demo
 * user × anonymous. The operations and the roles each admits are read from the document, whose roles come
 * from each method's {@code @RolesAllowed} (platform/RolesInApiDescription), so a new endpoint is covered
 * without anyone listing it here.
 *
 * <ul>
 *   <li>a role the operation does not admit gets exactly 403; an anonymous caller exactly 401 on the API,
 *       and on a page a redirect to the sign-in page (never the page itself);</li>
 *   <li>an admitted role gets 2xx, or a specific 4xx from validation (400, 404, 409, 415, 422) — never 401,
 *       403, a redirect (except a page form's 303 See Other after its post) or a 5xx;</li>
 *   <li>refused calls change nothing: the audit chain and every table of the application's own state keep
 *       their row counts.</li>
 * </ul>
 */
@QuarkusTest
class RoleMatrixTest {

    private static final List<String> USERS = List.of("ops", "preparer", "approver", "auditor", "pipeline", "admin");
    private static final Map<String, String> ROLE_OF = Map.of("ops", Roles.OPS, "preparer", Roles.FINANCE_PREPARER,
            "approver", Roles.FINANCE_APPROVER, "auditor", Roles.AUDITOR, "pipeline", Roles.PIPELINE, "admin",
            Roles.ADMIN);
    /** Path parameter values that exist in the demo world (or are well-formed), by parameter name. */
    private static final Map<String, String> SAMPLES = Map.ofEntries(Map.entry("dataset", "payments"),
            Map.entry("partition", "2026-11-02"), Map.entry("period", "2026-11"), Map.entry("source", "processor_alpha"),
            Map.entry("processor", "processor_alpha"), Map.entry("namespace", "finledger"),
            Map.entry("decision", "approve"), Map.entry("id", "999999"));
    private static final Set<Integer> VALIDATION = Set.of(400, 404, 409, 415, 422);
    private static final Pattern CSRF = Pattern.compile("name=\"csrf-token\" value=\"([^\"]+)\"");

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @BeforeEach
    void world() {
        fixture.ensureDefaultWorld();
    }

    @AfterAll
    static void allowedCallsChangedTheWorld() {
        // admitted roles really ran pipelines, evaluations and captures: the next test starts from a fresh world
        DemoWorldFixture.invalidate();
    }

    record Operation(String method, String template, Set<String> roles, boolean isPublic, boolean page,
                     String contentType) {
        String path() {
            Matcher m = Pattern.compile("\\{([^}]+)}").matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                // a write names a month that cannot exist: an admitted role's sign-off or approval must not really
                // close November (that would freeze its snapshots for every later test), only pass authorization
                String name = m.group(1);
                String value = !method.equals("GET") && name.equals("period") ? "1999-13"
                        : SAMPLES.getOrDefault(name, "unknown");
                m.appendReplacement(out, value);
            }
            m.appendTail(out);
            return out.toString();
        }

        @Override
        public String toString() {
            return method + " " + template;
        }
    }

    /** Every operation of /q/openapi. */
    static List<Operation> operations() throws Exception {
        JsonNode doc = new ObjectMapper().readTree(given().accept("application/json").get("/q/openapi?format=json")
                .then().statusCode(200).extract().asString());
        List<Operation> ops = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = doc.get("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> it = path.getValue().fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> op = it.next();
                String method = op.getKey().toUpperCase();
                if (!Set.of("GET", "POST", "PUT", "PATCH", "DELETE").contains(method)) {
                    continue;
                }
                JsonNode roles = op.getValue().get("x-roles");
                if (roles == null) {
                    throw new AssertionError(method + " " + path.getKey() + " has no x-roles in the API description");
                }
                Set<String> admitted = new java.util.TreeSet<>();
                roles.forEach(r -> admitted.add(r.asText()));
                JsonNode body = op.getValue().path("requestBody").path("content");
                String contentType = body.isMissingNode() || !body.fieldNames().hasNext() ? null
                        : body.fieldNames().next();
                ops.add(new Operation(method, path.getKey(), admitted, op.getValue().path("x-public").asBoolean(false),
                        op.getValue().path("x-page").asBoolean(false), contentType));
            }
        }
        return ops;
    }

    @Test
    void theApiDescriptionListsEveryKnownSurface() throws Exception {
        List<String> seen = operations().stream().map(Operation::toString).toList();
        for (String expected : List.of("GET /api/v1/catalog", "POST /api/v1/pipeline/runs", "GET /readiness",
                "POST /readiness/{dataset}/{partition}/override", "POST /api/v1/overrides/{id}/approve", "GET /login")) {
            assertTrue(seen.contains(expected), expected + " is in /q/openapi: " + seen);
        }
        assertTrue(seen.size() >= 100, "the whole API is described, not a sample: " + seen.size());
    }

    /** One dynamic test per operation (a dynamic test runs inside the started application, a method source not). */
    @TestFactory
    Stream<DynamicTest> everyRoleAndAnonymousGetExactlyWhatTheirRolesAllow() throws Exception {
        return operations().stream().map(op -> DynamicTest.dynamicTest(op.toString(), () -> check(op)));
    }

    private void check(Operation op) throws Exception {
        Map<String, Long> before = stateCounts();
        List<String> failures = new ArrayList<>();
        // refused callers first, with the state compared around them
        if (!op.isPublic()) {
            Response anonymous = send(given(), op, null);
            int status = anonymous.statusCode();
            if (op.page()) {
                String location = anonymous.header("Location");
                if (status != 302 || location == null || !location.endsWith("/login")) {
                    failures.add("anonymous: expected a redirect to the sign-in page, got " + status + " " + location);
                }
            } else if (status != 401) {
                failures.add("anonymous: expected 401, got " + status);
            }
            for (String user : USERS) {
                if (!op.roles().contains(ROLE_OF.get(user))) {
                    int refused = send(as(user), op, user).statusCode();
                    if (refused != 403) {
                        failures.add(user + " (" + ROLE_OF.get(user) + "): expected 403, got " + refused);
                    }
                }
            }
            Map<String, Long> after = stateCounts();
            if (!after.equals(before)) {
                failures.add("refused calls changed the state: " + diff(before, after));
            }
        }
        for (String user : USERS) {
            if (op.isPublic() || op.roles().contains(ROLE_OF.get(user))) {
                Response r = send(as(user), op, user);
                int status = r.statusCode();
                boolean ok = (status >= 200 && status < 300) || VALIDATION.contains(status)
                        || (status == 303 && op.page() && !op.method().equals("GET"));
                if (!ok) {
                    failures.add(user + " (" + ROLE_OF.get(user) + ") is admitted but got " + status + ": "
                            + abbreviate(r.asString()));
                }
            }
        }
        assertTrue(failures.isEmpty(), op + " admits " + (op.isPublic() ? "everyone" : op.roles()) + ":\n  "
                + String.join("\n  ", failures));
    }

    private static RequestSpecification as(String user) {
        return given().auth().preemptive().basic(user, "demo");
    }

    private final Map<String, Map<String, String>> csrf = new HashMap<>();

    /** Machines post JSON to the API; page forms post their fields with the CSRF token the page rendered. */
    private Response send(RequestSpecification request, Operation op, String user) {
        request = request.redirects().follow(false);
        String path = op.path();
        if (op.method().equals("GET")) {
            return request.get(path);
        }
        if ("application/x-www-form-urlencoded".equals(op.contentType()) || (op.page() && op.contentType() == null)) {
            if (user != null) {
                Map<String, String> token = csrf.computeIfAbsent(user, this::csrfToken);
                request = request.cookies(Map.of(token.get("cookie-name"), token.get("cookie"))).formParam("csrf-token",
                        token.get("token"));
            }
            return request.contentType("application/x-www-form-urlencoded; charset=UTF-8").request(op.method(), path);
        }
        if (op.contentType() == null) {
            return request.request(op.method(), path);
        }
        String body = op.template().endsWith("/query")
                ? "{\"partitions\": [{\"dataset\": \"payments\", \"partition\": \"2026-11-02\"}]}" : "{}";
        String type = op.contentType().contains("*") ? "application/json" : op.contentType();
        if (!type.contains("json")) {
            // an upload (a zip, an octet stream): bytes that are not a valid one
            return request.contentType(type).body("not a zip".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .request(op.method(), path);
        }
        return request.contentType(type).body(body).request(op.method(), path);
    }

    /** Every demo user may see the overview, which renders a CSRF token for its forms. */
    private Map<String, String> csrfToken(String user) {
        Response page = as(user).get("/");
        assertEquals(200, page.statusCode(), user + " sees the overview");
        Matcher m = CSRF.matcher(page.asString());
        assertTrue(m.find(), "the overview renders a CSRF token");
        Map.Entry<String, String> cookie = page.cookies().entrySet().stream()
                .filter(c -> c.getKey().toLowerCase().contains("csrf")).findFirst()
                .orElseThrow(() -> new AssertionError("no CSRF cookie in " + page.cookies().keySet()));
        return Map.of("token", m.group(1), "cookie-name", cookie.getKey(), "cookie", cookie.getValue());
    }

    /** Row counts of the audit chain and every table of the application's own state (Quartz's aside). */
    private Map<String, Long> stateCounts() throws Exception {
        try (Connection c = dataSource.getConnection(); Statement s = c.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = s.executeQuery("select table_name from information_schema.tables where table_schema = "
                    + "'public' and table_type = 'BASE TABLE' and table_name not like 'qrtz%' and table_name not like "
                    + "'flyway%' order by table_name")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            StringBuilder sql = new StringBuilder("select ");
            for (int i = 0; i < tables.size(); i++) {
                sql.append(i == 0 ? "" : ", ").append("(select count(*) from public.\"").append(tables.get(i))
                        .append("\")");
            }
            Map<String, Long> counts = new LinkedHashMap<>();
            try (ResultSet rs = s.executeQuery(sql.toString())) {
                rs.next();
                for (int i = 0; i < tables.size(); i++) {
                    counts.put(tables.get(i), rs.getLong(i + 1));
                }
            }
            try (ResultSet rs = s.executeQuery("select last_seq, last_hash from audit_chain_head where id = 1")) {
                if (rs.next()) {
                    counts.put("audit chain head " + rs.getString(2), rs.getLong(1));
                }
            }
            return counts;
        }
    }

    private static String diff(Map<String, Long> before, Map<String, Long> after) {
        List<String> out = new ArrayList<>();
        Set<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        for (String k : keys) {
            if (!java.util.Objects.equals(before.get(k), after.get(k))) {
                out.add(k + ": " + before.get(k) + " -> " + after.get(k));
            }
        }
        return String.join(", ", out);
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    @Test
    void onlyAnApproverOrAdminDecidesAnOverride() {
        for (String user : List.of("ops", "preparer", "auditor", "pipeline")) {
            as(user).contentType("application/json").body("{\"reason\": \"x\"}").post("/api/v1/overrides/1/approve")
                    .then().statusCode(403);
        }
    }

    @ParameterizedTest(name = "wrong password for {0}")
    @MethodSource("users")
    void aWrongPasswordIsRefused(String user) {
        given().auth().preemptive().basic(user, "not-the-password").when().get("/api/v1/catalog")
                .then().statusCode(401);
    }

    static List<String> users() {
        return USERS;
    }

    @Test
    void theSignInPageIsPublicAndARefusalIsNeverARedirectOnTheApi() {
        given().redirects().follow(false).get("/login").then().statusCode(200);
        int status = given().redirects().follow(false).get("/api/v1/catalog").statusCode();
        assertFalse(status >= 300 && status < 400, "the API refuses with 401, it does not redirect: " + status);
    }
}
