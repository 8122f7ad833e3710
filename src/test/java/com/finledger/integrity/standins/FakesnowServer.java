package com.finledger.integrity.standins;

import com.finledger.integrity.warehouse.SnowflakeWarehouse;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * fakesnow, the DuckDB-backed Snowflake emulator, as a child process on loopback: its HTTP server
 * speaks Snowflake's wire protocol to snowflake-jdbc unmodified. It runs from the virtual
 * environment the build creates (tools/python/venv.sh) and keeps its databases in memory.
 */
public final class FakesnowServer implements AutoCloseable {

    private static final Path VENV = Path.of("target", "venvs", "fakesnow");

    private final Process process;
    private final int port;

    private FakesnowServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static FakesnowServer start() throws IOException, InterruptedException {
        Path fakesnow = VENV.resolve("bin").resolve("fakesnow");
        if (!Files.isExecutable(fakesnow)) {
            throw new IllegalStateException(fakesnow + " is missing: run ./mvnw process-test-resources to create "
                    + VENV + " (tools/python/venv.sh, from tools/python/fakesnow.requirements.txt)");
        }
        int port = freePort();
        Path log = VENV.resolve("fakesnow-" + port + ".log");
        Process p = new ProcessBuilder(fakesnow.toString(), "--server", "--host", "127.0.0.1", "--port",
                Integer.toString(port)).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        FakesnowServer server = new FakesnowServer(p, port);
        server.await(Duration.ofSeconds(60), log);
        return server;
    }

    public int port() {
        return port;
    }

    /** A JDBC URL of the emulator; the database and schema are created by the first statements run. */
    public String jdbcUrl(String database, String schema) {
        return "jdbc:snowflake://127.0.0.1:" + port + "/?ssl=off&account=fakesnow&db=" + database + "&schema=" + schema;
    }

    /** The production adapter, pointed at the emulator (which takes any user and password). */
    public SnowflakeWarehouse warehouse(String database, String schema) {
        return new SnowflakeWarehouse(new SnowflakeWarehouse.Settings("fakesnow", "fake", "FINLEDGER_INTEGRITY",
                "FINLEDGER_INTEGRITY_WH", database, null, Optional.empty(), 30, 60,
                Optional.of(jdbcUrl(database, schema)), Optional.of("snow")));
    }

    /**
     * A Snowflake statement with the fingerprint hash ({@code SnowflakeDialect.md5Prefix64}) replaced by the same
     * number computed from the digest's two 32-bit halves, which fakesnow can evaluate (see SnowflakeOnEmulatorTest
     * for why it cannot evaluate the hash as generated).
     */
    public static String withEmulatorHash(String sql) {
        String[] hash = com.finledger.integrity.warehouse.SnowflakeDialect.INSTANCE.md5Prefix64("\u0000").split("\u0000");
        StringBuilder out = new StringBuilder();
        int from = 0;
        for (int at = sql.indexOf(hash[0]); at >= 0; at = sql.indexOf(hash[0], from)) {
            int end = sql.indexOf(hash[1], at);
            String text = sql.substring(at + hash[0].length(), end);
            out.append(sql, from, at).append("to_decimal(to_decimal(('0x' || substr(md5(").append(text)
                    .append("), 1, 8))::bigint, 38, 0) * 4294967296 + ('0x' || substr(md5(").append(text)
                    .append("), 9, 8))::bigint, 38, 0)");
            from = end + hash[1].length();
        }
        return out.append(sql.substring(from)).toString();
    }

    private void await(Duration limit, Path log) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return; // uvicorn binds only once the app is ready
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("fakesnow exited with " + process.exitValue() + "; see " + log);
                }
                Thread.sleep(100);
            }
        }
        throw new IllegalStateException("fakesnow did not listen on " + port + " within " + limit + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    /** Freezes the emulator (SIGSTOP): it keeps its sockets open and answers nothing, as a hung warehouse. */
    public void pause() throws IOException, InterruptedException {
        signal("-STOP");
    }

    /** Lets a paused emulator answer again (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("-CONT");
    }

    private void signal(String signal) throws IOException, InterruptedException {
        Process kill = new ProcessBuilder("kill", signal, Long.toString(process.pid())).inheritIO().start();
        if (kill.waitFor() != 0) {
            throw new IllegalStateException("kill " + signal + " " + process.pid() + " failed");
        }
    }

    @Override
    public void close() throws InterruptedException {
        try {
            resume(); // a paused process would not act on SIGTERM until continued
        } catch (IOException ignored) {
            // destroyed below either way
        }
        // SIGTERM: the server has no state worth a graceful stop (its databases are in memory)
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
