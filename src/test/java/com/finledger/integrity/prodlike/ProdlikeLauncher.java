package com.finledger.integrity.prodlike;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The prodlike profile started by hand: every peer of {@link ProdlikePeers} on loopback, then
 * {@code ./mvnw quarkus:dev} pointed at them, with the demo world generated into the source systems'
 * own databases, the warehouse on the Snowflake emulator, the landing bucket on S3Mock, AWS events on the
 * ElasticMQ intake queue, alerts to SNS on moto and a webhook on WireMock, and the recovery console's Glue and
 * DMS ports on moto and the WireMock DMS peer. Run it with
 * {@code ./mvnw -Pprodlike process-test-classes}; Ctrl-C stops the application and every peer.
 */
public final class ProdlikeLauncher {

    private static final int APP_DATABASE_PORT = 62537;
    private static final int HTTP_PORT = 8080;

    private ProdlikeLauncher() {
    }

    public static void main(String[] args) throws IOException, InterruptedException {
        ProdlikePeers peers = new ProdlikePeers();
        Runtime.getRuntime().addShutdownHook(new Thread(peers::stop, "prodlike-peers-stop"));
        Map<String, String> config = new TreeMap<>(peers.start(APP_DATABASE_PORT, HTTP_PORT));
        config.put("quarkus.http.port", Integer.toString(HTTP_PORT));
        config.put("quarkus.embedded.postgresql.port", Integer.toString(APP_DATABASE_PORT));
        // S3Mock and ElasticMQ take any credentials; the SDK's default chain reads these system properties
        config.put("aws.accessKeyId", "prodlike");
        config.put("aws.secretAccessKey", "prodlike");

        // the emulator answers in Apache Arrow whatever the session asks for, and snowflake-jdbc's Arrow reader
        // needs java.nio opened to it (the tests' JVM has the same flag)
        List<String> jvmArgs = new ArrayList<>(List.of("--add-opens=java.base/java.nio=ALL-UNNAMED"));
        config.forEach((key, value) -> {
            if (value.chars().anyMatch(Character::isWhitespace)) {
                throw new IllegalStateException(key + " has whitespace in its value, which jvm.args cannot carry");
            }
            jvmArgs.add("-D" + key + "=" + value);
        });
        System.out.println("prodlike peers are up; starting dev mode against them:");
        config.forEach((key, value) -> System.out.println("  " + key + "=" + (key.matches("(?i).*(password|secret).*") ? "***" : value)));
        System.out.println("alerts delivered to the webhook: " + ProdlikePeers.webhookPeer.baseUrl() + "/__admin/requests");
        System.out.println("alerts delivered to the SNS topic reach its subscriber queue on moto: "
                + ProdlikePeers.alertsInboxUrl);
        System.out.println("AWS events (EventBridge's JSON) go to the intake queue: "
                + config.get("finledger.intake.sqs.queue-url"));

        Process devMode = new ProcessBuilder(Path.of("mvnw").toAbsolutePath().toString(), "quarkus:dev",
                "-Djvm.args=" + String.join(" ", jvmArgs)).inheritIO().start();
        Runtime.getRuntime().addShutdownHook(new Thread(devMode::destroy, "prodlike-dev-mode-stop"));
        int exit = devMode.waitFor();
        System.out.println("dev mode ended with " + exit + "; stopping the prodlike peers");
    }
}
