package com.finledger.integrity.recovery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.finledger.integrity.audit.AuditLog;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.TreeMap;
import javax.sql.DataSource;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * Recovery jobs: a confirmed action becomes a persisted job running its planned steps on the
 * {@link ResumableJobRunner}. A request carries an idempotency key: the same key answers with the same job,
 * and while a job of the same target waits or runs, asking again answers with that job, so repeating an
 * action never runs it twice at once. Requested, resumed, succeeded and failed are in the audit log.
 */
@ApplicationScoped
public class RecoveryJobs implements ResumableJobRunner.Jobs {

    private static final Logger LOG = Logger.getLogger(RecoveryJobs.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String SUBJECT = "recovery_job";

    @Inject
    RecoveryPlanner planner;

    @Inject
    RecoverySteps steps;

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @ConfigProperty(name = "finledger.recovery.resume-on-start", defaultValue = "true")
    boolean resumeOnStart;

    private volatile ResumableJobRunner runner = new ResumableJobRunner(this, "recovery-job");

    /** A submitted request: its job, and whether this request created it. */
    public record Submitted(RecoveryJob job, boolean created) {
    }

    void onStart(@Observes StartupEvent e) {
        if (resumeOnStart) {
            resumeInterrupted();
        }
    }

    void onStop(@Observes ShutdownEvent e) {
        runner.stop(java.time.Duration.ofSeconds(10));
    }

    /** Jobs a restart interrupted (QUEUED or RUNNING), each from its next step. Returns their ids. */
    public List<Long> resumeInterrupted() {
        List<Long> ids = QuarkusTransaction.requiringNew().call(() -> RecoveryJob.unfinished().stream().map(j -> j.id).toList());
        ids.forEach(id -> {
            LOG.infof("resuming recovery job %d", id);
            runner.submit(id);
        });
        return ids;
    }

    public RecoveryPlan preview(RecoveryAction action, Map<String, String> params) {
        return planner.plan(action, params);
    }

    public Submitted submit(RecoveryAction action, Map<String, String> params, String idempotencyKey, String reason,
                            String actor) {
        if (idempotencyKey == null || idempotencyKey.isBlank()) {
            throw new IllegalArgumentException("idempotency_key: required (any unique text; sending it again returns the same job)");
        }
        if (idempotencyKey.length() > 200) {
            throw new IllegalArgumentException("idempotency_key: at most 200 characters");
        }
        RecoveryPlan plan = planner.plan(action, params);
        String paramsJson = json(new TreeMap<>(plan.params()));
        Submitted submitted;
        try {
            submitted = QuarkusTransaction.requiringNew().call(() -> create(action, plan, paramsJson, idempotencyKey, reason, actor));
        } catch (RuntimeException e) {
            // a concurrent request with the same key or target won the unique index: answer with its job
            submitted = QuarkusTransaction.requiringNew().call(() -> existing(action, plan, paramsJson, idempotencyKey))
                    .map(j -> new Submitted(j, false)).orElseThrow(() -> e);
        }
        if (submitted.created()) {
            runner.submit(submitted.job().id);
        }
        return submitted;
    }

    private Submitted create(RecoveryAction action, RecoveryPlan plan, String paramsJson, String key, String reason,
                             String actor) {
        Optional<RecoveryJob> existing = existing(action, plan, paramsJson, key);
        if (existing.isPresent()) {
            return new Submitted(existing.get(), false);
        }
        RecoveryJob job = new RecoveryJob();
        job.action = action.slug();
        job.targetKey = plan.targetKey();
        job.params = paramsJson;
        job.idempotencyKey = key;
        job.reason = reason == null || reason.isBlank() ? null : reason.strip();
        job.requestedBy = actor;
        job.requestedAt = clock.instant();
        job.state = RecoveryJob.State.QUEUED;
        job.steps = json(plan.steps());
        job.stepsTotal = plan.steps().size();
        job.stepLabel = plan.steps().isEmpty() ? "done" : plan.steps().get(0).label();
        job.result = "{\"steps\": []}";
        job.persistAndFlush();
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("action", action.slug());
        details.put("target", plan.targetKey());
        details.put("params", plan.params());
        details.put("idempotency_key", key);
        details.put("steps", plan.steps().stream().map(RecoveryPlan.Step::label).toList());
        audit(actor, "recovery.requested", job.id, job.reason, details);
        return new Submitted(job, true);
    }

    private Optional<RecoveryJob> existing(RecoveryAction action, RecoveryPlan plan, String paramsJson, String key) {
        Optional<RecoveryJob> byKey = RecoveryJob.byIdempotencyKey(key);
        if (byKey.isPresent()) {
            RecoveryJob j = byKey.get();
            if (!j.action.equals(action.slug()) || !read(j.params).equals(read(paramsJson))) {
                throw new IllegalStateException("idempotency_key '" + key + "' was used for another request (job " + j.id
                        + ": " + j.action + " " + j.params + ")");
            }
            return byKey;
        }
        return RecoveryJob.activeFor(plan.targetKey());
    }

    public RecoveryJob find(long id) {
        return QuarkusTransaction.requiringNew().call(() -> Optional.<RecoveryJob>ofNullable(RecoveryJob.findById(id))
                .orElseThrow(() -> new NoSuchElementException("no recovery job " + id)));
    }

    public List<RecoveryJob> newest(int limit) {
        return QuarkusTransaction.requiringNew().call(() -> RecoveryJob.newest(limit));
    }

    // ---- the runner's side ----

    @Override
    public ResumableJobRunner.Claimed claim(long id) {
        return QuarkusTransaction.requiringNew().call(() -> {
            RecoveryJob j = RecoveryJob.findById(id);
            if (j == null || j.state.finished()) {
                return null;
            }
            boolean resumed = j.attempts > 0;
            j.state = RecoveryJob.State.RUNNING;
            j.attempts++;
            if (j.startedAt == null) {
                j.startedAt = clock.instant();
            }
            j.heartbeatAt = clock.instant();
            if (resumed) {
                audit("system:recovery", "recovery.resumed", id, null, Map.of("attempt", j.attempts, "steps_done", j.stepsDone));
            }
            List<RecoveryPlan.Step> planned = readSteps(j.steps);
            ArrayNode results = (ArrayNode) read(j.result).path("steps");
            return new ResumableJobRunner.Claimed(j.id, j.requestedBy, j.reason, planned, j.stepsDone,
                    results == null ? JSON.createArrayNode() : results.deepCopy());
        });
    }

    @Override
    public ObjectNode runStep(ResumableJobRunner.Claimed job, int index) {
        long started = System.nanoTime();
        ObjectNode result = steps.execute(new RecoverySteps.JobContext(job.id(), job.actor(), job.reason()),
                job.steps().get(index), job.results());
        result.put("label", job.steps().get(index).label());
        result.put("millis", (System.nanoTime() - started) / 1_000_000);
        return result;
    }

    @Override
    public void stepDone(ResumableJobRunner.Claimed job, int index, ObjectNode result) {
        int done = index + 1;
        QuarkusTransaction.requiringNew().run(() -> {
            RecoveryJob j = RecoveryJob.findById(job.id());
            j.stepsDone = done;
            j.stepLabel = done < j.stepsTotal ? job.steps().get(done).label() : "done";
            j.heartbeatAt = clock.instant();
            ObjectNode all = JSON.createObjectNode();
            all.set("steps", job.results());
            j.result = all.toString();
            if (done == j.stepsTotal) {
                j.state = RecoveryJob.State.SUCCEEDED;
                j.finishedAt = clock.instant();
                audit(j.requestedBy, "recovery.succeeded", j.id, null, Map.of("action", j.action, "target", j.targetKey,
                        "steps", j.stepsTotal, "attempts", j.attempts));
            }
        });
    }

    @Override
    public void failed(long id, RuntimeException e) {
        QuarkusTransaction.requiringNew().run(() -> {
            RecoveryJob j = RecoveryJob.findById(id);
            j.state = RecoveryJob.State.FAILED;
            j.error = e.getMessage() == null ? e.toString() : e.getMessage();
            j.finishedAt = clock.instant();
            audit("system:recovery", "recovery.failed", id, j.error, Map.of("action", j.action, "target", j.targetKey,
                    "steps_done", j.stepsDone, "failed_step", j.stepLabel));
        });
    }

    // ---- tests: a runner stopped mid-way, and a new one over the same database ----

    void stopAfterStepsForTests(int steps) {
        runner.stopAfterSteps(steps);
    }

    /** Stops the current runner as a crash would and starts a new one (which resumes nothing until asked). */
    void replaceRunnerForTests() {
        ResumableJobRunner old = runner;
        runner = new ResumableJobRunner(this, "recovery-job");
        old.stop(java.time.Duration.ofMinutes(5));
    }

    private void audit(String actor, String action, long jobId, String reason, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, action, SUBJECT, Long.toString(jobId), reason, details);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }

    static List<RecoveryPlan.Step> readSteps(String json) {
        try {
            return JSON.readValue(json, new TypeReference<List<RecoveryPlan.Step>>() { });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("unreadable steps of a recovery job: " + e.getMessage(), e);
        }
    }

    static JsonNode read(String json) {
        try {
            return JSON.readTree(json == null ? "{}" : json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
