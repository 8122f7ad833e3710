package com.finledger.integrity.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.intake.SqsIntakes;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Function;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * Event replay: the same AWS events applied in order, or shuffled with every event delivered twice, end in
 * the same job and run states; and the same through the SQS intake against ElasticMQ.
 */
@QuarkusTest
class AwsEventReplayTest {

    @Inject
    AwsEventIntake intake;

    @Inject
    SqsIntakes intakes;

    @Inject
    Clock clock;

    /** A day of one Glue job (first attempt fails, retry succeeds, next run fails), a DMS task, an AppFlow flow. */
    static List<String> history(String ns) {
        Instant t = Instant.parse("2026-11-03T05:00:00Z");
        String job = ns + "-glue-bank-to-raw";
        String task = "arn:aws:dms:eu-west-1:123456789012:task:" + ns + "-payments-cdc";
        String flow = ns + "-processor-alpha";
        List<String> events = new ArrayList<>();
        events.add(AwsEvents.dms(ns + "-e1", t, task, "REPLICATION_TASK_CREATED"));
        events.add(AwsEvents.dms(ns + "-e2", t.plusSeconds(60), task, "REPLICATION_TASK_STARTED"));
        events.add(AwsEvents.glue(ns + "-e3", t.plusSeconds(600), job, "jr_1", "FAILED"));
        events.add(AwsEvents.glue(ns + "-e4", t.plusSeconds(900), job, "jr_1_attempt_1", "SUCCEEDED"));
        events.add(AwsEvents.appFlow(ns + "-e5", t.plusSeconds(1000), flow, "x1", "Execution Successful"));
        events.add(AwsEvents.dms(ns + "-e6", t.plusSeconds(1200), task, "REPLICATION_TASK_FAILED"));
        events.add(AwsEvents.appFlow(ns + "-e7", t.plusSeconds(1300), flow, "x2", "Execution Failed"));
        events.add(AwsEvents.glue(ns + "-e8", t.plusSeconds(1800), job, "jr_2", "FAILED"));
        events.add(AwsEvents.dms(ns + "-e9", t.plusSeconds(2400), task, "REPLICATION_TASK_STARTED"));
        return events;
    }

    @Transactional
    Map<String, String> state(String ns) {
        Map<String, String> out = new TreeMap<>();
        for (PipelineJob j : PipelineJob.<PipelineJob>list("name like ?1", "%" + ns + "-%")) {
            String name = j.kind + ":" + j.name.replace(ns, "NS");
            out.put(name, j.state + "@" + j.stateAt + " last run " + j.lastRunId);
            for (PipelineJobRun r : PipelineJobRun.ofJob(j.id)) {
                out.put(name + "#" + r.runId, r.state + "@" + r.stateAt + " attempt " + r.attempt + " records "
                        + r.recordsProcessed);
            }
        }
        return out;
    }

    @Test
    void duplicatedAndOutOfOrderEventsLeadToTheSameState() {
        String inOrder = "r" + UUID.randomUUID().toString().substring(0, 8);
        String shuffled = "s" + UUID.randomUUID().toString().substring(0, 8);
        for (String e : history(inOrder)) {
            assertEquals(AwsEventIntake.Outcome.APPLIED, intake.apply(e));
        }
        List<String> replay = new ArrayList<>(history(shuffled));
        replay.addAll(history(shuffled));
        Collections.shuffle(replay, new Random(17));
        Map<AwsEventIntake.Outcome, Integer> outcomes = new TreeMap<>();
        for (String e : replay) {
            outcomes.merge(intake.apply(e), 1, Integer::sum);
        }
        assertEquals(9, outcomes.get(AwsEventIntake.Outcome.DUPLICATE), "every second delivery is a duplicate");
        Map<String, String> expected = state(inOrder);
        assertEquals(expected, state(shuffled));
        assertTrue(expected.get("DMS_TASK:arn:aws:dms:eu-west-1:123456789012:task:NS-payments-cdc")
                .startsWith("RUNNING@2026-11-03T05:40:00Z"), expected.toString());
        assertTrue(expected.get("GLUE_JOB:NS-glue-bank-to-raw").startsWith("FAILED@2026-11-03T05:30:00Z last run jr_2"));
        assertTrue(expected.get("GLUE_JOB:NS-glue-bank-to-raw#jr_1_attempt_1").contains("attempt 1"));
        assertTrue(expected.get("APPFLOW_FLOW:NS-processor-alpha#x1").endsWith("records 4812"));
        assertEquals("FAILED", PipelineJob.failed().stream().filter(j -> j.name.equals(inOrder + "-glue-bank-to-raw"))
                .findFirst().orElseThrow().state, "the recovery console lists the failed job");
    }

