package com.finledger.integrity.replay;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.finledger.integrity.intake.ObjectStore;
import com.finledger.integrity.intake.PartnerFileIntake;
import com.finledger.integrity.intake.SqsIntake;
import com.finledger.integrity.pipeline.ChangeFileIntake;
import com.finledger.integrity.platform.Jdbc;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
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

/**
 * Every event source delivered once in order (the clean run) and delivered twice in a shuffled order (the
 * replay) ends in the same file ledger, landing totals, task-run records and lineage: S3 event
 * notifications through SQS (partner files, a corrected resend, a malformed file, DMS change files),
 * task-run reports (including a correction that overtakes the report it corrects) and OpenLineage events.
 * The two runs use business dates a fixed number of days apart, so they share one database; what they
 * end in is compared with the dates shifted back.
 */
@QuarkusTest
class ReplayTest {

    private static final String PARTNER = "landing/northbank_partner/settlement_report/";
    private static final String PAYMENTS = "landing/payments_ledger/src_payments/payments/";
    private static final String HEADER = "line_reference,settlement_reference,value_date,amount,currency,account\n";
    private static final LocalDate CLEAN = LocalDate.parse("2027-03-01");
    private static final int REPLAY_SHIFT_DAYS = 14;
    private static SQSRestServer elasticmq;
    private static SqsClient sqs;
    private static String queue;
    private static String dlq;

    @Inject
    PartnerFileIntake intake;

    @Inject
    ChangeFileIntake changeFiles;

    @Inject
    ObjectStore store;

    @Inject
    DataSource dataSource;

    @BeforeAll
    static void start() {
        elasticmq = SQSRestServerBuilder.withDynamicPort().withInterface("127.0.0.1").start();
        int port = elasticmq.waitUntilStarted().localAddress().getPort();
        sqs = SqsClient.builder().region(Region.EU_WEST_1).endpointOverride(URI.create("http://127.0.0.1:" + port))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")))
                .httpClient(UrlConnectionHttpClient.builder().socketTimeout(Duration.ofSeconds(10)).build()).build();
        dlq = sqs.createQueue(b -> b.queueName("replay-dlq")).queueUrl();
        queue = sqs.createQueue(b -> b.queueName("replay")).queueUrl();
    }

    @AfterAll
    static void stop() {
        sqs.close();
        elasticmq.stopAndWait();
    }

    // ---------------------------------------------------------------------------------------------------------
    // S3 event notifications and SQS redeliveries: partner files and DMS change files

    /** One object version landed in the store, announced by one S3 notification record. */
    private record Landed(String key, String version, long size, Instant arrivedAt) {
    }

    private static String date(LocalDate d) {
        return d.format(DateTimeFormatter.BASIC_ISO_DATE);
    }

    /** The files of one run: everything a day-shifted copy of the same world holds. */
    private List<Landed> land(LocalDate first) {
        LocalDate d1 = first;
        LocalDate d2 = first.plusDays(1);
        LocalDate d3 = first.plusDays(2);
        Instant t = first.plusDays(3).atStartOfDay(java.time.ZoneOffset.UTC).toInstant().plusSeconds(6 * 3600);
        List<Landed> landed = new ArrayList<>();
        landed.add(put(PARTNER + "settlement_report_" + date(d1) + ".csv", HEADER
                + "NB-R1," + "SET-R1," + d1 + ",10.00,EUR,A\n" + "NB-R2,SET-R2," + d1 + ",5.50,GBP,B\n"
                + "TRAILER,2,EUR=10.00;GBP=5.50\n", t));
        // the partner resends the same file corrected: it supersedes the first version whatever the delivery order
        landed.add(put(PARTNER + "settlement_report_" + date(d1) + ".csv", HEADER
                + "NB-R1," + "SET-R1," + d1 + ",10.00,EUR,A\n" + "NB-R2,SET-R2," + d1 + ",5.75,GBP,B\n"
                + "NB-R3,SET-R3," + d1 + ",1.25,EUR,C\n" + "TRAILER,3,EUR=11.25;GBP=5.75\n", t.plusSeconds(600)));
        landed.add(put(PARTNER + "settlement_report_" + date(d2) + ".csv", HEADER
                + "NB-R4,SET-R4," + d2 + ",3.00,EUR,A\n" + "TRAILER,1,EUR=3.00\n", t.plusSeconds(60)));
        landed.add(put(PARTNER + "settlement_report_" + date(d3) + ".csv", HEADER
                + "NB-R5,SET-R5," + d3 + ",3.00,EUR\n" + "TRAILER,1,EUR=3.00\n", t.plusSeconds(120)));
        String cdcHeader = "Op,commit_ts,change_seq,payment_id,merchant_id,processor,card_pan,amount_minor,currency,"
                + "status,created_at,business_date\n";
        landed.add(put(PAYMENTS + date(d2) + "-000010.csv", cdcHeader
                + "I," + d1 + "T23:59:58Z,9" + date(d1) + "1,PAY-R-" + d1 + ",M-1,alpha,tok_1111,1000,EUR,AUTHORIZED,"
                + d1 + "T23:59:58Z," + d1 + "\n"
                + "I," + d2 + "T00:00:02Z,9" + date(d1) + "2,PAY-R2-" + d1 + ",M-2,beta,tok_2222,2500,GBP,AUTHORIZED,"
                + d2 + "T00:00:02Z," + d2 + "\n", t.plusSeconds(30)));
        return landed;
    }

