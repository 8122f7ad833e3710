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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.databasemigration.DatabaseMigrationClient;
import software.amazon.awssdk.services.glue.GlueClient;

/**
 * The recovery console's production adapters over the real AWS protocols, against moto's server (from PyPI, in
 * the virtual environment the build creates from tools/python/moto.requirements.txt): a stopped DMS task found by
 * its identifier is started again with StartReplicationTask and runs; a Glue job run started with StartJobRun
 * and its arguments is followed with GetJobRun to SUCCEEDED; unknown tasks and jobs are refused with the
 * service's reason. (moto accepts StartReplicationTaskType but does not act on it.)
 */
class RecoveryPortsOnMotoTest {

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
    void aStoppedDmsTaskIsFoundByItsIdentifierAndStartedAgain() {
        DatabaseMigrationClient dms = RecoveryPortsProducer.dmsClient("eu-west-1", Optional.of(endpoint), credentials());
        String arn = dms.createReplicationTask(b -> b.replicationTaskIdentifier("finledger-payments-cdc")
                .sourceEndpointArn("arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCE")
                .targetEndpointArn("arn:aws:dms:eu-west-1:123456789012:endpoint:TARGET")
                .replicationInstanceArn("arn:aws:dms:eu-west-1:123456789012:rep:INSTANCE")
                .migrationType("full-load-and-cdc").tableMappings("{\"rules\": []}"))
                .replicationTask().replicationTaskArn();
        dms.createReplicationTask(b -> b.replicationTaskIdentifier("finledger-refunds-cdc")
                .sourceEndpointArn("arn:aws:dms:eu-west-1:123456789012:endpoint:SOURCE2")
                .targetEndpointArn("arn:aws:dms:eu-west-1:123456789012:endpoint:TARGET")
                .replicationInstanceArn("arn:aws:dms:eu-west-1:123456789012:rep:INSTANCE")
                .migrationType("full-load-and-cdc").tableMappings("{\"rules\": []}"));
        dms.startReplicationTask(b -> b.replicationTaskArn(arn).startReplicationTaskType("start-replication"));
        dms.stopReplicationTask(b -> b.replicationTaskArn(arn));

        AwsDmsTasks tasks = new AwsDmsTasks(dms);
        assertEquals("stopped", tasks.status("finledger-payments-cdc"));
        assertEquals("running", tasks.start("finledger-payments-cdc", DmsTasks.StartType.RESUME_PROCESSING));
        assertEquals("running", tasks.status("finledger-payments-cdc"));
        assertFalse(tasks.status("finledger-refunds-cdc").equals("running"), "only the task named was started");
        assertThrows(java.util.NoSuchElementException.class, () -> tasks.start("no-such-task", DmsTasks.StartType.RESUME_PROCESSING));
    }

    @Test
    void aGlueJobRunIsStartedWithItsArgumentsAndFollowedToItsEnd() {
        GlueClient glue = RecoveryPortsProducer.glueClient("eu-west-1", Optional.of(endpoint), credentials());
        glue.createJob(b -> b.name("finledger-raw-load").role("arn:aws:iam::123456789012:role/glue")
                .command(c -> c.name("glueetl").scriptLocation("s3://finledger-glue/raw_load.py")));
        AwsGlueJobs jobs = new AwsGlueJobs(glue);

        String runId = jobs.startJobRun("finledger-raw-load", Map.of("--dataset", "payments", "--business_date", "2026-11-02"));

        assertEquals(Map.of("--dataset", "payments", "--business_date", "2026-11-02"),
                glue.getJobRun(b -> b.jobName("finledger-raw-load").runId(runId)).jobRun().arguments());
        List<String> seen = new ArrayList<>();
        String state;
        int polls = 0;
        do {
            state = jobs.runState("finledger-raw-load", runId);
            seen.add(state);
        } while (!GlueJobs.finished(state) && ++polls < 20);
        assertEquals("SUCCEEDED", state, seen.toString());
        assertTrue(seen.size() > 1, "the run was followed while it ran: " + seen);
        IllegalStateException unknown = assertThrows(IllegalStateException.class,
                () -> jobs.startJobRun("no-such-job", Map.of()));
        assertTrue(unknown.getMessage().startsWith("Glue StartJobRun of no-such-job failed"), unknown.getMessage());
    }
}
