package com.finledger.integrity.extract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.pipeline.ProcessorApi;
import io.quarkus.rest.client.reactive.QuarkusRestClientBuilder;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The processors' transactions APIs over HTTP. One page per call ({@code data} + {@code
 * next_page_token}); 429 waits for {@code Retry-After} (seconds or an HTTP date, capped); 5xx,
 * timeouts, broken connections and bodies that are not the promised JSON are retried with
 * exponential backoff and jitter; other 4xx fail at once. What still fails is a {@link
 * ProcessorApiException} naming the source, the window and the page.
 */
public class HttpProcessorApi implements ProcessorApi {

    private static final Logger LOG = Logger.getLogger(HttpProcessorApi.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Where one processor lives and how patient to be with it. */
    public record Endpoint(URI baseUri, String path, String apiKey) {
    }

    public record Settings(Duration connectTimeout, Duration readTimeout, int maxAttempts, Duration backoffBase,
                           Duration maxRetryAfter) {
    }

    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final Map<String, Endpoint> endpoints;
    private final Settings settings;
    private final Clock clock;
    private final Sleeper sleeper;
    private final Map<String, ProcessorTransactionsClient> clients = new ConcurrentHashMap<>();

    public HttpProcessorApi(Map<String, Endpoint> endpoints, Settings settings, Clock clock, Sleeper sleeper) {
        this.endpoints = Map.copyOf(endpoints);
        this.settings = settings;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    @Override
    public Page fetch(String source, Instant from, Instant to, Optional<String> pageToken, int pageSize) {
        return get(source, " window [" + from + ", " + to + ")", from.toString(), to.toString(), null, pageToken,
                pageSize);
    }

    @Override
    public Page fetchBusinessDate(String source, java.time.LocalDate date, Optional<String> pageToken, int pageSize) {
        return get(source, " business date " + date, null, null, date.toString(), pageToken, pageSize);
    }

    private Page get(String source, String selection, String from, String to, String date, Optional<String> pageToken,
                     int pageSize) {
        Endpoint endpoint = endpoints.get(source);
        if (endpoint == null) {
            throw new ProcessorApiException("no endpoint configured for processor source " + source
                    + " (finledger.processors." + source + ".base-url)");
        }
        ProcessorTransactionsClient client = clients.computeIfAbsent(source, s -> QuarkusRestClientBuilder.newBuilder()
                .baseUri(URI.create(endpoint.baseUri().toString().replaceFirst("/$", "") + endpoint.path()))
                .connectTimeout(settings.connectTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(settings.readTimeout().toMillis(), TimeUnit.MILLISECONDS)
                .property("microprofile.rest.client.disable.default.mapper", true)
                .build(ProcessorTransactionsClient.class));
        String call = source + " " + endpoint.path() + selection
                + pageToken.map(t -> " page after " + t).orElse(" first page");
        String problem = null;
        for (int attempt = 1; attempt <= settings.maxAttempts(); attempt++) {
            Duration wait;
            try (Response response = client.page(from, to, date, pageToken.orElse(null), pageSize,
                    endpoint.apiKey())) {
                int status = response.getStatus();
                String body = response.hasEntity() ? response.readEntity(String.class) : "";
                if (status == 200) {
                    try {
                        return parse(body, pageSize);
                    } catch (IllegalArgumentException e) {
                        problem = "malformed response: " + e.getMessage();
                        wait = backoff(attempt);
                    }
                } else if (status == 429) {
                    wait = retryAfter(response.getHeaderString("Retry-After"), attempt);
                    problem = "rate limited (429, Retry-After " + response.getHeaderString("Retry-After") + ")";
                    if (wait.compareTo(settings.maxRetryAfter()) > 0) {
                        throw new ProcessorApiException(call + ": rate limited, Retry-After " + wait.toSeconds()
                                + " s is beyond the " + settings.maxRetryAfter().toSeconds() + " s we wait");
                    }
                } else if (status >= 500) {
                    problem = "HTTP " + status + " " + snippet(body);
                    wait = backoff(attempt);
                } else {
                    throw new ProcessorApiException(call + ": HTTP " + status + " " + snippet(body)
                            + " (not retried: the request itself is wrong)");
                }
            } catch (ProcessingException e) {
                problem = (isTimeout(e) ? "timed out: " : "connection failed: ") + rootMessage(e);
                wait = backoff(attempt);
            }
            if (attempt < settings.maxAttempts()) {
                LOG.warnf("%s: %s; attempt %d of %d, retrying in %d ms", call, problem, attempt,
                        settings.maxAttempts(), wait.toMillis());
                try {
                    sleeper.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new ProcessorApiException(call + ": interrupted while waiting to retry", e);
                }
            }
        }
        throw new ProcessorApiException(call + ": " + problem + " (gave up after " + settings.maxAttempts()
                + " attempts)");
    }

    static Page parse(String body, int pageSize) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON at line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject() || !root.path("data").isArray()) {
            throw new IllegalArgumentException("expected an object with a 'data' array, got " + snippet(body));
        }
        List<Map<String, Object>> records = new ArrayList<>();
        for (JsonNode item : root.get("data")) {
            if (!item.isObject()) {
                throw new IllegalArgumentException("'data' holds a " + item.getNodeType().name().toLowerCase()
                        + " where a record object belongs");
            }
            Map<String, Object> record = new LinkedHashMap<>();
            item.fields().forEachRemaining(f -> record.put(f.getKey(), value(f.getValue())));
            records.add(record);
        }
        if (records.size() > pageSize) {
            throw new IllegalArgumentException("a page of " + records.size() + " records where at most " + pageSize
                    + " were asked for");
        }
        JsonNode next = root.path("next_page_token");
        return new Page(records, next.isTextual() && !next.asText().isEmpty() ? Optional.of(next.asText())
                : Optional.empty());
    }

    private static Object value(JsonNode node) {
        if (node.isNull()) {
            return null;
        }
        if (node.isIntegralNumber()) {
            return node.bigIntegerValue().bitLength() < 64 ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        return node.isValueNode() ? node.asText() : node.toString();
    }

    Duration retryAfter(String header, int attempt) {
        if (header == null || header.isBlank()) {
            return backoff(attempt);
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                Duration d = Duration.between(clock.instant(), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (DateTimeParseException notADate) {
                return backoff(attempt);
            }
        }
    }

    /** Full-jitter exponential backoff: a random wait up to base × 2^(attempt-1). */
    Duration backoff(int attempt) {
        long ceiling = settings.backoffBase().toMillis() << Math.min(attempt - 1, 10);
        return Duration.ofMillis(ThreadLocalRandom.current().nextLong(ceiling / 2, ceiling + 1));
    }

    private static boolean isTimeout(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof java.util.concurrent.TimeoutException || t instanceof java.net.SocketTimeoutException
                    || t.getClass().getSimpleName().contains("Timeout")) {
                return true;
            }
        }
        return false;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    private static String snippet(String body) {
        String oneLine = body == null ? "" : body.replaceAll("\\s+", " ").trim();
        return oneLine.isEmpty() ? "(empty body)" : "'" + (oneLine.length() > 120 ? oneLine.substring(0, 120) + "…"
                : oneLine) + "'";
    }
}