    @Test
    void aMalformedEventIsRefusedWithWhere() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> intake.apply(AwsEvents.glue("bad-1", Instant.parse("2026-11-03T05:00:00Z"), "j", "r", "FAILED")
                        .replace("\"jobName\":\"j\",", "")));
        assertTrue(e.getMessage().contains("$.detail.jobName"), e.getMessage());
    }

    @Test
    void theSqsIntakeAppliesEventBridgeEventsOnceFromElasticMq() {
        SQSRestServer elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = elasticmq.waitUntilStarted().localAddress().getPort();
        try (SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build()).build()) {
            String queue = sqs.createQueue(b -> b.queueName("aws-events")).queueUrl();
            String ns = "q" + UUID.randomUUID().toString().substring(0, 8);
            List<String> events = history(ns);
            for (String e : events) {
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(e));
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(e)); // at-least-once: delivered twice
            }
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"id\":\"x\",\"source\":\"aws.glue\",\"detail-type\":"
                    + "\"Glue Job State Change\",\"time\":\"2026-11-03T05:00:00Z\",\"detail\":{}}"));
            var consumer = intakes.sqsIntake(sqs, queue, intake);
            int received = 0;
            int rejected = 0;
            for (int i = 0; i < 10 && received < 19; i++) {
                var poll = consumer.pollOnce();
                received += poll.received();
                rejected += poll.rejected();
            }
            assertEquals(19, received);
            assertEquals(1, rejected, "the event without jobName is kept as rejected");
            String reference = "o" + UUID.randomUUID().toString().substring(0, 8);
            history(reference).forEach(intake::apply);
            Function<Map<String, String>, String> show = Map::toString;
            assertEquals(show.apply(state(reference)), show.apply(state(ns)));
        } finally {
            elasticmq.stopAndWait();
        }
    }

    @Test
    void oneScheduledTurnDrainsABusyQueueNotOneBatch() {
        SQSRestServer elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = elasticmq.waitUntilStarted().localAddress().getPort();
        try (SqsClient sqs = SqsClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build()).build()) {
            String queue = sqs.createQueue(b -> b.queueName("busy")).queueUrl();
            String ns = "d" + UUID.randomUUID().toString().substring(0, 8);
            for (int i = 0; i < 25; i++) {
                String e = AwsEvents.glue(ns + "-" + i, Instant.parse("2026-11-03T05:00:00Z").plusSeconds(i), ns + "-job",
                        "jr_" + i, i % 2 == 0 ? "FAILED" : "SUCCEEDED");
                sqs.sendMessage(b -> b.queueUrl(queue).messageBody(e));
            }
            long received = com.finledger.integrity.intake.IntakeScheduler.drain(intakes.sqsIntake(sqs, queue, intake),
                    Duration.ofSeconds(30));

            assertEquals(25, received, "a poll that gives messages is followed by another at once");
            assertEquals("FAILED@2026-11-03T05:00:24Z last run jr_24", state(ns).get("GLUE_JOB:NS-job"));
        } finally {
            elasticmq.stopAndWait();
        }
    }
}
