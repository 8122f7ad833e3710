package com.finledger.integrity.crash;

import com.finledger.integrity.platform.CrashPoints;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;

/**
 * Crash-safety tests: a PostgreSQL server owned by the test (the same embedded binaries the application's
 * extension uses) that outlives every process under test, and child JVMs on the test classpath that are
 * killed with SIGKILL at a named {@link CrashPoints crash point} — the child signals through a file when it
 * stands there with its transaction open, so the kill lands mid-write every time, no sleeps.
 *
 * <p>A child is any main class: a small driver of domain code (see {@code AuditChainCrashTest}), or the
 * application itself started in its own JVM and pointed at {@link #jdbcUrl()}; restart by starting another
 * child against the same database, then assert nothing was lost or doubled.
 */
public final class CrashHarness implements AutoCloseable {

    private final EmbeddedPostgres postgres;
    private final Path work;
    private final List<Child> children = new ArrayList<>();

    public CrashHarness(String name) {
        try {
            work = Files.createTempDirectory("crash-" + name);
            postgres = EmbeddedPostgres.builder().start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the crash tests' PostgreSQL", e);
        }
    }

    public DataSource dataSource() {
        return postgres.getPostgresDatabase();
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
    }

    /** Runs a SQL script (a migration) on the database. */
    public void execute(Path script) {
        try (Connection c = dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(Files.readString(script, StandardCharsets.UTF_8));
        } catch (Exception e) {
            throw new IllegalStateException("cannot run " + script + ": " + e.getMessage(), e);
        }
    }

    /** One process under test. */
    public final class Child {

        private final Process process;
        private final Path signal;
        private final Path log;

        private final Path ready;
        private final Path extensionData;

        private Child(Process process, Path signal, Path log) {
            this(process, signal, log, null, null);
        }

        private Child(Process process, Path signal, Path log, Path ready, Path extensionData) {
            this.process = process;
            this.signal = signal;
            this.log = log;
            this.ready = ready;
            this.extensionData = extensionData;
        }

        /** An application child: waits until it serves HTTP (its host wrote the ready file). */
        public void awaitReady(Duration timeout) throws InterruptedException {
            Instant until = Instant.now().plus(timeout);
            while (Instant.now().isBefore(until)) {
                if (Files.exists(ready)) {
                    return;
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the application ended (exit " + process.exitValue() + ") before it was up:\n"
                            + output());
                }
                Thread.sleep(50);
            }
            throw new AssertionError("the application was not up within " + timeout + ":\n" + output());
        }

        public boolean crashPointReached() {
            return Files.exists(signal);
        }

