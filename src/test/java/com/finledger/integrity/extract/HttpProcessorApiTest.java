package com.finledger.integrity.extract;

import static com.github.tomakehurst.wiremock.client.WireMock.absent;
import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.DemoProcessorApi;
import com.finledger.integrity.pipeline.ProcessorApi;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.MappingBuilder;
import com.github.tomakehurst.wiremock.http.Fault;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.net.URL;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The processors' REST client against WireMock: paging, 429 with Retry-After (seconds and HTTP
 * date), 5xx and dropped connections retried with backoff, timeouts, malformed bodies, and 4xx not
 * retried; then the same client against the demo world's processor API served over HTTP.
 */
@QuarkusTest
class HttpProcessorApiTest {

    private static final String PATH = "/processors/alpha/v1/transactions";
    private static final Instant FROM = Instant.parse("2026-11-02T00:00:00Z");
    private static final Instant TO = Instant.parse("2026-11-03T00:00:00Z");
    private static final Instant NOW = Instant.parse("2026-11-26T10:00:00Z");
    private static WireMockServer processor;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoProcessorApi demo;

    @TestHTTPResource("/demo")
    URL demoRoot;

    private final List<Duration> waits = new ArrayList<>();

    @BeforeAll
    static void start() {
        processor = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        processor.start();
    }

    @AfterAll
    static void stop() {
        processor.stop();
    }

    @BeforeEach
    void reset() {
        processor.resetAll();
        waits.clear();
    }

    private HttpProcessorApi api(Duration readTimeout, int attempts) {
        return new HttpProcessorApi(Map.of("processor_alpha", new HttpProcessorApi.Endpoint(
                URI.create(processor.baseUrl()), PATH, "alpha-key")), new HttpProcessorApi.Settings(
                Duration.ofSeconds(1), readTimeout, attempts, Duration.ofMillis(100), Duration.ofSeconds(60)),
                Clock.fixed(NOW, ZoneOffset.UTC), waits::add);
    }

    private static MappingBuilder page() {
        return get(urlPathEqualTo(PATH));
    }

    private static void stub(MappingBuilder request, int status, String body) {
        processor.stubFor(request.willReturn(aResponse().withStatus(status).withHeader("Content-Type",
                "application/json").withBody(body)));
    }

    @Test
    void pagesFollowTheTokenAndSendTheWindowAndKey() {
        stub(page().withQueryParam("page_token", absent()), 200,
                "{\"data\": [{\"txn_id\": \"A-1\", \"amount_minor\": 1250}], \"next_page_token\": \"A-1\"}");
        stub(page().withQueryParam("page_token", equalTo("A-1")), 200,
                "{\"data\": [{\"txn_id\": \"A-2\", \"amount_minor\": 99}], \"next_page_token\": null}");

        ProcessorApi.Page first = api(Duration.ofSeconds(2), 3).fetch("processor_alpha", FROM, TO, Optional.empty(), 1);
        ProcessorApi.Page second = api(Duration.ofSeconds(2), 3).fetch("processor_alpha", FROM, TO,
                first.nextPageToken(), 1);

        assertEquals(List.of(Map.of("txn_id", "A-1", "amount_minor", 1250L)), first.records());
        assertEquals(Optional.empty(), second.nextPageToken());
        processor.verify(getRequestedFor(urlPathEqualTo(PATH)).withQueryParam("updated_from", equalTo(FROM.toString()))
                .withQueryParam("updated_to", equalTo(TO.toString())).withQueryParam("limit", equalTo("1"))
                .withHeader("X-Api-Key", equalTo("alpha-key")));
    }

