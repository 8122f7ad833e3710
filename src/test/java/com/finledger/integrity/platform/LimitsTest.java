package com.finledger.integrity.platform;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Request body limit (413), page-size caps (400) and the machine API's rate limit (429), each a clear problem. */
@QuarkusTest
class LimitsTest {

    @Test
    void aBodyOverTheLimitIsRefusedWith413AndAProblemBeforeAnythingReadsIt() {
        byte[] big = new byte[10 * 1024 * 1024 + 1];
        java.util.Arrays.fill(big, (byte) ' ');
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json").body(big)
                .post("/api/v1/lineage").then().statusCode(413).contentType("application/json")
                .body("status", equalTo(413)).body("title", equalTo("Request body too large"))
                .body("detail", containsString("finledger.http.max-body-size"));
    }

    @Test
    void aBodyUnderTheLimitStillReachesTheEndpoint() {
        given().auth().preemptive().basic("pipeline", "demo").contentType("application/json").body("{")
                .post("/api/v1/lineage").then().statusCode(400);
    }

    @Test
    void listingsCapTheirPageSizeWithAClearProblem() {
        for (String path : new String[] {"/api/v1/audit?limit=100000", "/api/v1/matching/runs?limit=100000",
                "/api/v1/dbt/runs?limit=100000", "/api/v1/warehouse/loads?limit=100000",
                "/api/v1/partner-files?limit=100000", "/api/v1/namespaces?limit=100000",
                "/api/v1/namespaces?offset=-1", "/api/v1/quarantine/payments/2026-11-02?pageSize=100000",
                "/api/v1/breaks?page=-1"}) {
            Response r = given().auth().preemptive().basic("admin", "demo").get(path);
            assertEquals(400, r.statusCode(), path + ": " + r.asString());
            assertTrue(r.contentType().startsWith("application/json"), path + " answers with a problem body");
            String detail = r.jsonPath().getString("detail");
            assertTrue(detail != null && !detail.isBlank(), path + " says why: " + r.asString());
        }
    }

    @Test
    void theMachineApiIsRateLimitedPerClientWith429RetryAfterAndAProblem() {
        // pipeline-limited (test profile only): burst 3, then one request per 5 s
        for (int i = 0; i < 3; i++) {
            given().auth().preemptive().basic("pipeline-limited", "demo").get("/api/v1/whoami").then().statusCode(200);
        }
        Response refused = given().auth().preemptive().basic("pipeline-limited", "demo").get("/api/v1/whoami");
        assertEquals(429, refused.statusCode(), refused.asString());
        long retryAfter = Long.parseLong(refused.header("Retry-After"));
        assertTrue(retryAfter >= 1 && retryAfter <= 5, "Retry-After " + retryAfter);
        assertEquals(429, refused.jsonPath().getInt("status"));
        assertTrue(refused.jsonPath().getString("detail").contains("pipeline-limited"), refused.asString());
        // another client is not held back by this one's bucket
        given().auth().preemptive().basic("pipeline", "demo").get("/api/v1/whoami").then().statusCode(200);
    }

    @Test
    void aTokenBucketRefillsAtItsRate() {
        AtomicLong now = new AtomicLong(0);
        TokenBuckets buckets = new TokenBuckets(c -> new TokenBuckets.Limit(2, 2), now::get);
        assertTrue(buckets.take("a").allowed());
        assertTrue(buckets.take("a").allowed());
        TokenBuckets.Decision refused = buckets.take("a");
        assertFalse(refused.allowed());
        assertEquals(1, refused.retryAfterSeconds());
        assertTrue(buckets.take("b").allowed(), "buckets are per client");
        now.addAndGet(500_000_000L);
        assertTrue(buckets.take("a").allowed(), "half a second refills one token at 2/s");
        assertFalse(buckets.take("a").allowed());
        now.addAndGet(60_000_000_000L);
        assertTrue(buckets.take("a").allowed());
        assertTrue(buckets.take("a").allowed());
        assertFalse(buckets.take("a").allowed(), "a long pause refills only up to the burst");
        assertThrows(IllegalArgumentException.class, () -> new TokenBuckets.Limit(0, 1));
    }
}
