package com.finledger.integrity.intake;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the body of an S3 event notification as SQS delivers it ({@code Records[]} with {@code
 * eventName}, {@code eventTime} and {@code s3.bucket.name}, {@code s3.object.key} (URL-encoded),
 * {@code versionId}, {@code size}, {@code eTag}). {@code ObjectCreated:*} records become object
 * references; S3's test event and other event kinds give none. Anything else is refused with the reason.
 */
public final class S3EventNotifications {

    private static final ObjectMapper JSON = new ObjectMapper();

    private S3EventNotifications() {
    }

    public static List<PartnerFileIntake.ObjectRef> parse(String body) {
        return parse(read(body));
    }

    /** The body's JSON tree, or the reason it is not JSON. */
    public static JsonNode read(String body) {
        try {
            return JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
    }

    /** The object references of a notification already read into its JSON tree. */
    public static List<PartnerFileIntake.ObjectRef> parse(JsonNode root) {
        if (root == null || !root.isObject()) {
            throw new IllegalArgumentException("not an S3 event notification: expected a JSON object");
        }
        if ("s3:TestEvent".equals(root.path("Event").asText(null))) {
            return List.of();
        }
        if (root.has("detail-type") && root.has("source")) {
            return fromEventBridge(root);
        }
        JsonNode records = root.get("Records");
        if (records == null || !records.isArray()) {
            throw new IllegalArgumentException("not an S3 event notification: no 'Records' array");
        }
        List<PartnerFileIntake.ObjectRef> refs = new ArrayList<>();
        for (int i = 0; i < records.size(); i++) {
            JsonNode r = records.get(i);
            String event = r.path("eventName").asText("");
            if (!event.startsWith("ObjectCreated:")) {
                continue;
            }
            JsonNode s3 = r.path("s3");
            String bucket = s3.path("bucket").path("name").asText(null);
            String key = s3.path("object").path("key").asText(null);
            if (bucket == null || key == null) {
                throw new IllegalArgumentException("Records[" + i + "]: missing s3.bucket.name or s3.object.key");
            }
            Instant at;
            try {
                at = Instant.parse(r.path("eventTime").asText(""));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException("Records[" + i + "]: eventTime '" + r.path("eventTime").asText("")
                        + "' is not an ISO-8601 time");
            }
            String version = s3.path("object").path("versionId").asText("null");
            refs.add(new PartnerFileIntake.ObjectRef(bucket, URLDecoder.decode(key, StandardCharsets.UTF_8),
                    version.isEmpty() ? "null" : version, s3.path("object").path("size").asLong(0),
                    s3.path("object").path("eTag").asText(null), at));
        }
        return refs;
    }

    /** True if the body is an EventBridge envelope (S3 Object Created or another service's event). */
    public static boolean isEventBridge(String body) {
        try {
            return isEventBridge(JSON.readTree(body));
        } catch (JsonProcessingException e) {
            return false;
        }
    }

    /** True if the tree is an EventBridge envelope. */
    public static boolean isEventBridge(JsonNode root) {
        return root != null && root.isObject() && root.has("detail-type") && root.has("source");
    }

    /**
     * S3's own EventBridge shape ({@code detail-type} "Object Created": {@code detail.bucket.name},
     * {@code detail.object.key} (not URL-encoded), {@code version-id}, {@code size}, {@code etag}); other
     * services' events announce no object.
     */
    private static List<PartnerFileIntake.ObjectRef> fromEventBridge(JsonNode root) {
        if (!"aws.s3".equals(root.path("source").asText()) || !"Object Created".equals(root.path("detail-type").asText())) {
            return List.of();
        }
        JsonNode detail = root.path("detail");
        String bucket = detail.path("bucket").path("name").asText(null);
        String key = detail.path("object").path("key").asText(null);
        if (bucket == null || key == null) {
            throw new IllegalArgumentException("$.detail: missing bucket.name or object.key");
        }
        Instant at;
        try {
            at = Instant.parse(root.path("time").asText(""));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("$.time: '" + root.path("time").asText("") + "' is not an ISO-8601 time");
        }
        String version = detail.path("object").path("version-id").asText("null");
        return List.of(new PartnerFileIntake.ObjectRef(bucket, key, version.isEmpty() ? "null" : version,
                detail.path("object").path("size").asLong(0), detail.path("object").path("etag").asText(null), at));
    }
}