    private Landed put(String key, String content, Instant arrivedAt) {
        ObjectStore.StoredObject o = store.put(key, content.getBytes(StandardCharsets.UTF_8), arrivedAt, Map.of());
        return new Landed(key, o.versionId(), o.size(), arrivedAt);
    }

    private String notification(List<Landed> objects) {
        StringBuilder records = new StringBuilder();
        for (Landed o : objects) {
            if (!records.isEmpty()) {
                records.append(',');
            }
            records.append("""
                    {"eventVersion": "2.1", "eventSource": "aws:s3", "eventTime": "%s", "eventName": "ObjectCreated:Put",
                     "s3": {"bucket": {"name": "%s"}, "object": {"key": "%s", "size": %d, "versionId": "%s"}}}"""
                    .formatted(o.arrivedAt(), intake.bucket(), o.key(), o.size(), o.version()));
        }
        return "{\"Records\": [" + records + "]}";
    }

    private void deliver(List<String> bodies) {
        for (String body : bodies) {
            sqs.sendMessage(b -> b.queueUrl(queue).messageBody(body));
        }
        SqsIntake consumer = new SqsIntake(sqs, queue, dlq, 0, intake, changeFiles, dataSource, Clock.systemUTC());
        int idle = 0;
        while (idle < 2) {
            SqsIntake.Poll poll = consumer.pollOnce();
            assertEquals(0, poll.leftForRetry(), "no delivery fails");
            idle = poll.received() == 0 ? idle + 1 : 0;
        }
    }

    /** The file ledger and landing totals of one run, dates and keys shifted back to the clean run's. */
    private List<String> ledger(LocalDate first, int shift) {
        List<String> rows = new ArrayList<>();
        rows.addAll(Jdbc.query(dataSource, """
                select f.object_key, f.business_date, f.state, f.row_count, coalesce(f.amounts::text, ''),
                       (f.superseded_by is not null), f.late, f.arrived_at,
                       (select count(*) from partner_file g where g.object_key = f.object_key)
                from partner_file f where f.business_date between ? and ? order by f.object_key, f.arrived_at""",
                List.of(first, first.plusDays(2)), rs -> "partner_file " + shiftBack(rs.getString(1), shift) + " "
                        + rs.getDate(2).toLocalDate().minusDays(shift) + " " + rs.getString(3) + " rows "
                        + rs.getLong(4) + " " + rs.getString(5) + " superseded " + rs.getBoolean(6) + " late "
                        + rs.getBoolean(7) + " at " + rs.getTimestamp(8).toInstant().minus(Duration.ofDays(shift))
                        + " ledger entries " + rs.getLong(9)));
        rows.addAll(Jdbc.query(dataSource, """
                select dataset, business_date, count(*), sum(row_count) from landed_object
                where business_date between ? and ? and (object_key like ? or object_key like ?)
                group by dataset, business_date order by 1, 2""",
                List.of(first, first.plusDays(2), PARTNER + "%", PAYMENTS + "%"), rs -> "landed " + rs.getString(1)
                        + " " + rs.getDate(2).toLocalDate().minusDays(shift) + " objects " + rs.getLong(3) + " rows "
                        + rs.getLong(4)));
        return rows;
    }

