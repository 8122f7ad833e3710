package com.finledger.integrity.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.intake.IntakeScheduler;
import com.finledger.integrity.intake.SqsIntake;
import com.finledger.integrity.intake.SqsIntakes;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.SendMessageBatchRequestEntry;

/**
 * Benchmark (profile {@code bench}): AWS events (Glue, DMS, AppFlow; 5% redelivered) offered to an ElasticMQ
 * queue at {@code bench.events.rate} per second (default 200) for {@code bench.events.seconds} (default 300),
 * consumed by the production SQS intake into the job state. Passes if every event is applied exactly once
 * (no loss, no duplicate state change: each event has one outcome, and every job and run ends in the state of
 * its latest event) and the backlog at the end drains within 10 s. The baseline, in the same run: ElasticMQ's
 * raw receive+delete rate with no processing, against which both the sustained rate and the intake's capacity
 * (a preloaded backlog drained as fast as the consumers go) are reported. {@code bench.events.seconds=30}
 * for a short run while iterating. Writes target/bench/events.json, with the load average before and after.
 */
@QuarkusTest
class EventIntakeBench {

    @Inject
    AwsEventIntake intake;

    @Inject
    SqsIntakes intakes;

    @Inject
    DataSource dataSource;

    private static String event(String ns, long i) {
        Instant t = Instant.parse("2026-11-03T00:00:00Z").plusMillis(i * 10);
        return switch ((int) (i % 3)) {
            case 0 -> AwsEvents.glue(ns + "-" + i, t, ns + "-glue-" + (i % 50), "jr_" + i, i % 7 == 0 ? "FAILED" : "SUCCEEDED");
            case 1 -> AwsEvents.dms(ns + "-" + i, t, "arn:aws:dms:eu-west-1:123456789012:task:" + ns + "-" + (i % 20),
                    i % 5 == 0 ? "REPLICATION_TASK_STOPPED" : "REPLICATION_TASK_STARTED");
            default -> AwsEvents.appFlow(ns + "-" + i, t, ns + "-flow-" + (i % 10), "x" + i, "Execution Successful");
        };
    }

