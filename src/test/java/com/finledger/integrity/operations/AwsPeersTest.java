package com.finledger.integrity.operations;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.alerts.AlertRule;
import com.finledger.integrity.alerts.Notifier;
import com.finledger.integrity.alerts.SnsNotifier;
import com.finledger.integrity.intake.SqsIntakes;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.eventbridge.model.PutEventsRequestEntry;
import software.amazon.awssdk.services.sns.SnsClient;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.Message;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * Against moto's server: an EventBridge rule (the production pattern: Glue, DMS, AppFlow, S3 sources) with
 * the SQS queue as its target delivers PutEvents to the queue, and the production SQS intake applies them;
 * the SNS notifier publishes to a topic whose SQS subscription receives the alert.
 */
@QuarkusTest
class AwsPeersTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static MotoServer moto;
    private static SqsClient sqs;

    @Inject
    AwsEventIntake intake;

    @Inject
    SqsIntakes intakes;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoServer.start();
        sqs = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build();
    }

    @AfterAll
    static void stop() {
        if (sqs != null) {
            sqs.close();
        }
        if (moto != null) {
            moto.close();
        }
    }

    private static String arn(String queueUrl) {
        return sqs.getQueueAttributes(b -> b.queueUrl(queueUrl).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
    }

    private static List<Message> drain(String queueUrl, int expected) {
        List<Message> all = new ArrayList<>();
        for (int i = 0; i < 20 && all.size() < expected; i++) {
            all.addAll(sqs.receiveMessage(b -> b.queueUrl(queueUrl).maxNumberOfMessages(10).waitTimeSeconds(1))
                    .messages());
        }
        return all;
    }

    @Test
    void eventBridgeRuleDeliversGlueAndDmsEventsThroughSqsToTheIntake() throws Exception {
        String queue = sqs.createQueue(b -> b.queueName("finledger-aws-events")).queueUrl();
        String job = "peer-" + UUID.randomUUID().toString().substring(0, 8);
        try (EventBridgeClient events = EventBridgeClient.builder().region(Region.EU_WEST_1)
                .endpointOverride(moto.endpoint()).credentialsProvider(MotoServer.credentials())
                .httpClient(UrlConnectionHttpClient.create()).build()) {
            events.putRule(b -> b.name("finledger-pipeline-events").eventPattern("""
                    {"source": ["aws.glue", "aws.dms", "aws.appflow", "aws.s3"],
                     "detail-type": ["Glue Job State Change", "DMS Replication Task State Change",
                                     "AppFlow End Flow Run Report", "Object Created"]}"""));
            events.putTargets(b -> b.rule("finledger-pipeline-events").targets(t -> t.id("intake").arn(arn(queue))));
            JsonNode failed = JSON.readTree(AwsEvents.glue("unused", Instant.parse("2026-11-03T06:00:00Z"), job,
                    "jr_p_attempt_1", "FAILED"));
            JsonNode dms = JSON.readTree(AwsEvents.dms("unused", Instant.parse("2026-11-03T06:00:00Z"),
                    "arn:aws:dms:eu-west-1:123456789012:task:" + job, "REPLICATION_TASK_STOPPED"));
            var result = events.putEvents(b -> b.entries(
                    PutEventsRequestEntry.builder().source("aws.glue").detailType("Glue Job State Change")
                            .time(Instant.parse("2026-11-03T06:00:00Z")).detail(failed.get("detail").toString()).build(),
                    PutEventsRequestEntry.builder().source("aws.dms").detailType("DMS Replication Task State Change")
                            .resources("arn:aws:dms:eu-west-1:123456789012:task:" + job)
                            .time(Instant.parse("2026-11-03T06:00:01Z")).detail(dms.get("detail").toString()).build(),
                    PutEventsRequestEntry.builder().source("finledger.other").detailType("Ignored")
                            .detail("{}").build()));
            assertEquals(0, result.failedEntryCount());
        }
        var consumer = intakes.sqsIntake(sqs, queue, intake);
        int received = 0;
        for (int i = 0; i < 10 && received < 2; i++) {
            received += consumer.pollOnce().received();
        }
        assertEquals(2, received, "the rule's pattern lets exactly the two pipeline events through");
        PipelineJob glue = QuarkusTransaction.requiringNew().call(
                () -> PipelineJob.find(AwsEvent.JobKind.GLUE_JOB, job).orElseThrow());
        assertEquals("FAILED", glue.state);
        assertEquals("jr_p_attempt_1", glue.lastRunId);
        PipelineJob task = QuarkusTransaction.requiringNew().call(() -> PipelineJob.find(AwsEvent.JobKind.DMS_TASK,
                "arn:aws:dms:eu-west-1:123456789012:task:" + job).orElseThrow());
        assertEquals("STOPPED", task.state);
    }

    @Test
    void theSnsNotifierPublishesToATopicItsSubscribersReceive() throws Exception {
        String inbox = sqs.createQueue(b -> b.queueName("oncall-inbox")).queueUrl();
        try (SnsClient sns = SnsClient.builder().region(Region.EU_WEST_1).endpointOverride(moto.endpoint())
                .credentialsProvider(MotoServer.credentials()).httpClient(UrlConnectionHttpClient.create()).build()) {
            String topic = sns.createTopic(b -> b.name("finledger-alerts")).topicArn();
            sns.subscribe(b -> b.topicArn(topic).protocol("sqs").endpoint(arn(inbox)));
            new SnsNotifier(sns, topic, "http://finledger.test").send(new Notifier.Notification(Notifier.Kind.FIRING,
                    "glue-job-failed", AlertRule.Severity.CRITICAL, "glue-job-failed",
                    List.of(new Notifier.Item(1, "fp", "finledger-bank-to-raw", "A Glue job failed after its retries",
                            "/runbooks#glue-job-failed")), Instant.parse("2026-11-03T06:00:00Z")));
        }
        List<Message> got = drain(inbox, 1);
        assertEquals(1, got.size());
        JsonNode envelope = JSON.readTree(got.get(0).body());
        assertEquals("[CRITICAL] glue-job-failed: 1 alert", envelope.path("Subject").asText());
        assertTrue(envelope.path("Message").asText().contains("http://finledger.test/runbooks#glue-job-failed"),
                envelope.toString());
        assertEquals("CRITICAL", envelope.path("MessageAttributes").path("severity").path("Value").asText(),
                envelope.toString());
        assertTrue(Map.of("Type", "Notification").entrySet().stream()
                .allMatch(e -> envelope.path(e.getKey()).asText().equals(e.getValue())));
    }
}
