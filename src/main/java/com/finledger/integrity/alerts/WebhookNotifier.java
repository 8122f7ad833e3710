package com.finledger.integrity.alerts;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Posts to a Slack-compatible incoming webhook: {@code {"text": ...}} (what Slack, Mattermost and Teams'
 * Slack-compatible hooks read), plus the structured alert list for receivers that want it.
 */
public class WebhookNotifier implements Notifier {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI url;
    private final String baseUrl;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    public WebhookNotifier(URI url, String baseUrl) {
        this.url = url;
        this.baseUrl = baseUrl;
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public void send(Notification n) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("text", n.text(baseUrl));
        body.put("status", n.kind().name());
        body.put("rule", n.rule());
        body.put("severity", n.severity().name());
        body.put("group", n.groupKey());
        List<Map<String, Object>> alerts = n.alerts().stream().map(a -> Map.<String, Object>of("id", a.alertId(),
                "fingerprint", a.fingerprint(), "subject", a.subject(), "summary", a.summary(), "runbook",
                baseUrl + a.runbook())).toList();
        body.put("alerts", alerts);
        try {
            HttpResponse<String> response = http.send(HttpRequest.newBuilder(url).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                    HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 != 2) {
                throw new IllegalStateException("webhook answered " + response.statusCode() + ": " + response.body());
            }
        } catch (IOException e) {
            throw new IllegalStateException("webhook unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
