package com.finledger.integrity.operations;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.intake.EventBridgeSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;
import org.jboss.logging.Logger;

/**
 * The local stand-in for EventBridge: the local pipeline (LocalDms, the API extractor, dbt standing in for
 * the Glue job) announces what it did with the same event shapes AWS sends, delivered to the same intake
 * the SQS consumer feeds. Event ids are derived from what they say, so announcing twice changes nothing.
 */
@ApplicationScoped
public class LocalAwsEvents {

    private static final Logger LOG = Logger.getLogger(LocalAwsEvents.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ACCOUNT = "000000000000";
    private static final String REGION = "eu-west-1";

    @Inject
    EventBridgeSink sink;

    public void dmsTask(String task, String eventType, Instant at) {
        dmsTask(task, eventType, "local pipeline: " + eventType, at);
    }

    /** A DMS replication task state change with DMS's own detail message (e.g. the failure's "Last Error ..."). */
    public void dmsTask(String task, String eventType, String message, Instant at) {
        ObjectNode e = envelope("aws.dms", "DMS Replication Task State Change", at, task + eventType + at);
        String arn = "arn:aws:dms:" + REGION + ":" + ACCOUNT + ":task:" + task;
        e.putArray("resources").add(arn);
        ObjectNode d = e.putObject("detail");
        d.put("type", "REPLICATION_TASK").put("category", "StateChange").put("eventType", eventType)
                .put("eventId", "DMS-EVENT-LOCAL").put("resourceLink", arn)
                .put("detailMessage", message);
        deliver(e);
    }

    public void glueJob(String job, String runId, String state, String message, Instant at) {
        ObjectNode e = envelope("aws.glue", "Glue Job State Change", at, job + runId + state);
        e.putArray("resources");
        e.putObject("detail").put("jobName", job).put("severity", state.equals("SUCCEEDED") ? "INFO" : "ERROR")
                .put("state", state).put("jobRunId", runId).put("message", message);
        deliver(e);
    }

    public void appFlowRun(String flow, String executionId, boolean succeeded, long records, Instant started,
                           Instant ended) {
        ObjectNode e = envelope("aws.appflow", "AppFlow End Flow Run Report", ended, flow + executionId);
        String arn = "arn:aws:appflow:" + REGION + ":" + ACCOUNT + ":flow/" + flow;
        e.putArray("resources").add(arn);
        e.putObject("detail").put("flow-name", flow).put("created-by", "local").put("flow-arn", arn)
                .put("source", "CUSTOMCONNECTOR/" + flow).put("destination", "S3").put("source-object", flow)
                .put("destination-object", "landing/" + flow).put("trigger-type", "SCHEDULED")
                .put("num-of-records-processed", Long.toString(records)).put("execution-id", executionId)
                .put("num-of-records-filtered", "0").put("start-time", started.toString())
                .put("end-time", ended.toString()).put("data-processed", "0")
                .put("status", succeeded ? "Execution Successful" : "Execution Failed");
        deliver(e);
    }

    private static ObjectNode envelope(String source, String detailType, Instant at, String identity) {
        ObjectNode e = JSON.createObjectNode();
        e.put("version", "0")
                .put("id", UUID.nameUUIDFromBytes((source + detailType + identity).getBytes(StandardCharsets.UTF_8))
                        .toString())
                .put("detail-type", detailType).put("source", source).put("account", ACCOUNT)
                .put("time", at.truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString()).put("region", REGION);
        return e;
    }

    private void deliver(ObjectNode event) {
        try {
            sink.accept(event.toString());
        } catch (RuntimeException e) {
            // the announcement never fails the pipeline; the job state is merely not updated
            LOG.warnf("local AWS event %s not applied: %s", event.path("detail-type").asText(), e.getMessage());
        }
    }
}
