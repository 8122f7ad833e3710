package com.finledger.integrity.operations;

import com.finledger.integrity.intake.EventBridgeSink;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Applies AWS service events to the pipeline jobs and their runs. The event id is the dedupe key (a
 * redelivered event is recorded once and changes nothing); a job's or run's state only moves to an event
 * that is later (event time, then state rank at the same time), so events arriving out of order end in
 * the same state as in order. Each event is kept verbatim in {@code aws_event} with its outcome.
 */
@ApplicationScoped
public class AwsEventIntake implements EventBridgeSink {

    public enum Outcome {
        APPLIED, STALE, DUPLICATE, IGNORED
    }

    private static final Pattern ATTEMPT = Pattern.compile("_attempt_(\\d+)$");

    @Inject
    EntityManager em;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry meters;

    @Override
    public void accept(String body) {
        apply(body);
    }

    @Transactional
    public Outcome apply(String body) {
        AwsEvent event = AwsEvent.parse(body);
        return apply(event);
    }

    @Transactional
    public Outcome apply(AwsEvent event) {
        // the insert is the dedupe: a second delivery of the same id inserts nothing and stops here
        int inserted = em.createNativeQuery("""
                        insert into aws_event (event_id, source, detail_type, event_time, subject, body, received_at, outcome)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING') on conflict (event_id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, event.source()).setParameter(3, event.detailType())
                .setParameter(4, event.time()).setParameter(5, event.changeIfKnown().map(AwsEvent.Change::subject)
                        .orElse(event.source()))
                .setParameter(6, event.body()).setParameter(7, clock.instant()).executeUpdate();
        Outcome outcome;
        if (inserted == 0) {
            outcome = Outcome.DUPLICATE;
        } else {
            outcome = event.changeIfKnown().map(c -> project(event, c)).orElse(Outcome.IGNORED);
            em.createNativeQuery("update aws_event set outcome = ?1 where event_id = ?2")
                    .setParameter(1, outcome.name()).setParameter(2, event.id()).executeUpdate();
        }
        meters.counter("finledger_aws_events", "detail_type", event.detailType(), "outcome", outcome.name())
                .increment();
        return outcome;
    }

    private Outcome project(AwsEvent event, AwsEvent.Change change) {
        if (change.kind() == AwsEvent.JobKind.S3_OBJECT) {
            // objects are taken by the intake's file ledgers; the event is kept, no job state to move
            return Outcome.APPLIED;
        }
        Instant now = clock.instant();
        int rank = rank(change);
        // create-if-absent, then lock the row: concurrent consumers serialise per job and never lose a newer state
        em.createNativeQuery("""
                        insert into pipeline_job (kind, name, state, state_at, state_rank, last_event_id, updated_at)
                        values (?1, ?2, 'UNKNOWN', ?3, -1, '', ?4) on conflict (kind, name) do nothing""")
                .setParameter(1, change.kind().name()).setParameter(2, change.jobName()).setParameter(3, Instant.EPOCH)
                .setParameter(4, now).executeUpdate();
        PipelineJob job = PipelineJob.<PipelineJob>find("kind = ?1 and name = ?2", change.kind(), change.jobName())
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult();
        boolean moved = false;
        if (newer(event.time(), rank, job.stateAt, job.stateRank)) {
            job.state = change.state();
            job.stateAt = event.time();
            job.stateRank = rank;
            job.lastEventId = event.id();
            job.lastRunId = change.runId();
            job.message = change.message();
            job.updatedAt = now;
            moved = true;
        }
        if (change.runId() != null) {
            PipelineJobRun run = PipelineJobRun.find(job.id, change.runId()).orElse(null);
            if (run == null) {
                run = new PipelineJobRun();
                run.jobId = job.id;
                run.runId = change.runId();
                Matcher m = ATTEMPT.matcher(change.runId());
                run.attempt = m.find() ? Integer.parseInt(m.group(1)) : 0;
                run.stateAt = Instant.EPOCH;
                run.stateRank = -1;
            }
            if (run.startedAt == null || event.time().isBefore(run.startedAt)) {
                run.startedAt = event.time();
            }
            if (newer(event.time(), rank, run.stateAt, run.stateRank)) {
                run.state = change.state();
                run.stateAt = event.time();
                run.stateRank = rank;
                run.lastEventId = event.id();
                run.message = change.message();
                run.endedAt = change.terminal() ? event.time() : null;
                if (change.recordsProcessed() != null) {
                    run.recordsProcessed = change.recordsProcessed();
                }
                moved = true;
            }
            if (run.id == null) {
                run.persist();
            }
        }
        return moved ? Outcome.APPLIED : Outcome.STALE;
    }

    private static boolean newer(Instant at, int rank, Instant currentAt, int currentRank) {
        int c = at.compareTo(currentAt);
        return c > 0 || (c == 0 && rank > currentRank);
    }

    /** At the same event time, a later lifecycle step wins: created/starting < running < stopping < ended. */
    static int rank(AwsEvent.Change change) {
        if (change.terminal()) {
            return change.failed() ? 5 : 4;
        }
        return switch (change.state()) {
            case "CREATED", "STARTING" -> 1;
            case "RUNNING" -> 2;
            case "STOPPING" -> 3;
            default -> 0;
        };
    }
}