    private static String shiftBack(String key, int shift) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\\d{8}").matcher(key);
        return m.find() ? key.substring(0, m.start()) + date(LocalDate.parse(m.group(),
                DateTimeFormatter.BASIC_ISO_DATE).minusDays(shift)) + key.substring(m.end()) : key;
    }

    @Test
    void s3NotificationsDeliveredTwiceAndOutOfOrderLeaveTheSameLedgerAndLandingTotals() {
        List<Landed> clean = land(CLEAN);
        List<String> inOrder = new ArrayList<>();
        clean.stream().sorted(java.util.Comparator.comparing(Landed::arrivedAt))
                .forEach(o -> inOrder.add(notification(List.of(o))));
        deliver(inOrder);

        LocalDate shifted = CLEAN.plusDays(REPLAY_SHIFT_DAYS);
        List<Landed> replay = land(shifted);
        List<String> twiceShuffled = new ArrayList<>();
        for (Landed o : replay) {
            twiceShuffled.add(notification(List.of(o)));
            twiceShuffled.add(notification(List.of(o)));
        }
        // and once more all of them in one notification with several records, newest first
        List<Landed> newestFirst = new ArrayList<>(replay);
        newestFirst.sort(java.util.Comparator.comparing(Landed::arrivedAt).reversed());
        twiceShuffled.add(notification(newestFirst));
        Collections.shuffle(twiceShuffled, new Random(19));
        // the correction's notification before the original's: the worst order for a resend
        Collections.swap(twiceShuffled, twiceShuffled.indexOf(notification(List.of(replay.get(1)))), 0);
        deliver(twiceShuffled);

        List<String> expected = ledger(CLEAN, 0);
        assertFalse(expected.isEmpty());
        assertEquals(String.join("\n", expected), String.join("\n", ledger(shifted, REPLAY_SHIFT_DAYS)));
    }

    // ---------------------------------------------------------------------------------------------------------
    // Task-run reports

    private static Map<String, Object> report(String runId, String partition, long rows, boolean supersede) {
        Map<String, Object> r = new java.util.LinkedHashMap<>();
        r.put("dagId", "replay_dag");
        r.put("runId", runId);
        r.put("taskId", "load_" + partition);
        r.put("mapIndex", -1);
        r.put("dataset", "payments");
        r.put("partition", partition);
        r.put("status", "SUCCESS");
        r.put("rowCount", rows);
        r.put("amounts", Map.of("EUR", Long.toString(rows * 100)));
        if (supersede) {
            r.put("supersede", true);
        }
        return r;
    }

    private List<Map<String, Object>> reports(String runId, LocalDate first) {
        return List.of(report(runId, first.toString(), 10, false), report(runId, first.plusDays(1).toString(), 20, false),
                report(runId, first.toString(), 11, true));
    }

    private void post(Map<String, Object> report) {
        int status = given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body(report).post("/api/v1/runs").then().extract().statusCode();
        assertEquals(true, status == 200 || status == 201, "report " + report + " answered " + status);
    }

    private List<String> taskRuns(String runId, LocalDate first, int shift) {
        return Jdbc.query(dataSource, """
                select replace(idempotency_key, ?, 'RUN'), partition_key, row_count, amounts::text from task_run
                where run_id = ? order by 1, 2""", List.of(runId, runId), rs -> shiftBack(rs.getString(1)
                .replaceAll("#[0-9a-f]+", "#correction").replace("-", ""), 0) + " " + LocalDate.parse(rs.getString(2))
                .minusDays(shift) + " rows " + rs.getLong(3) + " " + rs.getString(4));
    }

    @Test
    void taskRunReportsDeliveredTwiceAndOutOfOrderAreRecordedAsInOrder() {
        LocalDate replayFirst = CLEAN.plusDays(REPLAY_SHIFT_DAYS);
        String cleanRun = "clean-" + UUID.randomUUID();
        reports(cleanRun, CLEAN).forEach(this::post);

        String replayRun = "replay-" + UUID.randomUUID();
        List<Map<String, Object>> twice = new ArrayList<>(reports(replayRun, replayFirst));
        twice.addAll(reports(replayRun, replayFirst));
        Collections.shuffle(twice, new Random(7));
        // the correction first: it overtook the report it corrects
        twice.remove(reports(replayRun, replayFirst).get(2));
        twice.add(0, reports(replayRun, replayFirst).get(2));
        twice.forEach(this::post);

        List<String> expected = taskRuns(cleanRun, CLEAN, 0).stream()
                .map(s -> s.replaceAll("load_\\d{4}\\d{2}\\d{2}|load_[0-9-]+", "load")).toList();
        List<String> replayed = taskRuns(replayRun, replayFirst, REPLAY_SHIFT_DAYS).stream()
                .map(s -> s.replaceAll("load_\\d{4}\\d{2}\\d{2}|load_[0-9-]+", "load")).toList();
        assertEquals(3, expected.size(), "two reports and one correction: " + expected);
        assertEquals(expected, replayed);
    }

    // ---------------------------------------------------------------------------------------------------------
    // OpenLineage events

    private static String event(String runId, String type, String time, String job, String input, String output) {
        return """
                {"eventType": "%s", "eventTime": "%s", "producer": "https://example.org/replay-test",
                 "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/definitions/RunEvent",
                 "run": {"runId": "%s"}, "job": {"namespace": "replay", "name": "%s"},
                 "inputs": [{"namespace": "replay", "name": "%s"}], "outputs": [{"namespace": "replay", "name": "%s"}]}"""
                .formatted(type, time, runId, job, input, output);
    }

    private List<String> lineageEvents(String tag) {
        String a = UUID.nameUUIDFromBytes((tag + "a").getBytes(StandardCharsets.UTF_8)).toString();
        String b = UUID.nameUUIDFromBytes((tag + "b").getBytes(StandardCharsets.UTF_8)).toString();
        return List.of(
                event(a, "START", "2027-03-02T01:00:00Z", tag + ".stage", tag + ".raw", tag + ".staging"),
                event(a, "COMPLETE", "2027-03-02T01:05:00Z", tag + ".stage", tag + ".raw", tag + ".staging"),
                event(b, "START", "2027-03-02T01:06:00Z", tag + ".curate", tag + ".staging", tag + ".curated"),
                event(b, "COMPLETE", "2027-03-02T01:09:00Z", tag + ".curate", tag + ".staging", tag + ".curated"));
    }

    private void postLineage(String body) {
        int status = given().auth().preemptive().basic("pipeline", "demo").contentType("application/json")
                .body(body).post("/api/v1/lineage").then().extract().statusCode();
        assertEquals(true, status == 200 || status == 201, "lineage event answered " + status);
    }

    private List<String> lineage(String tag) {
        List<String> out = new ArrayList<>(Jdbc.query(dataSource, """
                select job_name, event_type, event_time from lineage_event where job_namespace = 'replay'
                and job_name like ? order by 1, 2, 3""", List.of(tag + ".%"), rs -> "event "
                + rs.getString(1).substring(tag.length()) + " " + rs.getString(2) + " " + rs.getTimestamp(3).toInstant()));
        out.addAll(given().auth().preemptive().basic("auditor", "demo").queryParam("namespace", "replay")
                .queryParam("name", tag + ".curated").queryParam("depth", 5).get("/api/v1/lineage/upstream")
                .then().statusCode(200).extract().jsonPath().getList("nodes.id", String.class).stream()
                .map(id -> "upstream " + id.replace(tag, "TAG")).sorted().toList());
        return out;
    }

    @Test
    void openLineageEventsDeliveredTwiceAndOutOfOrderGiveTheSameGraph() {
        lineageEvents("cleanrun").forEach(this::postLineage);

        List<String> twice = new ArrayList<>(lineageEvents("replayrun"));
        twice.addAll(lineageEvents("replayrun"));
        Collections.shuffle(twice, new Random(3));
        Collections.reverse(twice);
        twice.forEach(this::postLineage);

        List<String> expected = lineage("cleanrun");
        assertEquals(4 + 0, expected.stream().filter(s -> s.startsWith("event")).count(), String.join("\n", expected));
        assertEquals(expected, lineage("replayrun"));
    }
}