        /**
         * The embedded-PostgreSQL extension starts a server of its own in every application child (it has no
         * switch); the application never uses it (its datasource points at the harness's server), but its
         * postmaster outlives a SIGKILL of the JVM, so it is stopped here by the pid in its data directory.
         */
        private void stopExtensionServer() {
            // The extension ignores the data directory it is given and lets pg_ctl daemonise the server, so the
            // postmaster is neither a descendant of the child nor where extensionData says: its pid is in the log.
            java.util.regex.Matcher started = java.util.regex.Pattern
                    .compile("\\[(\\d+)\\] LOG:  starting PostgreSQL").matcher(output());
            while (started.find()) {
                ProcessHandle.of(Long.parseLong(started.group(1)))
                        .filter(p -> p.info().command().map(c -> c.endsWith("/postgres")).orElse(false))
                        .ifPresent(p -> {
                            p.destroy();
                            p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                                p.destroyForcibly();
                                return p;
                            }).join();
                        });
            }
            if (extensionData == null) {
                return;
            }
            Path pidFile = extensionData.resolve("postmaster.pid");
            try {
                if (Files.exists(pidFile)) {
                    long pid = Long.parseLong(Files.readAllLines(pidFile).get(0).strip());
                    ProcessHandle.of(pid).ifPresent(p -> {
                        p.destroy();   // SIGTERM: PostgreSQL's smart shutdown
                        p.onExit().orTimeout(20, TimeUnit.SECONDS).exceptionally(e -> {
                            p.destroyForcibly();
                            return p;
                        }).join();
                    });
                }
            } catch (IOException | RuntimeException e) {
                // best effort: a leftover server on a random port disturbs nothing
            }
        }

        /** Waits until the child stands at its crash point (the point's name), failing if it ends or times out. */
        public String awaitCrashPoint(Duration timeout) throws InterruptedException {
            Instant until = Instant.now().plus(timeout);
            while (Instant.now().isBefore(until)) {
                if (Files.exists(signal)) {
                    try {
                        return Files.readString(signal, StandardCharsets.UTF_8).strip();
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                }
                if (!process.isAlive()) {
                    throw new AssertionError("the child ended (exit " + process.exitValue() + ") before its crash point:\n"
                            + output());
                }
                Thread.sleep(20);
            }
            throw new AssertionError("the child did not reach its crash point within " + timeout + ":\n" + output());
        }

        /** SIGKILL: no shutdown hook, no rollback by the process, no flush; returns the exit status (137). */
        public int kill() throws InterruptedException {
            process.destroyForcibly();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                throw new AssertionError("the child survived SIGKILL");
            }
            stopExtensionServer();
            return process.exitValue();
        }

        /** Waits for the child to finish on its own; its exit status. */
        public int awaitExit(Duration timeout) throws InterruptedException {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("the child did not finish within " + timeout + ":\n" + output());
            }
            return process.exitValue();
        }

        public String output() {
            try {
                return Files.exists(log) ? Files.readString(log, StandardCharsets.UTF_8) : "";
            } catch (IOException e) {
                return "(no output: " + e.getMessage() + ")";
            }
        }
    }

    /**
     * Starts {@code mainClass} in a JVM of its own on the test classpath, with the database's URL as
     * {@code crash.jdbc-url} and, if {@code crashPoint} is not null, that point armed.
     */
    public Child start(Class<?> mainClass, String crashPoint, Map<String, String> properties) {
        try {
            int n = children.size() + 1;
            Path signal = work.resolve("child-" + n + ".signal");
            Path log = work.resolve("child-" + n + ".log");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                    "-Dcrash.jdbc-url=" + jdbcUrl()));
            if (crashPoint != null) {
                command.add("-D" + CrashPoints.PROPERTY + "=" + crashPoint);
                command.add("-D" + CrashPoints.SIGNAL_PROPERTY + "=" + signal);
            }
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add(mainClass.getName());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .directory(new File(".").getAbsoluteFile()).start();
            Child child = new Child(process, signal, log);
            children.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start " + mainClass.getName(), e);
        }
    }

    /**
     * Starts the whole application in a JVM of its own ({@link AppChild} hosting {@link CrashAppHost}: Quarkus
     * in test mode, demo users, basic auth) serving HTTP on {@code httpPort}, its datasource on the harness's
     * PostgreSQL and its object store in the harness's directory (both outlive the child), with
     * {@code crashPoint} armed if not null. {@code generate} has the host generate the demo world first.
     */
    public Child startApp(String crashPoint, int httpPort, boolean generate, Map<String, String> properties) {
        try {
            int n = children.size() + 1;
            Path signal = work.resolve("child-" + n + ".signal");
            Path log = work.resolve("child-" + n + ".log");
            Path ready = work.resolve("child-" + n + ".ready");
            Path extensionData = work.resolve("child-" + n + "-extension-pg");
            List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                    .toString(), "-Xmx768m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
                    System.getProperty("java.class.path"),
                    "-Djava.util.logging.manager=org.jboss.logmanager.LogManager",
                    "--add-opens=java.base/java.nio=ALL-UNNAMED",
                    "-Dquarkus.http.test-port=" + httpPort,
                    "-Dquarkus.datasource.jdbc.url=" + jdbcUrl(),
                    "-Dquarkus.datasource.username=postgres",
                    "-Dquarkus.datasource.password=postgres",
                    "-Dquarkus.embedded.postgresql.port=0",
                    "-Dquarkus.embedded.postgresql.data-dir=" + extensionData,
                    "-Dfinledger.object-store.local.root=" + work.resolve("object-store"),
                    "-Dcrash.app.generate=" + generate,
                    "-Dcrash.app.ready=" + ready));
            if (crashPoint != null) {
                command.add("-D" + CrashPoints.PROPERTY + "=" + crashPoint);
                command.add("-D" + CrashPoints.SIGNAL_PROPERTY + "=" + signal);
            }
            properties.forEach((k, v) -> command.add("-D" + k + "=" + v));
            command.add(AppChild.class.getName());
            Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile())
                    .directory(new File(".").getAbsoluteFile()).start();
            Child child = new Child(process, signal, log, ready, extensionData);
            children.add(child);
            return child;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the application", e);
        }
    }

    @Override
    public void close() throws IOException {
        for (Child child : children) {
            child.process.destroyForcibly();
            try {
                child.process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            child.stopExtensionServer();
        }
        postgres.close();
    }
}