    @Test
    void intakeKeepsUpWithTwoHundredEventsPerSecond() throws Exception {
        int rate = Integer.getInteger("bench.events.rate", 200);
        int seconds = Integer.getInteger("bench.events.seconds", 300);
        int consumers = Integer.getInteger("bench.events.consumers", 2);
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        SQSRestServer elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = elasticmq.waitUntilStarted().localAddress().getPort();
        try (SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(30)).build()).build()) {
            // baseline: raw receive + delete of the same kind of messages, no processing
            String rawQueue = sqs.createQueue(b -> b.queueName("raw")).queueUrl();
            int rawCount = Math.min(rate * seconds, 20_000);
            send(sqs, rawQueue, "raw", 0, rawCount);
            long r0 = System.nanoTime();
            long rawReceived = 0;
            while (rawReceived < rawCount) {
                var msgs = sqs.receiveMessage(b -> b.queueUrl(rawQueue).maxNumberOfMessages(10).waitTimeSeconds(1))
                        .messages();
                rawReceived += msgs.size();
                if (!msgs.isEmpty()) {
                    sqs.deleteMessageBatch(b -> b.queueUrl(rawQueue).entries(msgs.stream().map(m ->
                            software.amazon.awssdk.services.sqs.model.DeleteMessageBatchRequestEntry.builder()
                                    .id(m.messageId()).receiptHandle(m.receiptHandle()).build()).toList()));
                }
            }
            double rawRate = rawReceived / ((System.nanoTime() - r0) / 1e9);

            // capacity: the same number of events preloaded, drained by the intake's consumers as fast as they go
            String capacityQueue = sqs.createQueue(b -> b.queueName("capacity")).queueUrl();
            String capacityNs = "c" + UUID.randomUUID().toString().substring(0, 6);
            int capacityCount = Math.min(rate * seconds, 10_000);
            send(sqs, capacityQueue, capacityNs, 0, capacityCount);
            double capacityRate = drainAsFastAsPossible(sqs, capacityQueue, capacityCount, consumers);

            String queue = sqs.createQueue(b -> b.queueName("aws-events")).queueUrl();
            String ns = "b" + UUID.randomUUID().toString().substring(0, 6);
            long total = (long) rate * seconds;
            AtomicBoolean producing = new AtomicBoolean(true);
            AtomicLong received = new AtomicLong();
            AtomicLong sentMessages = new AtomicLong();
            ExecutorService pool = Executors.newFixedThreadPool(consumers + 1);
            long t0 = System.nanoTime();
            Future<?> producer = pool.submit(() -> {
                // paced in batches of 10 every 10/rate seconds; every 20th event is sent twice (redelivery)
                long next = System.nanoTime();
                for (long i = 0; i < total; i += 10) {
                    long from = i;
                    int n = (int) Math.min(10, total - i);
                    List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
                    for (int k = 0; k < n; k++) {
                        entries.add(SendMessageBatchRequestEntry.builder().id("m" + k).messageBody(event(ns, from + k)).build());
                    }
                    sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
                    sentMessages.addAndGet(n);
                    if (from % 200 == 0) {
                        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(event(ns, from)));
                        sentMessages.incrementAndGet();
                    }
                    next += 10L * 1_000_000_000L / rate;
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        java.util.concurrent.locks.LockSupport.parkNanos(wait);
                    }
                }
                producing.set(false);
            });
            List<Future<?>> workers = new ArrayList<>();
            for (int w = 0; w < consumers; w++) {
                SqsIntake consumer = intakes.sqsIntake(sqs, queue, intake);
                // each consumer is a receiver as the production schedule runs it (IntakeScheduler.drain)
                workers.add(pool.submit(() -> {
                    while (producing.get() || received.get() < sentMessages.get()) {
                        received.addAndGet(IntakeScheduler.drain(consumer, Duration.ofSeconds(50)));
                    }
                }));
            }
            producer.get();
            double produceSeconds = (System.nanoTime() - t0) / 1e9;
            long drainStart = System.nanoTime();
            for (Future<?> w : workers) {
                w.get(10 + seconds, java.util.concurrent.TimeUnit.SECONDS);
            }
            double drainSeconds = (System.nanoTime() - drainStart) / 1e9;
            double elapsed = (System.nanoTime() - t0) / 1e9;
            pool.shutdownNow();

            String loadAfter = Files.readString(Path.of("/proc/loadavg")).trim();
            Map<String, Long> outcomes = new LinkedHashMap<>();
            Jdbc.query(dataSource, "select outcome, count(*) from aws_event where event_id like ? group by outcome",
                    List.of(ns + "-%"), rs -> outcomes.put(rs.getString(1), rs.getLong(2)));
            long recorded = outcomes.values().stream().mapToLong(Long::longValue).sum();
            double intakeRate = received.get() / elapsed;
            Map<String, Object> result = new LinkedHashMap<>();
            result.put("offered_rate_per_s", rate);
            result.put("seconds", seconds);
            result.put("consumers", consumers);
            result.put("events", total);
            result.put("messages_including_redeliveries", sentMessages.get());
            result.put("messages_received", received.get());
            result.put("events_recorded_once", recorded);
            result.put("outcomes", outcomes);
            result.put("intake_rate_per_s", Math.round(intakeRate * 10) / 10.0);
            result.put("produce_seconds", Math.round(produceSeconds * 10) / 10.0);
            result.put("backlog_drain_seconds", Math.round(drainSeconds * 10) / 10.0);
            result.put("raw_sqs_receive_rate_per_s", Math.round(rawRate * 10) / 10.0);
            result.put("intake_over_raw_receive", Math.round(intakeRate / rawRate * 1000) / 1000.0);
            result.put("capacity_events", capacityCount);
            result.put("capacity_rate_per_s", Math.round(capacityRate * 10) / 10.0);
            result.put("capacity_over_raw_receive", Math.round(capacityRate / rawRate * 1000) / 1000.0);
            List<String> wrongStates = finalStatesDiffering(ns, total);
            result.put("jobs_not_in_their_latest_state", wrongStates.size());
            result.put("loadavg_before", loadBefore);
            result.put("loadavg_after", loadAfter);
            Path out = Path.of("target", "bench", "events.json");
            Files.createDirectories(out.getParent());
            Files.writeString(out, new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(result));
            System.out.println("EventIntakeBench " + result);
            assertEquals(total, recorded, "every event recorded exactly once (no loss, dedupe by event id)");
            assertEquals(null, outcomes.get("PENDING"), "every recorded event has its outcome");
            assertEquals(List.of(), wrongStates, "every job and run ends in its latest event's state");
            assertTrue(received.get() >= sentMessages.get(), "every message, redeliveries included, consumed");
            assertTrue(drainSeconds < 10, "the backlog when the producer stops drains within 10 s: " + drainSeconds);
        } finally {
            elasticmq.stopAndWait();
        }
    }

    /** Drains a preloaded queue with the intake's consumers; events per second. */
    private double drainAsFastAsPossible(SqsClient sqs, String queue, int count, int consumers) throws Exception {
        AtomicLong received = new AtomicLong();
        ExecutorService pool = Executors.newFixedThreadPool(consumers);
        long t0 = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < consumers; w++) {
            SqsIntake consumer = intakes.sqsIntake(sqs, queue, intake);
            workers.add(pool.submit(() -> {
                while (received.get() < count) {
                    received.addAndGet(IntakeScheduler.drain(consumer, Duration.ofSeconds(50)));
                }
            }));
        }
        for (Future<?> w : workers) {
            w.get(600, java.util.concurrent.TimeUnit.SECONDS);
        }
        double rate = received.get() / ((System.nanoTime() - t0) / 1e9);
        pool.shutdownNow();
        return rate;
    }

    /**
     * The jobs and runs whose state is not their latest event's: events are generated with strictly increasing
     * times, so the latest event of each job and of each run is known without the intake.
     */
    private List<String> finalStatesDiffering(String ns, long total) {
        Map<String, String> expectedJobs = new java.util.TreeMap<>();
        Map<String, String> expectedRuns = new java.util.TreeMap<>();
        for (long i = 0; i < total; i++) {
            AwsEvent e = AwsEvent.parse(event(ns, i));
            AwsEvent.Change c = e.changeIfKnown().orElseThrow();
            expectedJobs.put(c.kind() + ":" + c.jobName(), c.state() + " " + e.id());
            if (c.runId() != null) {
                expectedRuns.put(c.kind() + ":" + c.jobName() + "#" + c.runId(), c.state() + " " + e.id());
            }
        }
        Map<String, String> actualJobs = new java.util.TreeMap<>();
        Jdbc.query(dataSource, "select kind, name, state, last_event_id from pipeline_job where name like ?",
                List.of("%" + ns + "-%"), rs -> actualJobs.put(rs.getString(1) + ":" + rs.getString(2), rs.getString(3)
                        + " " + rs.getString(4)));
        Map<String, String> actualRuns = new java.util.TreeMap<>();
        Jdbc.query(dataSource, """
                select j.kind, j.name, r.run_id, r.state, r.last_event_id from pipeline_job_run r
                join pipeline_job j on j.id = r.job_id where j.name like ?""", List.of("%" + ns + "-%"),
                rs -> actualRuns.put(rs.getString(1) + ":" + rs.getString(2) + "#" + rs.getString(3), rs.getString(4)
                        + " " + rs.getString(5)));
        List<String> differing = new ArrayList<>();
        expectedJobs.forEach((k, v) -> {
            if (!v.equals(actualJobs.get(k))) {
                differing.add(k + " expected " + v + " got " + actualJobs.get(k));
            }
        });
        expectedRuns.forEach((k, v) -> {
            if (!v.equals(actualRuns.get(k))) {
                differing.add(k + " expected " + v + " got " + actualRuns.get(k));
            }
        });
        if (actualJobs.size() != expectedJobs.size() || actualRuns.size() != expectedRuns.size()) {
            differing.add("jobs " + actualJobs.size() + "/" + expectedJobs.size() + ", runs " + actualRuns.size() + "/"
                    + expectedRuns.size());
        }
        return differing.size() > 20 ? differing.subList(0, 20) : differing;
    }

    private static void send(SqsClient sqs, String queue, String ns, long from, int count) {
        for (long i = from; i < from + count; i += 10) {
            long base = i;
            int n = (int) Math.min(10, from + count - i);
            List<SendMessageBatchRequestEntry> entries = new ArrayList<>();
            for (int k = 0; k < n; k++) {
                entries.add(SendMessageBatchRequestEntry.builder().id("m" + k).messageBody(event(ns, base + k)).build());
            }
            sqs.sendMessageBatch(b -> b.queueUrl(queue).entries(entries));
        }
    }
}
