package com.finledger.integrity.operations;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * An EventBridge event as AWS delivers it to an SQS target: the envelope ({@code id}, {@code source},
 * {@code detail-type}, {@code time}, {@code resources}) and the service's {@code detail}, read into the
 * job state change it announces. Supported: DMS Replication Task State Change, Glue Job State Change,
 * AppFlow End Flow Run Report (and Start), S3 Object Created.
 */
public record AwsEvent(String id, String source, String detailType, Instant time, String body, Change change) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public enum JobKind {
        DMS_TASK, GLUE_JOB, APPFLOW_FLOW, S3_OBJECT
    }

    /**
     * What the event says: job {@code jobName} of {@code kind} (run {@code runId}, if the service has runs)
     * is in {@code state}. {@code failed} marks terminal failures.
     */
    public record Change(JobKind kind, String jobName, String runId, String state, boolean failed, boolean terminal,
                         Long recordsProcessed, String message) {

        public String subject() {
            return kind + ":" + jobName + (runId == null ? "" : "#" + runId);
        }
    }

    /** True if the body looks like an EventBridge envelope (rather than, say, an S3 notification). */
    public static boolean isEventBridge(JsonNode root) {
        return root != null && root.isObject() && root.has("detail-type") && root.has("source") && root.has("id");
    }

    public static AwsEvent parse(String body) {
        JsonNode root;
        try {
            root = JSON.readTree(body);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage());
        }
        return parse(root, body);
    }

    public static AwsEvent parse(JsonNode root, String body) {
        if (!isEventBridge(root)) {
            throw new IllegalArgumentException("not an EventBridge event: needs 'id', 'source' and 'detail-type'");
        }
        String id = required(root, "id");
        String source = required(root, "source");
        String detailType = required(root, "detail-type");
        Instant time;
        try {
            time = Instant.parse(required(root, "time"));
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("$.time: '" + root.path("time").asText() + "' is not an ISO-8601 time");
        }
        JsonNode detail = root.path("detail");
        if (!detail.isObject()) {
            throw new IllegalArgumentException("$.detail: expected an object");
        }
        Change change = switch (source + "|" + detailType) {
            case "aws.dms|DMS Replication Task State Change" -> dms(root, detail);
            case "aws.glue|Glue Job State Change" -> glue(detail);
            case "aws.appflow|AppFlow End Flow Run Report", "aws.appflow|AppFlow Start Flow Run Report" ->
                    appFlow(detail, detailType.contains("End"));
            case "aws.s3|Object Created" -> s3(detail);
            default -> null;
        };
        return new AwsEvent(id, source, detailType, time, body, change);
    }

    public Optional<Change> changeIfKnown() {
        return Optional.ofNullable(change);
    }

    private static Change dms(JsonNode root, JsonNode detail) {
        String eventType = requiredDetail(detail, "eventType");
        String task = root.path("resources").path(0).asText(null);
        if (task == null || task.isBlank()) {
            task = requiredDetail(detail, "resourceLink");
        }
        String state = switch (eventType) {
            case "REPLICATION_TASK_STARTED" -> "RUNNING";
            case "REPLICATION_TASK_STOPPED" -> "STOPPED";
            case "REPLICATION_TASK_FAILED" -> "FAILED";
            case "REPLICATION_TASK_CREATED" -> "CREATED";
            case "REPLICATION_TASK_DELETED" -> "DELETED";
            default -> eventType.replaceFirst("^REPLICATION_TASK_", "");
        };
        boolean failed = state.equals("FAILED");
        return new Change(JobKind.DMS_TASK, task, null, state, failed, !state.equals("RUNNING"), null,
                detail.path("detailMessage").asText(null));
    }

    private static Change glue(JsonNode detail) {
        String state = requiredDetail(detail, "state");
        boolean failed = state.equals("FAILED") || state.equals("TIMEOUT") || state.equals("ERROR");
        boolean terminal = failed || state.equals("SUCCEEDED") || state.equals("STOPPED");
        return new Change(JobKind.GLUE_JOB, requiredDetail(detail, "jobName"), requiredDetail(detail, "jobRunId"),
                state, failed, terminal, null, detail.path("message").asText(null));
    }

    private static Change appFlow(JsonNode detail, boolean end) {
        String status = end ? requiredDetail(detail, "status") : "Execution Started";
        String state = switch (status) {
            case "Execution Successful" -> "SUCCEEDED";
            case "Execution Failed" -> "FAILED";
            case "Execution Started" -> "RUNNING";
            default -> status.toUpperCase().replace(' ', '_');
        };
        Long records = detail.hasNonNull("num-of-records-processed")
                ? Long.valueOf(detail.get("num-of-records-processed").asText()) : null;
        return new Change(JobKind.APPFLOW_FLOW, requiredDetail(detail, "flow-name"), requiredDetail(detail,
                "execution-id"), state, state.equals("FAILED"), end, records, detail.path("error-message").asText(null));
    }

    private static Change s3(JsonNode detail) {
        String bucket = detail.path("bucket").path("name").asText(null);
        String key = detail.path("object").path("key").asText(null);
        if (bucket == null || key == null) {
            throw new IllegalArgumentException("$.detail: missing bucket.name or object.key");
        }
        return new Change(JobKind.S3_OBJECT, bucket, key, "CREATED", false, true,
                null, detail.path("reason").asText(null));
    }

    private static String required(JsonNode root, String field) {
        String value = root.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("$." + field + ": missing");
        }
        return value;
    }

    private static String requiredDetail(JsonNode detail, String field) {
        String value = detail.path(field).asText(null);
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("$.detail." + field + ": missing");
        }
        return value;
    }
}
