package com.finledger.integrity.standins;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

import com.github.tomakehurst.wiremock.WireMockServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import com.finledger.integrity.intake.S3ObjectStore;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;

/**
 * Starts the protocol stand-ins for a test run with the production ports: S3Mock (a versioned
 * landing bucket) and WireMock answering as DMS and as processor Alpha; credentials come the way production gets them,
 * through the SDK's default chain (here: system properties).
 */
public class AwsStandIns implements QuarkusTestResourceLifecycleManager {

    public static final String BUCKET = "finledger-landing-test";
    private S3MockProcess s3mock;
    private WireMockServer dms;

    @Override
    public Map<String, String> start() {
        try {
            s3mock = S3MockProcess.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start S3Mock: " + e.getMessage(), e);
        }
        System.setProperty("aws.accessKeyId", "test");
        System.setProperty("aws.secretAccessKey", "test");
        try (S3Client s3 = S3ObjectStore.client("eu-west-1", Optional.of(URI.create(s3mock.endpoint())), true,
                StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")), Duration.ofSeconds(20))) {
            s3.createBucket(b -> b.bucket(BUCKET));
            s3.putBucketVersioning(b -> b.bucket(BUCKET).versioningConfiguration(v -> v.status(
                    BucketVersioningStatus.ENABLED)));
        }
        dms = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
        dms.start();
        dms.stubFor(post(urlEqualTo("/")).withHeader("X-Amz-Target",
                equalTo("AmazonDMSv20160101.DescribeReplicationTasks")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/x-amz-json-1.1").withBody("""
                        {"ReplicationTasks": [{"ReplicationTaskIdentifier": "finledger-payments-ledger-cdc",
                          "ReplicationTaskArn": "arn:aws:dms:eu-west-1:123456789012:task:P", "Status": "running",
                          "MigrationType": "full-load-and-cdc"}]}""")));
        dms.stubFor(com.github.tomakehurst.wiremock.client.WireMock.get(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo("/processors/alpha/v1/transactions"))
                .withHeader("X-Api-Key", equalTo("alpha-key")).willReturn(aResponse().withStatus(200)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"data\": [{\"txn_id\": \"A-WIRE-1\"}], \"next_page_token\": null}")));
        return Map.ofEntries(
                Map.entry("finledger.ports.object-store", "s3"),
                Map.entry("finledger.intake.bucket", BUCKET),
                Map.entry("finledger.s3.endpoint", s3mock.endpoint()),
                Map.entry("finledger.s3.path-style", "true"),
                Map.entry("finledger.ports.replication-monitor", "dms"),
                Map.entry("finledger.dms.endpoint", dms.baseUrl()),
                Map.entry("finledger.ports.processor-api", "http"),
                Map.entry("finledger.processors.processor_alpha.base-url", dms.baseUrl()),
                Map.entry("finledger.processors.processor_alpha.api-key", "alpha-key"),
                Map.entry("finledger.processors.processor_beta.base-url", "http://127.0.0.1:8081/demo"),
                Map.entry("finledger.processors.processor_beta.api-key", "demo-processor-key"));
    }

    @Override
    public void stop() {
        if (dms != null) {
            dms.stop();
        }
        if (s3mock != null) {
            s3mock.close();
        }
    }
}
