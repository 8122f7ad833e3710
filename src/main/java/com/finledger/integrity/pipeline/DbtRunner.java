package com.finledger.integrity.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Runs the dbt project of {@code ingestion-config/} for the local pipeline: {@code dbt build} of the
 * STAGING and CURATED models and their tests, with dbt from the virtual environment the build
 * creates from {@code tools/python/dbt.requirements.txt} (dev mode creates it on first start). In
 * production Airflow runs the same project on Snowflake; the control plane only reads its artifacts.
 */
@ApplicationScoped
public class DbtRunner {

    private static final Logger LOG = Logger.getLogger(DbtRunner.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    @ConfigProperty(name = "finledger.dbt.executable", defaultValue = "target/venvs/dbt/bin/dbt")
    Path executable;

    /** Dev mode: create the dbt environment when it is missing, so a fresh machine needs nothing by hand. */
    @ConfigProperty(name = "finledger.dbt.install-if-missing", defaultValue = "false")
    boolean installIfMissing;

    /** The profile target: {@code local} (the embedded PostgreSQL) or {@code emulator} (the Snowflake emulator). */
    @ConfigProperty(name = "finledger.dbt.target", defaultValue = "local")
    String target;

    @ConfigProperty(name = "finledger.dbt.work-dir", defaultValue = "target/dbt")
    Path workDir;

    @ConfigProperty(name = "finledger.dbt.timeout", defaultValue = "PT10M")
    Duration timeout;

    @ConfigProperty(name = "finledger.dbt.emulator-port", defaultValue = "0")
    int emulatorPort;

    @jakarta.inject.Inject
    Config config;

    /** One node of a dbt invocation, as run_results.json reports it. */
    public record NodeResult(String uniqueId, String status, Long rowsAffected, double executionSeconds,
                             String message) {

        public boolean isModel() {
            return uniqueId.startsWith("model.");
        }
    }

    /** A finished invocation and where its artifacts are. */
    public record Invocation(String invocationId, List<NodeResult> nodes, Path runResults, Path manifest) {

        public long rowsChanged() {
            return nodes.stream().filter(NodeResult::isModel).mapToLong(n -> n.rowsAffected() == null ? 0
                    : n.rowsAffected()).sum();
        }
    }

    /** A dbt run that did not succeed, with each failing node's message. */
    public static class DbtFailedException extends IllegalStateException {

        public DbtFailedException(String message) {
            super(message);
        }
    }

    public Invocation build(Path projectDir) {
        return run(projectDir, workDir, "build", Map.of(), List.of());
    }

    /**
     * Runs a dbt command ({@code build} or {@code run}) with its own work directory (artifacts and logs),
     * project variables and a node selection (empty: every node). A month-end rerun builds into scratch
     * schemas this way ({@code raw_schema}, {@code schema_prefix}) without touching the pipeline's artifacts.
     */
    public Invocation run(Path projectDir, Path workDir, String dbtCommand, Map<String, String> vars, List<String> select) {
        Path dbt = ensureInstalled();
        Path targetPath = workDir.toAbsolutePath().resolve("target");
        Path logPath = workDir.toAbsolutePath().resolve("logs");
        List<String> command = new ArrayList<>(List.of(dbt.toString(), dbtCommand, "--project-dir",
                projectDir.toAbsolutePath().toString(),
                "--profiles-dir", projectDir.toAbsolutePath().resolve("profiles").toString(), "--target", target,
                "--target-path", targetPath.toString(), "--log-path", logPath.toString(), "--no-use-colors",
                "--log-format", "text", "--quiet"));
        if (!vars.isEmpty()) {
            try {
                command.addAll(List.of("--vars", JSON.writeValueAsString(vars)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }
        if (!select.isEmpty()) {
            command.add("--select");
            command.addAll(select);
        }
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
        pb.environment().putAll(connectionEnvironment());
        pb.environment().put("DBT_SEND_ANONYMOUS_USAGE_STATS", "false");
        String output;
        int exit;
        try {
            Files.createDirectories(logPath);
            Files.deleteIfExists(targetPath.resolve("run_results.json"));
            Process process = pb.start();
            process.getOutputStream().close();
            byte[] out = process.getInputStream().readAllBytes();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new DbtFailedException("dbt " + dbtCommand + " did not finish within " + timeout);
            }
            output = new String(out, StandardCharsets.UTF_8);
            exit = process.exitValue();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + dbt + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbtFailedException("interrupted while dbt build ran");
        }
        Path runResults = targetPath.resolve("run_results.json");
        if (!Files.exists(runResults)) {
            throw new DbtFailedException("dbt build failed before running anything (exit " + exit + "): "
                    + output.strip());
        }
        Invocation invocation = read(runResults, targetPath.resolve("manifest.json"));
        List<String> failed = new ArrayList<>();
        for (NodeResult node : invocation.nodes()) {
            if (!List.of("success", "pass").contains(node.status())) {
                failed.add(node.uniqueId() + " " + node.status() + ": " + Optional.ofNullable(node.message()).orElse(""));
            }
        }
        if (exit != 0 || !failed.isEmpty()) {
            throw new DbtFailedException("dbt build failed (exit " + exit + "): " + String.join("; ", failed)
                    + (failed.isEmpty() ? output.strip() : ""));
        }
        return invocation;
    }

    /** Reads a run_results.json (and names the manifest beside it). */
    public static Invocation read(Path runResults, Path manifest) {
        try {
            JsonNode root = JSON.readTree(runResults.toFile());
            List<NodeResult> nodes = new ArrayList<>();
            for (JsonNode r : root.path("results")) {
                JsonNode rows = r.path("adapter_response").path("rows_affected");
                nodes.add(new NodeResult(r.path("unique_id").asText(), r.path("status").asText(),
                        rows.isNumber() ? rows.asLong() : null, r.path("execution_time").asDouble(),
                        r.path("message").isNull() ? null : r.path("message").asText(null)));
            }
            return new Invocation(root.path("metadata").path("invocation_id").asText(), nodes, runResults, manifest);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + runResults + ": " + e.getMessage(), e);
        }
    }

    /** The warehouse connection for the profile's target, from the application's own configuration. */
    private Map<String, String> connectionEnvironment() {
        if (target.equals("emulator")) {
            return Map.of("FINLEDGER_DBT_TARGET", target, "FINLEDGER_DBT_SF_PORT", Integer.toString(emulatorPort));
        }
        // the local warehouse is the application's database (jdbc:postgresql://host:port/db?...)
        URI url = URI.create(config.getValue("quarkus.datasource.jdbc.url", String.class).substring("jdbc:".length()));
        return Map.of("FINLEDGER_DBT_TARGET", target,
                "FINLEDGER_DBT_PG_HOST", url.getHost(),
                "FINLEDGER_DBT_PG_PORT", Integer.toString(url.getPort() > 0 ? url.getPort() : 5432),
                "FINLEDGER_DBT_PG_DATABASE", url.getPath().replaceFirst("^/", ""),
                "FINLEDGER_DBT_PG_USER", config.getOptionalValue("quarkus.datasource.username", String.class)
                        .orElse("postgres"),
                "FINLEDGER_DBT_PG_PASSWORD", config.getOptionalValue("quarkus.datasource.password", String.class)
                        .orElse(""));
    }

    private synchronized Path ensureInstalled() {
        if (Files.isExecutable(executable)) {
            return executable;
        }
        Path script = Path.of("tools/python/venv.sh");
        if (!installIfMissing || !Files.isExecutable(script)) {
            throw new DbtFailedException("dbt is not installed at " + executable + ": run ./mvnw process-test-resources "
                    + "(or tools/python/venv.sh dbt tools/python/dbt.requirements.txt) to create its environment");
        }
        LOG.infof("First start: installing dbt (dbt-core, dbt-postgres, dbt-snowflake) into target/venvs/dbt from "
                + "tools/python/dbt.requirements.txt; this takes a minute or two, once");
        try {
            Process p = new ProcessBuilder(script.toString(), "dbt", "tools/python/dbt.requirements.txt")
                    .redirectErrorStream(true).start();
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(15, TimeUnit.MINUTES) || p.exitValue() != 0) {
                throw new DbtFailedException("installing dbt failed: " + out.strip());
            }
            LOG.info(out.strip());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbtFailedException("interrupted while installing dbt");
        }
        return executable;
    }
}
