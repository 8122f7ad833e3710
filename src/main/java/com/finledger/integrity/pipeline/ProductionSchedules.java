package com.finledger.integrity.pipeline;

import com.finledger.integrity.catalog.Catalog.Source;
import com.finledger.integrity.catalog.Catalog.SourceKind;
import com.finledger.integrity.catalog.CatalogService;
import com.finledger.integrity.cdc.ReplicationMonitor;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/**
 * The jobs that run on their own Quartz schedules where the AWS services move the data (production,
 * and the prodlike profile): the processor-API extractor, which nothing else drives there, and the
 * DMS monitor's poll, which keeps each task's health current for on-call between evaluations. The
 * change-file intake ({@code IntakeScheduler}) and the evaluations ({@code EvaluationScheduler}) have
 * theirs already. Locally the pipeline runner does all of this in one run instead, so these are off.
 * Quartz is clustered: each firing runs on one instance.
 */
@ApplicationScoped
public class ProductionSchedules {

    private static final Logger LOG = Logger.getLogger(ProductionSchedules.class);

    @ConfigProperty(name = "finledger.schedules.production-jobs", defaultValue = "false")
    boolean enabled;

    @Inject
    CatalogService catalogService;

    @Inject
    LocalPipelineRunner runner;

    @Inject
    ReplicationMonitor monitor;

    @Inject
    MeterRegistry metrics;

    private final Map<String, AtomicInteger> taskFailed = new ConcurrentHashMap<>();
    private final Map<String, String> lastStatus = new ConcurrentHashMap<>();

    @Scheduled(identity = "api-extractor", every = "${finledger.extract.every:5m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void extract() {
        if (!enabled) {
            return;
        }
        for (Source source : catalogService.catalog().sources()) {
            if (source.kind() == SourceKind.REST_API) {
                try {
                    int landed = runner.extractScheduled(source, "system:extractor");
                    LOG.debugf("scheduled extraction of %s landed %d object(s)", source.name(), landed);
                } catch (RuntimeException e) {
                    // a failed pull is in the pull-window ledger already; the next firing retries it
                    LOG.errorf("scheduled extraction of %s failed: %s", source.name(), e.getMessage());
                }
            }
        }
    }

    @Scheduled(identity = "dms-monitor", every = "${finledger.dms.poll-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void pollReplication() {
        if (!enabled) {
            return;
        }
        try {
            for (ReplicationMonitor.ReplicationTask task : monitor.tasks()) {
                taskFailed.computeIfAbsent(task.identifier(), id -> metrics.gauge("finledger_dms_task_failed",
                        io.micrometer.core.instrument.Tags.of("task", id), new AtomicInteger()))
                        .set(task.failed() ? 1 : 0);
                String previous = lastStatus.put(task.identifier(), task.status());
                if (previous != null && !previous.equals(task.status())) {
                    LOG.warnf("DMS task %s went from %s to %s%s", task.identifier(), previous, task.status(),
                            task.lastFailureMessage() == null ? "" : ": " + task.lastFailureMessage());
                }
            }
        } catch (RuntimeException e) {
            LOG.errorf("DMS monitor poll failed: %s", e.getMessage());
        }
    }
}