    @Test
    void rateLimitsWaitForRetryAfterInSecondsOrAsADate() {
        processor.stubFor(page().inScenario("429").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "7")).willSetStateTo("date"));
        processor.stubFor(page().inScenario("429").whenScenarioStateIs("date")
                .willReturn(aResponse().withStatus(429).withHeader("Retry-After", "Thu, 26 Nov 2026 10:00:30 GMT"))
                .willSetStateTo("ok"));
        processor.stubFor(page().inScenario("429").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)
                .withBody("{\"data\": []}")));

        ProcessorApi.Page page = api(Duration.ofSeconds(2), 5).fetch("processor_alpha", FROM, TO, Optional.empty(), 10);

        assertEquals(List.of(), page.records());
        assertEquals(List.of(Duration.ofSeconds(7), Duration.ofSeconds(30)), waits);
    }

    @Test
    void aRetryAfterBeyondTheCapFailsAtOnce() {
        processor.stubFor(page().willReturn(aResponse().withStatus(429).withHeader("Retry-After", "3600")));

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofSeconds(2), 5).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertTrue(e.getMessage().endsWith("rate limited, Retry-After 3600 s is beyond the 60 s we wait"), e.getMessage());
        processor.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void serverErrorsAreRetriedWithGrowingBackoffThenGiveUp() {
        stub(page(), 503, "<html>upstream unavailable</html>");

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofSeconds(2), 3).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertEquals("processor_alpha " + PATH + " window [" + FROM + ", " + TO + ") first page: HTTP 503 "
                + "'<html>upstream unavailable</html>' (gave up after 3 attempts)", e.getMessage());
        processor.verify(3, getRequestedFor(urlPathEqualTo(PATH)));
        assertEquals(2, waits.size());
        assertTrue(waits.get(0).toMillis() >= 50 && waits.get(0).toMillis() <= 100, waits.toString());
        assertTrue(waits.get(1).toMillis() >= 100 && waits.get(1).toMillis() <= 200, waits.toString());
    }

    @Test
    void aDroppedConnectionIsRetriedAndTheNextAnswerUsed() {
        processor.stubFor(page().inScenario("reset").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withFault(Fault.CONNECTION_RESET_BY_PEER)).willSetStateTo("ok"));
        processor.stubFor(page().inScenario("reset").whenScenarioStateIs("ok").willReturn(aResponse().withStatus(200)
                .withBody("{\"data\": [{\"txn_id\": \"A-9\"}]}")));

        assertEquals(1, api(Duration.ofSeconds(2), 3).fetch("processor_alpha", FROM, TO, Optional.empty(), 10)
                .records().size());
    }

    @Test
    void malformedJsonIsRetriedThenReportedWithWhereItBroke() {
        stub(page(), 200, "{\"data\": [{\"txn_id\": \"A-1\",");

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofSeconds(2), 2).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertTrue(e.getMessage().contains("first page: malformed response: not JSON at line 1, column "),
                e.getMessage());
        processor.verify(2, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void theWrongShapeIsAMalformedResponseToo() {
        stub(page(), 200, "[{\"txn_id\": \"A-1\"}]");

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofSeconds(2), 1).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertTrue(e.getMessage().contains("malformed response: expected an object with a 'data' array"),
                e.getMessage());
    }

    @Test
    void aSlowProcessorTimesOut() {
        processor.stubFor(page().willReturn(aResponse().withStatus(200).withBody("{\"data\": []}")
                .withFixedDelay(1_500)));

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofMillis(300), 2).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertTrue(e.getMessage().contains("first page: timed out: "), e.getMessage());
    }

    @Test
    void aClientErrorIsNotRetried() {
        stub(page(), 401, "{\"error\": \"invalid api key\"}");

        ProcessorApiException e = assertThrows(ProcessorApiException.class,
                () -> api(Duration.ofSeconds(2), 5).fetch("processor_alpha", FROM, TO, Optional.empty(), 10));

        assertTrue(e.getMessage().endsWith("HTTP 401 '{\"error\": \"invalid api key\"}' (not retried: the request "
                + "itself is wrong)"), e.getMessage());
        processor.verify(1, getRequestedFor(urlPathEqualTo(PATH)));
    }

    @Test
    void theDemoWorldServesTheSameRecordsOverHttp() {
        fixture.ensureDefaultWorld();
        HttpProcessorApi http = new HttpProcessorApi(Map.of("processor_alpha", new HttpProcessorApi.Endpoint(
                URI.create(demoRoot.toString()), PATH, "demo-processor-key")),
                new HttpProcessorApi.Settings(Duration.ofSeconds(2), Duration.ofSeconds(10), 2, Duration.ofMillis(50),
                        Duration.ofSeconds(5)), Clock.systemUTC(), waits::add);

        List<Object> overHttp = new ArrayList<>();
        Optional<String> token = Optional.empty();
        do {
            ProcessorApi.Page page = http.fetch("processor_alpha", FROM, TO, token, 400);
            page.records().forEach(r -> overHttp.add(r.get("txn_id")));
            token = page.nextPageToken();
        } while (token.isPresent());
        List<Object> inProcess = new ArrayList<>();
        token = Optional.empty();
        do {
            ProcessorApi.Page page = demo.fetch("processor_alpha", FROM, TO, token, 400);
            page.records().forEach(r -> inProcess.add(r.get("txn_id")));
            token = page.nextPageToken();
        } while (token.isPresent());

        assertTrue(inProcess.size() > 400, "more than one page: " + inProcess.size());
        assertEquals(inProcess, overHttp);
    }
}
