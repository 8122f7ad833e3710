package com.finledger.integrity.alerts;

import com.finledger.integrity.operations.SloService;
import io.quarkus.scheduler.Scheduled;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/** Alert evaluation and SLO sampling on the Quartz scheduler (clustered: one instance fires each run). */
@ApplicationScoped
public class AlertSchedule {

    @Inject
    AlertEngine engine;

    @Inject
    AlertRules rules;

    @Inject
    SloService slos;

    @Inject
    com.finledger.integrity.operations.OperationsMetrics metrics;

    @Scheduled(identity = "alerts-evaluate", every = "${finledger.alerts.evaluate-every:1m}", delayed = "30s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void evaluate() {
        var measured = slos.sample();
        engine.evaluate();
        metrics.refresh(measured);
    }

    @Scheduled(identity = "alerts-reload-rules", every = "${finledger.alerts.reload-every:5m}", delayed = "5m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void reload() {
        rules.reload();
    }
}
