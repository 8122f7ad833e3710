package com.finledger.integrity.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.elasticmq.rest.sqs.SQSRestServer;
import org.elasticmq.rest.sqs.SQSRestServerBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sqs.SqsClient;
import software.amazon.awssdk.services.sqs.model.QueueAttributeName;

/**
 * The SQS event intake against ElasticMQ in-process on loopback: S3 notifications taken once and
 * deleted after commit, a redelivered notification recognised, a body that is not a notification
 * kept with its reason, and a message that keeps failing dead-lettered and kept.
 */
@QuarkusTest
class SqsIntakeTest {

    private static final String PREFIX = "landing/northbank_partner/settlement_report/";
    private static SQSRestServer elasticmq;
    private static SqsClient sqs;
    private static String queue;
    private static String dlq;

    @Inject
    PartnerFileIntake intake;

    @Inject
    ObjectStore store;

    @Inject
    com.finledger.integrity.pipeline.ChangeFileIntake changeFiles;

    @Inject
    com.finledger.integrity.pipeline.LocalPipelineRunner pipeline;

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void start() {
        elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = elasticmq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build()).build();
        dlq = sqs.createQueue(b -> b.queueName("partner-files-dlq")).queueUrl();
        String dlqArn = sqs.getQueueAttributes(b -> b.queueUrl(dlq).attributeNames(QueueAttributeName.QUEUE_ARN))
                .attributes().get(QueueAttributeName.QUEUE_ARN);
        queue = sqs.createQueue(b -> b.queueName("partner-files").attributes(Map.of(
                QueueAttributeName.REDRIVE_POLICY, "{\"maxReceiveCount\":\"2\",\"deadLetterTargetArn\":\"" + dlqArn + "\"}",
                QueueAttributeName.VISIBILITY_TIMEOUT, "1"))).queueUrl();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        elasticmq.stopAndWait();
        DemoWorldFixture.invalidate();
    }

    private SqsIntake intake() {
        return new SqsIntake(sqs, queue, dlq, 1, intake, changeFiles, dataSource, Clock.systemUTC());
    }

    private static String event(String bucket, String key, String version, long size) {
        return """
                {"Records": [{"eventVersion": "2.1", "eventSource": "aws:s3", "awsRegion": "eu-west-1",
                  "eventTime": "2026-12-10T06:30:00.000Z", "eventName": "ObjectCreated:Put",
                  "s3": {"s3SchemaVersion": "1.0", "bucket": {"name": "%s", "arn": "arn:aws:s3:::%s"},
                         "object": {"key": "%s", "size": %d, "eTag": "0123456789abcdef", "versionId": "%s",
                                    "sequencer": "0055AED6DCD90281E5"}}}]}""".formatted(bucket, bucket,
                key.replace(" ", "+"), size, version);
    }

    private long count(String sql, Object... params) {
        return Jdbc.query(dataSource, sql, List.of(params), rs -> rs.getLong(1)).get(0);
    }

    @Test
    void aNotificationIsTakenOnceAndDeletedEvenWhenDeliveredTwice() {
        String content = PartnerFileParserTest.HEADER + "NB-S1,SET-S1,2026-12-09,3.00,EUR,A\nTRAILER,1,EUR=3.00\n";
        ObjectStore.StoredObject o = store.put(PREFIX + "settlement_report_20261209.csv",
                content.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-10T06:30:00Z"), Map.of());
        String body = event(intake.bucket(), o.key(), o.versionId(), o.size());
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));

        SqsIntake.Poll first = intake().pollOnce();
        SqsIntake.Poll rest = intake().pollOnce();

        assertEquals(2, first.received() + rest.received());
        assertEquals(1, count("select count(*) from partner_file where object_key = ?", o.key()));
        assertEquals("ACCEPTED", intake.search("northbank_partner", java.time.LocalDate.parse("2026-12-09"), null, 5)
                .get(0).state());
        assertEquals(0, intake().pollOnce().received(), "both deliveries were deleted");
    }

    @Test
    void aDmsChangeFileIsRecordedOncePerBusinessDateItHolds() {
        fixture.ensureDefaultWorld();
        String header = "Op,commit_ts,change_seq,payment_id,merchant_id,processor,card_pan,amount_minor,currency,"
                + "status,created_at,business_date\n";
        String file = header
                + "I,2026-12-20T23:59:58Z,900000001,PAY-X-1,M-1,alpha,tok_1111,1000,EUR,AUTHORIZED,2026-12-20T23:59:58Z,2026-12-20\n"
                + "U,2026-12-21T00:00:01Z,900000002,PAY-X-1,M-1,alpha,tok_1111,1000,EUR,CAPTURED,2026-12-20T23:59:58Z,2026-12-20\n"
                + "I,2026-12-21T00:00:02Z,900000003,PAY-X-2,M-2,beta,tok_2222,2500,GBP,AUTHORIZED,2026-12-21T00:00:02Z,2026-12-21\n";
        ObjectStore.StoredObject o = store.put("landing/payments_ledger/src_payments/payments/20261221-000010.csv",
                file.getBytes(StandardCharsets.UTF_8), Instant.parse("2026-12-21T00:00:10Z"), Map.of());
        String body = event(intake.bucket(), o.key(), o.versionId(), o.size());
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));

        intake().pollOnce();
        intake().pollOnce();

        assertEquals(List.of("2026-12-20: 2", "2026-12-21: 1"), Jdbc.query(dataSource, """
                select business_date || ': ' || row_count from landed_object where object_key = ? order by 1""",
                List.of(o.key()), rs -> rs.getString(1)), "one landing record per business date, once");
        pipeline.run("test");
        assertEquals(List.of("2026-12-20: 2", "2026-12-21: 1"), Jdbc.query(dataSource, """
                select business_date || ': ' || count(*) from raw.payments where object_key = ? group by business_date
                order by 1""", List.of(o.key()), rs -> rs.getString(1)), "RAW loads each date's lines once");
    }

    @Test
    void aBodyThatIsNotANotificationIsKeptWithItsReason() {
        String id = sqs.sendMessage(b -> b.queueUrl(queue).messageBody("{\"hello\": \"world\"}")).messageId();

        SqsIntake.Poll poll = intake().pollOnce();

        assertEquals(1, poll.rejected());
        assertEquals("not an S3 event notification: no 'Records' array", Jdbc.query(dataSource,
                "select reason from intake_rejected_message where message_id = ?", List.of(id),
                rs -> rs.getString(1)).get(0));
    }

    @Test
    void aMessageThatKeepsFailingIsDeadLetteredAndKept() throws Exception {
        String body = event(intake.bucket(), PREFIX + "settlement_report_20261211.csv", "no-such-version", 10);
        String id = sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body)).messageId();

        assertEquals(1, intake().pollOnce().leftForRetry(), "the object cannot be read: the message stays");
        Thread.sleep(1_200);
        assertEquals(1, intake().pollOnce().leftForRetry());
        Thread.sleep(1_200);
        intake().pollOnce(); // third receive: SQS moves it to the dead-letter queue instead
        int drained = intake().drainDeadLetters();

        assertEquals(1, drained);
        assertTrue(Jdbc.query(dataSource, "select reason from intake_rejected_message where message_id = ?",
                List.of(id), rs -> rs.getString(1)).get(0).startsWith("dead-lettered"));
    }

    @Test
    void testEventsAndOtherKindsAnnounceNothing() {
        assertEquals(List.of(), S3EventNotifications.parse("{\"Service\":\"Amazon S3\",\"Event\":\"s3:TestEvent\"}"));
        assertEquals(List.of(), S3EventNotifications.parse("{\"Records\": [{\"eventName\": \"ObjectRemoved:Delete\"}]}"));
        assertEquals("landing/a b.csv", S3EventNotifications.parse(event("b", "landing/a b.csv", "v1", 1)).get(0).key());
    }
}
