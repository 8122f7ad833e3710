package com.finledger.integrity.alerts;

import com.finledger.integrity.audit.AuditLog;
import com.finledger.integrity.audit.AuditVerification;
import com.finledger.integrity.operations.AwsEvent;
import com.finledger.integrity.operations.PipelineJob;
import com.finledger.integrity.operations.PipelineJobRun;
import com.finledger.integrity.operations.SloService;
import com.finledger.integrity.platform.Jdbc;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** What each alert kind sees right now: the subjects whose condition holds, with a one-line reason. */
@ApplicationScoped
public class AlertSignals {

    public record Signal(String subject, String detail) {
    }

    @Inject
    DataSource dataSource;

    @Inject
    AuditLog auditLog;

    @Inject
    SloService slos;

    public List<Signal> current(AlertRule rule, Instant now) {
        return switch (rule.kind()) {
            case GLUE_JOB_FAILED -> glueFailed(rule.retries());
            case DMS_TASK_FAILING -> PipelineJob.<PipelineJob>list("kind = ?1 and state in ('FAILED', 'STOPPED')",
                    AwsEvent.JobKind.DMS_TASK).stream()
                    .map(j -> new Signal(j.name, "DMS task " + j.state + (j.message == null ? "" : ": " + j.message)))
                    .toList();
            case BLOCKED_PARTITION -> Jdbc.query(dataSource, """
                    select dataset, partition_key from partition_readiness where state = 'BLOCKED'
                    order by dataset, partition_key""", List.of(),
                    rs -> new Signal(rs.getString(1) + "/" + rs.getString(2), "partition BLOCKED"));
            case PARTNER_FILE_MISSING -> Jdbc.query(dataSource, """
                    select partner, business_date, expected_name, cutoff_at from partner_file_expectation
                    where status = 'MISSING' order by partner, business_date""", List.of(),
                    rs -> new Signal(rs.getString(1) + "/" + rs.getString(2), rs.getString(3) + " not arrived by "
                            + rs.getTimestamp(4).toInstant()));
            case CONTROL_IMBALANCE -> Jdbc.query(dataSource, """
                    select cr.dataset, cr.partition_key, cr.control_name from control_result cr
                    join partition_readiness pr on pr.last_evaluation_id = cr.evaluation_id
                    where not cr.balanced order by 1, 2, 3""", List.of(),
                    rs -> new Signal(rs.getString(1) + "/" + rs.getString(2) + "/" + rs.getString(3),
                            "control " + rs.getString(3) + " does not balance"));
            case EVALUATION_FAILING -> Jdbc.query(dataSource, """
                    select e.dataset, e.partition_key from evaluation e
                    where e.outcome = 'ERROR' and e.id = (select max(id) from evaluation l
                        where l.dataset = e.dataset and l.partition_key = e.partition_key and l.finished_at is not null)
                    order by 1, 2""", List.of(),
                    rs -> new Signal(rs.getString(1) + "/" + rs.getString(2), "latest evaluation ended in ERROR"));
            case AUDIT_CHAIN_BROKEN -> {
                // the verification reads the whole chain at its own isolation level, outside the caller's transaction
                AuditVerification v = io.quarkus.narayana.jta.QuarkusTransaction.suspendingExisting()
                        .call(auditLog::verify);
                yield v.intact() ? List.of() : List.of(new Signal("audit_log", "chain broken at seq "
                        + v.firstBrokenSeq() + ": " + v.problem()));
            }
            case SLO_BREACH -> slos.measure(now).stream().filter(SloService.Measurement::breached)
                    .map(m -> new Signal(m.dataset() + "/" + m.layer(), "lag " + m.lag() + " over SLO " + m.target()))
                    .toList();
        };
    }

    private List<Signal> glueFailed(int retries) {
        List<Signal> signals = new ArrayList<>();
        for (PipelineJob job : PipelineJob.<PipelineJob>list("kind = ?1 and state in ('FAILED', 'TIMEOUT', 'ERROR')",
                AwsEvent.JobKind.GLUE_JOB)) {
            int attempt = job.lastRunId == null ? 0 : PipelineJobRun.find(job.id, job.lastRunId)
                    .map(r -> r.attempt).orElse(0);
            if (attempt >= retries) {
                signals.add(new Signal(job.name, "Glue job run " + job.lastRunId + " " + job.state + " (attempt "
                        + (attempt + 1) + ")" + (job.message == null ? "" : ": " + job.message)));
            }
        }
        return signals;
    }
}
