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
import java.time.Duration;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Runs the Airflow provider's pytest suite (airflow-plugin/tests) inside real Apache Airflow, once per
 * pinned version (the virtual environments the build creates in target/venvs from
 * tools/python/airflow*.requirements.txt), against this control plane, started for real by the test
 * run, with partitions prepared in known states before each suite. Without a venv the test is skipped
 * locally (build with the venvs, e.g. without -Dvenvs.skip) and fails in CI.
 */
@QuarkusTest
class AirflowProviderTest {

    static final Path PLUGIN = Path.of("airflow-plugin").toAbsolutePath();
    static final Duration SUITE_TIMEOUT = Duration.ofMinutes(10);

    @Inject
    DemoWorldFixture fixture;

    @Inject
    DemoScript script;

    @Inject
    DataSource dataSource;

    @Inject
    com.finledger.integrity.warehouse.Warehouse warehouse;

    @Inject
    com.finledger.integrity.readiness.PartitionEvaluator evaluator;

    @Inject
    com.finledger.integrity.readiness.ReadinessService readiness;

    @TestHTTPResource("/")
    URL root;

    @AfterAll
    static void otherTestsRegenerate() {
        DemoWorldFixture.invalidate();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"airflow3", "airflow2"})
    void theProviderPassesItsTestsInsideRealAirflow(String venv) throws Exception {
        Path python = requireVenv(venv);
        fixture.ensureDefaultWorld();
        LocalDate first = fixture.defaultSpec().firstBusinessDate();
        LocalDate last = fixture.defaultSpec().lastBusinessDate();
        DemoScript.Fault orphan = script.fault(Defect.ORPHAN_REFUND).orElseThrow();
        Map<String, String> partitions = new LinkedHashMap<>();
        partitions.put("FINLEDGER_READY", "payments/" + first);
        partitions.put("FINLEDGER_BLOCKED", orphan.dataset() + "/" + orphan.businessDate());
        partitions.put("FINLEDGER_REGISTER", "ledger_settlements/" + last);
        // the promise DAG releases the orphan refund's quarantined rows: put them back for this suite
        partitions.put("FINLEDGER_PROMISE", orphan.dataset() + "/" + orphan.businessDate());
        partitions.put("FINLEDGER_PROMISE_RULE", "refunds_payment_exists");
        requarantine(orphan.dataset(), orphan.businessDate(), "refunds_payment_exists");
        // Partitions with data but no verdict yet: the sensors must wait until checks run (or time out).
        for (String[] pending : new String[][] {{"FINLEDGER_PENDING", "payments/" + last},
                {"FINLEDGER_PENDING_DEFERRED", "beta_transactions/" + last.minusDays(1)},
                {"FINLEDGER_PENDING_TRIGGER", "beta_transactions/" + last.minusDays(2)},
                {"FINLEDGER_WAITING", "payments/" + last.minusDays(1)}}) {
            forgetReadiness(pending[1]);
            partitions.put(pending[0], pending[1]);
        }

        Path home = Files.createDirectories(Path.of("target", "airflow-home", venv).toAbsolutePath());
        Map<String, String> env = new LinkedHashMap<>(partitions);
        env.put("FINLEDGER_URL", root.toString().replaceAll("/$", ""));
        env.put("AIRFLOW_HOME", home.toString());
        env.put("AIRFLOW__DATABASE__SQL_ALCHEMY_CONN", "sqlite:///" + home.resolve("airflow.db"));
        env.put("AIRFLOW__CORE__DAGS_FOLDER", PLUGIN.resolve("tests/dags").toString());
        env.put("AIRFLOW__CORE__LOAD_EXAMPLES", "False");
        env.put("PYTHONPATH", PLUGIN.resolve("src") + File.pathSeparator + PLUGIN.resolve("example_dags"));
        env.put("PYTHONDONTWRITEBYTECODE", "1");
        env.putAll(dbtEnvironment());

        Path log = Path.of("target", "airflow-plugin-" + venv + ".log").toAbsolutePath();
        String migrated = run(env, log, python.toString(), "-m", "airflow", "db", "migrate");
        Path report = Path.of("target", "airflow-plugin-" + venv + "-pytest.xml").toAbsolutePath();
        String output = run(env, log, python.toString(), "-m", "pytest", "-p", "no:cacheprovider", "-q", "-rs",
                "--durations=5", "--junitxml=" + report, "tests");
        System.out.println(output);
        assertTrue(output.contains(" passed") && !output.contains("skipped") && !output.contains("xfail"),
                "every test of the provider must run in " + venv + ":\n" + output);
        assertTrue(migrated.contains("migrat"), migrated);
    }

    /** dbt from the build's venv, writing under target/, on the embedded PostgreSQL this test runs on. */
    private static Map<String, String> dbtEnvironment() {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("FINLEDGER_DBT", Path.of("target", "venvs", "dbt", "bin", "dbt").toAbsolutePath().toString());
        env.put("DBT_TARGET_PATH", Path.of("target", "dbt-airflow", "target").toAbsolutePath().toString());
        env.put("DBT_LOG_PATH", Path.of("target", "dbt-airflow", "logs").toAbsolutePath().toString());
        env.put("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
        var config = org.eclipse.microprofile.config.ConfigProvider.getConfig();
        java.net.URI url = java.net.URI.create(config.getValue("quarkus.datasource.jdbc.url", String.class)
                .substring("jdbc:".length()));
        env.put("FINLEDGER_DBT_PG_HOST", url.getHost());
        env.put("FINLEDGER_DBT_PG_PORT", Integer.toString(url.getPort()));
        env.put("FINLEDGER_DBT_PG_DATABASE", url.getPath().substring(1));
        env.put("FINLEDGER_DBT_PG_USER", config.getOptionalValue("quarkus.datasource.username", String.class)
                .orElse("postgres"));
        env.put("FINLEDGER_DBT_PG_PASSWORD", config.getOptionalValue("quarkus.datasource.password", String.class)
                .orElse(""));
        return env;
    }

    /** Undoes a release of a rule's rows and re-evaluates the partition and its curated one: BLOCKED again. */
    private void requarantine(String dataset, LocalDate date, String rule) {
        warehouse.update("update quarantine.quarantined_row set released_at = null, released_by = null, "
                + "release_reason = null where dataset = ? and partition_key = ? and rule_name = ?",
                List.of(dataset, date.toString(), rule));
        evaluator.evaluate(dataset, date, "test");
        evaluator.evaluate("refunds", date, "test");
        assertEquals("BLOCKED", readiness.find(dataset, date.toString()).orElseThrow().state().name());
    }

    /** Runs a command in airflow-plugin/ with {@code env}; its output, or a failure with it. */
    private static String run(Map<String, String> env, Path log, String... command) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(PLUGIN.toFile()).redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().putAll(env);
        Process process = pb.start();
        boolean finished = process.waitFor(SUITE_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        assertTrue(finished, String.join(" ", command) + " did not finish in " + SUITE_TIMEOUT + ":\n" + output);
        assertEquals(0, process.exitValue(), String.join(" ", command) + " failed:\n" + output);
        return output;
    }

    /** Takes the partition's verdict away (it keeps its data): it is PENDING until checks run again; the suite checks. */
    private void forgetReadiness(String partition) throws Exception {
        String[] parts = partition.split("/");
        try (Connection c = dataSource.getConnection(); PreparedStatement ps = c.prepareStatement(
                "delete from partition_readiness where dataset = ? and partition_key = ?")) {
            ps.setString(1, parts[0]);
            ps.setString(2, parts[1]);
            // (the suite of the previous Airflow version had it evaluated again, or not yet)
            assertTrue(ps.executeUpdate() <= 1, partition);
        }
    }

    /** The venv's interpreter; a missing venv skips the test locally and fails it in CI. */
    private static Path requireVenv(String venv) {
        Path python = Path.of("target", "venvs", venv, "bin", "python").toAbsolutePath();
        if (!Files.isExecutable(python) || !Files.exists(python.getParent().getParent().resolve(".requirements.sha256"))) {
            String why = "no Python environment " + python.getParent().getParent() + ": the build creates it from "
                    + "tools/python/" + venv + ".requirements.txt in process-test-resources (not with -Dvenvs.skip)";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(why);
            }
            Assumptions.abort(why);
        }
        return python;
    }
}
