package com.finledger.integrity.standins;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** S3Mock as a child process on loopback (no Docker); its executable jar is copied to target/s3mock/ by the build. */
public final class S3MockProcess implements AutoCloseable {

    private final Process process;
    private final int port;

    private S3MockProcess(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static S3MockProcess start() throws IOException, InterruptedException {
        Path jar = Path.of("target", "s3mock", "s3mock.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: the build copies it in process-test-resources");
        }
        int http = freePort();
        int https = freePort();
        Path log = Path.of("target", "s3mock", "s3mock-" + http + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx256m",
                "-jar", jar.toString(), "--com.adobe.testing.s3mock.httpPort=" + http, "--server.port=" + https,
                "--com.adobe.testing.s3mock.root=" + Files.createTempDirectory("s3mock"), "--logging.level.root=WARN")
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        S3MockProcess s3mock = new S3MockProcess(p, http);
        s3mock.await(Duration.ofSeconds(60), log);
        return s3mock;
    }

    public String endpoint() {
        return "http://127.0.0.1:" + port;
    }

    private void await(Duration limit, Path log) throws InterruptedException {
        long until = System.nanoTime() + limit.toNanos();
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                Thread.sleep(500); // listening; give the application context a moment to finish
                return;
            } catch (IOException notYet) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("S3Mock exited; see " + log);
                }
                Thread.sleep(250);
            }
        }
        throw new IllegalStateException("S3Mock did not listen on " + port + " within " + limit + "; see " + log);
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Override
    public void close() {
        process.destroy();
    }
}
