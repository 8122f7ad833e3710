package com.finledger.integrity.recovery;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.intake.PartnerFileIntake;
import com.finledger.integrity.pipeline.ApiExtractor;
import com.finledger.integrity.pipeline.DbtRunner;
import com.finledger.integrity.pipeline.LocalPipelineRunner;
import com.finledger.integrity.platform.Jdbc;
import com.finledger.integrity.readiness.PartitionEvaluator;
import com.finledger.integrity.recovery.RecoveryPlan.Step;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Runs one step of a recovery job. Every step is idempotent — run again after a crash, it lands, loads and
 * builds nothing twice (landing keyed by object version, RAW by object version and line, the models MERGE on
 * their grain, an evaluation that finds the same changes nothing) — and answers what it did as JSON.
 */
@ApplicationScoped
public class RecoverySteps {

    private static final ObjectMapper JSON = new ObjectMapper();

    @Inject
    LocalPipelineRunner pipeline;

    @Inject
    PartitionEvaluator evaluator;

    @Inject
    RecoveryPlanner planner;

    @Inject
    PartnerFileIntake partnerFiles;

    @Inject
    DmsTasks dmsTasks;

    @Inject
    GlueJobs glueJobs;

    @Inject
    DataSource dataSource;

    @ConfigProperty(name = "finledger.recovery.glue.poll-every", defaultValue = "PT5S")
    Duration gluePollEvery;

    @ConfigProperty(name = "finledger.recovery.glue.timeout", defaultValue = "PT2H")
    Duration glueTimeout;

    /** The job a step belongs to, as the runner read it. */
    public record JobContext(long id, String actor, String reason) {
    }

    public ObjectNode execute(JobContext job, Step step, ArrayNode done) {
        Map<String, String> a = step.args();
        ObjectNode out = JSON.createObjectNode();
        out.put("kind", step.kind());
        switch (step.kind()) {
            case "DMS_START" -> out.put("status", dmsTasks.start(a.get("task"), DmsTasks.StartType.of(a.get("start_type"))));
            case "RUN_PIPELINE" -> {
                LocalPipelineRunner.PipelineRun run = pipeline.run(job.actor());
                out.put("pipeline_run_id", run.id());
                out.put("objects_landed", run.objectsLanded());
                out.put("rows_loaded", run.rowsLoadedRaw());
                out.put("rows_changed", run.rowsChanged());
            }
            case "GLUE_START" -> out.put("run_id", glueJobs.startJobRun(a.get("job"), Map.of("--dataset", a.get("dataset"),
                    "--business_date", a.get("date"))));
            case "GLUE_AWAIT" -> out.put("state", awaitGlue(a.get("job"), lastOf(done, "GLUE_START").path("run_id").asText()));
            case "LAND" -> out.put("objects_landed", pipeline.landDate(LocalDate.parse(a.get("date")), job.actor()));
            case "LOAD_RAW" -> out.put("rows_loaded", pipeline.loadRaw());
            case "BUILD_MODELS" -> buildModels(job, a, done, out);
            case "EVALUATE" -> evaluate(job, a, out);
            case "REPLAY_FILE" -> replay(job, Long.parseLong(a.get("file_id")), out);
            case "PULL_WINDOW" -> {
                ApiExtractor.Backfill b = pipeline.backfill(a.get("source"), Instant.parse(a.get("from")),
                        Instant.parse(a.get("to")), job.actor(), job.reason() == null ? "recovery job " + job.id() : job.reason());
                if (!b.succeeded()) {
                    throw new IllegalStateException("the pull of " + a.get("source") + " [" + a.get("from") + ", " + a.get("to")
                            + ") failed; its pull window holds the error");
                }
                out.put("objects_landed", b.objectsLanded());
            }
            default -> throw new IllegalStateException("no step kind " + step.kind());
        }
        return out;
    }

    /** A backfill builds once per job unless something new landed or loaded since its last build. */
    private void buildModels(JobContext job, Map<String, String> a, ArrayNode done, ObjectNode out) {
        if (Boolean.parseBoolean(a.getOrDefault("skip_if_unchanged", "false"))) {
            boolean built = false;
            boolean changed = false;
            for (JsonNode r : done) {
                if (r.path("kind").asText().equals("BUILD_MODELS") && !r.path("skipped").asBoolean()) {
                    built = true;
                    changed = false;
                } else if (r.path("objects_landed").asLong() > 0 || r.path("rows_loaded").asLong() > 0) {
                    changed = true;
                }
            }
            if (built && !changed) {
                out.put("skipped", true);
                return;
            }
        }
        String select = a.getOrDefault("select", "");
        List<String> nodes = select.isBlank() ? List.of() : Arrays.stream(select.split("[,\\s]+")).filter(s -> !s.isBlank()).toList();
        DbtRunner.Invocation inv = pipeline.buildModels(nodes, job.actor());
        out.put("invocation_id", inv.invocationId());
        out.put("models", inv.nodes().stream().filter(DbtRunner.NodeResult::isModel).count());
        out.put("rows_changed", inv.rowsChanged());
    }

    private void evaluate(JobContext job, Map<String, String> a, ObjectNode out) {
        LocalDate date = LocalDate.parse(a.get("date"));
        String names = a.getOrDefault("datasets", "");
        List<String> datasets = names.isBlank() ? planner.datasetsOfDate(date) : List.of(names.split(","));
        ObjectNode states = out.putObject("partitions");
        List<String> failed = new ArrayList<>();
        for (String dataset : datasets) {
            try {
                states.put(dataset, evaluator.evaluate(dataset, date, job.actor()).readiness().state().name());
            } catch (RuntimeException e) {
                states.put(dataset, "ERROR");
                failed.add(e.getMessage());
            }
        }
        if (!failed.isEmpty()) {
            throw new IllegalStateException(failed.size() + " evaluation(s) of " + date + " could not finish: "
                    + String.join("; ", failed));
        }
    }

    /** A file already replayed (by an earlier attempt of this step, or by hand) is not replayed again. */
    private void replay(JobContext job, long id, ObjectNode out) {
        List<Long> earlier = Jdbc.query(dataSource, "select id from partner_file where replay_of = ? order by id",
                List.of(id), rs -> rs.getLong(1));
        if (!earlier.isEmpty()) {
            out.put("replayed_as", earlier.get(earlier.size() - 1));
            out.put("already_replayed", true);
            return;
        }
        PartnerFileIntake.PartnerFile replayed = partnerFiles.replay(id, job.actor(),
                job.reason() == null ? "recovery job " + job.id() : job.reason());
        out.put("replayed_as", replayed.id());
        out.put("state", replayed.state());
    }

    private String awaitGlue(String jobName, String runId) {
        long deadline = System.nanoTime() + glueTimeout.toNanos();
        while (true) {
            String state = glueJobs.runState(jobName, runId);
            if (GlueJobs.finished(state)) {
                if (!state.equals("SUCCEEDED")) {
                    throw new IllegalStateException("Glue job " + jobName + " run " + runId + " ended " + state);
                }
                return state;
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Glue job " + jobName + " run " + runId + " still " + state + " after " + glueTimeout);
            }
            try {
                Thread.sleep(gluePollEvery.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for Glue run " + runId);
            }
        }
    }

    private static JsonNode lastOf(ArrayNode done, String kind) {
        JsonNode last = JSON.createObjectNode();
        for (JsonNode r : done) {
            if (r.path("kind").asText().equals(kind)) {
                last = r;
            }
        }
        return last;
    }
}
