package com.finledger.integrity.operations;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.SettableClock;
import com.finledger.integrity.alerts.Alert;
import com.finledger.integrity.alerts.AlertEngine;
import com.finledger.integrity.alerts.Notifiers;
import com.finledger.integrity.alerts.WebhookNotifier;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.StreamSupport;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Freshness SLOs against the catalog's objectives (payments: operations, PT10M; ledger_settlements: finance,
 * PT2H), measured with the test clock: the lag of each layer is exactly the time since its control totals were
 * captured, a layer breaches only past its own objective, the error-budget burn over the window counts the
 * samples up to the instant asked about, and a breach raises one slo-breach alert that resolves once fresh
 * totals are captured.
 */
@QuarkusTest
class SloServiceTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final LocalDate DAY1 = LocalDate.parse("2026-11-02");
    private static final String OPS = "payments";
    private static final String FINANCE = "ledger_settlements";

    private static WireMockServer hook;

    @Inject
    SloService slos;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @Inject
    AlertEngine engine;

    @Inject
    Notifiers notifiers;

    @BeforeAll
    static void start() {
        hook = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        hook.start();
        hook.stubFor(post(urlEqualTo("/hooks/slo")).willReturn(aResponse().withStatus(200)));
    }

    @AfterAll
    static void stop() {
        hook.stop();
    }

    @AfterEach
    void unpin() {
        SettableClock.unpin();
        notifiers.use(notifiers.configured());
    }

    @Test
    void lagPerDatasetAndLayerAgainstItsObjectiveBurnOverTheWindowAndABreachAlerts() throws Exception {
        fixture.ensureDefaultWorld();
        Instant t0 = Instant.now().truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
        SettableClock.pin(t0);
        evaluator.evaluate(OPS, DAY1, "test");
        evaluator.evaluate(FINANCE, DAY1, "test");
        Set<String> opsLayers = layers(OPS, t0);
        Set<String> financeLayers = layers(FINANCE, t0);
        assertTrue(opsLayers.containsAll(Set.of("landing", "raw", "staging")), opsLayers.toString());
        assertTrue(financeLayers.containsAll(Set.of("landing", "raw", "staging")), financeLayers.toString());

        // nine minutes on: every layer of both is 9 minutes behind, within its objective
        for (SloService.Measurement m : mine(slos.measure(t0.plus(Duration.ofMinutes(9))))) {
            assertEquals(t0, m.lastAt(), m.toString());
            assertEquals(Duration.ofMinutes(9), m.lag(), m.toString());
            assertEquals(m.dataset().equals(OPS) ? Duration.ofMinutes(10) : Duration.ofHours(2), m.target(), m.toString());
            assertFalse(m.breached(), m.toString());
        }
        assertEquals(opsLayers.size() + financeLayers.size(), mine(slos.measure(t0.plus(Duration.ofMinutes(9)))).size());
        // eleven minutes on: the operations dataset breaches its 10 minutes, finance (2 h) does not
        for (SloService.Measurement m : mine(slos.measure(t0.plus(Duration.ofMinutes(11))))) {
            assertEquals(Duration.ofMinutes(11), m.lag(), m.toString());
            assertEquals(m.dataset().equals(OPS), m.breached(), m.toString());
        }
        // exactly at the objective is not a breach; a second past it is
        assertFalse(mine(slos.measure(t0.plus(Duration.ofMinutes(10)))).stream().anyMatch(SloService.Measurement::breached));
        for (SloService.Measurement m : mine(slos.measure(t0.plus(Duration.ofHours(2)).plusSeconds(1)))) {
            assertTrue(m.breached(), m.toString());
        }

        // samples at +1, +5, +9 and +11 minutes: one of four operations samples breached
        update("delete from slo_sample where dataset in (?, ?)", List.of(OPS, FINANCE));
        for (int minutes : new int[] {1, 5, 9, 11}) {
            SettableClock.pin(t0.plus(Duration.ofMinutes(minutes)));
            slos.sample();
        }
        SettableClock.pin(t0);
        for (SloService.Burn b : burns(slos.burn(t0.plus(Duration.ofMinutes(11))))) {
            assertEquals(4, b.samples(), b.toString());
            if (b.dataset().equals(OPS)) {
                assertEquals(1, b.breached(), b.toString());
                // 1 in 4 bad against a budget of 1 % (objective 0.99): burning 25 times too fast
                assertEquals(25.0, b.burnRate(), 1e-9, b.toString());
            } else {
                assertEquals(0, b.breached(), b.toString());
                assertEquals(0.0, b.burnRate(), 1e-9, b.toString());
            }
        }
        assertEquals(opsLayers.size() + financeLayers.size(), burns(slos.burn(t0.plus(Duration.ofMinutes(11)))).size());
        // asked about +5 minutes, the window holds the two samples taken by then, neither breached
        for (SloService.Burn b : burns(slos.burn(t0.plus(Duration.ofMinutes(5))))) {
            assertEquals(2, b.samples(), b.toString());
            assertEquals(0.0, b.burnRate(), 1e-9, b.toString());
        }
        // 30 days (the window) after the last sample, none is left in it
        assertTrue(burns(slos.burn(t0.plus(Duration.ofMinutes(11)).plus(Duration.ofDays(30)))).isEmpty());

        // a breach raises one slo-breach alert per layer, sent once with its runbook; fresh totals resolve it
        notifiers.use(List.of(new WebhookNotifier(URI.create(hook.baseUrl() + "/hooks/slo"), "http://finledger.test")));
        engine.evaluate(t0);
        hook.resetRequests();
        engine.evaluate(t0.plus(Duration.ofMinutes(11)));
        engine.evaluate(t0.plus(Duration.ofMinutes(12)));
        for (String layer : opsLayers) {
            List<Alert> alerts = alerts(OPS + "/" + layer);
            assertEquals(1, alerts.size(), layer);
            assertEquals(Alert.State.FIRING, alerts.get(0).state, layer);
            assertEquals("/runbooks#slo-breach", alerts.get(0).runbook);
            assertTrue(alerts.get(0).summary.contains("over SLO PT10M"), alerts.get(0).summary);
        }
        for (String layer : financeLayers) {
            assertTrue(alerts(FINANCE + "/" + layer).stream().noneMatch(a -> a.state == Alert.State.FIRING), layer);
        }
        List<JsonNode> firing = sent("FIRING");
        assertEquals(1, firing.size(), "grouped by rule, sent once: " + firing);
        // (the rest of the freshly generated demo world crosses its 10 minutes too; finance's 2 hours hold)
        assertTrue(subjects(firing.get(0)).containsAll(opsLayers.stream().map(l -> OPS + "/" + l).toList()),
                subjects(firing.get(0)).toString());
        assertTrue(subjects(firing.get(0)).stream().noneMatch(s -> s.startsWith(FINANCE + "/")));
        assertTrue(firing.get(0).path("text").asText().contains("(runbook: http://finledger.test/runbooks#slo-breach)"));
        Instant t13 = t0.plus(Duration.ofMinutes(13));
        SettableClock.pin(t13);
        evaluator.evaluate(OPS, DAY1, "test");
        engine.evaluate(t13.plusSeconds(30));
        for (String layer : opsLayers) {
            assertEquals(Alert.State.RESOLVED, alerts(OPS + "/" + layer).get(0).state, layer);
        }
        List<JsonNode> resolved = sent("RESOLVED");
        assertEquals(1, resolved.size(), resolved.toString());
        assertEquals(new TreeSet<>(opsLayers.stream().map(l -> OPS + "/" + l).toList()), subjects(resolved.get(0)));
        update("delete from slo_sample where measured_at > ?", List.of(java.sql.Timestamp.from(t0)));
    }

    @Test
    void endToEndLatencyRunsFromTheSourcesLandingToTheCuratedTable() {
        fixture.ensureDefaultWorld();
        List<SloService.Latency> all = slos.latency();
        assertEquals(List.of("balances", "processor_transactions", "refunds", "settlements", "transactions"),
                all.stream().map(SloService.Latency::dataset).toList(), "every curated dataset of the catalog");
        SloService.Latency tx = all.stream().filter(l -> l.dataset().equals("transactions")).findFirst().orElseThrow();
        // transactions is built from payments: first curated capture minus payments' first landing capture
        Instant curated = first("transactions", "curated", tx.partitionKey());
        Instant landed = first(OPS, "landing", tx.partitionKey());
        assertEquals(positive(Duration.between(landed, curated)), tx.latency(), tx.toString());
        assertEquals(Duration.ofMinutes(10), tx.target());
        SloService.Latency settlements = all.stream().filter(l -> l.dataset().equals("settlements")).findFirst()
                .orElseThrow();
        assertEquals(Duration.ofHours(2), settlements.target());
        // built from two datasets: from the earlier of their landings
        Instant earliest = java.util.stream.Stream.of(first(FINANCE, "landing", settlements.partitionKey()),
                first("bank_settlement_lines", "landing", settlements.partitionKey())).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElseThrow();
        assertEquals(positive(Duration.between(earliest, first("settlements", "curated", settlements.partitionKey()))),
                settlements.latency(), settlements.toString());
        // balances is built from curated transactions and refunds: from payments' and ledger_refunds' landing
        SloService.Latency balances = all.stream().filter(l -> l.dataset().equals("balances")).findFirst().orElseThrow();
        Instant sourcesLanded = java.util.stream.Stream.of(first(OPS, "landing", balances.partitionKey()),
                first("ledger_refunds", "landing", balances.partitionKey())).filter(java.util.Objects::nonNull)
                .min(Instant::compareTo).orElseThrow();
        assertEquals(positive(Duration.between(sourcesLanded, first("balances", "curated", balances.partitionKey()))),
                balances.latency(), balances.toString());
    }

    private static Duration positive(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private Instant first(String dataset, String layer, String partition) {
        return Jdbc.query(dataSource, """
                select min(computed_at) from control_total where dataset = ? and layer = ? and partition_key = ?""",
                List.of(dataset, layer, partition), rs -> rs.getTimestamp(1) == null ? null
                        : rs.getTimestamp(1).toInstant()).get(0);
    }

    private void update(String sql, List<?> params) throws java.sql.SQLException {
        try (var c = dataSource.getConnection()) {
            Jdbc.update(c, sql, params);
        }
    }

    private Set<String> layers(String dataset, Instant at) {
        return new TreeSet<>(Jdbc.query(dataSource, """
                select layer from control_total where dataset = ? group by layer having max(computed_at) = ?""",
                List.of(dataset, java.sql.Timestamp.from(at)), rs -> rs.getString(1)));
    }

    private static List<SloService.Measurement> mine(List<SloService.Measurement> all) {
        return all.stream().filter(m -> m.dataset().equals(OPS) || m.dataset().equals(FINANCE)).toList();
    }

    private static List<SloService.Burn> burns(List<SloService.Burn> all) {
        return all.stream().filter(m -> m.dataset().equals(OPS) || m.dataset().equals(FINANCE)).toList();
    }

    private static List<Alert> alerts(String subject) {
        return QuarkusTransaction.requiringNew().call(() -> Alert.<Alert>list("ruleName = ?1 and subject = ?2",
                "slo-breach", subject));
    }

    private static List<JsonNode> sent(String status) throws Exception {
        List<JsonNode> out = new ArrayList<>();
        for (var r : hook.findAll(postRequestedFor(urlEqualTo("/hooks/slo")))) {
            JsonNode n = JSON.readTree(r.getBodyAsString());
            if (n.path("rule").asText().equals("slo-breach") && n.path("status").asText().equals(status)) {
                out.add(n);
            }
        }
        return out;
    }

    private static Set<String> subjects(JsonNode n) {
        return new TreeSet<>(StreamSupport.stream(n.path("alerts").spliterator(), false)
                .map(a -> a.path("subject").asText()).toList());
    }
}
