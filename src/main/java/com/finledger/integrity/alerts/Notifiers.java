package com.finledger.integrity.alerts;

import jakarta.enterprise.context.ApplicationScoped;
import java.net.URI;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sns.SnsClient;

/**
 * The configured channels: a Slack-compatible webhook when {@code finledger.alerts.webhook.url} is set, an
 * SNS topic when {@code finledger.alerts.sns.topic-arn} is set (endpoint override for moto/LocalStack).
 */
@ApplicationScoped
public class Notifiers {

    @ConfigProperty(name = "finledger.alerts.webhook.url")
    Optional<URI> webhookUrl;

    @ConfigProperty(name = "finledger.alerts.sns.topic-arn")
    Optional<String> topicArn;

    @ConfigProperty(name = "finledger.alerts.sns.endpoint")
    Optional<URI> snsEndpoint;

    @ConfigProperty(name = "finledger.alerts.sns.region", defaultValue = "eu-west-1")
    String region;

    @ConfigProperty(name = "finledger.alerts.base-url", defaultValue = "http://localhost:8080")
    String baseUrl;

    private volatile java.util.List<Notifier> channels;

    /** The channels alerts go to. */
    public java.util.List<Notifier> channels() {
        if (channels == null) {
            channels = configured();
        }
        return channels;
    }

    /** Replaces the channels (tests point them at their peers). */
    public void use(java.util.List<Notifier> replacement) {
        channels = java.util.List.copyOf(replacement);
    }

    /** The channels in use, built from configuration. */
    public java.util.List<Notifier> configured() {
        java.util.List<Notifier> list = new java.util.ArrayList<>();
        webhookUrl.ifPresent(u -> list.add(new WebhookNotifier(u, baseUrl)));
        topicArn.ifPresent(arn -> {
            var b = SnsClient.builder().region(Region.of(region)).httpClient(UrlConnectionHttpClient.create());
            if (snsEndpoint.isPresent()) {
                b.endpointOverride(snsEndpoint.get())
                        .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("x", "x")));
            } else {
                b.credentialsProvider(DefaultCredentialsProvider.builder().build());
            }
            list.add(new SnsNotifier(b.build(), arn, baseUrl));
        });
        return list;
    }
}
