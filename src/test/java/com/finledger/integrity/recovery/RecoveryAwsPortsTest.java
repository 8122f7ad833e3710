package com.finledger.integrity.recovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.matchingJsonPath;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.core.WireMockConfiguration;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The recovery console's production adapters over the real AWS protocols. Glue against moto's server (from PyPI,
 * in the virtual environment the build creates from tools/python/moto.requirements.txt): a job run started with
 * StartJobRun and its arguments is followed with GetJobRun to SUCCEEDED, an unknown job is refused with Glue's
 * reason. DMS against a WireMock peer answering DMS's JSON 1.1 as AWS documents it, because moto 5.2.5's DMS
 * answers its dates as ISO strings, which the SDK refuses ("Input timestamp string must be no longer than 20
 * characters"): the stopped task is found by its identifier and StartReplicationTask carries its ARN and the
 * start type; an unknown task is refused.
 */
class RecoveryAwsPortsTest {

    private static final Path MOTO = Path.of("target", "venvs", "moto", "bin", "moto_server");
    private static Process server;
    private static URI endpoint;

    @BeforeAll
    static void start() throws Exception {
        if (!Files.isExecutable(MOTO)) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException(MOTO + " is missing: the build creates it (tools/python/venv.sh moto "
                        + "tools/python/moto.requirements.txt)");
            }
            Assumptions.abort(MOTO + " is missing: run ./mvnw process-test-classes to create it");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = MOTO.getParent().getParent().resolve("moto-" + port + ".log");
        server = new ProcessBuilder(MOTO.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        endpoint = URI.create("http://127.0.0.1:" + port);
        long deadline = System.currentTimeMillis() + 60_000;
        while (true) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                break;
            } catch (IOException e) {
                if (!server.isAlive() || System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("moto_server did not start: " + Files.readString(log));
                }
                Thread.sleep(200);
            }
        }
    }

    @AfterAll
    static void stop() throws InterruptedException {
        if (server != null) {
            server.destroy();
            server.waitFor();
        }
    }

    private static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    @Test
    void aStoppedDmsTaskIsFoundByItsIdentifierAndStartedWithItsStartType() {
        WireMockServer peer = new WireMockServer(WireMockConfiguration.options().dynamicPort().bindAddress("127.0.0.1"));
        peer.start();
        try {
            String arn = "arn:aws:dms:eu-west-1:123456789012:task:PAYMENTSCDC";
            String task = "{\"ReplicationTaskIdentifier\": \"finledger-payments-cdc\", \"ReplicationTaskArn\": \"" + arn
                    + "\", \"MigrationType\": \"full-load-and-cdc\", \"Status\": \"%s\", \"StopReason\": \"Stop Reason FATAL_ERROR\","
                    + " \"ReplicationTaskCreationDate\": 1793577600.0}";
            peer.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.DescribeReplicationTasks"))
                    .withRequestBody(matchingJsonPath("$.Filters[0].Name", equalTo("replication-task-id")))
                    .withRequestBody(matchingJsonPath("$.Filters[0].Values[0]", equalTo("finledger-payments-cdc")))
                    .willReturn(okJson("{\"ReplicationTasks\": [" + task.formatted("stopped") + "]}")));
            peer.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.DescribeReplicationTasks"))
                    .withRequestBody(matchingJsonPath("$.Filters[0].Values[0]", equalTo("no-such-task")))
                    .willReturn(okJson("{\"ReplicationTasks\": []}")));
            peer.stubFor(post("/").withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.StartReplicationTask"))
                    .willReturn(okJson("{\"ReplicationTask\": " + task.formatted("starting") + "}")));
            DatabaseMigrationClient dms = RecoveryPortsProducer.dmsClient("eu-west-1", Optional.of(URI.create(peer.baseUrl())),
                    credentials());
            AwsDmsTasks tasks = new AwsDmsTasks(dms);

            assertEquals("stopped", tasks.status("finledger-payments-cdc"));
            assertEquals("starting", tasks.start("finledger-payments-cdc", DmsTasks.StartType.RESUME_PROCESSING));

            peer.verify(1, postRequestedFor(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.StartReplicationTask"))
                    .withRequestBody(equalToJson("{\"ReplicationTaskArn\": \"" + arn
                            + "\", \"StartReplicationTaskType\": \"resume-processing\"}")));
            assertThrows(java.util.NoSuchElementException.class, () -> tasks.start("no-such-task",
                    DmsTasks.StartType.RELOAD_TARGET));
            peer.verify(1, postRequestedFor(urlEqualTo("/"))
                    .withHeader("X-Amz-Target", equalTo("AmazonDMSv20160101.StartReplicationTask")));
        } finally {
            peer.stop();
        }
    }

    @Test
    void aGlueJobRunIsStartedWithItsArgumentsAndFollowedToItsEnd() {
        GlueClient glue = RecoveryPortsProducer.glueClient("eu-west-1", Optional.of(endpoint), credentials());
        glue.createJob(b -> b.name("finledger-raw-load").role("arn:aws:iam::123456789012:role/glue")
                .command(c -> c.name("glueetl").scriptLocation("s3://finledger-glue/raw_load.py")));
        AwsGlueJobs jobs = new AwsGlueJobs(glue);

        String runId = jobs.startJobRun("finledger-raw-load", Map.of("--dataset", "payments", "--business_date", "2026-11-02"));

        List<String> seen = new ArrayList<>();
        String state;
        int polls = 0;
        do {
            state = jobs.runState("finledger-raw-load", runId);
            seen.add(state);
        } while (!GlueJobs.finished(state) && ++polls < 20);
        assertEquals("SUCCEEDED", state, seen.toString());
        assertEquals(Map.of("--dataset", "payments", "--business_date", "2026-11-02"),
                glue.getJobRun(b -> b.jobName("finledger-raw-load").runId(runId)).jobRun().arguments(), "the run's arguments");
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> jobs.startJobRun("no-such-job", Map.of()));
        assertTrue(unknown.getMessage().startsWith("Glue StartJobRun of no-such-job failed"), unknown.getMessage());
    }
}
