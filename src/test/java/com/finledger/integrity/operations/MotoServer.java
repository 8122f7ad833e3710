package com.finledger.integrity.operations;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;

/**
 * moto's server ({@code moto[server]} from PyPI, in the venv the build creates from
 * tools/python/moto.requirements.txt) as a child process on a free loopback port: EventBridge, SQS, SNS.
 */
public final class MotoServer implements AutoCloseable {

    private static final Path VENV = Path.of("target", "venvs", "moto");

    private final Process process;
    private final int port;

    private MotoServer(Process process, int port) {
        this.process = process;
        this.port = port;
    }

    public static MotoServer start() throws IOException, InterruptedException {
        Path bin = VENV.resolve("bin").resolve("moto_server");
        if (!Files.isExecutable(bin)) {
            throw new IllegalStateException("moto_server missing: the build creates it in " + VENV
                    + " (tools/python/venv.sh moto tools/python/moto.requirements.txt)");
        }
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path log = VENV.resolve("moto-" + port + ".log");
        Process p = new ProcessBuilder(bin.toString(), "-H", "127.0.0.1", "-p", Integer.toString(port))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        MotoServer server = new MotoServer(p, port);
        long until = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < until) {
            try (Socket ignored = new Socket("127.0.0.1", port)) {
                return server;
            } catch (IOException notYet) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("moto_server exited with " + p.exitValue() + "; see " + log);
                }
                Thread.sleep(100);
            }
        }
        server.close();
        throw new IllegalStateException("moto_server did not listen on " + port + " within 60 s; see " + log);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + port);
    }

    public static StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing"));
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
