package com.finledger.integrity.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;

/** Builds events from the AWS-shaped samples under src/test/resources/aws-events/ with new ids, times, names. */
public final class AwsEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AwsEvents() {
    }

    public static ObjectNode sample(String name) {
        try (InputStream in = AwsEvents.class.getResourceAsStream("/aws-events/" + name + ".json")) {
            return (ObjectNode) JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static String glue(String id, Instant time, String job, String runId, String state) {
        ObjectNode e = sample(state.equals("SUCCEEDED") ? "glue-job-succeeded" : "glue-job-failed");
        e.put("id", id).put("time", time.toString());
        ((ObjectNode) e.get("detail")).put("jobName", job).put("jobRunId", runId).put("state", state);
        return e.toString();
    }

    public static String dms(String id, Instant time, String taskArn, String eventType) {
        ObjectNode e = sample("dms-task-started");
        e.put("id", id).put("time", time.toString());
        e.putArray("resources").add(taskArn);
        ((ObjectNode) e.get("detail")).put("eventType", eventType);
        return e.toString();
    }

    public static String appFlow(String id, Instant time, String flow, String executionId, String status) {
        ObjectNode e = sample("appflow-end-flow-run");
        e.put("id", id).put("time", time.toString());
        ((ObjectNode) e.get("detail")).put("flow-name", flow).put("execution-id", executionId).put("status", status);
        return e.toString();
    }
}
