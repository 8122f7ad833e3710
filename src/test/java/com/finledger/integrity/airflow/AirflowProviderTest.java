package com.finledger.integrity.airflow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.finledger.integrity.DemoWorldFixture;
import com.finledger.integrity.demo.Defect;
import com.finledger.integrity.demo.DemoScript;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.io.File;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.LocalDate;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Runs the Airflow provider's pytest suite (airflow-plugin/tests) against this control plane, started
 * for real by the test run, with partitions prepared in known states. Needs Debian's python3-pytest,
 * python3-requests and python3-aiohttp: skipped locally without them, a failure in CI.
 */
@QuarkusTest
class AirflowProviderTest {

    static final Path PYTHON = Path.of("/usr/bin/python3");

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    DataSource dataSource;

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void otherTestsRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @Test
    void theProviderPassesItsTestsAgainstTheRealControlPlane() throws Exception {
        requirePytest();
        fixture.ensureDefaultWorld();
        LocalDate first = fixture.defaultSpec().firstBusinessDate();
        LocalDate last = fixture.defaultSpec().lastBusinessDate();
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        // Two partitions with data but no verdict yet: the sensors must wait until checks run.
        forgetReadiness("payments", last);
        forgetReadiness("beta_transactions", last.minusDays(1));

        Path report = Path.of("target", "airflow-plugin-pytest.xml").toAbsolutePath();
        Path log = Path.of("target", "airflow-plugin-pytest.log").toAbsolutePath();
        ProcessBuilder pb = new ProcessBuilder(PYTHON.toString(), "-m", "pytest", "-p", "no:cacheprovider", "-q",
                "--durations=5", "--junitxml=" + report, "tests").directory(new File("airflow-plugin"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        Map<String, String> env = pb.environment();
        env.put("FINLEDGER_URL", root.toString().replaceAll("/$", ""));
        env.put("FINLEDGER_READY", "payments/" + first);
        env.put("FINLEDGER_BLOCKED", orphan.dataset() + "/" + orphan.businessDate());
        env.put("FINLEDGER_PENDING", "payments/" + last);
        env.put("FINLEDGER_PENDING_DEFERRED", "beta_transactions/" + last.minusDays(1));
        env.put("FINLEDGER_REGISTER", "ledger_settlements/" + last);
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        Process process = pb.start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);
        assertTrue(finished, "pytest did not finish in 5 minutes:\n" + output);
        assertEquals(0, process.exitValue(), "the provider's tests failed:\n" + output);
        assertTrue(output.contains(" passed") && !output.contains("skipped"), output);
    }

    private void forgetReadiness(String dataset, LocalDate date) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from partition_readiness where dataset = ? and partition_key = ?")) {
            ps.setString(1, dataset);
            ps.setString(2, date.toString());
            assertEquals(1, ps.executeUpdate());
        }
    }

    private static void requirePytest() throws Exception {
        boolean available = Files.isExecutable(PYTHON) && new ProcessBuilder(PYTHON.toString(), "-c",
                "import pytest, requests, aiohttp, setuptools").start().waitFor() == 0;
        if (!available) {
            if (System.getenv("CI") != null) {
                throw new IllegalStateException("CI must install python3-pytest python3-requests python3-aiohttp "
                        + "python3-setuptools python3-wheel");
            }
            Assumptions.abort("Debian's python3-pytest, python3-requests and python3-aiohttp are not installed");
        }
    }
}
