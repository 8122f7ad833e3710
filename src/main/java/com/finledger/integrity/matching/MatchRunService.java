package com.finledger.integrity.matching;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.breaks.BreakService;
import com.finledger.integrity.warehouse.Warehouse;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.jboss.logging.Logger;

/**
 * Runs match rules over a scope: a versioned, audited {@link MatchRun} per rule, the matching itself
 * in the warehouse ({@link MatchEngine}), then the breaks made to agree with what the run found. The
 * run records its end-to-end lag (the source change behind a new break, at the source's own commit, API or
 * file-arrival time, to the break being visible) against the
 * 10-minute objective of operational reconciliation.
 */
@ApplicationScoped
public class MatchRunService {

    private static final Logger LOG = Logger.getLogger(MatchRunService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    public static final Duration LAG_OBJECTIVE = Duration.ofMinutes(10);

    @Inject
    Warehouse warehouse;

    @Inject
    MatchRuleService rules;

    @Inject
    BreakService breaks;

    @Inject
    AuditLog auditLog;

    @Inject
    DataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    com.finledger.integrity.catalog.CatalogService catalogService;

    /** Every active rule of the scope's cadence over the scope. */
    public List<MatchRun> run(MatchScope scope, String actor) {
        List<MatchRun> runs = new ArrayList<>();
        for (MatchRule rule : rules.rules()) {
            if (rule.cadence() == scope.cadence()) {
                runs.add(run(rule, scope, actor));
            }
        }
        return runs;
    }

    /** All active rules over a business date, whatever their cadence (finance's daily view, and tests). */
    public List<MatchRun> runBusinessDate(java.time.LocalDate date, String actor) {
        List<MatchRun> runs = new ArrayList<>();
        for (MatchRule rule : rules.rules()) {
            runs.add(run(rule, MatchScope.businessDate(date), actor));
        }
        return runs;
    }

    public MatchRun run(MatchRule rule, MatchScope scope, String actor) {
        String hash = rules.activeHash();
        MatchRun run = QuarkusTransaction.requiringNew().call(() -> {
            MatchRun r = new MatchRun();
            r.ruleName = rule.name();
            r.scopeKey = scope.key();
            r.version = MatchRun.nextVersion(rule.name(), scope.key());
            r.ruleSetHash = hash;
            r.state = MatchRun.State.RUNNING;
            r.actor = actor;
            r.startedAt = clock.instant();
            r.lagObjectiveSeconds = (int) LAG_OBJECTIVE.toSeconds();
            r.persist();
            return r;
        });
        MatchEngine.Result result;
        Map<String, Instant> sourceChangedAt;
        try {
            result = new MatchEngine(warehouse).run(rule, scope, run.id);
            sourceChangedAt = new SourceChangeTimes(warehouse, catalogService.catalog()).of(rule, result.residue());
        } catch (RuntimeException e) {
            fail(run.id, rule, scope, actor, e);
            throw e;
        }
        return QuarkusTransaction.requiringNew().call(() -> finish(run.id, rule, scope, result, sourceChangedAt, actor));
    }

    private MatchRun finish(long runId, MatchRule rule, MatchScope scope, MatchEngine.Result result,
                            Map<String, Instant> sourceChangedAt, String actor) {
        MatchRun run = MatchRun.findById(runId);
        lockRule(rule.name());
        Instant now = clock.instant();
        BreakService.SyncResult sync = breaks.sync(run, rule, scope, result, sourceChangedAt, now);
        run.state = MatchRun.State.SUCCEEDED;
        run.finishedAt = now;
        run.leftRecords = result.leftRecords();
        run.rightRecords = result.rightRecords() < 0 ? null : result.rightRecords();
        run.matchedLeft = result.matchedLeft();
        run.breaksFound = sync.found();
        run.breaksOpened = sync.opened().size() + sync.reopened().size();
        run.breaksClosed = sync.closed().size();
        run.newestSourceAt = result.newestSourceAt();
        run.lagSeconds = sync.maxLagSeconds();
        run.lagBasis = sync.maxLagSeconds() == null ? null : sync.lagFromSourceCommit() ? "source_commit" : "record_time";
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("strategies", result.summary());
        summary.put("opened", sync.opened());
        summary.put("reopened", sync.reopened());
        summary.put("closed", sync.closed());
        try {
            run.summary = JSON.writeValueAsString(summary);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        Map<String, Object> details = new LinkedHashMap<>(summary);
        details.remove("strategies");
        details.put("scope", scope.key());
        details.put("version", run.version);
        details.put("rule_set_hash", run.ruleSetHash);
        details.put("left_records", run.leftRecords);
        details.put("matched_left", run.matchedLeft);
        details.put("breaks_found", run.breaksFound);
        details.put("lag_seconds", run.lagSeconds);
        details.put("lag_basis", run.lagBasis);
        details.put("lag_objective_seconds", run.lagObjectiveSeconds);
        audit(actor, "match_run.completed", run, details);
        LOG.infof("match %s %s v%d: %d/%d left matched, %d breaks (%d opened, %d closed)", rule.name(), scope.key(),
                run.version, run.matchedLeft, run.leftRecords, run.breaksFound, run.breaksOpened, run.breaksClosed);
        return run;
    }

    private void fail(long runId, MatchRule rule, MatchScope scope, String actor, RuntimeException e) {
        QuarkusTransaction.requiringNew().run(() -> {
            MatchRun run = MatchRun.findById(runId);
            run.state = MatchRun.State.FAILED;
            run.finishedAt = clock.instant();
            run.error = String.valueOf(e.getMessage());
            audit(actor, "match_run.failed", run, Map.of("scope", scope.key(), "error", run.error));
        });
        LOG.errorf("match %s %s failed: %s", rule.name(), scope.key(), e.getMessage());
    }

    /** One run of a rule syncs its breaks at a time (several instances, the schedule and a person). */
    private void lockRule(String ruleName) {
        MatchRun.getEntityManager().createNativeQuery("select count(*) from (select pg_advisory_xact_lock(hashtext(?1))) lock")
                .setParameter(1, "match_rule:" + ruleName).getSingleResult();
    }

    private void audit(String actor, String action, MatchRun run, Map<String, ?> details) {
        try (Connection c = dataSource.getConnection()) {
            auditLog.append(c, actor, action, "match_run", Long.toString(run.id), null, details);
        } catch (SQLException e) {
            throw new IllegalStateException("audit append failed: " + e.getMessage(), e);
        }
    }
}
