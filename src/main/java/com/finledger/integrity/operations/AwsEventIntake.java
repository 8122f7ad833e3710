package com.finledger.integrity.operations;

import com.finledger.integrity.intake.EventBridgeSink;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
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

    /** This bean through its proxy, so that {@link #applyAll} and {@link #apply(AwsEvent)} run in their transactions. */
    @Inject
    AwsEventIntake self;

    @Override
    public void accept(String body) {
        apply(body);
    }

    /**
     * A receive batch: each event read from the tree the intake already parsed, then all of them recorded and
     * applied in one transaction ({@link #applyAll}). Should that transaction fail (say, a deadlock with another
     * consumer), each event is applied in a transaction of its own, so one that keeps failing holds back only
     * its own message.
     */
    @Override
    public List<RuntimeException> acceptAll(List<Delivery> deliveries) {
        List<RuntimeException> outcomes = new ArrayList<>(deliveries.size());
        List<AwsEvent> parsed = new ArrayList<>(deliveries.size());
        for (Delivery d : deliveries) {
            try {
                parsed.add(AwsEvent.parse(d.root(), d.body()));
                outcomes.add(null);
            } catch (IllegalArgumentException e) {
                parsed.add(null);
                outcomes.add(e);
            }
        }
        List<AwsEvent> valid = parsed.stream().filter(java.util.Objects::nonNull).toList();
        if (valid.isEmpty()) {
            return outcomes;
        }
        try {
            self.applyAll(valid);
        } catch (RuntimeException batchFailed) {
            for (int i = 0; i < parsed.size(); i++) {
                if (parsed.get(i) != null) {
                    try {
                        self.apply(parsed.get(i));
                    } catch (RuntimeException e) {
                        outcomes.set(i, e);
                    }
                }
            }
        }
        return outcomes;
    }

    /**
     * Records and applies events in one transaction: first every event's dedupe insert (in event id order), then
     * the job changes in (kind, job) order, so that two consumers' batches take their locks in the same order
     * and never deadlock. The outcome of each is what {@link #apply(AwsEvent)} would give: the state logic does
     * not depend on the order events are applied in.
     */
    @Transactional
    public List<Outcome> applyAll(List<AwsEvent> events) {
        List<AwsEvent> byId = new ArrayList<>(events);
        byId.sort(Comparator.comparing(AwsEvent::id));
        Map<AwsEvent, Boolean> fresh = new IdentityHashMap<>();
        for (AwsEvent event : byId) {
            fresh.put(event, record(event) > 0);
        }
        List<AwsEvent> byJob = new ArrayList<>(events);
        byJob.sort(Comparator.comparing((AwsEvent e) -> e.changeIfKnown().map(c -> c.kind().name() + "|" + c.jobName())
                .orElse("")));
        Map<AwsEvent, Outcome> outcomes = new IdentityHashMap<>();
        for (AwsEvent event : byJob) {
            outcomes.put(event, fresh.get(event) ? decide(event) : Outcome.DUPLICATE);
            count(event, outcomes.get(event));
        }
        return events.stream().map(outcomes::get).toList();
    }

    @Transactional
    public Outcome apply(String body) {
        AwsEvent event = AwsEvent.parse(body);
        return apply(event);
    }

    @Transactional
    public Outcome apply(AwsEvent event) {
        // the insert is the dedupe: a second delivery of the same id inserts nothing and stops here
        Outcome outcome = record(event) == 0 ? Outcome.DUPLICATE : decide(event);
        count(event, outcome);
        return outcome;
    }

    private int record(AwsEvent event) {
        return em.createNativeQuery("""
                        insert into aws_event (event_id, source, detail_type, event_time, subject, body, received_at, outcome)
                        values (?1, ?2, ?3, ?4, ?5, ?6, ?7, 'PENDING') on conflict (event_id) do nothing""")
                .setParameter(1, event.id()).setParameter(2, event.source()).setParameter(3, event.detailType())
                .setParameter(4, event.time()).setParameter(5, event.changeIfKnown().map(AwsEvent.Change::subject)
                        .orElse(event.source()))
                .setParameter(6, event.body()).setParameter(7, clock.instant()).executeUpdate();
    }

    /** Applies a newly recorded event to its job and run and records the outcome on the event. */
    private Outcome decide(AwsEvent event) {
        Outcome outcome = event.changeIfKnown().map(c -> project(event, c)).orElse(Outcome.IGNORED);
        em.createNativeQuery("update aws_event set outcome = ?1 where event_id = ?2")
                .setParameter(1, outcome.name()).setParameter(2, event.id()).executeUpdate();
        return outcome;
    }

    private void count(AwsEvent event, Outcome outcome) {
        meters.counter("finledger_aws_events", "detail_type", event.detailType(), "outcome", outcome.name())
                .increment();
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
